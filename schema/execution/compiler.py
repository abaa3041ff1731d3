"""Compiling a validated operation into a plan: the closures that run it, made once per document.

The fields of each selection are collected by graphql-core's own `collect_fields` and
`collect_subfields` (its merging, fragments, type conditions and literal `@skip`/`@include`), in
the order graphql-core runs them; each field becomes a closure (`schema.execution.fields`). The
compiler refuses (`NotPlannable`, and graphql-core runs the operation as before) what a plan would
decide differently from graphql-core or cannot decide once: `@skip`/`@include` on a variable,
fragment variables, a resolver, type resolver or `is_type_of` that is a coroutine function, and
operations past `MAX_PLANNED_FIELDS` fields.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    ListValueNode,
    Node,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_argument_values,
    is_abstract_type,
    is_object_type,
)
from graphql.execution import VariableValues
from graphql.execution.collect_fields import FieldDetails, FragmentDetails, collect_fields, collect_subfields
from graphql.type.directives import GraphQLDisableErrorPropagationDirective

from schema.execution.completion import Selection, Site
from schema.execution.fields import Execute, plan_field
from schema.execution.run import NotPlannable, Run

# A document within the limits plans a few hundred fields; this bounds a plan's memory whatever the limits.
MAX_PLANNED_FIELDS = 5_000
_NO_VARIABLES = VariableValues({}, {})
_DIRECTIVES_ON_VARIABLES = frozenset({"skip", "include"})


class Compiled:
    """A compiled operation: its root selection, and the facts a run needs."""

    __slots__ = ("fields", "fragment_definitions", "operation", "root")

    def __init__(
        self, root: Selection, operation: OperationDefinitionNode, fragments: dict[str, Any], fields: int
    ) -> None:
        self.root = root
        self.operation = operation
        self.fragment_definitions = fragments
        self.fields = fields


def compile_operation(
    strawberry: Any, document: DocumentNode, operation_name: str | None
) -> tuple[Compiled, OperationDefinitionNode]:
    """The plan of the operation graphql-core would run for `operation_name`, or `NotPlannable`."""
    schema: GraphQLSchema = strawberry._schema
    operation, definitions = _operation(document, operation_name)
    if operation.operation is not OperationType.QUERY:
        raise NotPlannable("only queries are planned")
    root_type = schema.get_root_type(operation.operation)
    if root_type is None:
        raise NotPlannable("no root type")
    _refuse_variable_directives(operation)
    for fragment in definitions.values():
        _refuse_variable_directives(fragment)
    fragments = {name: FragmentDetails(definition, None) for name, definition in definitions.items()}
    propagation = not any(
        directive.name.value == GraphQLDisableErrorPropagationDirective.name for directive in operation.directives or ()
    )
    compiler = _Compiler(strawberry, schema, fragments, operation, propagation)
    try:
        grouped = collect_fields(schema, fragments, _NO_VARIABLES, root_type, operation).grouped_field_set
    except RecursionError:  # graphql-core answers this one with its own error: let it
        raise NotPlannable("selections nested too deeply") from None
    root = compiler.selection(root_type, grouped)
    return Compiled(root, operation, definitions, compiler.fields), operation


def _operation(
    document: DocumentNode, operation_name: str | None
) -> tuple[OperationDefinitionNode, dict[str, FragmentDefinitionNode]]:
    """The operation and fragments as graphql-core's `Executor.build` picks them."""
    operation: OperationDefinitionNode | None = None
    fragments: dict[str, FragmentDefinitionNode] = {}
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            if operation_name is None:
                if operation is not None:
                    raise NotPlannable("several operations and no name")
                operation = definition
            elif definition.name and definition.name.value == operation_name:
                operation = definition
        elif isinstance(definition, FragmentDefinitionNode):
            if definition.variable_definitions:
                raise NotPlannable("fragment variables")
            fragments[definition.name.value] = definition
    if operation is None:
        raise NotPlannable("no such operation")
    return operation, fragments


def _refuse_variable_directives(definition: OperationDefinitionNode | FragmentDefinitionNode) -> None:
    """`@skip`/`@include` that read a variable decide the fields per request: such operations are not planned."""
    for selection in _selections(definition.selection_set):
        for directive in selection.directives or ():
            if directive.name.value in _DIRECTIVES_ON_VARIABLES and _names_variable(directive):
                raise NotPlannable(f"@{directive.name.value} on a variable")


