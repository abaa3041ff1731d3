"""Abuse limits on GraphQL documents, checked before anything runs: `Limits` and `EnforceLimits`.

The limits come with each request (in its context, from the settings), so one schema serves
apps with different limits, and the cost limit prices lists by the store the context carries
(its `FanOuts`). Tokens use graphql-core's parse option and introspection graphql-core's rule;
depth, aliases and directives are measured by `rules.py`, cost by `cost.py`, each fragment once
however often it is spread. Every rule is `guarded`: a rule that crashes never breaks validation.
Validation results are cached per document and rules, so a limit costs nothing the second time a
document is seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from graphql import (
    ASTValidationRule,
    GraphQLError,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension

from schema.error_codes import ErrorCode
from schema.limits.cost import cost_limit_rule
from schema.limits.refusals import LimitExceeded, LimitName, refusal
from schema.limits.rules import alias_limit_rule, depth_limit_rule, directive_limit_rule, guarded
from store.fan_outs import FanOuts
from store.store import Store


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
# it leaves, so this one limit is recognised by its words (every rule of recapql labels itself).
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


def without_suggestions(message: str) -> str:
    """The message without graphql-core's "Did you mean …?" hint, which maps out the schema."""
    return _SUGGESTION.sub("", message)


def document_too_long(document: str, limits: Limits) -> LimitExceeded | None:
    """The refusal of `document` for its length, or None; checked before it is even tokenised."""
    if len(document) <= limits.max_document_chars:
        return None
    message = f"The document has {len(document)} characters, above the maximum of {limits.max_document_chars}."
    return LimitExceeded(message, "document_chars")


# One set of rules per app's limits and store shape: a handful, and each is a cache key below.
_RULE_SETS = 32


@lru_cache(maxsize=_RULE_SETS)
def validation_rules(limits: Limits, fan_outs: FanOuts) -> tuple[type[ASTValidationRule], ...]:
    """The validation rules enforcing `limits` on a store of `fan_outs`, made once per pair.

    The validation cache is keyed by these rules, so a document is validated once per app and
    store shape, and the same document is priced anew by a store whose lists are longer.
    """
    rules: list[type[ASTValidationRule]] = [
        guarded(depth_limit_rule(limits.max_depth)),
        guarded(alias_limit_rule(limits.max_aliases)),
        guarded(directive_limit_rule(limits.max_directives)),
        guarded(cost_limit_rule(limits.max_cost, fan_outs)),
    ]
    if not limits.introspection:
        rules.append(NoSchemaIntrospectionCustomRule)
    return tuple(rules)


class EnforceLimits(SchemaExtension):
    """Applies the request's `Limits` (from its context) before the document is parsed and validated."""

    def on_operation(self) -> Iterator[None]:
        execution_context = self.execution_context
        limits = getattr(execution_context.context, "limits", None)
        store = getattr(execution_context.context, "store", None)
        if isinstance(limits, Limits) and isinstance(store, Store):
            too_long = document_too_long(execution_context.query or "", limits)
            if too_long is not None:
                raise too_long
            # The same option Strawberry's MaxTokensLimiter sets: graphql-core stops tokenising there.
            execution_context.parse_options["max_tokens"] = limits.max_tokens
            rules = validation_rules(limits, store.fan_outs)
            execution_context.validation_rules = (*execution_context.validation_rules, *rules)
        yield
