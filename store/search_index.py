"""An inverted index over the searchable text of sessions, projects and recommendations.

Built once when a store opens; a query then costs a few dictionary lookups and a
bisect over the sorted vocabulary for prefixes, never a scan of the records.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from store.records import Dataset

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
class Postings:
    """The entries containing one word, ascending, with the word's weight in each.

    Two flat arrays instead of a dict per word: a large store has millions of postings, and
    a dict entry costs ten times the 8 bytes these take.
    """

    numbers: array[int]
    weights: array[float]

    def items(self) -> Iterator[tuple[int, float]]:
        return zip(self.numbers, self.weights, strict=True)


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """Word → postings (entry numbers and weights), plus the sorted vocabulary for prefix lookups."""

    entries: tuple[Entry, ...]
    postings: Mapping[str, Postings]
    vocabulary: tuple[str, ...]

    @classmethod
    def build(cls, dataset: Dataset) -> SearchIndex:
        entries: list[Entry] = []
        postings: defaultdict[str, Postings] = defaultdict(lambda: Postings(array("I"), array("f")))

        def add(kind: str, key: str, title: str, fields: Iterable[tuple[float, Iterable[str]]]) -> None:
            number = len(entries)
            entries.append(Entry(kind, key, " ".join(words(title))))
            weights: dict[str, float] = {}
            for weight, texts in fields:
                for word in {word for text in texts for word in words(text)}:
                    weights[word] = weights.get(word, 0.0) + weight
            for word, weight in weights.items():
                found = postings[word]
                found.numbers.append(number)
                found.weights.append(weight)

        for session in dataset.sessions:
            add(
                "session",
                session.slug,
                session.title,
                [
                    (TITLE_WEIGHT, [session.title]),
                    (TOPIC_WEIGHT, session.topics),
                    (SUMMARY_WEIGHT, [session.summary or ""]),
                    (PEOPLE_WEIGHT, [*session.speakers, *session.organizations]),
                    (DETAIL_WEIGHT, [*session.takeaways, session.verdict or ""]),
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
                    (SUMMARY_WEIGHT, [project.description or ""]),
                ],
            )
        for item in dataset.recommendations:
            add(
                "recommendation",
                item.slug,
                item.title,
                [(TITLE_WEIGHT, [item.title]), (DETAIL_WEIGHT, [item.reason or ""])],
            )
        return cls(
            entries=tuple(entries),
            postings=MappingProxyType(dict(postings)),
            vocabulary=tuple(sorted(postings)),
        )

    def match(self, word: str) -> dict[int, float]:
        """Entries containing `word`, or (at half weight) a longer word starting with it."""
        exact = self.postings.get(word)
        hits = dict(exact.items()) if exact is not None else {}
        if len(word) < MIN_PREFIX:
            return hits
        position = bisect.bisect_right(self.vocabulary, word)
        while position < len(self.vocabulary) and self.vocabulary[position].startswith(word):
            for number, weight in self.postings[self.vocabulary[position]].items():
                hits[number] = max(hits.get(number, 0.0), weight / 2)
            position += 1
        return hits
