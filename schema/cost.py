"""Query cost: how many fields a query can make the server resolve, known before it runs.

graphql-core and Strawberry limit depth, aliases and tokens, but none of them sees that
`sessions(first: 100) { edges { node { projects { sessions { … } } } } }` is shallow and
still asks for a million objects. Like GitHub's node limit and graphql-armor's cost limit,
every field costs 1 for each time it will be resolved: the product of the list sizes above it.

A list's size is its `first` argument when it has one (a variable counts as its default, or
as the largest page when it has none, since validation runs before variables are known);
a connection's `edges` and `nodes` are already counted by that `first`; any other list of
objects is assumed to hold `ASSUMED_LIST_SIZE` items.
"""

from __future__ import annotations

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
)

from resolvers.pagination import MAX_PAGE_SIZE
from schema.refusals import LimitExceeded

# The recap's relations are small (a session links 2.4 projects on average, 8 at most; a day
# holds 8 sessions at most), so 5 prices a list close to what it returns.
ASSUMED_LIST_SIZE = 5
_CONNECTION_LISTS = frozenset({"edges", "nodes"})


def cost_limit_rule(max_cost: int) -> type[ValidationRule]:
    """A validation rule refusing any operation whose cost is above `max_cost`."""

    class CostLimit(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
            cost = OperationCost(self.context).of_operation(node)
            if cost > max_cost:
                name = node.name.value if node.name else "anonymous"
                message = (
                    f"'{name}' has a cost of {cost}, above the maximum query cost of {max_cost} "
                    "(each field counts once per item of every list above it)."
                )
                self.report_error(LimitExceeded(message, "cost", node))

    return CostLimit


class OperationCost:
    """Computes the cost of one operation of a validated (or being validated) document."""

    def __init__(self, context: ValidationContext) -> None:
        self.schema = context.schema
        self.fragments: dict[str, FragmentDefinitionNode] = {
            definition.name.value: definition
            for definition in context.document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        self.variable_defaults: dict[str, int] = {}

    def of_operation(self, operation: OperationDefinitionNode) -> int:
        self.variable_defaults = {
            definition.variable.name.value: int(definition.default_value.value)
            for definition in operation.variable_definitions or ()
            if isinstance(definition.default_value, IntValueNode)
        }
        root = self.schema.get_root_type(operation.operation)
        if root is None:
            return 0
        return self._selection_set(operation.selection_set, root, frozenset())

    def _selection_set(self, selections: SelectionSetNode, parent: GraphQLNamedType, seen: frozenset[str]) -> int:
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent, seen)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self._selection_set(selection.selection_set, target or parent, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:  # unknown or cyclic: other rules report those
                    continue
                target = self.schema.get_type(fragment.type_condition.name.value) or parent
                total += self._selection_set(fragment.selection_set, target, seen | {name})
        return total

    def _field(self, node: FieldNode, parent: GraphQLNamedType, seen: frozenset[str]) -> int:
        name = node.name.value
        if name.startswith("__") or not isinstance(parent, GraphQLObjectType) or name not in parent.fields:
            # Introspection and unknown fields: not data (introspection has its own switch).
            return 0 if name != "__typename" else 1
        definition = parent.fields[name]
        if node.selection_set is None:
            return 1
        size = self._list_size(node, definition.type, parent, "first" in definition.args)
        if size == 1:
            child = self._selection_set(node.selection_set, get_named_type(definition.type), seen)
        else:
            child = size * self._selection_set(node.selection_set, get_named_type(definition.type), seen)
        return 1 + child

    def _list_size(self, node: FieldNode, output: GraphQLOutputType, parent: GraphQLNamedType, paged: bool) -> int:
        if paged:
            return self._first(node, parent)
        if isinstance(output, GraphQLNonNull):
            output = output.of_type
        if not isinstance(output, GraphQLList):
            return 1
        if parent.name.endswith("Connection") and node.name.value in _CONNECTION_LISTS:
            return 1
        return ASSUMED_LIST_SIZE

    def _first(self, node: FieldNode, parent: GraphQLNamedType) -> int:
        for argument in node.arguments or ():
            if argument.name.value != "first":
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return max(1, min(int(value.value), MAX_PAGE_SIZE))
            if isinstance(value, VariableNode):
                return max(1, min(self.variable_defaults.get(value.name.value, MAX_PAGE_SIZE), MAX_PAGE_SIZE))
            return MAX_PAGE_SIZE
        assert isinstance(parent, GraphQLObjectType)
        default = parent.fields[node.name.value].args["first"].default_value
        return default if isinstance(default, int) else MAX_PAGE_SIZE
