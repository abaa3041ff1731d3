"""The validation rules recapql writes for its limits: depth, aliases and directives, each one `guarded`.

Every rule measures each fragment once however often it is spread, and refuses with
`LimitExceeded`, which names its limit. A rule that crashes never breaks validation (`guarded`).
The cost rule is in `cost.py`; `enforcement.py` puts the rules for a request's limits together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    BREAK,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    specified_rules,
    validate,
)
from graphql.language.visitor import EnterLeaveVisitor

from schema.limits.cost import fragment_definitions
from schema.limits.refusals import LimitExceeded


class LimitRuleCrashed(Exception):
    """A limit rule failed on a document standard validation finds valid: a bug of ours, never the client's."""


def guarded(rule: type[ValidationRule]) -> type[ValidationRule]:
    """`rule`, unable to break validation: if it raises, it steps aside for the rest of the document.

    A limit rule may crash on a document that is not valid GraphQL (Strawberry's depth limiter
    did: see `depth_limit_rule`); standard validation, which runs beside it, then says what is
    wrong, with its own words and code. If standard validation finds nothing wrong, the crash is a
    bug: it is reported as one, which the schema logs with its traceback and masks for the client
    as INTERNAL_SERVER_ERROR with the request id. Either way no Python wording reaches the client.
    """

    class Guarded(rule):  # type: ignore[valid-type,misc]  # a class made at run time
        def __init__(self, context: ValidationContext) -> None:
            self.stepped_aside = False
            try:
                super().__init__(context)
            except Exception as error:  # any crash: that is the point
                ValidationRule.__init__(self, context)
                self.step_aside(error)

        def get_enter_leave_for_kind(self, kind: str) -> EnterLeaveVisitor:
            enter, leave = super().get_enter_leave_for_kind(kind)
            return EnterLeaveVisitor(self.guard(enter), self.guard(leave))

        def guard(self, method: Callable[..., Any] | None) -> Callable[..., Any] | None:
            if method is None:
                return None

            def guarded_method(*args: Any) -> Any:
                if self.stepped_aside:
                    return BREAK
                try:
                    return method(*args)
                except Exception as error:  # any crash: that is the point
                    self.step_aside(error)
                    return BREAK

            return guarded_method

        def step_aside(self, error: Exception) -> None:
            self.stepped_aside = True
            context: ValidationContext = self.context
            if validate(context.schema, context.document, specified_rules):
                return  # the document is invalid: standard validation reports it
            crash = LimitRuleCrashed(f"{rule.__name__} failed on a valid document: {error!r}")
            crash.__cause__ = error
            self.report_error(GraphQLError(str(crash), original_error=crash))

    Guarded.__name__ = rule.__name__
    Guarded.__qualname__ = rule.__qualname__
    return Guarded


# Depth and aliases were Strawberry's QueryDepthLimiter and MaxAliasesLimiter; they are measured
# here because those rules (Strawberry 0.341, unchanged on its main branch) crash or stall:
# - the depth limiter raises KeyError on a spread of an unknown fragment (`{ days { ...Missing } }`
#   answered "'Missing'"), like graphene's copy of the same code (graphql-python/graphene#1538,
#   https://github.com/graphql-python/graphene/issues/1538) and graphql-depth-limit it was ported
#   from (https://github.com/stems/graphql-depth-limit/issues/9); no Strawberry issue reports it;
# - it calls max() on an empty selection set ("max() arg is an empty sequence"), which graphql-core
#   3.3 parses and validates (`{ }`, `{ nope { } }`): empty selection sets are GraphQL since
#   graphql-spec#1227 (https://github.com/graphql/graphql-spec/pull/1227);
# - both walk a fragment again at every spread: twenty fragments each spreading the next twice
#   (800 characters) took 10 s, and each one more doubles it. Strawberry's fix of its
#   fragment handling (strawberry-graphql/strawberry#4421,
#   https://github.com/strawberry-graphql/strawberry/pull/4421) stopped endless cycles, not this.
# The measures and refusals are theirs: graphql-depth-limit's depth, aliases counted in every
# fragment each time it is spread.


