"""Which errors a client may read, and how errors are logged.

Errors about the request itself (syntax, validation, a bad argument) are the client's to
fix and are returned as they are. Anything else is a bug: the client sees "Unexpected
error." with the request's id, and the log keeps the exception, its stack trace and the
same id, so a user's report leads to the trace.
"""

from __future__ import annotations

from graphql import GraphQLError
from strawberry.extensions import MaskErrors
from strawberry.relay import GlobalIDValueError
from strawberry.types import ExecutionContext

from resolvers.errors import InvalidArgument
from schema.context import Context
from schema.error_codes import ErrorCode

CLIENT_ERRORS: tuple[type[Exception], ...] = (GraphQLError, InvalidArgument, GlobalIDValueError)
UNEXPECTED = "Unexpected error."


def is_unexpected(error: GraphQLError) -> bool:
    """True for errors raised by a bug rather than by the request."""
    original = error.original_error
    return original is not None and not isinstance(original, CLIENT_ERRORS)


def request_id_of(execution_context: ExecutionContext | None) -> str | None:
    context = execution_context.context if execution_context is not None else None
    return context.request_id if isinstance(context, Context) else None


def suggestions_shown(execution_context: ExecutionContext | None) -> bool:
    context = execution_context.context if execution_context is not None else None
    return not isinstance(context, Context) or context.limits.suggestions


class MaskUnexpectedErrors(MaskErrors):
    """Strawberry's error masking, with the request id in place of the bug's message."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected, error_message=UNEXPECTED)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = request_id_of(self.execution_context)
        extensions: dict[str, object] = {"code": ErrorCode.INTERNAL_SERVER_ERROR}
        if request_id is not None:
            extensions["requestId"] = request_id
        return GraphQLError(
            message=UNEXPECTED if request_id is None else f"Unexpected error (request id {request_id}).",
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions=extensions,
        )
