"""Results computed from a index, kept for the next request that asks the same.

A loaded store never changes, so a filter's matches or a search's ranking stay right for as
long as the store's version is the same. Keys hold the version, so a result can never be
served from another store's data. Each cache is bounded: a flood of new filters only evicts.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from cachetools import LRUCache

from store import RecapIndex

T = TypeVar("T")
# Entries per kind of result; each holds references to records, not copies (a 15,000-session
# match is ~120 KB of pointers), so this stays small even for a large index.
ENTRIES = 128


class Memo:
    """One kind of derived result, by (store version, key)."""

    def __init__(self, entries: int = ENTRIES) -> None:
        self._results: LRUCache[tuple[str, Hashable], object] = LRUCache(maxsize=entries)

    def get(self, index: RecapIndex, key: Hashable, compute: Callable[[], T]) -> T:
        cache_key = (index.version, key)
        found = self._results.get(cache_key, _MISSING)
        if found is _MISSING:
            found = self._results[cache_key] = compute()
        return found  # type: ignore[return-value]


_MISSING = object()
