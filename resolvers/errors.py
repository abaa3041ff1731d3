"""The error a client's bad argument raises: shown to the client as it is, with its code."""

from __future__ import annotations

# The `extensions.code` of a value the API cannot use: schema.error_codes.ErrorCode.BAD_USER_INPUT,
# spelled out here because resolvers import nothing of the schema (graphql-core copies an
# exception's `extensions` onto the error it reports for it).
BAD_USER_INPUT = "BAD_USER_INPUT"


class InvalidArgument(ValueError):
    """An argument value the API cannot answer, with what was expected."""

    def __init__(self, argument: str, reason: str) -> None:
        super().__init__(f"Argument '{argument}' {reason}")
        self.argument = argument
        self.reason = reason
        self.extensions: dict[str, object] = {"code": BAD_USER_INPUT}
