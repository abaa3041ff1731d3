"""Ranked full-text search across sessions, projects and recommendations.

Text and query are read alike (store/words.py): case-folded words, aliases expanded ("k8s" is
"kubernetes"), each word standing for its English stem, its *key* ("runtimes" and "runtime" are
"runtim"). The query's terms are its words, one per key (the first word of each key).

A record weighs a key by adding up the weights of its fields holding a word of that key (titles
most, then topics, summaries and descriptions, speakers and organizations, then notes, verdicts
and reasons). A term matches a record with the record's weight for the term's key; a term of
MIN_PREFIX letters or more also matches with half the record's weight for the key of each
longer word (of any record) that the term starts; the best of these counts. A hit's score adds
up its terms' matches. A hit whose title's keys, joined by spaces, contain the terms' keys
joined by spaces (as a substring) earns a bonus, one whose title's keys are exactly those a
bigger one; the sum is then scaled by the share of the query's terms the hit matches, so partial
matches sink. Hits come in score order, best first; equal scores in entry order (sessions, then
projects, then recommendations, each in the recap file's order), and across recaps in recap
order. `kinds` keeps only the hits of those kinds; it changes no score.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import heapq
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from resolvers.errors import InvalidArgument
from resolvers.memo import Memo
from resolvers.pagination import MAX_PAGE_SIZE, check_first
from resolvers.snippets import Snippet, Span, snippet
from store import RecapIndex
from store.records import Project, Recommendation, Session
from store.search_index import KINDS, TITLE_WEIGHT, fields_of
from store.words import expand, search_words, stem, tokens, words

PHRASE_BONUS = TITLE_WEIGHT
EXACT_TITLE_BONUS = 2 * TITLE_WEIGHT
# searchResults' default page, as search's.
DEFAULT_FIRST = 10

Record = Session | Project | Recommendation


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the record found, the recap it belongs to, how well it matched, and the query's terms."""

    score: float
    record: Record
    recap: RecapIndex
    terms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    """A field of a hit that holds a matched word: its name and a snippet of its text."""

    field: str
    snippet: Snippet


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of `search_page`: its hits and their cursors, where it stands, and the hits of each kind."""

    hits: Sequence[Hit]
    cursors: Sequence[str]
    has_next_page: bool
    has_previous_page: bool
    total_count: int
    counts: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Ranking:
    """The best `depth` hits of a query in one recap (scores and entry numbers, best first), and
    how many hits of each kind the query has in all."""

    scores: npt.NDArray[np.float64]
    numbers: npt.NDArray[np.intp]
    counts: Mapping[str, int]


def search(index: RecapIndex, query: str, *, first: int | None = 10, kinds: Collection[str] | None = None) -> list[Hit]:
    """The best `first` hits for `query` in one recap, best first."""
    return search_recaps((index,), query, first=first, kinds=kinds)


def search_recaps(
    indexes: Sequence[RecapIndex], query: str, *, first: int | None = 10, kinds: Collection[str] | None = None
) -> list[Hit]:
    """The best `first` hits for `query` across recaps, best first; only records of `kinds` if given."""
    size = check_first(first, default=10)
    terms = _terms(query, argument="query")
    chosen = _kinds(kinds)
    return list(_merged(indexes, terms, chosen, 0, size))


def search_page(
    indexes: Sequence[RecapIndex],
    query: str,
    *,
    kinds: Collection[str] | None = None,
    first: int | None = DEFAULT_FIRST,
    after: str | None = None,
) -> SearchPage:
    """The `first` hits after the cursor `after`, for `query` in `indexes` (`search_recaps`' order).

    A cursor holds the position of a hit and which search it belongs to (the query's terms, the
    kinds and the recaps): from another search it is an error, not a page of something else.
    """
    size = check_first(first, default=DEFAULT_FIRST)
    terms = _terms(query, argument="query")
    chosen = _kinds(kinds)
    search_id = _search_id(indexes, terms, chosen)
    start = _decode_cursor(after, search_id) + 1 if after is not None else 0
    counts = dict.fromkeys(KINDS, 0)
    for index in indexes:
        for kind, count in _ranking(index, terms, chosen, MAX_PAGE_SIZE).counts.items():
            counts[kind] += count
    total = sum(counts.values())
    hits = list(_merged(indexes, terms, chosen, start, min(size, max(0, total - start))))
    return SearchPage(
        hits=hits,
        cursors=[_encode_cursor(search_id, start + offset) for offset in range(len(hits))],
        has_next_page=start + len(hits) < total,
        has_previous_page=start > 0,
        total_count=total,
        counts=MappingProxyType(counts),
    )


def matches(hit: Hit) -> list[Match]:
    """The fields of the hit's record holding a word its query matched, each with a snippet (field order)."""
    search_index = hit.recap.search_index
    matched = _matched_keys(hit.recap, hit.terms)
    found = []
    for searchable in fields_of(hit.record):
        best: tuple[str, frozenset[int]] | None = None
        for text in searchable.texts:
            terms = _terms_in(text, matched, search_index.word_keys)
            if terms and (best is None or len(terms) > len(best[1])):
                best = (text, terms)
        if best is not None:
            text = " ".join(best[0].split())
            found.append(Match(searchable.name, snippet(text, _spans(text, matched, search_index.word_keys))))
    return found


def matching_keys(index: RecapIndex, text: str, kind: str) -> set[str]:
    """Keys of the `kind` records that match every term of `text` (the `text` filters)."""
    terms = _terms(text, argument="text")
    search_index = index.search_index
    found = np.ones(len(search_index.entries), dtype=bool)
    for term in terms:
        found &= search_index.match(term) > 0
    entries = [search_index.entries[number] for number in np.flatnonzero(found).tolist()]
    return {entry.key for entry in entries if entry.kind == kind}


# The best MAX_PAGE_SIZE hits of recent queries (any `first` is a slice of them), and, fewer,
# the deeper rankings searchResults needs past them (each up to ~20,000 hits on a large store).
_RANKED = Memo()
_DEEP = Memo(entries=8)
_MATCHED = Memo()


def _ranking(index: RecapIndex, terms: tuple[str, ...], kinds: tuple[str, ...] | None, depth: int) -> _Ranking:
    """The best hits of `terms` down to `depth` or more (MAX_PAGE_SIZE times a power of two)."""
    rounded = MAX_PAGE_SIZE
    while rounded < depth:
        rounded *= 2
    memo = _RANKED if rounded == MAX_PAGE_SIZE else _DEEP
    return memo.get(index, (terms, kinds, rounded), lambda: _rank(index, terms, kinds, rounded))


def _merged(
    indexes: Sequence[RecapIndex], terms: tuple[str, ...], kinds: tuple[str, ...] | None, start: int, size: int
) -> Iterator[Hit]:
    """Hits `start` to `start + size` of the recaps' rankings merged: by score, then recap, then rank."""
    if size <= 0:
        return
    rankings = [(index, _ranking(index, terms, kinds, start + size)) for index in indexes]
    if len(rankings) == 1:
        index, ranking = rankings[0]
        pairs: Iterator[tuple[float, int, RecapIndex]] = (
            (score, number, index)
            for score, number in zip(
                ranking.scores[start : start + size].tolist(),
                ranking.numbers[start : start + size].tolist(),
                strict=True,
            )
        )
    else:
        streams = [
            [
                (-score, position, rank, number, index)
                for rank, (score, number) in enumerate(
                    zip(ranking.scores[: start + size].tolist(), ranking.numbers[: start + size].tolist(), strict=True)
                )
            ]
            for position, (index, ranking) in enumerate(rankings)
        ]
        merged = heapq.merge(*streams, key=lambda hit: hit[:3])
        pairs = ((-negative, number, index) for negative, _, _, number, index in islice(merged, start, start + size))
    for score, number, index in pairs:
        yield Hit(score=round(score, 3), record=_record(index, number), recap=index, terms=terms)


def _rank(index: RecapIndex, terms: tuple[str, ...], kinds: tuple[str, ...] | None, depth: int) -> _Ranking:
    search_index = index.search_index
    scores = np.zeros(len(search_index.entries))
    matched = np.zeros(len(search_index.entries))
    for term in terms:
        weights = search_index.match(term)
        scores += weights
        matched += weights > 0

    phrase = " ".join(stem(term) for term in terms)
    for number in search_index.titles.containing(phrase).tolist():
        if matched[number]:
            scores[number] += EXACT_TITLE_BONUS if search_index.entries[number].title == phrase else PHRASE_BONUS
    scores *= matched / len(terms)
    if kinds is not None:
        for kind, numbers in search_index.kinds.items():
            if kind not in kinds:
                scores[numbers.start : numbers.stop] = 0.0
    counts = {
        kind: int(np.count_nonzero(scores[numbers.start : numbers.stop]))
        for kind, numbers in search_index.kinds.items()
    }

    # The page: every hit scoring above the page's last score, then the lowest-numbered of those
    # tying with it. A hit scores above 0 and a miss exactly 0, so no list of hits is needed.
    # Sorting only the page matters: generated stores tie thousands of hits on a few scores.
    last = np.partition(scores, len(scores) - depth)[len(scores) - depth] if len(scores) > depth else 0.0
    page = np.flatnonzero(scores > last)
    if last > 0:
        page = np.concatenate([page, np.flatnonzero(scores == last)[: depth - len(page)]])
    # Best first; among equal scores by entry number, which orders sessions, projects, then
    # recommendations. A stable sort keeps the ascending numbers flatnonzero gave.
    best = page[np.argsort(-scores[page], kind="stable")]
    return _Ranking(scores=scores[best], numbers=best, counts=MappingProxyType(counts))


def _terms(text: str, *, argument: str) -> tuple[str, ...]:
    """The query's terms: its words (aliases expanded), the first of each key."""
    terms: dict[str, str] = {}
    for word in search_words(text):
        terms.setdefault(stem(word), word)
    if not terms:
        raise InvalidArgument(argument, "must contain at least one letter or digit")
    return tuple(terms.values())


def _kinds(kinds: Collection[str] | None) -> tuple[str, ...] | None:
    """The kinds asked for, in entry order; None for every kind."""
    if kinds is None:
        return None
    if not kinds:
        raise InvalidArgument("types", "must name at least one type, or be null for every type")
    chosen = tuple(kind for kind in KINDS if kind in kinds)
    return None if len(chosen) == len(KINDS) else chosen


def _matched_keys(index: RecapIndex, terms: tuple[str, ...]) -> Mapping[int, frozenset[int]]:
    """Each key row the terms match in this recap, with the positions of the terms matching it."""

    def compute() -> Mapping[int, frozenset[int]]:
        found: dict[int, set[int]] = {}
        for position, term in enumerate(terms):
            for row in index.search_index.matched_keys(term):
                found.setdefault(row, set()).add(position)
        return MappingProxyType({row: frozenset(positions) for row, positions in found.items()})

    return _MATCHED.get(index, terms, compute)


def _terms_in(text: str, matched: Mapping[int, frozenset[int]], word_keys: Mapping[str, int]) -> frozenset[int]:
    """The positions of the terms that match a word of `text`."""
    found: set[int] = set()
    for word in set(words(text)):
        for expanded in expand(word):
            row = word_keys.get(expanded)
            if row is not None and row in matched:
                found |= matched[row]
    return frozenset(found)


def _spans(text: str, matched: Mapping[int, frozenset[int]], word_keys: Mapping[str, int]) -> list[Span]:
    """Where the matched words of `text` stand, with the terms each matches, in order."""
    spans = []
    seen: dict[str, frozenset[int]] = {}  # a text repeats its words
    for token in tokens(text):
        word = token.group()
        terms = seen.get(word)
        if terms is None:
            terms = seen[word] = _terms_in(word, matched, word_keys)
        if terms:
            spans.append(Span(token.start(), token.end(), terms))
    return spans


def _search_id(indexes: Sequence[RecapIndex], terms: tuple[str, ...], kinds: tuple[str, ...] | None) -> str:
    """What a cursor must come from: these terms, kinds and recaps (a short digest of them)."""
    described = "\n".join([" ".join(terms), ",".join(kinds or KINDS), *(index.slug for index in indexes)])
    return hashlib.blake2b(described.encode(), digest_size=6).hexdigest()


_PREFIX = "search:"


def _encode_cursor(search_id: str, offset: int) -> str:
    return base64.b64encode(f"{_PREFIX}{search_id}:{offset}".encode()).decode()


def _decode_cursor(cursor: str, search_id: str) -> int:
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
    except (binascii.Error, UnicodeError):
        text = ""
    found_id, _, offset = text.removeprefix(_PREFIX).partition(":")
    if not text.startswith(_PREFIX) or not (offset.isascii() and offset.isdigit()):
        raise InvalidArgument("after", f"is not a cursor of searchResults: {cursor!r}")
    if found_id != search_id:
        raise InvalidArgument(
            "after",
            "is a cursor of another search: a cursor holds only for the query, types and recap of the search it came "
            "from",
        )
    return int(offset)


def _record(index: RecapIndex, number: int) -> Record:
    entry = index.search_index.entries[number]
    if entry.kind == "session":
        return index.session_by_slug[entry.key]
    if entry.kind == "project":
        return index.project_by_slug[entry.key]
    return index.recommendation_by_slug[entry.key]
