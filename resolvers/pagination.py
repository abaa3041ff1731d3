"""Forward pagination over an ordered result, with opaque offset cursors.

Cursors use the same `arrayconnection:<offset>` form as Strawberry's ListConnection.
The data never changes while a store is loaded, so an offset is a stable position.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from resolvers.errors import InvalidArgument

T = TypeVar("T")

MAX_PAGE_SIZE = 100
_PREFIX = "arrayconnection:"


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a result: its items with their cursors, and where it stands."""

    items: Sequence[T]
    cursors: Sequence[str]
    has_next_page: bool
    has_previous_page: bool
    total_count: int


def paginate(items: Sequence[T], *, first: int | None, after: str | None) -> Page[T]:
    """The `first` items after the cursor `after` (from the start when None)."""
    size = check_first(first, default=20)
    start = decode_cursor(after) + 1 if after is not None else 0
    end = min(start + size, len(items))
    return Page(
        items=items[start:end],
        cursors=[encode_cursor(offset) for offset in range(start, end)],
        has_next_page=end < len(items),
        has_previous_page=start > 0,
        total_count=len(items),
    )


def check_first(first: int | None, *, default: int, argument: str = "first") -> int:
    """`first` itself, or `default` when None; an error outside 1..MAX_PAGE_SIZE."""
    if first is None:
        return default
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise InvalidArgument(argument, f"must be between 1 and {MAX_PAGE_SIZE}, got {first}")
    return first


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"{_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
    except (binascii.Error, UnicodeError):
        text = ""
    offset = text.removeprefix(_PREFIX)
    if not text.startswith(_PREFIX) or not (offset.isascii() and offset.isdigit()):
        raise InvalidArgument("after", f"is not a cursor from this API: {cursor!r}")
    return int(offset)