def _selections(
    selection_set: SelectionSetNode | None,
) -> Iterator[FieldNode | InlineFragmentNode | FragmentSpreadNode]:
    for selection in selection_set.selections if selection_set is not None else ():
        yield selection  # type: ignore[misc]
        if isinstance(selection, (FieldNode, InlineFragmentNode)):
            yield from _selections(selection.selection_set)


def _names_variable(node: DirectiveNode | FieldNode) -> bool:
    return any(_value_names_variable(argument.value) for argument in node.arguments or ())


def _value_names_variable(value: ValueNode) -> bool:
    if isinstance(value, VariableNode):
        return True
    if isinstance(value, ListValueNode):
        return any(_value_names_variable(item) for item in value.values)
    if isinstance(value, ObjectValueNode):
        return any(_value_names_variable(field.value) for field in value.fields)
    return False


class _Compiler:
    def __init__(
        self,
        strawberry: Any,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDetails],
        operation: OperationDefinitionNode,
        error_propagation: bool,
    ) -> None:
        self.strawberry, self.schema, self.fragments, self.operation = strawberry, schema, fragments, operation
        self.error_propagation = error_propagation
        self.fields = 0

    def subselection(self, object_type: GraphQLObjectType, details: list[FieldDetails]) -> Selection:
        collected = collect_subfields(self.schema, self.fragments, _NO_VARIABLES, self.operation, object_type, details)
        return self.selection(object_type, collected.grouped_field_set)

    def selection(self, parent_type: GraphQLObjectType, grouped: dict[str, list[FieldDetails]]) -> Selection:
        _refuse_async(parent_type.is_type_of, parent_type)
        planned: list[tuple[str, Execute]] = []
        for response_name, details in grouped.items():
            field_def = self.schema.get_field(parent_type, details[0].node.name.value)
            if field_def is None:  # graphql-core leaves the key out (validation makes this unreachable)
                continue
            self.fields += 1
            if self.fields > MAX_PLANNED_FIELDS:
                raise NotPlannable("too many fields to plan")
            planned.append((response_name, self.field(parent_type, response_name, details, field_def)))
        fields = tuple(planned)

        # A loop, not a dict comprehension: in Python 3.11 the comprehension's own frame made this 3x slower.
        def execute_selection(source: Any, path: Any, run: Run) -> dict[str, Any]:
            data = {}
            for name, execute in fields:
                data[name] = execute(source, path, run)
            return data

        return execute_selection

    def field(
        self, parent_type: GraphQLObjectType, response_name: str, details: list[FieldDetails], field_def: GraphQLField
    ) -> Execute:
        node = details[0].node
        _refuse_async(field_def.resolve, field_def)
        named = field_def.type
        while hasattr(named, "of_type"):
            named = named.of_type
        if is_abstract_type(named):
            _refuse_async(named.resolve_type, named)
            for possible in self.schema.get_possible_types(named):
                _refuse_async(possible.is_type_of, possible)
        elif is_object_type(named):
            _refuse_async(named.is_type_of, named)
        site = Site(
            self.schema,
            parent_type,
            node.name.value,
            details,
            [detail.node for detail in details],
            self.error_propagation,
            self.subselection,
        )
        return plan_field(site, response_name, field_def, self._static_args(field_def, node), self.strawberry)

    def _static_args(self, field_def: GraphQLField, node: FieldNode) -> dict[str, Any] | None:
        """The field's arguments when no variable can change them (read as graphql-core reads them), else None."""
        if not field_def.args and not node.arguments:
            return {}
        if _names_variable(node):
            return None
        try:
            return get_argument_values(field_def, node, _NO_VARIABLES)
        except Exception:  # read per request instead, so that the error is the field's, where graphql-core puts it
            return None


def _refuse_async(function: Any, owner: Node | GraphQLField | Any) -> None:
    if function is not None and (
        inspect.iscoroutinefunction(function) or getattr(function, "__name__", None) == "_async_resolver"
    ):
        raise NotPlannable(f"an asynchronous function on {owner}")
