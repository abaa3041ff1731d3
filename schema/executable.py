"""The executable schema: `RecapSchema` and the one `schema` object built from it.

One per process, since Strawberry binds the types to the schema that holds them. Limits come
with each request's context, so this one schema serves apps with different settings.
"""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.types import ExecutionContext

from schema.errors import MaskUnexpectedErrors, is_unexpected, request_id_of, suggestions_shown
from schema.limits import EnforceLimits, label_limit, without_suggestions
from schema.query import Query

logger = logging.getLogger("recapql.graphql")


class RecapSchema(strawberry.Schema):
    """A schema that logs bugs with their traceback, labels refusals by limit, and may hide suggestions."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        request_id = request_id_of(execution_context)
        for error in errors:
            if is_unexpected(error):
                logger.error(
                    "unexpected error (request id %s): %s",
                    request_id,
                    error.message,
                    exc_info=error.original_error,
                    extra={"request_id": request_id},
                )
                continue
            label_limit(error)
            if not suggestions_shown(execution_context):
                error.message = without_suggestions(error.message)
            logger.debug("request error: %s", error.message, extra={"request_id": request_id})


# Distinct documents kept parsed and validated; a frontend sends a handful, so this is plenty,
# and a flood of new documents only evicts, never grows memory.
DOCUMENT_CACHE_SIZE = 512


schema = RecapSchema(
    query=Query,
    extensions=[
        # First: the limits set the parse options and validation rules the caches below key on.
        EnforceLimits,
        lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
        lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
        MaskUnexpectedErrors,
    ],
)
