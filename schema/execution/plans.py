"""Plans kept per document, and the two ways a request runs from one.

A plan is made the first time Strawberry is about to execute a document it has parsed and
validated: `PlanOperations.on_execute` compiles it (`schema.execution.compiler`) and runs it in
graphql-core's place, so Strawberry still does everything around the execution. It is kept under
the document, the operation name, the request's `Limits` and the store's version: what the
document cache and the validation rules depend on, so a kept plan is one for a document that
passed exactly those rules. After that, `answer_from_plan` answers the same document without
Strawberry's pipeline at all: it runs the plan and does what the schema's extensions would have
done with the result (the schema's error processing, `MaskUnexpectedErrors`, `ReportCost`'s
`extensions.cost`, computed once per plan as `ReportCost` computes it).

Strawberry builds its extensions, their hook context managers and an execution context for every
request, and its `MaskErrors` checks each result against a runtime-checkable Protocol, work that
costs more than executing a small query (see docs/performance.md); `answer_from_plan` is that
pipeline written out for this schema's extensions, and steps aside for any other set of them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from threading import Lock
from typing import Any

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError, OperationDefinitionNode, get_operation_ast, get_variable_values
from graphql.execution import VariableValues
from strawberry.execution.is_awaitable import optimized_is_awaitable
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.utils.operation import get_first_operation

from schema.context import Context
from schema.errors import MaskUnexpectedErrors, is_unexpected, masked, request_id_of
from schema.execution.compiler import Compiled, compile_operation
from schema.execution.run import ASYNC_HELPERS, NotPlannable, Run
from schema.limits.cost import OperationCost
from schema.limits.cost_report import ReportCost
from schema.limits.document_cache import BYTES_PER_CHARACTER, DocumentCache
from schema.limits.enforcement import EnforceLimits, Limits

PLAN_CACHE_BYTES = 16 * 1024 * 1024
_FIELD_BYTES = 1_500  # a field's closures, its site and its share of the selection's tuple (measured: ~1.2 KB)
_ENTRY_BYTES = 2_000
Key = tuple[str, str | None, Limits, str]


class Plan:
    """A compiled operation with its price: what a request needs besides its variables."""

    __slots__ = ("compiled", "cost", "key", "schema", "weight")

    def __init__(self, strawberry: Any, compiled: Compiled, cost: int, key: Key) -> None:
        self.schema = strawberry._schema
        self.compiled = compiled
        self.cost = cost
        self.key = key
        self.weight = len(key[0]) * BYTES_PER_CHARACTER + compiled.fields * _FIELD_BYTES + _ENTRY_BYTES

    def run(
        self, context: Any, root_value: Any, variables: dict[str, Any] | None, extensions: Any
    ) -> GraphQLExecutionResult:
        """What graphql-core's `execute` answers for this operation (`NotPlannable`: ask it instead)."""
        compiled = self.compiled
        operation = compiled.operation
        if operation.variable_definitions:
            values = get_variable_values(self.schema, operation.variable_definitions, variables or {}, max_errors=50)
            if isinstance(values, list):
                return GraphQLExecutionResult(None, values)
        else:
            values = VariableValues({}, {})
        info_tail = (self.schema, compiled.fragment_definitions, root_value, operation, values.coerced, context,
                     optimized_is_awaitable, None, ASYNC_HELPERS, extensions)  # fmt: skip
        run = Run(info_tail, values)
        try:
            data = compiled.root(root_value, None, run)
        except GraphQLError as error:  # a non-null root field failed: no data (graphql-core's execute_operation)
            run.add(error, None)
            data = None
        return GraphQLExecutionResult(data, run.errors or None)


class _Refused:
    """What a key holds when its operation cannot be planned: not compiled again while it is kept."""

    weight = _ENTRY_BYTES


_REFUSED = _Refused()


class PlanCache:
    """Plans by (document, operation name, limits, store version), the least recently used out first."""

    def __init__(self, budget: int = PLAN_CACHE_BYTES) -> None:
        self.budget = budget
        self._entries: OrderedDict[Key, Plan | _Refused] = OrderedDict()
        self._weight = 0
        self._lock = Lock()  # `recapql query` and tests execute in worker threads too

    def get(self, key: Key) -> Plan | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
        return found if isinstance(found, Plan) else None

    def learn(self, execution_context: ExecutionContext) -> Plan | None:
        """The plan of the document Strawberry is about to execute, compiled now if it is new (None: not plannable)."""
        context = execution_context.context
        document = execution_context.graphql_document
        strawberry = execution_context.schema
        if not isinstance(context, Context) or document is None or not plans_allowed(strawberry):
            return None
        query, name = execution_context.query or "", execution_context.operation_name
        key: Key = (query, name, context.limits, context.store.version)
        with self._lock:
            found = self._entries.get(key)
        if found is not None:
            return found if isinstance(found, Plan) else None
        try:
            compiled, operation = compile_operation(strawberry, document, name)
            cost = _cost(strawberry, document, name, context)
        except NotPlannable:
            self._keep(key, _REFUSED)
            return None
        plan = Plan(strawberry, compiled, cost, key)
        self._keep(key, plan)
        first = get_first_operation(document)
        if first is operation and name is not None:
            # Without an operation name Strawberry runs the first operation, by its name: the same plan.
            self._keep((query, None, context.limits, context.store.version), plan)
        return plan

    def refuse(self, key: Key) -> None:
        """Stop planning `key` (a run met what a plan does not cover): graphql-core runs it from now on."""
        self._keep(key, _REFUSED)

    @property
    def weight(self) -> int:
        """What the kept plans weigh together, in estimated bytes."""
        return self._weight

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._weight = 0

    def __iter__(self) -> Iterator[Key]:
        with self._lock:
            return iter(list(self._entries))

    def _keep(self, key: Key, entry: Plan | _Refused) -> None:
        if entry.weight > self.budget // 8:  # one huge plan must not empty the cache
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            self._weight -= previous.weight if previous is not None else 0
            self._entries[key] = entry
            self._weight += entry.weight
            while self._weight > self.budget:
                _, evicted = self._entries.popitem(last=False)
                self._weight -= evicted.weight


