"""Ranked full-text search across sessions, projects and recommendations.

A hit's score adds up, for each query word, how much that word weighs where it
appears (titles most, then topics, summaries and descriptions, then takeaways).
A title that contains the whole query earns a bonus, a title that is exactly the
query a bigger one; the sum is then scaled by the share of the query's words the
hit contains, so partial matches sink. Hits come in score order, best first.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass

from resolvers.errors import InvalidArgument
from resolvers.memo import Memo
from resolvers.pagination import MAX_PAGE_SIZE, check_first
from store import Store
from store.records import Project, Recommendation, Session
from store.search_index import TITLE_WEIGHT, words

PHRASE_BONUS = TITLE_WEIGHT
EXACT_TITLE_BONUS = 2 * TITLE_WEIGHT
_KIND_ORDER = {"session": 0, "project": 1, "recommendation": 2}

Record = Session | Project | Recommendation


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the record found and how well it matched."""

    score: float
    record: Record


def search(store: Store, query: str, *, first: int | None = 10) -> list[Hit]:
    """The best `first` hits for `query`, best first."""
    size = check_first(first, default=10)
    terms = tuple(_terms(query, argument="query"))
    ranked = _RANKED.get(store, terms, lambda: _rank(store, terms))
    return [Hit(score=score, record=_record(store, number)) for score, number in ranked[:size]]


# The best MAX_PAGE_SIZE hits of recent queries: any `first` is a slice of them.
_RANKED = Memo()


def _rank(store: Store, terms: tuple[str, ...]) -> tuple[tuple[float, int], ...]:
    index = store.search_index
    scores: defaultdict[int, float] = defaultdict(float)
    matched: defaultdict[int, int] = defaultdict(int)
    for term in terms:
        for number, weight in index.match(term).items():
            scores[number] += weight
            matched[number] += 1

    phrase = " ".join(terms)
    for number in scores:
        title = index.entries[number].title
        if title == phrase:
            scores[number] += EXACT_TITLE_BONUS
        elif phrase in title:
            scores[number] += PHRASE_BONUS
        scores[number] *= matched[number] / len(terms)

    best = heapq.nsmallest(
        MAX_PAGE_SIZE, scores, key=lambda number: (-scores[number], _KIND_ORDER[index.entries[number].kind], number)
    )
    return tuple((round(scores[number], 3), number) for number in best)


def matching_keys(store: Store, text: str, kind: str) -> set[str]:
    """Keys of the `kind` records that contain every word of `text` (the `text` filters)."""
    terms = _terms(text, argument="text")
    index = store.search_index
    found: set[int] | None = None
    for term in terms:
        numbers = set(index.match(term))
        found = numbers if found is None else found & numbers
    return {index.entries[number].key for number in found or () if index.entries[number].kind == kind}


def _terms(text: str, *, argument: str) -> list[str]:
    terms = list(dict.fromkeys(words(text)))
    if not terms:
        raise InvalidArgument(argument, "must contain at least one letter or digit")
    return terms


def _record(store: Store, number: int) -> Record:
    entry = store.search_index.entries[number]
    if entry.kind == "session":
        return store.session_by_slug[entry.key]
    if entry.kind == "project":
        return store.project_by_slug[entry.key]
    return store.recommendation_by_slug[entry.key]
