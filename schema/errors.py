"""Which errors a client may read, and how errors are logged.

Errors about the request itself (syntax, validation, a bad argument) are the
client's to fix and are returned as they are. Anything else is a bug: the client
sees "Unexpected error." and the log keeps the exception with its stack trace.
"""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors
from strawberry.relay import GlobalIDValueError
from strawberry.types import ExecutionContext

from resolvers.errors import InvalidArgument

logger = logging.getLogger("recapql.graphql")

CLIENT_ERRORS: tuple[type[Exception], ...] = (GraphQLError, InvalidArgument, GlobalIDValueError)


def is_unexpected(error: GraphQLError) -> bool:
    """True for errors raised by a bug rather than by the request."""
    original = error.original_error
    return original is not None and not isinstance(original, CLIENT_ERRORS)


def mask_unexpected_errors() -> MaskErrors:
    return MaskErrors(should_mask_error=is_unexpected, error_message="Unexpected error.")


class RecapSchema(strawberry.Schema):
    """A schema that logs bugs with their traceback and client mistakes without one."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        for error in errors:
            if is_unexpected(error):
                logger.error("unexpected error: %s", error.message, exc_info=error.original_error)
            else:
                logger.info("request error: %s", error.message)
