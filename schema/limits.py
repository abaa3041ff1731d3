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

from graphql import ASTValidationRule, DirectiveNode, GraphQLError, ValidationRule
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension, max_aliases, query_depth_limiter

from schema.cost import cost_limit_rule


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

# Which limit refused a document, recognised by the message of the rule that refused it
# (Strawberry's and graphql-core's messages are not ours to change).
_LIMIT_MESSAGES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("depth", re.compile(r"exceeds maximum operation depth of \d+$")),
    ("aliases", re.compile(r"^\d+ aliases found\. Allowed: \d+$")),
    ("tokens", re.compile(r"^Syntax Error: Document contains more than \d+ tokens")),
    ("directives", re.compile(r"^The document has more than \d+ directives, the maximum\.")),
    ("cost", re.compile(r"above the maximum query cost of \d+")),
    ("document_chars", re.compile(r"^The document has \d+ characters, above the maximum of \d+")),
)
_SUGGESTION = re.compile(r"\s*Did you mean .*\?$", re.DOTALL)


def limit_refused(error: GraphQLError) -> str | None:
    """The name of the limit that refused the document, or None if the error is another kind."""
    for name, pattern in _LIMIT_MESSAGES:
        if pattern.search(error.message):
            return name
    return None


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
                self.report_error(
                    GraphQLError(f"The document has more than {max_directives} directives, the maximum.", node)
                )

    return DirectiveLimit


def document_too_long(document: str, limits: Limits) -> str | None:
    """Why `document` is refused for its length, or None; checked before it is even tokenised."""
    if len(document) <= limits.max_document_chars:
        return None
    return f"The document has {len(document)} characters, above the maximum of {limits.max_document_chars}."


@cache
def validation_rules(limits: Limits) -> tuple[type[ASTValidationRule], ...]:
    """The validation rules enforcing `limits`, made once per `limits` (the validation cache is keyed by them)."""
    # The rule classes of Strawberry's QueryDepthLimiter and MaxAliasesLimiter: their extensions
    # are fixed per schema, and the schema is one per process while limits come from settings.
    rules: list[type[ASTValidationRule]] = [
        query_depth_limiter.create_validator(limits.max_depth, should_ignore=None),
        max_aliases.create_validator(limits.max_aliases),
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
                raise GraphQLError(too_long)
            # The same option Strawberry's MaxTokensLimiter sets: graphql-core stops tokenising there.
            execution_context.parse_options["max_tokens"] = limits.max_tokens
            execution_context.validation_rules = (*execution_context.validation_rules, *validation_rules(limits))
        yield
