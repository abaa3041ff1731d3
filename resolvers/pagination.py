"""Forward pagination over an ordered result, with opaque offset cursors bound to their list.

Cursors use the same `arrayconnection:<offset>` form as Strawberry's ListConnection. The data
never changes while a store is loaded, so an offset is a stable position, but only within the
list it was counted in: the same offset in another order, or under another filter, points at
another item. So a cursor names its list (`Listing`): the default list (its default order, no
filter) keeps today's plain `arrayconnection:<offset>`, which clients already hold; any other
list's cursor is `arrayconnection:<offset>:<order>:<filter>`, and a cursor of one list given to
another is refused with what differs, never followed to a silently shifted page.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from resolvers.errors import InvalidArgument

T = TypeVar("T")

MAX_PAGE_SIZE = 100
_PREFIX = "arrayconnection:"
_NO_FILTER = "-"
_ORDER_TAG = re.compile(r"[A-Z_]+-(ASC|DESC)")
_FILTER_TAG = re.compile(r"-|[0-9a-f]{16}")
_AGAIN = "a cursor holds only for the order and filter it was made with (ask again without 'after')"


@dataclass(frozen=True, slots=True)
class Listing:
    """Which list a page is of: its order (e.g. `TITLE DESC`), the list's default order, and the
    token of its filter (None: no filter). Its cursors are plain when it is the default list."""

    order: str
    default_order: str
    filter_token: str | None

    @classmethod
    def of(cls, order: str, conditions: Hashable | None, *, default_order: str) -> Listing:
        """The list in `order` under `conditions` (a canonical, hashable form of the filter; None: no filter)."""
        token = None if conditions is None else filter_token(conditions)
        return cls(order=order, default_order=default_order, filter_token=token)

    @property
    def default(self) -> bool:
        """True for the list of today's plain cursors: the default order, no filter."""
        return self.order == self.default_order and self.filter_token is None

    def tag(self) -> str:
        """What a cursor of this list carries after its offset (nothing for the default list)."""
        if self.default:
            return ""
        return f":{self.order.replace(' ', '-')}:{self.filter_token or _NO_FILTER}"


def filter_token(conditions: Hashable) -> str:
    """A short, stable token of a filter's canonical form: equal filters, equal tokens."""
    return hashlib.blake2b(repr(conditions).encode(), digest_size=8).hexdigest()


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a result: its items with their cursors, and where it stands."""

    items: Sequence[T]
    cursors: Sequence[str]
    has_next_page: bool
    has_previous_page: bool
    total_count: int


def paginate(items: Sequence[T], *, first: int | None, after: str | None, listing: Listing | None = None) -> Page[T]:
    """The `first` items after the cursor `after` (from the start when None).

    With a `listing`, the cursors are bound to it and `after` must be one of its cursors.
    """
    size = check_first(first, default=20)
    start = decode_cursor(after, listing) + 1 if after is not None else 0
    end = min(start + size, len(items))
    return Page(
        items=items[start:end],
        cursors=[encode_cursor(offset, listing) for offset in range(start, end)],
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


def encode_cursor(offset: int, listing: Listing | None = None) -> str:
    tag = listing.tag() if listing is not None else ""
    return base64.b64encode(f"{_PREFIX}{offset}{tag}".encode()).decode()


def decode_cursor(cursor: str, listing: Listing | None = None) -> int:
    """The offset `cursor` holds; an error if it is no cursor of ours, or (with `listing`) of another list."""
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
    except (binascii.Error, UnicodeError):
        text = ""
    offset, *tag = text.removeprefix(_PREFIX).split(":")
    well_formed = text.startswith(_PREFIX) and offset.isascii() and offset.isdigit()
    if tag:
        well_formed &= len(tag) == 2 and bool(_ORDER_TAG.fullmatch(tag[0])) and bool(_FILTER_TAG.fullmatch(tag[-1]))
    if not well_formed:
        raise InvalidArgument("after", f"is not a cursor from this API: {cursor!r}")
    if listing is not None:
        _check_listing(tag, listing)
    return int(offset)


def _check_listing(tag: list[str], listing: Listing) -> None:
    """Refuse a cursor whose list (`tag`: its order and filter; none for the default list) is not `listing`."""
    made_order, made_filter = listing.default_order, None
    if tag:
        made_order, token = tag[0].replace("-", " "), tag[1]
        made_filter = None if token == _NO_FILTER else token
    same_order = made_order == listing.order
    same_filter = made_filter == listing.filter_token
    if same_order and same_filter:
        return
    problems = []
    if not same_order:
        problems.append(f"of the order {made_order}, not {listing.order}")
    if not same_filter:
        if made_filter is None:
            problems.append("of the unfiltered list, not of this filter")
        elif listing.filter_token is None:
            problems.append("of a filtered list, not of the unfiltered one")
        else:
            problems.append("of another filter, not this one")
    raise InvalidArgument("after", f"is a cursor {', and '.join(problems)}; {_AGAIN}")
