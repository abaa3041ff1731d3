"""recapql's own `Date` scalar: Strawberry's, with refusals in plain words instead of Python's.

Strawberry's `Date` passes on what `datetime.date.fromisoformat` says ("month must be in
1..12", "Invalid isoformat string: …"); this one says what it expected and what it got, and
its refusal carries `BAD_USER_INPUT` wherever the value came from (the document or a variable).
The name, description and `yyyy-mm-dd` form are Strawberry's, so the SDL is unchanged.
"""

from __future__ import annotations

import datetime
import json

import strawberry
from graphql import GraphQLError, Node, StringValueNode, ValueNode, print_ast

from schema.error_codes import ErrorCode


class BadValue(GraphQLError):
    """A value a scalar cannot take: the client's to fix, so it says what was expected, in plain words."""

    def __init__(self, message: str, node: Node | None = None) -> None:
        super().__init__(message, node, extensions={"code": ErrorCode.BAD_USER_INPUT})


def parse_date(value: object) -> datetime.date:
    """`value` (from a variable, as JSON gives it) as a date, or `BadValue`."""
    return _date(value, _shown(value), None)


def parse_date_literal(node: ValueNode, _variables: dict[str, object] | None = None) -> datetime.date:
    """The literal `node` (from the document) as a date, or `BadValue` pointing at it."""
    if isinstance(node, StringValueNode):
        return _date(node.value, _shown(node.value), node)
    return _date(None, print_ast(node), node)


def _date(value: object, shown: str, node: Node | None) -> datetime.date:
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)  # what Strawberry's Date accepts, no less
        except ValueError:
            pass  # not a date, or a month or day that does not exist: said below, without Python's words
    raise BadValue(f"Expected a date as yyyy-mm-dd, got {shown}.", node)


def _shown(value: object) -> str:
    """`value` as the client wrote it: a string in single quotes (as every other message quotes), else JSON."""
    if isinstance(value, str):
        return f"'{value}'"
    return json.dumps(value, default=str)


Date = strawberry.scalar(
    name="Date",
    description="Date (isoformat)",
    serialize=datetime.date.isoformat,
    parse_value=parse_date,
    parse_literal=parse_date_literal,
)
