"""The orders `orderBy` offers for sessions and projects, across one recap or several.

Every order is total, so a page and its cursors mean the same thing on every request:

- sessions `RECAP`: the recap's own order (day by day, as the recap tells them), recap after
  recap in the order they were imported; `DESC` is the exact reverse;
- sessions `TITLE`: by title, case-insensitively; `DAY`: by date; equal titles, or sessions of
  the same date, in recap order (whatever the direction);
- projects `NAME`: by name, case-insensitively, then slug; the same name in several recaps in
  recap order; `SESSION_COUNT`: by how many sessions of its recap mention the project, equal
  counts by name (A to Z, whatever the direction), then recap order.

With several recaps the order runs across all of them (`DAY` interleaves their days). Orders
of a filtered list are kept per store version, order and filter (a list of several thousand
records sorts in milliseconds, and a client pages through it request after request).
"""

from __future__ import annotations

import datetime
from array import array
from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import Any, overload

from cachetools import LRUCache

from resolvers import projects, sessions
from store import RecapIndex
from store.records import Project, Session

Pair = tuple[RecapIndex, Any]
# Orders kept: each holds a pointer per record and 4 bytes of recap number (15,000 sessions: 180 KB).
ENTRIES = 64

SESSION_ORDER_FIELDS = ("RECAP", "TITLE", "DAY")
PROJECT_ORDER_FIELDS = ("NAME", "SESSION_COUNT")
DEFAULT_SESSION_ORDER = "RECAP ASC"
DEFAULT_PROJECT_ORDER = "NAME ASC"


class Ordered(Sequence[Pair]):
    """Records of one or more recaps in one order, as (recap, record) pairs, without a pair kept per record."""

    def __init__(self, indexes: Sequence[RecapIndex], records: Sequence[Any], recaps: Sequence[int] | None) -> None:
        self.indexes = tuple(indexes)
        self.records = records
        self.recaps = recaps  # each record's recap, by number in `indexes`; None: all of `indexes[0]`

    def __len__(self) -> int:
        return len(self.records)

    @overload
    def __getitem__(self, position: int) -> Pair: ...
    @overload
    def __getitem__(self, position: slice) -> list[Pair]: ...
    def __getitem__(self, position: int | slice) -> Pair | list[Pair]:
        if isinstance(position, slice):
            return [self[number] for number in range(*position.indices(len(self.records)))]
        record = self.records[position]
        return self.indexes[self.recaps[position] if self.recaps is not None else 0], record

    def __iter__(self) -> Iterator[Pair]:
        for number in range(len(self.records)):
            yield self[number]


def sessions_in_order(
    indexes: Sequence[RecapIndex], where: sessions.SessionConditions | None, field: str, descending: bool
) -> Ordered:
    """The sessions of `indexes` meeting `where`, in the order `field` (one of SESSION_ORDER_FIELDS)."""
    parts = [sessions.filter_sessions(index, where) for index in indexes]
    if field == "RECAP":
        return _ordered(indexes, parts, where, ("sessions", field, descending), None, None, descending)
    primary: Callable[[RecapIndex, Session], Any] = _title if field == "TITLE" else _day
    return _ordered(indexes, parts, where, ("sessions", field, descending), primary, None, descending)


def projects_in_order(
    indexes: Sequence[RecapIndex], where: projects.ProjectConditions | None, field: str, descending: bool
) -> Ordered:
    """The projects of `indexes` meeting `where`, in the order `field` (one of PROJECT_ORDER_FIELDS)."""
    parts = [projects.filter_projects(index, where) for index in indexes]
    order = ("projects", field, descending)
    if field == "NAME":
        # Each recap's list is already by name: one recap's needs no sorting, and neither reversing.
        return _ordered(indexes, parts, where, order, _name, None, descending, sorted_within=True)
    return _ordered(indexes, parts, where, order, projects.session_count, _name, descending)


def _title(index: RecapIndex, session: Session) -> str:
    return session.title.casefold()


def _day(index: RecapIndex, session: Session) -> datetime.date:
    return session.day


def _name(index: RecapIndex, project: Project) -> tuple[str, str]:
    return project.name.casefold(), project.slug


def _ordered(
    indexes: Sequence[RecapIndex],
    parts: Sequence[Sequence[Any]],
    where: Hashable | None,
    order: tuple[str, str, bool],
    primary: Callable[[RecapIndex, Any], Any] | None,
    tie: Callable[[RecapIndex, Any], Any] | None,
    descending: bool,
    *,
    sorted_within: bool = False,
) -> Ordered:
    """`parts` (each recap's list, in recap order) as one list ordered by `primary` (None: as they come).

    `primary` runs in the direction asked; `tie`, then recap order, break its ties ascending.
    """
    if len(indexes) == 1 and not descending and (primary is None or sorted_within):
        return Ordered(indexes, parts[0], None)  # already in this order: nothing to copy
    key = (tuple(index.version for index in indexes), where, order)
    found = _ORDERED.get(key)
    if found is None:
        found = _ORDERED[key] = _sort(indexes, parts, primary, tie, descending)
    return found


def _sort(
    indexes: Sequence[RecapIndex],
    parts: Sequence[Sequence[Any]],
    primary: Callable[[RecapIndex, Any], Any] | None,
    tie: Callable[[RecapIndex, Any], Any] | None,
    descending: bool,
) -> Ordered:
    entries = [(number, record) for number, items in enumerate(parts) for record in items]  # recap order
    if primary is None:
        if descending:
            entries.reverse()
    else:
        # Python's sort is stable, `reverse` too: ties keep the order of the sort before.
        if tie is not None:
            entries.sort(key=lambda entry: tie(indexes[entry[0]], entry[1]))
        entries.sort(key=lambda entry: primary(indexes[entry[0]], entry[1]), reverse=descending)
    records = tuple(record for _, record in entries)
    recaps = array("I", (number for number, _ in entries)) if len(indexes) > 1 else None
    return Ordered(indexes, records, recaps)


_ORDERED: LRUCache[Hashable, Ordered] = LRUCache(maxsize=ENTRIES)
