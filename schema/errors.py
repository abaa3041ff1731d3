"""Which errors a client may read, what code each carries, and how errors are logged.

Errors about the request itself (syntax, validation, a bad argument) are the client's to fix
and are returned with the code of the stage that decided them, in plain words. Anything else is
a bug: the client sees "Unexpected error." with the request's id, and the log keeps the
exception, its stack trace and the same id, so a user's report leads to the trace.
"""

from __future__ import annotations

import re

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import MaskErrors
from strawberry.relay import GlobalIDValueError
from strawberry.types import ExecutionContext

from resolvers.errors import InvalidArgument
from schema.context import Context
from schema.error_codes import ErrorCode

CLIENT_ERRORS: tuple[type[Exception], ...] = (GraphQLError, InvalidArgument, GlobalIDValueError)
UNEXPECTED = "Unexpected error."

# graphql-core writes the JSON values it quotes the Python way: `null` as None, `true` as True
# ("Expected value of non-null type 'String!' not to be None."); graphql-js, and clients, say null.
_PYTHON_LITERAL = re.compile(r"(?<![\w'\"$])(None|True|False)(?![\w'\"])")
_JSON_LITERAL = {"None": "null", "True": "true", "False": "false"}


def is_unexpected(error: GraphQLError) -> bool:
    """True for errors raised by a bug rather than by the request."""
    original = error.original_error
    return original is not None and not isinstance(original, CLIENT_ERRORS)


def client_error_code(error: GraphQLError, *, executed: bool) -> ErrorCode:
    """The code of a client error, from the stage that decided it (Apollo Server's names).

    `executed` says whether execution had begun when the error was handed over: errors found
    before it are the document's (parse or validation); errors found by it are the values'
    (variables that do not coerce to their types, arguments a resolver refused).
    """
    if isinstance(error, GraphQLSyntaxError):
        return ErrorCode.GRAPHQL_PARSE_FAILED
    if executed:
        return ErrorCode.BAD_USER_INPUT
    return ErrorCode.GRAPHQL_VALIDATION_FAILED


def with_code(error: GraphQLError, code: ErrorCode) -> None:
    """Give `error` the code `code`, unless the code that raised it already gave it one."""
    extensions = error.extensions or {}
    if "code" not in extensions:
        error.extensions = {**extensions, "code": code}


def in_plain_words(message: str) -> str:
    """`message` without the Python spellings graphql-core gives JSON values (None for null, True for true)."""
    return _PYTHON_LITERAL.sub(lambda found: _JSON_LITERAL[found.group(1)], message)


def request_id_of(execution_context: ExecutionContext | None) -> str | None:
    context = execution_context.context if execution_context is not None else None
    return context.request_id if isinstance(context, Context) else None


def suggestions_shown(execution_context: ExecutionContext | None) -> bool:
    context = execution_context.context if execution_context is not None else None
    return not isinstance(context, Context) or context.limits.suggestions


def masked(error: GraphQLError, request_id: str | None) -> GraphQLError:
    """What the client sees of a bug: "Unexpected error", the request id, and where, never what."""
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


class MaskUnexpectedErrors(MaskErrors):
    """Strawberry's error masking, with the request id in place of the bug's message."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected, error_message=UNEXPECTED)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return masked(error, request_id_of(self.execution_context))
