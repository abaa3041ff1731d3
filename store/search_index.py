"""An inverted index over the searchable text of sessions, projects and recommendations.

Built once when a store opens; a query then costs a few dictionary lookups, a bisect over
the sorted words for prefixes and vectorised arithmetic over numpy arrays: on a large store
a common word is in most of 20,000 records, and a Python loop over them took 16-40 ms a query.

Text is read as store/words.py says (words, aliases expanded, English stems). Postings are kept
by stem, the *key* of a word: "runtime" and "runtimes" are one key. The words themselves (aliases
expanded, not stemmed) are kept too, sorted, each with its key, for prefix matching: a query word
of MIN_PREFIX letters or more also matches the keys of the longer words it starts.
"""

from __future__ import annotations

import bisect
from array import array
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from store.flat_arrays import flat, offsets
from store.records import Dataset, Note, Project, Recommendation, Session
from store.title_index import TitleIndex
from store.words import ALIASES, search_words, stem, stems, words

# How much a word counts by where it stands: a title says more than a passing mention.
TITLE_WEIGHT = 8.0
TOPIC_WEIGHT = 4.0
SUMMARY_WEIGHT = 3.0
PEOPLE_WEIGHT = 2.0
DETAIL_WEIGHT = 1.0
# Words shorter than this only match whole words: "a" should not match every "a…".
MIN_PREFIX = 3
# The most words one snippet of a match highlights (resolvers/snippets.py): a bound the query
# cost can count on (store/fan_outs.py's highlights_by_match), whatever the text repeats.
MAX_HIGHLIGHTS = 10
# The kinds of record, in the order entries are numbered.
KINDS = ("session", "project", "recommendation")

Record = Session | Project | Recommendation


class Field(NamedTuple):
    """One searchable field of a record: its name in the API (`SearchMatch.field`), its weight, its texts.

    A list of names (topics, speakers, organizations) is one text, joined with commas; notes are
    one text each, so a snippet shows the note that matched. (A named tuple: an index builds one
    for each field of up to 20,000 records, three times faster than a frozen dataclass.)
    """

    name: str
    weight: float
    texts: tuple[str, ...]


def fields_of(record: Record) -> tuple[Field, ...]:
    """The searchable fields of a record that hold text, in the order search lists its matches."""
    found: tuple[tuple[str, float, tuple[str, ...]], ...]
    if isinstance(record, Session):
        found = (
            ("title", TITLE_WEIGHT, (record.title,)),
            ("topics", TOPIC_WEIGHT, _joined(record.topics)),
            ("summary", SUMMARY_WEIGHT, _text(record.summary)),
            ("speakers", PEOPLE_WEIGHT, _joined(record.speakers)),
            ("organizations", PEOPLE_WEIGHT, _joined(record.organizations)),
            ("notes", DETAIL_WEIGHT, tuple(note.text for note in record.notes if note.text)),
            ("verdict", DETAIL_WEIGHT, _text(record.verdict)),
        )
    elif isinstance(record, Project):
        found = (
            ("name", TITLE_WEIGHT, (record.name,)),
            ("topics", TOPIC_WEIGHT, _joined(record.topics)),
            ("description", SUMMARY_WEIGHT, _text(record.description)),
        )
    else:
        found = (("title", TITLE_WEIGHT, (record.title,)), ("reason", DETAIL_WEIGHT, _text(record.reason)))
    # Every text of a field is non-empty (see _joined and _text) but a title's.
    return tuple(Field(*field) for field in found if field[2] and field[2][0])


