"""Ranked full-text search across sessions, projects and recommendations.

A hit's score adds up, for each query word, how much that word weighs where it
appears (titles most, then topics, summaries and descriptions, then takeaways).
A title that contains the whole query earns a bonus, a title that is exactly the
query a bigger one; the sum is then scaled by the share of the query's words the
hit contains, so partial matches sink. Hits come in score order, best first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from resolvers.errors import InvalidArgument
from resolvers.memo import Memo
from resolvers.pagination import MAX_PAGE_SIZE, check_first
from store import RecapIndex
from store.records import Project, Recommendation, Session
from store.search_index import TITLE_WEIGHT, words

PHRASE_BONUS = TITLE_WEIGHT
EXACT_TITLE_BONUS = 2 * TITLE_WEIGHT

Record = Session | Project | Recommendation


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the record found, the recap it belongs to, and how well it matched."""

    score: float
    record: Record
    recap: RecapIndex


def search(index: RecapIndex, query: str, *, first: int | None = 10) -> list[Hit]:
    """The best `first` hits for `query` in one recap, best first."""
    return search_recaps((index,), query, first=first)


def search_recaps(indexes: Sequence[RecapIndex], query: str, *, first: int | None = 10) -> list[Hit]:
    """The best `first` hits for `query` across recaps, best first; equal scores in recap order."""
    size = check_first(first, default=10)
    terms = tuple(_terms(query, argument="query"))
    hits = []
    for position, index in enumerate(indexes):
        ranked = _RANKED.get(index, terms, lambda index=index: _rank(index, terms))  # type: ignore[misc]
        hits += [(-score, position, rank, number, index) for rank, (score, number) in enumerate(ranked[:size])]
    if len(indexes) > 1:
        hits.sort(key=lambda hit: hit[:3])
    return [
        Hit(score=round(-negative, 3), record=_record(index, number), recap=index)
        for negative, _, _, number, index in hits[:size]
    ]


# The best MAX_PAGE_SIZE hits of recent queries: any `first` is a slice of them.
_RANKED = Memo()


def _rank(index: RecapIndex, terms: tuple[str, ...]) -> tuple[tuple[float, int], ...]:
    search_index = index.search_index
    scores = np.zeros(len(search_index.entries))
    matched = np.zeros(len(search_index.entries))
    for term in terms:
        weights = search_index.match(term)
        scores += weights
        matched += weights > 0

    phrase = " ".join(terms)
    for number in search_index.titles.containing(phrase).tolist():
        if matched[number]:
            scores[number] += EXACT_TITLE_BONUS if search_index.entries[number].title == phrase else PHRASE_BONUS
    scores *= matched / len(terms)

    # The page: every hit scoring above the page's last score, then the lowest-numbered of those
    # tying with it. A hit scores above 0 and a miss exactly 0, so no list of hits is needed.
    # Sorting only the page matters: generated stores tie thousands of hits on a few scores.
    last = (
        np.partition(scores, len(scores) - MAX_PAGE_SIZE)[len(scores) - MAX_PAGE_SIZE]
        if len(scores) > MAX_PAGE_SIZE
        else 0.0
    )
    page = np.flatnonzero(scores > last)
    if last > 0:
        page = np.concatenate([page, np.flatnonzero(scores == last)[: MAX_PAGE_SIZE - len(page)]])
    # Best first; among equal scores by entry number, which orders sessions, projects, then
    # recommendations. A stable sort keeps the ascending numbers flatnonzero gave.
    best = page[np.argsort(-scores[page], kind="stable")]
    return tuple(zip(scores[best].tolist(), best.tolist(), strict=True))


def matching_keys(index: RecapIndex, text: str, kind: str) -> set[str]:
    """Keys of the `kind` records that contain every word of `text` (the `text` filters)."""
    terms = _terms(text, argument="text")
    search_index = index.search_index
    found = np.ones(len(search_index.entries), dtype=bool)
    for term in terms:
        found &= search_index.match(term) > 0
    entries = [search_index.entries[number] for number in np.flatnonzero(found).tolist()]
    return {entry.key for entry in entries if entry.kind == kind}


def _terms(text: str, *, argument: str) -> list[str]:
    terms = list(dict.fromkeys(words(text)))
    if not terms:
        raise InvalidArgument(argument, "must contain at least one letter or digit")
    return terms


def _record(index: RecapIndex, number: int) -> Record:
    entry = index.search_index.entries[number]
    if entry.kind == "session":
        return index.session_by_slug[entry.key]
    if entry.kind == "project":
        return index.project_by_slug[entry.key]
    return index.recommendation_by_slug[entry.key]
