"""The error a client's bad argument raises: shown to the client as it is."""

from __future__ import annotations


class InvalidArgument(ValueError):
    """An argument value the API cannot answer, with what was expected."""

    def __init__(self, argument: str, reason: str) -> None:
        super().__init__(f"Argument '{argument}' {reason}")
        self.argument = argument
        self.reason = reason
