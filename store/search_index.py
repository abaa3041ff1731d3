"""An inverted index over the searchable text of sessions, projects and recommendations.

Built once when a store opens; a query then costs a few dictionary lookups, a bisect over
the sorted vocabulary for prefixes and vectorised arithmetic over numpy arrays: on a large store
a common word is in most of 20,000 records, and a Python loop over them took 16-40 ms a query.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from store.flat_arrays import flat, offsets
from store.records import Dataset, Note
from store.title_index import TitleIndex

_WORD = re.compile(r"[^\W_]+")

# How much a word counts by where it stands: a title says more than a passing mention.
TITLE_WEIGHT = 8.0
TOPIC_WEIGHT = 4.0
SUMMARY_WEIGHT = 3.0
PEOPLE_WEIGHT = 2.0
DETAIL_WEIGHT = 1.0
# Words shorter than this only match whole words: "a" should not match every "a…".
MIN_PREFIX = 3


def words(text: str) -> list[str]:
    """The case-folded words of `text`, in order."""
    return _WORD.findall(text.casefold())


@dataclass(frozen=True, slots=True)
class Entry:
    """One searchable record: its record kind, key and case-folded title."""

    kind: str
    key: str
    title: str


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """Word → postings (entry numbers and weights), plus the sorted vocabulary for prefix lookups.

    The postings of all words sit in two flat arrays, word after word, each word's entries
    ascending; `rows` gives a word's row and `offsets` its slice. A large store has 600,000
    postings: one array object per word, or a dict entry per posting, would cost several times
    the 8 bytes a posting takes here. Entries are numbered sessions first, then projects, then
    recommendations, so ordering by number is also ordering by kind.
    """

    entries: tuple[Entry, ...]
    rows: Mapping[str, int]
    vocabulary: tuple[str, ...]
    offsets: npt.NDArray[np.int64]
    numbers: npt.NDArray[np.uint32]
    weights: npt.NDArray[np.float32]
    # The entries' titles (numbered as entries), for the phrase bonus.
    titles: TitleIndex

    @classmethod
    def build(cls, dataset: Dataset) -> SearchIndex:
        entries: list[Entry] = []
        collected: defaultdict[str, tuple[array[int], array[float]]] = defaultdict(lambda: (array("I"), array("f")))

        def add(kind: str, key: str, title: str, fields: Iterable[tuple[float, Iterable[str]]]) -> None:
            number = len(entries)
            entries.append(Entry(kind, key, " ".join(words(title))))
            weights: dict[str, float] = {}
            for weight, texts in fields:
                for word in {word for text in texts for word in words(text)}:
                    weights[word] = weights.get(word, 0.0) + weight
            for word, weight in weights.items():
                numbers, found = collected[word]
                numbers.append(number)
                found.append(weight)

        for session in dataset.sessions:
            add(
                "session",
                session.slug,
                session.title,
                [
                    (TITLE_WEIGHT, [session.title]),
                    (TOPIC_WEIGHT, session.topics),
                    (SUMMARY_WEIGHT, [_text(session.summary)]),
                    (PEOPLE_WEIGHT, [*session.speakers, *session.organizations]),
                    (DETAIL_WEIGHT, [*(note.text for note in session.notes), _text(session.verdict)]),
                ],
            )
        for project in dataset.projects:
            add(
                "project",
                project.slug,
                project.name,
                [
                    (TITLE_WEIGHT, [project.name]),
                    (TOPIC_WEIGHT, project.topics),
                    (SUMMARY_WEIGHT, [_text(project.description)]),
                ],
            )
        for item in dataset.recommendations:
            add(
                "recommendation",
                item.slug,
                item.title,
                [(TITLE_WEIGHT, [item.title]), (DETAIL_WEIGHT, [_text(item.reason)])],
            )
        vocabulary = tuple(sorted(collected))
        postings = [collected.pop(word) for word in vocabulary]
        return cls(
            entries=tuple(entries),
            rows=MappingProxyType({word: row for row, word in enumerate(vocabulary)}),
            vocabulary=vocabulary,
            offsets=offsets([numbers for numbers, _ in postings]),
            numbers=flat([numbers for numbers, _ in postings], np.uint32),
            weights=flat([found for _, found in postings], np.float32),
            titles=TitleIndex.build([entry.title for entry in entries]),
        )

    def match(self, word: str) -> npt.NDArray[np.float64]:
        """Each entry's weight for `word`, 0 where it is absent: a longer word that starts with
        `word` counts at half weight, and the better of the two counts."""
        hits = np.zeros(len(self.entries))
        longer = 0
        if len(word) >= MIN_PREFIX:
            position = bisect.bisect_right(self.vocabulary, word)
            while position < len(self.vocabulary) and self.vocabulary[position].startswith(word):
                numbers, weights = self._postings(self.rows[self.vocabulary[position]])
                # A word's numbers are distinct, so fancy indexing reads and writes each entry once.
                hits[numbers] = np.maximum(hits[numbers], weights * 0.5)
                position, longer = position + 1, longer + 1
        exact = self.rows.get(word)
        if exact is not None:
            numbers, weights = self._postings(exact)
            hits[numbers] = np.maximum(hits[numbers], weights) if longer else weights
        return hits

    def _postings(self, row: int) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.float32]]:
        start, end = self.offsets[row], self.offsets[row + 1]
        return self.numbers[start:end], self.weights[start:end]


def _text(note: Note | None) -> str:
    return note.text if note is not None else ""
