"""Query cost: how many fields a query can make the server resolve, known before it runs.

graphql-core and Strawberry limit depth, aliases and tokens, but none of them sees that
`sessions(first: 100) { edges { node { projects { sessions { … } } } } }` is shallow and
still asks for a million objects. Like GitHub's node limit and graphql-armor's cost limit,
every field costs 1 for each time it will be resolved: the product of the list sizes above it.

A list's size is known, not guessed: it is the longest list the answering store holds behind
that relation (its `FanOuts`, measured when the store is built: the busiest day's sessions, the
most projects one session mentions, …). A paged list (`first`) holds its `first` items, or fewer
when the store has fewer (a variable counts as its default, or as the largest page when it has
none, since validation runs before variables are known); a connection's `edges` and `nodes` hold
that page. So one document is priced by the store that answers it: cheap on the recap, refused
on a store where the same lists hold thousands.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    VariableNode,
    get_named_type,
)

from resolvers.pagination import MAX_PAGE_SIZE
from schema.limits.refusals import LimitExceeded
from store.fan_outs import FanOuts

# The store relation (a `FanOuts` field) behind each list field, by GraphQL type and field name.
# tests/schema/test_cost.py checks that every list of objects and every paged field of the schema is here.
LIST_RELATIONS: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("Query", "days"): "days",
        ("Query", "topics"): "topics",
        ("Query", "recommendations"): "recommendations",
        ("Query", "sessions"): "sessions",
        ("Query", "projects"): "projects",
        ("Query", "search"): "search_entries",
        ("Query", "recaps"): "recaps",
        ("Recap", "days"): "recap_days",
        ("Recap", "topics"): "recap_topics",
        ("Recap", "recommendations"): "recap_recommendations",
        ("Recap", "sessions"): "recap_sessions",
        ("Recap", "projects"): "recap_projects",
        ("Recap", "search"): "recap_search_entries",
        ("Query", "searchResults"): "search_entries",
        ("Recap", "searchResults"): "recap_search_entries",
        ("SearchHit", "matches"): "matches_by_hit",
        ("SearchMatch", "highlights"): "highlights_by_match",
        ("Recap", "changes"): "recap_changes",
        ("Recap", "topThree"): "recap_top_three",
        ("Day", "sessions"): "sessions_by_day",
        ("Session", "projects"): "projects_by_session",
        ("Session", "recommendations"): "recommendations_by_session",
        ("Project", "sessions"): "sessions_by_project",
        ("Project", "recommendations"): "recommendations_by_project",
        ("Topic", "sessions"): "sessions_by_topic",
        ("Topic", "projects"): "projects_by_topic",
        ("Session", "notes"): "notes_by_session",
        ("Session", "missing"): "missing_by_record",
        ("Project", "missing"): "missing_by_record",
        ("Recommendation", "missing"): "missing_by_record",
        ("Recap", "notes"): "recap_notes",
        ("Recap", "missing"): "recap_missing",
        ("Recap", "topThreeMentions"): "recap_top_three_mentions",
        ("Recap", "documents"): "recap_documents",
        ("Day", "inferred"): "inferred_by_day",
        ("Inferred", "sources"): "sources_by_inferred",
        ("Query", "nodes"): "node_ids",
        ("Session", "topicNodes"): "topics_by_session",
        ("Project", "topicNodes"): "topics_by_project",
        # A facet holds at most one entry per distinct value: per kind or category, or per day, topic
        # and project of the store (the root lists' sums, which bound any one recap's too).
        ("SessionFacets", "kinds"): "session_kinds",
        ("SessionFacets", "topics"): "topics",
        ("SessionFacets", "days"): "days",
        ("SessionFacets", "projects"): "projects",
        ("ProjectFacets", "categories"): "project_categories",
        ("ProjectFacets", "topics"): "topics",
    }
)
_CONNECTION_LISTS = frozenset({"edges", "nodes"})


def cost_limit_rule(max_cost: int, fan_outs: FanOuts) -> type[ValidationRule]:
    """A validation rule refusing any operation that costs more than `max_cost` on a store of `fan_outs`."""

    class CostLimit(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
            cost = OperationCost(self.context.schema, self.context.document, fan_outs).of_operation(node)
            if cost > max_cost:
                name = node.name.value if node.name else "anonymous"
                message = (
                    f"'{name}' has a cost of {cost}, above the maximum query cost of {max_cost} "
                    "(each field counts once for every item the lists above it hold at most in this store)."
                )
                self.report_error(LimitExceeded(message, "cost", node))

    return CostLimit


def operation_costs(schema: GraphQLSchema, document: DocumentNode, fan_outs: FanOuts) -> dict[str, int]:
    """The cost of each operation of `document` (by name; "anonymous" for the unnamed one)."""
    pricing = OperationCost(schema, document, fan_outs)
    return {
        (definition.name.value if definition.name else "anonymous"): pricing.of_operation(definition)
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
    }


def fragment_definitions(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    """The document's fragments by name (the first of a name wins: a duplicate is a validation error)."""
    fragments: dict[str, FragmentDefinitionNode] = {}
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            fragments.setdefault(definition.name.value, definition)
    return fragments


