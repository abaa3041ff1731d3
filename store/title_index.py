"""Which titles contain a phrase, for search's phrase bonus, without reading every title.

Titles here are case-folded words joined by single spaces, and a phrase is search terms joined
the same way. So a title holding a one-term phrase has the term inside one of its words; and a
title holding a longer phrase has a word that ends with its first term, its middle terms as
whole words, and a word that starts with its last term. Sorted title words (and sorted reversed
ones, for endings) find such words by bisection, the words' postings name their titles, and
only those titles are checked for the whole phrase. When a term fits too many words, or too
many titles are left to check, or the titles are few, one scan of all titles (a single
`str.find` pass in C) is cheaper, and is what happens.
"""

from __future__ import annotations

import bisect
from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from store.flat_arrays import flat, offsets

# Titles shorter than this in all (characters) are scanned at once: a few microseconds.
SCAN_BELOW = 50_000
# A term fitting more title words than this narrows too little to pay for the lookups.
MAX_WORDS_PER_TERM = 64
# Checking one candidate title in Python costs about as much as scanning this many characters
# of all titles (measured: ~120 ns against ~0.5 ns a character); past that, scanning is cheaper.
CHARACTERS_PER_CHECK = 250


@dataclass(frozen=True, slots=True)
class TitleIndex:
    """Titles by number, and their distinct words (sorted) with the titles using each, ascending."""

    titles: tuple[str, ...]
    # All titles, one per line, and where each starts: the fallback scan.
    joined: str
    title_starts: array[int]
    # Word row i: vocabulary[i], the line at word_starts[i] of `words`, and the titles
    # numbers[offsets[i]:offsets[i + 1]].
    vocabulary: tuple[str, ...]
    words: str
    word_starts: array[int]
    offsets: npt.NDArray[np.int64]
    numbers: npt.NDArray[np.uint32]
    # Every word reversed, sorted, with its row: words ending with a term, by bisection.
    reversed_words: tuple[str, ...]
    reversed_rows: array[int]

    @classmethod
    def build(cls, titles: Sequence[str]) -> TitleIndex:
        users: defaultdict[str, array[int]] = defaultdict(lambda: array("I"))
        for number, title in enumerate(titles):
            for word in dict.fromkeys(title.split()):
                users[word].append(number)
        vocabulary = tuple(sorted(users))
        ends = sorted((word[::-1], row) for row, word in enumerate(vocabulary))
        return cls(
            titles=tuple(titles),
            joined="\n".join(titles),
            title_starts=_starts(titles),
            vocabulary=vocabulary,
            words="\n".join(vocabulary),
            word_starts=_starts(vocabulary),
            offsets=offsets([users[word] for word in vocabulary]),
            numbers=flat([users[word] for word in vocabulary], np.uint32),
            reversed_words=tuple(word for word, _ in ends),
            reversed_rows=array("I", (row for _, row in ends)),
        )

    def containing(self, phrase: str) -> npt.NDArray[np.intp]:
        """Numbers of the titles that contain `phrase`, ascending."""
        if len(self.joined) < SCAN_BELOW:
            return self._scan(phrase)
        terms = phrase.split(" ")
        if len(terms) == 1:
            found = self._titles_of(self._rows_containing(phrase))
            return np.flatnonzero(found) if found is not None else self._scan(phrase)
        rows = [self._rows_ending(terms[0]), *map(self._rows_equal, terms[1:-1]), self._rows_starting(terms[-1])]
        narrowing = [found for found in map(self._titles_of, rows) if found is not None]
        if narrowing:
            numbers = np.flatnonzero(np.logical_and.reduce(narrowing))
            if len(numbers) * CHARACTERS_PER_CHECK <= len(self.joined):
                return numbers[[phrase in self.titles[number] for number in numbers.tolist()]]
        return self._scan(phrase)

    def _titles_of(self, rows: list[int] | None) -> npt.NDArray[np.bool_] | None:
        if rows is None:
            return None
        found = np.zeros(len(self.titles), dtype=bool)
        for row in rows:
            found[self.numbers[self.offsets[row] : self.offsets[row + 1]]] = True
        return found

    def _rows_containing(self, term: str) -> list[int] | None:
        rows: list[int] = []
        position = self.words.find(term)
        while position >= 0 and len(rows) <= MAX_WORDS_PER_TERM:
            rows.append(bisect.bisect_right(self.word_starts, position) - 1)
            position = self.words.find(term, _end(self.word_starts, rows[-1], self.words))
        return rows if len(rows) <= MAX_WORDS_PER_TERM else None

    def _rows_starting(self, term: str) -> list[int] | None:
        first = bisect.bisect_left(self.vocabulary, term)
        rows = list(range(first, _past_prefix(self.vocabulary, first, term)))
        return rows if len(rows) <= MAX_WORDS_PER_TERM else None

    def _rows_ending(self, term: str) -> list[int] | None:
        backwards = term[::-1]
        first = bisect.bisect_left(self.reversed_words, backwards)
        rows = self.reversed_rows[first : _past_prefix(self.reversed_words, first, backwards)].tolist()
        return rows if len(rows) <= MAX_WORDS_PER_TERM else None

    def _rows_equal(self, term: str) -> list[int]:
        row = bisect.bisect_left(self.vocabulary, term)
        return [row] if row < len(self.vocabulary) and self.vocabulary[row] == term else []

    def _scan(self, phrase: str) -> npt.NDArray[np.intp]:
        numbers = array("q")
        position = self.joined.find(phrase)
        while position >= 0:
            number = bisect.bisect_right(self.title_starts, position) - 1
            numbers.append(number)
            position = self.joined.find(phrase, _end(self.title_starts, number, self.joined))
        return np.frombuffer(numbers, dtype=np.int64).astype(np.intp)


def _past_prefix(ordered: Sequence[str], first: int, prefix: str) -> int:
    """The first position from `first` on whose word does not start with `prefix` (at most
    MAX_WORDS_PER_TERM + 1 past `first`: beyond that the count no longer matters)."""
    end = min(len(ordered), first + MAX_WORDS_PER_TERM + 1)
    position = first
    while position < end and ordered[position].startswith(prefix):
        position += 1
    return position


def _starts(lines: Sequence[str]) -> array[int]:
    """Where each line starts once the lines are joined with newlines."""
    starts, position = array("q"), 0
    for line in lines:
        starts.append(position)
        position += len(line) + 1
    return starts


def _end(starts: array[int], row: int, text: str) -> int:
    """Where the line after `row` starts (or the text's end): the next search begins there."""
    return starts[row + 1] if row + 1 < len(starts) else len(text)
