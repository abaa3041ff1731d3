"""Abuse limits on GraphQL documents, checked before anything runs.

The limits come with each request (in its context, from the settings), so one schema serves
apps with different limits. Depth, aliases and introspection use the validation rules of
Strawberry's and graphql-core's own limiters, tokens graphql-core's parse option; directives
and cost have no built-in rule, so those two are here. Validation results are cached per
document and rules, so a limit costs nothing the second time a document is seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import cast

from graphql import ASTValidationRule, DirectiveNode, GraphQLError, ValidationContext, ValidationRule
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension, max_aliases, query_depth_limiter

from schema.cost import cost_limit_rule
from schema.error_codes import ErrorCode
from schema.refusals import LimitExceeded, LimitName, refusal


@dataclass(frozen=True, slots=True)
class Limits:
    """The largest document recapql agrees to run (defaults: graphql-armor's), and what it may see.

    `introspection` off refuses `__schema` and `__type`; `suggestions` off drops graphql-core's
    "Did you mean …?" hints, which would otherwise map out the schema field by field.
    """

    max_depth: int = 6
    max_aliases: int = 15
    max_tokens: int = 1000
    max_directives: int = 50
    max_cost: int = 5000
    max_document_chars: int = 15_000
    introspection: bool = True
    suggestions: bool = True


DEFAULT_LIMITS = Limits()

_SUGGESTION = re.compile(r"\s*Did you mean .*\?$", re.DOTALL)
# graphql-core's parser stops at `max_tokens` with a syntax error; its message is the only mark
# it leaves, so this one limit is recognised by its words (every other rule here labels itself).
_TOO_MANY_TOKENS = re.compile(r"^Syntax Error: Document contains more than \d+ tokens")


def label_limit(error: GraphQLError) -> LimitName | None:
    """The limit that refused the document, or None if the error is another kind.

    Labels graphql-core's token refusal as recapql's own rules label theirs.
    """
    extensions = error.extensions or {}
    if extensions.get("code") == ErrorCode.QUERY_LIMIT_EXCEEDED:
        return extensions["limit"]  # type: ignore[no-any-return]  # set by refusal(), a LimitName
    if _TOO_MANY_TOKENS.search(error.message):
        error.extensions = {**extensions, **refusal("tokens")}
        return "tokens"
    return None


def _labelled(rule: type[ASTValidationRule], limit: LimitName) -> type[ASTValidationRule]:
    """`rule` (Strawberry's depth or alias limiter), its errors labelled with the limit they enforce.

    Those limiters do all their work in `__init__` and report through the context they are given,
    not through `self.report_error`, so the label is added by the context handed to them.
    """

    class Labelled(rule):  # type: ignore[valid-type,misc]  # a class made at run time
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(cast(ValidationContext, _LabellingContext(context, limit)))

    Labelled.__name__ = rule.__name__
    return Labelled


class _LabellingContext:
    """A validation context whose reported errors carry the refusal of `limit`."""

    def __init__(self, context: ValidationContext, limit: LimitName) -> None:
        self._context = context
        self._limit = limit

    def report_error(self, error: GraphQLError) -> None:
        error.extensions = {**(error.extensions or {}), **refusal(self._limit)}
        self._context.report_error(error)

    def __getattr__(self, name: str) -> object:
        return getattr(self._context, name)


def without_suggestions(message: str) -> str:
    """The message without graphql-core's "Did you mean …?" hint, which maps out the schema."""
    return _SUGGESTION.sub("", message)


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


def document_too_long(document: str, limits: Limits) -> LimitExceeded | None:
    """The refusal of `document` for its length, or None; checked before it is even tokenised."""
    if len(document) <= limits.max_document_chars:
        return None
    message = f"The document has {len(document)} characters, above the maximum of {limits.max_document_chars}."
    return LimitExceeded(message, "document_chars")


@cache
def validation_rules(limits: Limits) -> tuple[type[ASTValidationRule], ...]:
    """The validation rules enforcing `limits`, made once per `limits` (the validation cache is keyed by them)."""
    # The rule classes of Strawberry's QueryDepthLimiter and MaxAliasesLimiter: their extensions
    # are fixed per schema, and the schema is one per process while limits come from settings.
    rules: list[type[ASTValidationRule]] = [
        _labelled(query_depth_limiter.create_validator(limits.max_depth, should_ignore=None), "depth"),
        _labelled(max_aliases.create_validator(limits.max_aliases), "aliases"),
        directive_limit_rule(limits.max_directives),
        cost_limit_rule(limits.max_cost),
    ]
    if not limits.introspection:
        rules.append(NoSchemaIntrospectionCustomRule)
    return tuple(rules)


class EnforceLimits(SchemaExtension):
    """Applies the request's `Limits` (from its context) before the document is parsed and validated."""

    def on_operation(self) -> Iterator[None]:
        execution_context = self.execution_context
        limits = getattr(execution_context.context, "limits", None)
        if isinstance(limits, Limits):
            too_long = document_too_long(execution_context.query or "", limits)
            if too_long is not None:
                raise too_long
            # The same option Strawberry's MaxTokensLimiter sets: graphql-core stops tokenising there.
            execution_context.parse_options["max_tokens"] = limits.max_tokens
            execution_context.validation_rules = (*execution_context.validation_rules, *validation_rules(limits))
        yield