@dataclass(frozen=True, slots=True)
class Entry:
    """One searchable record: its record kind, key, and its title's word keys joined by spaces."""

    kind: str
    key: str
    title: str


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """Key → postings (entry numbers and weights), plus the sorted words with their keys for prefixes.

    A record's weight for a key adds up the weights of its fields holding a word of that key.
    The postings of all keys sit in two flat arrays, key after key, each key's entries
    ascending; `key_rows` gives a key's row and `offsets` its slice. A large store has 600,000
    postings: one array object per key, or a dict entry per posting, would cost several times
    the 8 bytes a posting takes here. Entries are numbered sessions first, then projects, then
    recommendations (`kinds` holds each kind's numbers), so ordering by number is also ordering
    by kind.
    """

    entries: tuple[Entry, ...]
    # Key row i: keys[i], its postings numbers[offsets[i]:offsets[i + 1]] (and weights).
    keys: tuple[str, ...]
    key_rows: Mapping[str, int]
    offsets: npt.NDArray[np.int64]
    numbers: npt.NDArray[np.uint32]
    weights: npt.NDArray[np.float32]
    # Every word of the records (aliases expanded), sorted, and each word's key row.
    vocabulary: tuple[str, ...]
    word_keys: Mapping[str, int]
    # The entries' titles (numbered as entries), for the phrase bonus.
    titles: TitleIndex
    # Each kind's entry numbers, a range (KINDS order).
    kinds: Mapping[str, range]
    # The most fields with text one record has: the longest list of matches a hit can have.
    most_fields: int

    @classmethod
    def build(cls, dataset: Dataset) -> SearchIndex:
        records: list[Record] = [*dataset.sessions, *dataset.projects, *dataset.recommendations]
        keys = _Keys()
        collected: defaultdict[str, tuple[array[int], array[float]]] = defaultdict(lambda: (array("I"), array("f")))
        entries: list[Entry] = []
        most_fields = 0
        for number, record in enumerate(records):
            weights: dict[str, float] = {}
            fields = fields_of(record)
            most_fields = max(most_fields, len(fields))
            for _, weight, texts in fields:
                # The texts joined by a space have the words of each text: a space stands between words.
                for key in keys.of(set(words(" ".join(texts)))):
                    weights[key] = weights.get(key, 0.0) + weight
            for key, weight in weights.items():
                numbers, found_weights = collected[key]
                numbers.append(number)
                found_weights.append(weight)
            title = record.name if isinstance(record, Project) else record.title
            entries.append(Entry(_kind(record), record.slug, " ".join(keys.of_words(search_words(title)))))
        ordered = tuple(sorted(collected))
        key_rows = {key: row for row, key in enumerate(ordered)}
        postings = [collected.pop(key) for key in ordered]
        counts = [len(dataset.sessions), len(dataset.projects), len(dataset.recommendations)]
        starts = np.cumsum([0, *counts]).tolist()
        return cls(
            entries=tuple(entries),
            keys=ordered,
            key_rows=MappingProxyType(key_rows),
            offsets=offsets([numbers for numbers, _ in postings]),
            numbers=flat([numbers for numbers, _ in postings], np.uint32),
            weights=flat([found for _, found in postings], np.float32),
            vocabulary=tuple(sorted(keys.of_word)),
            word_keys=MappingProxyType({word: key_rows[key] for word, key in keys.of_word.items()}),
            titles=TitleIndex.build([entry.title for entry in entries]),
            kinds=MappingProxyType({kind: range(starts[i], starts[i + 1]) for i, kind in enumerate(KINDS)}),
            most_fields=most_fields,
        )

    def match(self, word: str) -> npt.NDArray[np.float64]:
        """Each entry's weight for `word` (case-folded, aliases expanded), 0 where it is absent.

        The key of `word` counts in full; when `word` has MIN_PREFIX letters or more, the key of
        each longer word it starts counts at half weight; the best of these counts.
        """
        hits = np.zeros(len(self.entries))
        exact = self.key_rows.get(stem(word))
        longer = self.longer_keys(word, exact)
        for row in longer:
            numbers, weights = self._postings(row)
            # A key's numbers are distinct, so fancy indexing reads and writes each entry once.
            hits[numbers] = np.maximum(hits[numbers], weights * 0.5)
        if exact is not None:
            numbers, weights = self._postings(exact)
            hits[numbers] = np.maximum(hits[numbers], weights) if longer else weights
        return hits

    def matched_keys(self, word: str) -> list[int]:
        """The key rows `match(word)` counts: its own key's (if any), then the longer words'."""
        exact = self.key_rows.get(stem(word))
        return [*([] if exact is None else [exact]), *self.longer_keys(word, exact)]

    def longer_keys(self, word: str, exact: int | None) -> list[int]:
        """The key rows, other than `exact`, of the words longer than `word` that start with it."""
        if len(word) < MIN_PREFIX:
            return []
        rows: dict[int, None] = {}
        position = bisect.bisect_right(self.vocabulary, word)
        while position < len(self.vocabulary) and self.vocabulary[position].startswith(word):
            rows[self.word_keys[self.vocabulary[position]]] = None
            position += 1
        if exact is not None:
            rows.pop(exact, None)
        return list(rows)

    def _postings(self, row: int) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.float32]]:
        start, end = self.offsets[row], self.offsets[row + 1]
        return self.numbers[start:end], self.weights[start:end]


class _Keys:
    """The keys of the words an index reads, each word stemmed once, when first met.

    (Met, not gathered first and stemmed at once: holding every field's words until the end
    costs more, in the garbage collector's passes over them, than stemming word by word.)
    """

    def __init__(self) -> None:
        # A word's key (an alias: its first word's key, the others' in `more`); the keys of the
        # words search matches against (aliases expanded), for prefixes.
        self.of_raw: dict[str, str] = {}
        self.more: dict[str, tuple[str, ...]] = {}
        self.of_word: dict[str, str] = {}

    def of(self, found: set[str]) -> set[str]:
        """The keys of these distinct case-folded words (aliases expanded)."""
        new = found.difference(self.of_raw)  # in C: each word looked up in the dict
        if new:
            self._learn(new)
        keys = set(map(self.of_raw.__getitem__, found))
        if self.more and not found.isdisjoint(self.more.keys()):
            keys.update(*(self.more[word] for word in found & self.more.keys()))
        return keys

    def of_words(self, expanded: list[str]) -> list[str]:
        """The keys of words already met (aliases expanded), in order."""
        return [self.of_word[word] for word in expanded]

    def _learn(self, new: set[str]) -> None:
        if new.isdisjoint(ALIASES):
            plain = list(new)
            self.of_word.update(zip(plain, stems(plain), strict=True))
            self.of_raw.update((word, self.of_word[word]) for word in plain)
            return
        aliases = [word for word in new if word in ALIASES]
        plain = [word for word in new if word not in ALIASES]
        expanded = [word for alias in aliases for word in ALIASES[alias] if word not in self.of_word]
        unseen = list(dict.fromkeys(plain + expanded))
        self.of_word.update(zip(unseen, stems(unseen), strict=True))
        self.of_raw.update((word, self.of_word[word]) for word in plain)
        for alias in aliases:
            self.of_raw[alias] = self.of_word[ALIASES[alias][0]]
            self.more[alias] = tuple(self.of_word[word] for word in ALIASES[alias][1:])


def _kind(record: Record) -> str:
    return "session" if isinstance(record, Session) else "project" if isinstance(record, Project) else "recommendation"


def _joined(names: tuple[str, ...]) -> tuple[str, ...]:
    return (", ".join(names),) if names else ()


def _text(note: Note | None) -> tuple[str, ...]:
    return (note.text,) if note is not None and note.text else ()