class OperationCost:
    """Computes the cost of the operations of a validated (or being validated) document.

    Each fragment is priced once per place it can land (its type and page), however often it is
    spread, so a document of fragments spreading each other twice costs time linear in its length.
    """

    def __init__(self, schema: GraphQLSchema, document: DocumentNode, fan_outs: FanOuts) -> None:
        self.schema = schema
        self.fan_outs = fan_outs
        self.fragments = fragment_definitions(document)
        # A list field missing from LIST_RELATIONS is priced as the store's longest list: never too cheap.
        self.longest = max(dataclasses.astuple(fan_outs), default=0)
        self.variable_defaults: dict[str, int] = {}
        self.fragment_costs: dict[tuple[str, str, int], int] = {}
        self.pricing: set[str] = set()

    def of_operation(self, operation: OperationDefinitionNode) -> int:
        self.variable_defaults = {
            definition.variable.name.value: int(definition.default_value.value)
            for definition in operation.variable_definitions or ()
            if isinstance(definition.default_value, IntValueNode)
        }
        self.fragment_costs = {}  # `first: $n` may differ per operation
        root = self.schema.get_root_type(operation.operation)
        if root is None:
            return 0
        return self._selection_set(operation.selection_set, root, 1)

    def _selection_set(self, selections: SelectionSetNode, parent: GraphQLNamedType, page: int) -> int:
        """The cost of `selections` on one `parent`; `page` is the page size when `parent` is a connection."""
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self._selection_set(selection.selection_set, target or parent, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment(selection.name.value, parent, page)
        return total

    def _fragment(self, name: str, parent: GraphQLNamedType, page: int) -> int:
        fragment = self.fragments.get(name)
        if fragment is None or name in self.pricing:  # unknown or cyclic: other rules report those
            return 0
        target = self.schema.get_type(fragment.type_condition.name.value) or parent
        key = (name, target.name, page)
        if key not in self.fragment_costs:
            self.pricing.add(name)
            self.fragment_costs[key] = self._selection_set(fragment.selection_set, target, page)
            self.pricing.discard(name)
        return self.fragment_costs[key]

    def _field(self, node: FieldNode, parent: GraphQLNamedType, page: int) -> int:
        name = node.name.value
        if name == "__typename":
            return 1
        if name.startswith("__") or not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0  # introspection (it has its own switch), or a field no type has: other rules report it
        definition = parent.fields.get(name)
        if definition is None:
            return 0
        if node.selection_set is None:
            return 1  # a leaf, or a list of leaves: resolved once
        child = get_named_type(definition.type)
        if name in _CONNECTION_LISTS and parent.name.endswith("Connection"):
            return 1 + page * self._selection_set(node.selection_set, child, 1)
        if "first" in definition.args:
            size = min(self._first(node, definition), self._relation(parent, name))
            if not _is_list(definition):  # a connection: its edges and nodes hold the page
                return 1 + self._selection_set(node.selection_set, child, size)
            return 1 + size * self._selection_set(node.selection_set, child, 1)
        size = self._relation(parent, name) if _is_list(definition) else 1
        return 1 + size * self._selection_set(node.selection_set, child, 1)

    def _relation(self, parent: GraphQLNamedType, name: str) -> int:
        """The longest list behind `parent.name`: what the store measured, or its longest list if unknown."""
        relation = LIST_RELATIONS.get((parent.name, name))
        return self.longest if relation is None else int(getattr(self.fan_outs, relation))

    def _first(self, node: FieldNode, definition: GraphQLField) -> int:
        for argument in node.arguments or ():
            if argument.name.value != "first":
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return max(1, min(int(value.value), MAX_PAGE_SIZE))
            if isinstance(value, VariableNode):
                return max(1, min(self.variable_defaults.get(value.name.value, MAX_PAGE_SIZE), MAX_PAGE_SIZE))
            return MAX_PAGE_SIZE
        default = definition.args["first"].default_value
        return default if isinstance(default, int) else MAX_PAGE_SIZE


def _is_list(definition: GraphQLField) -> bool:
    output = definition.type
    if isinstance(output, GraphQLNonNull):
        output = output.of_type
    return isinstance(output, GraphQLList)
