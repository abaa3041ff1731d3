"""Which titles contain a phrase, for search's phrase bonus, without reading every title.

Titles here are case-folded words joined by single spaces, and a phrase is search terms joined
the same way, so a title that contains the phrase has each term inside one of its words. The
words of all titles are one string: finding a term there names the words that hold it, and
their postings name the titles. Only those titles are then checked for the whole phrase. When a
term is in too many words, or too many titles are left to check, or the titles are few, one
scan of all titles (a single `str.find` pass in C) is cheaper, and is what happens.
"""

from __future__ import annotations

import bisect
from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

# Titles shorter than this in all (characters) are scanned at once: a few microseconds.
SCAN_BELOW = 50_000
# A term inside more title words than this narrows too little to pay for the lookups.
MAX_WORDS_PER_TERM = 64
# Checking one candidate title in Python costs about as much as scanning this many characters
# of all titles (measured: ~120 ns against ~0.5 ns a character); past that, scanning is cheaper.
CHARACTERS_PER_CHECK = 250


@dataclass(frozen=True, slots=True)
class TitleIndex:
    """Titles by number, and their words with the titles that use each (numbers ascending)."""

    titles: tuple[str, ...]
    # All titles, one per line, and where each starts: the fallback scan.
    joined: str
    title_starts: array[int]
    # The distinct title words, one per line, where each starts, and each word's titles.
    words: str
    word_starts: array[int]
    offsets: npt.NDArray[np.int64]
    numbers: npt.NDArray[np.uint32]

    @classmethod
    def build(cls, titles: Sequence[str]) -> TitleIndex:
        users: defaultdict[str, array[int]] = defaultdict(lambda: array("I"))
        for number, title in enumerate(titles):
            for word in dict.fromkeys(title.split()):
                users[word].append(number)
        words = sorted(users)
        return cls(
            titles=tuple(titles),
            joined="\n".join(titles),
            title_starts=_starts(titles),
            words="\n".join(words),
            word_starts=_starts(words),
            offsets=np.cumsum([0, *(len(users[word]) for word in words)], dtype=np.int64),
            numbers=np.concatenate(
                [np.empty(0, np.uint32), *(np.frombuffer(users[word], np.uint32) for word in words)]
            ),
        )

    def containing(self, phrase: str) -> npt.NDArray[np.intp]:
        """Numbers of the titles that contain `phrase`, ascending."""
        if len(self.joined) < SCAN_BELOW:
            return self._scan(phrase)
        candidates: npt.NDArray[np.bool_] | None = None
        for term in dict.fromkeys(phrase.split(" ")):
            found = self._using(term)
            if found is not None:
                candidates = found if candidates is None else candidates & found
        if candidates is not None:
            numbers = np.flatnonzero(candidates)
            if " " not in phrase:  # one term, and each of these titles has it inside a word
                return numbers
            if len(numbers) * CHARACTERS_PER_CHECK <= len(self.joined):
                return numbers[[phrase in self.titles[number] for number in numbers.tolist()]]
        return self._scan(phrase)

    def _using(self, term: str) -> npt.NDArray[np.bool_] | None:
        """Which titles have a word containing `term`; None when too many words do."""
        found = np.zeros(len(self.titles), dtype=bool)
        position, seen = self.words.find(term), 0
        while position >= 0:
            seen += 1
            if seen > MAX_WORDS_PER_TERM:
                return None
            row = bisect.bisect_right(self.word_starts, position) - 1
            found[self.numbers[self.offsets[row] : self.offsets[row + 1]]] = True
            position = self.words.find(term, _end(self.word_starts, row, self.words))
        return found

    def _scan(self, phrase: str) -> npt.NDArray[np.intp]:
        numbers = array("q")
        position = self.joined.find(phrase)
        while position >= 0:
            number = bisect.bisect_right(self.title_starts, position) - 1
            numbers.append(number)
            position = self.joined.find(phrase, _end(self.title_starts, number, self.joined))
        return np.frombuffer(numbers, dtype=np.int64).astype(np.intp)


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