def depth_limit_rule(max_depth: int) -> type[ValidationRule]:
    """A rule refusing operations nested deeper than `max_depth` (`{ days { date } }` is 1 deep).

    Introspection fields do not count (introspection has its own switch and graphql-core its own
    depth rule); a fragment counts where it is spread; an unknown fragment counts 0 (standard
    validation reports it).
    """

    class DepthLimit(ValidationRule):
        def enter_document(self, node: DocumentNode, *_: object) -> object:
            depth = _Depth(fragment_definitions(node), max_depth)
            for definition in node.definitions:
                if isinstance(definition, OperationDefinitionNode) and depth.of(definition.selection_set) > max_depth:
                    name = definition.name.value if definition.name else "anonymous"
                    message = f"'{name}' exceeds maximum operation depth of {max_depth}"
                    self.report_error(LimitExceeded(message, "depth", definition))
            return BREAK

    return DepthLimit


class _Depth:
    """How deep selection sets go, followed no further than one level past `limit`.

    A fragment is measured once for each depth it is spread at (at most `limit` + 2 of them).
    """

    def __init__(self, fragments: dict[str, FragmentDefinitionNode], limit: int) -> None:
        self.fragments = fragments
        self.limit = limit
        self.known: dict[tuple[str, int], int] = {}
        self.measuring: set[str] = set()

    def of(self, selection_set: SelectionSetNode, above: int = 0) -> int:
        """The depth reached by `selection_set`, whose fields are `above` + 1 deep."""
        if above > self.limit:
            return above  # too deep already: deeper changes nothing
        deepest = above
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.selection_set is not None and not selection.name.value.startswith("__"):
                    deepest = max(deepest, self.of(selection.selection_set, above + 1))
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, self.of(selection.selection_set, above))
            elif isinstance(selection, FragmentSpreadNode):
                deepest = max(deepest, self._fragment(selection.name.value, above))
        return deepest

    def _fragment(self, name: str, above: int) -> int:
        fragment = self.fragments.get(name)
        if fragment is None or name in self.measuring:  # unknown or cyclic: standard validation reports it
            return above
        key = (name, above)
        if key not in self.known:
            self.measuring.add(name)
            self.known[key] = self.of(fragment.selection_set, above)
            self.measuring.discard(name)
        return self.known[key]


def alias_limit_rule(max_aliases: int) -> type[ValidationRule]:
    """A rule refusing documents with more than `max_aliases` aliases, those of a fragment counted at every spread."""

    class AliasLimit(ValidationRule):
        def enter_document(self, node: DocumentNode, *_: object) -> object:
            aliases = _Aliases(fragment_definitions(node))
            total = sum(
                aliases.of(definition.selection_set)
                for definition in node.definitions
                if isinstance(definition, OperationDefinitionNode)
            )
            if total > max_aliases:
                self.report_error(LimitExceeded(f"{total} aliases found. Allowed: {max_aliases}", "aliases"))
            return BREAK

    return AliasLimit


class _Aliases:
    """How many aliases selection sets hold, each fragment counted once and then reused."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.known: dict[str, int] = {}
        self.counting: set[str] = set()

    def of(self, selection_set: SelectionSetNode) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += selection.alias is not None
                if selection.selection_set is not None:
                    total += self.of(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                total += self.of(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment(selection.name.value)
        return total

    def _fragment(self, name: str) -> int:
        fragment = self.fragments.get(name)
        if fragment is None or name in self.counting:  # unknown or cyclic: standard validation reports it
            return 0
        if name not in self.known:
            self.counting.add(name)
            self.known[name] = self.of(fragment.selection_set)
            self.counting.discard(name)
        return self.known[name]


def directive_limit_rule(max_directives: int) -> type[ValidationRule]:
    """A validation rule refusing documents with more than `max_directives` directives."""

    class DirectiveLimit(ValidationRule):
        count = 0

        def enter_directive(self, node: DirectiveNode, *_: object) -> None:
            self.count += 1
            if self.count == max_directives + 1:  # report once, at the first directive too many
                message = f"The document has more than {max_directives} directives, the maximum."
                self.report_error(LimitExceeded(message, "directives", node))

    return DirectiveLimit
