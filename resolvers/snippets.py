"""Snippets: a short excerpt of a text around the words a search matched, and where they stand in it.

A text that fits in SNIPPET_LENGTH characters is its own snippet. A longer one is cut to the
window that shows the most distinct query words (ties: the most matched words, then the
earliest), starting a few words before the first of them; cuts fall between words, and "…"
stands where text was cut, inside the SNIPPET_LENGTH. Offsets count code points: Python string
indexes, not the UTF-16 units of JavaScript strings (the two differ only after a character
outside the Basic Multilingual Plane, such as an emoji).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from store.search_index import MAX_HIGHLIGHTS

SNIPPET_LENGTH = 160
# How much text (characters) a cut snippet shows before its first matched word, at most.
LEAD = 30
ELLIPSIS = "…"
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Span:
    """A matched word of a text: where it starts and ends (end exclusive), and which query words it matches."""

    start: int
    end: int
    terms: frozenset[int]


@dataclass(frozen=True, slots=True)
class Snippet:
    """An excerpt, where it starts in the whole text, and its highlighted words, each (start, end) in
    code points of the excerpt, end exclusive."""

    text: str
    origin: int
    highlights: tuple[tuple[int, int], ...]


def snippet(text: str, spans: Sequence[Span]) -> Snippet:
    """The excerpt of `text` (whitespace already collapsed) that shows the best of `spans` (ascending)."""
    if len(text) <= SNIPPET_LENGTH:
        return Snippet(text, 0, tuple((span.start, span.end) for span in spans[:MAX_HIGHLIGHTS]))
    found = [match.span() for match in _WORD.finditer(text)]
    starts, ends = [start for start, _ in found], [end for _, end in found]
    anchor = _best_anchor(spans)
    start = _word_start_from(starts, max(0, anchor.start - LEAD), anchor.start)
    if len(text) - start <= SNIPPET_LENGTH - (start > 0):
        # The rest of the text fits: show it all, and as much before it as the length allows.
        start = _word_start_from(starts, len(text) - (SNIPPET_LENGTH - 1), anchor.start)
        end = len(text)
    else:
        limit = start + SNIPPET_LENGTH - (start > 0) - 1
        end = max((word_end for word_end in ends if word_end <= limit), default=limit)
        if end <= start:  # one word longer than a snippet: cut inside it
            end = limit
    before = ELLIPSIS if start > 0 else ""
    after = ELLIPSIS if end < len(text) else ""
    shift = len(before) - start
    highlights = tuple(
        (span.start + shift, span.end + shift) for span in spans if span.start >= start and span.end <= end
    )
    return Snippet(before + text[start:end] + after, start, highlights[:MAX_HIGHLIGHTS])


def _best_anchor(spans: Sequence[Span]) -> Span:
    """The span to start the window at: the one after which a snippet's length shows the most."""
    reach = SNIPPET_LENGTH - 2 - LEAD
    best, best_rank = spans[0], (-1, -1)
    for position, anchor in enumerate(spans[:64]):
        inside = [span for span in spans[position:] if span.end - anchor.start <= reach]
        rank = (len(frozenset().union(*(span.terms for span in inside))), len(inside))
        if rank > best_rank:
            best, best_rank = anchor, rank
    return best


def _word_start_from(starts: list[int], position: int, at_most: int) -> int:
    """The first word start at or after `position` (never past `at_most`, a word start itself)."""
    if position <= 0:
        return 0
    return min((start for start in starts if start >= position), default=at_most)