PLANS = PlanCache()


def plans_allowed(strawberry: Any) -> bool:
    """Whether `strawberry` executes as a plan does: Strawberry's execution context, no resolver middleware."""
    extensions = strawberry.extensions
    return (
        PlanOperations in extensions
        and strawberry.execution_context_class is StrawberryGraphQLCoreExecutionContext
        and not strawberry.config.enable_experimental_incremental_execution
        and all(isinstance(ext, type) and issubclass(ext, SchemaExtension) for ext in extensions)
        and not any(ext._implements_resolve() for ext in extensions)
    )


# The extensions whose work on a result `answer_from_plan` does itself; with any other set it steps aside.
_ANSWERED_WITH = frozenset({EnforceLimits, DocumentCache, MaskUnexpectedErrors, ReportCost})


def answer_from_plan(
    strawberry: Any,
    query: str | None,
    variables: dict[str, Any] | None,
    context: Any,
    root_value: Any,
    operation_name: str | None,
    operation_extensions: dict[str, Any] | None,
) -> ExecutionResult | None:
    """The answer Strawberry's `execute` would give, from a kept plan; None when there is none to use."""
    if not isinstance(context, Context) or query is None or not _answers_as_strawberry(strawberry):
        return None
    limits = context.limits
    plan = PLANS.get((query, operation_name, limits, context.store.version))
    if plan is None:
        return None
    try:
        result = plan.run(context, root_value, variables, operation_extensions)
    except NotPlannable:
        PLANS.refuse(plan.key)
        return None
    errors = result.errors
    if errors:
        execution_context = ExecutionContext(
            query=query, schema=strawberry, allowed_operations=(), context=context, variables=variables,
            root_value=root_value, provided_operation_name=operation_name, operation_extensions=operation_extensions,
        )  # fmt: skip
        execution_context.result = result  # executed: the schema's error processing reads it so
        execution_context.pre_execution_errors = errors
        strawberry._process_errors(errors, execution_context)
        request_id = request_id_of(execution_context)
        errors = [masked(error, request_id) if is_unexpected(error) else error for error in errors]
    return ExecutionResult(
        data=result.data, errors=errors, extensions={"cost": {"estimated": plan.cost, "maximum": limits.max_cost}}
    )


# What `_answers_as_strawberry` last found, per schema: the facts it read, and its answer.
_pipelines: dict[int, tuple[tuple[Any, ...], bool]] = {}


def _answers_as_strawberry(strawberry: Any) -> bool:
    """Whether `answer_from_plan` gives Strawberry's answer for this schema: its extensions are this schema's own.

    Asked on every request; the sets and checks are made again only when what they read changed.
    """
    facts = (*strawberry.extensions, strawberry.execution_context_class, strawberry.config)
    known = _pipelines.get(id(strawberry))
    if known is not None and known[0] == facts:
        return known[1]
    answer = frozenset(strawberry.extensions) == _ANSWERED_WITH | {PlanOperations} and plans_allowed(strawberry)
    _pipelines[id(strawberry)] = (facts, answer)
    return answer


def _cost(strawberry: Any, document: Any, name: str | None, context: Context) -> int:
    """`extensions.cost.estimated` as `ReportCost` computes it; a failing pricing is not planned (it logs each time)."""
    operation = get_operation_ast(document, name)
    if not isinstance(operation, OperationDefinitionNode):
        return 0
    try:
        return OperationCost(strawberry._schema, document, context.store.fan_outs).of_operation(operation)
    except Exception:
        raise NotPlannable("pricing failed") from None


class PlanOperations(SchemaExtension):
    """Runs each validated query from its plan (made on first sight) instead of graphql-core's executor."""

    def on_execute(self) -> Iterator[None]:
        execution_context = self.execution_context
        if execution_context.result is None:
            plan = PLANS.learn(execution_context)
            if plan is not None:
                try:
                    result = plan.run(
                        execution_context.context,
                        execution_context.root_value,
                        execution_context.variables,
                        execution_context.operation_extensions,
                    )
                except NotPlannable:
                    PLANS.refuse(plan.key)
                    result = None
                # An answer with errors is left to graphql-core this once: Strawberry's `execute_sync`
                # hands the schema the errors of a result an extension set only when it executed
                # itself (its `execute` does either way), so those errors would lose their codes.
                if result is not None and not result.errors:
                    execution_context.result = result
        yield
