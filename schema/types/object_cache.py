"""API objects built from store records once, and handed out again: the cache every type's `from_record` shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from store import RecapIndex

R = TypeVar("R")
T = TypeVar("T")

# Objects built from records are kept and handed out again: a store never changes, so a record
# always builds the same object, and building one (an enum looked up, times formatted, lists
# copied) was a quarter of executing the nested day → sessions → projects query. Nothing changes
# an object once built (graphql-core and the plans complete every list into a new one). Keyed by
# the record's identity and checked against it (the entry keeps the record alive, so its id cannot
# be reused); emptied when full, so a process that opens many stores (tests) keeps at most this many.
MAX_KEPT_OBJECTS = 100_000
_kept: dict[int, tuple[object, str, object]] = {}


def built(record: R, index: RecapIndex, build: Callable[[R, RecapIndex], T]) -> T:
    """`build(record, index)`, made once per record and recap and kept."""
    found = _kept.get(id(record))
    if found is not None and found[0] is record and found[1] == index.slug:
        return found[2]  # type: ignore[return-value]  # what `build` made for this very record
    made = build(record, index)
    if len(_kept) >= MAX_KEPT_OBJECTS:
        _kept.clear()
    _kept[id(record)] = (record, index.slug, made)
    return made
