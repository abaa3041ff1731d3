"""Search's fast paths answer exactly what its plain definition says.

Ranking runs over numpy arrays of postings by stem, and the phrase bonus finds titles through
their words. Rankings (every page of them, with each kind's count, for any `types`) are checked
against resolvers/search.py's docstring written as plain Python over the records themselves, on
the real store and a generated one; the titles found for a phrase against `phrase in title` with
every path forced in turn (the thresholds that choose between title lookups and one scan of all
titles set low and high); and snippets against what a snippet promises.
"""

from __future__ import annotations

import re
from collections.abc import Collection

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resolvers.pagination import MAX_PAGE_SIZE
from resolvers.search import EXACT_TITLE_BONUS, PHRASE_BONUS, search, search_page
from resolvers.snippets import ELLIPSIS, SNIPPET_LENGTH, Span, snippet
from seed.synthetic import synthetic_dataset
from store import RecapIndex, Store, title_index, write_dataset
from store.search_index import KINDS, MAX_HIGHLIGHTS, MIN_PREFIX, Record, fields_of
from store.title_index import TitleIndex
from store.words import ALIASES, search_words, stem

CHECKS = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
# Thresholds (scan below, words per term, characters per check): the defaults, each path forced.
THRESHOLDS = [(50_000, 64, 250), (0, 64, 250), (0, 1, 0), (0, 64, 1_000_000), (0, 1_000_000, 0)]

WORDS = ["kube", "kubernetes", "con", "cloudnativecon", "cloud", "native", "a", "an", "1", "12", "21"]
FRAGMENTS = [*WORDS, "ube", "netes", "on", "ud", "2", "k", "native cloud", "zzz"]
KIND_CHOICES = st.none() | st.sets(st.sampled_from(KINDS), min_size=1)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> RecapIndex:
    path = tmp_path_factory.mktemp("generated") / "store.json"
    write_dataset(path, synthetic_dataset(300, 60, rng_seed=11))
    return Store.open(path).default


@pytest.mark.parametrize(("scan_below", "max_words", "characters_per_check"), THRESHOLDS)
@CHECKS
@given(
    titles=st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join), max_size=40),
    phrase=st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=3).map(" ".join),
)
def test_titles_containing_a_phrase_are_the_titles_that_contain_it(
    titles: list[str], phrase: str, scan_below: int, max_words: int, characters_per_check: int
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(title_index, "SCAN_BELOW", scan_below)
        patch.setattr(title_index, "MAX_WORDS_PER_TERM", max_words)
        patch.setattr(title_index, "CHARACTERS_PER_CHECK", characters_per_check)
        found = TitleIndex.build(titles).containing(phrase).tolist()
    assert found == [number for number, title in enumerate(titles) if phrase in title]


class Definition:
    """resolvers/search.py's docstring as plain Python, over one recap's records (in entry order)."""

    def __init__(self, index: RecapIndex) -> None:
        self.records = [_record(index, entry.kind, entry.key) for entry in index.search_index.entries]
        # Each record's weight for each key: the weights of its fields holding a word of that key, added up.
        self.weights: list[dict[str, float]] = []
        self.vocabulary: set[str] = set()
        for record in self.records:
            weights: dict[str, float] = {}
            for field in fields_of(record):
                found = {word for text in field.texts for word in search_words(text)}
                self.vocabulary |= found
                for key in {stem(word) for word in found}:
                    weights[key] = weights.get(key, 0.0) + field.weight
            self.weights.append(weights)
        self.titles = [" ".join(stem(word) for word in search_words(_title(record))) for record in self.records]

    def ranking(self, query: str, kinds: Collection[str] | None = None) -> list[tuple[float, str, str]]:
        """Every hit, best first: (rounded score, kind, slug)."""
        first_of_key: dict[str, str] = {}
        for word in search_words(query):
            first_of_key.setdefault(stem(word), word)
        terms = list(first_of_key.values())
        scores = [0.0] * len(self.records)
        matched = [0] * len(self.records)
        for term in terms:
            longer = {stem(word) for word in self.vocabulary if len(term) >= MIN_PREFIX and word.startswith(term)}
            for number, weights in enumerate(self.weights):
                weight = max([weights.get(stem(term), 0.0), *(0.5 * weights.get(key, 0.0) for key in longer)])
                if weight:
                    scores[number] += weight
                    matched[number] += 1
        phrase = " ".join(stem(term) for term in terms)
        for number, title in enumerate(self.titles):
            if matched[number]:
                scores[number] += EXACT_TITLE_BONUS if title == phrase else PHRASE_BONUS if phrase in title else 0.0
                scores[number] *= matched[number] / len(terms)
        hits = [number for number in range(len(self.records)) if matched[number]]
        hits = [number for number in hits if kinds is None or _kind(self.records[number]) in kinds]
        best = sorted(hits, key=lambda number: (-scores[number], number))
        return [(round(scores[number], 3), _kind(self.records[number]), self.records[number].slug) for number in best]


@pytest.fixture(scope="module")
def real_definition(index: RecapIndex) -> Definition:
    return Definition(index)


@pytest.fixture(scope="module")
def generated_definition(generated: RecapIndex) -> Definition:
    return Definition(generated)


def _record(index: RecapIndex, kind: str, key: str) -> Record:
    if kind == "session":
        return index.session_by_slug[key]
    if kind == "project":
        return index.project_by_slug[key]
    return index.recommendation_by_slug[key]


def _title(record: Record) -> str:
    return record.title if hasattr(record, "title") else record.name


def _kind(record: Record) -> str:
    return type(record).__name__.lower()


def _ranking(index: RecapIndex, query: str, kinds: Collection[str] | None = None) -> list[tuple[float, str, str]]:
    hits = search(index, query, first=MAX_PAGE_SIZE, kinds=kinds)
    return [(hit.score, _kind(hit.record), hit.record.slug) for hit in hits]


def _queries(definition: Definition) -> st.SearchStrategy[str]:
    """Words of titles (runs of up to three), words of the records and their prefixes, other forms, aliases."""
    titles = [search_words(_title(record)) for record in definition.records]
    from_titles = st.sampled_from([words for words in titles if words]).flatmap(
        lambda words: st.integers(0, len(words) - 1).map(lambda start: " ".join(words[start : start + 3]))
    )
    vocabulary = st.sampled_from(sorted(definition.vocabulary))
    forms = st.one_of(
        vocabulary,
        vocabulary.map(lambda word: word[:MIN_PREFIX]),
        vocabulary.map(lambda word: word + "s"),
        vocabulary.map(lambda word: word[: max(1, len(word) - 2)]),
        st.sampled_from(sorted(ALIASES)),
    )
    return st.one_of(from_titles, st.lists(forms, min_size=1, max_size=3).map(" ".join))


@CHECKS
@given(data=st.data())
def test_the_real_store_ranks_as_defined(index: RecapIndex, real_definition: Definition, data: st.DataObject) -> None:
    query, kinds = data.draw(_queries(real_definition)), data.draw(KIND_CHOICES)
    assert _ranking(index, query, kinds) == real_definition.ranking(query, kinds)[:MAX_PAGE_SIZE]


@CHECKS
@given(data=st.data())
def test_a_generated_store_ranks_as_defined(
    generated: RecapIndex, generated_definition: Definition, data: st.DataObject
) -> None:
    query, kinds = data.draw(_queries(generated_definition)), data.draw(KIND_CHOICES)
    assert _ranking(generated, query, kinds) == generated_definition.ranking(query, kinds)[:MAX_PAGE_SIZE]


@pytest.mark.parametrize(("query", "first"), [("kubernetes", 37), ("synthetic service", 100), ("cloud", 1)])
def test_pages_past_the_first_hundred_follow_the_defined_ranking_to_its_end(
    generated: RecapIndex, generated_definition: Definition, query: str, first: int
) -> None:
    defined = generated_definition.ranking(query)
    assert len(defined) > 2 * MAX_PAGE_SIZE
    found: list[tuple[float, str, str]] = []
    after = None
    while True:
        page = search_page([generated], query, first=first, after=after)
        assert page.total_count == len(defined)
        assert dict(page.counts) == {kind: sum(hit[1] == kind for hit in defined) for kind in KINDS}
        found += [(hit.score, _kind(hit.record), hit.record.slug) for hit in page.hits]
        if not page.has_next_page:
            break
        after = page.cursors[-1]
    assert found == defined


TEXT_WORDS = [
    "Kubernetes",
    "k8s",
    "runtime",
    "runtimes",
    "a",
    "containerd",
    "élan",
    "日本",
    "x" * 170,
    "CRI-O",
    "(SRE)",
]


@CHECKS
@given(
    words=st.lists(st.sampled_from(TEXT_WORDS), min_size=1, max_size=80),
    separators=st.lists(st.sampled_from([" ", ", ", " — ", ". "]), min_size=80, max_size=80),
    chosen=st.sets(st.integers(0, 120)),
)
def test_a_snippet_is_short_cut_between_words_and_highlights_exactly_its_matched_words(
    words: list[str], separators: list[str], chosen: set[int]
) -> None:
    text = "".join(word + separator for word, separator in zip(words, separators, strict=False)).strip()
    tokens = list(re.finditer(r"[^\W_]+", text))
    spans = [Span(token.start(), token.end(), frozenset({number % 3})) for number, token in enumerate(tokens)]
    spans = [span for number, span in enumerate(spans) if number in chosen] or spans[:1]
    found = snippet(text, spans)
    assert len(found.text) <= SNIPPET_LENGTH
    # "…" stands where the text was cut (the text itself holds none).
    before = ELLIPSIS if found.text.startswith(ELLIPSIS) else ""
    after = ELLIPSIS if found.text.endswith(ELLIPSIS) else ""
    inner = found.text.removeprefix(before).removesuffix(after)
    end = found.origin + len(inner)
    assert text[found.origin : end] == inner
    assert (before, after) == (ELLIPSIS * (found.origin > 0), ELLIPSIS * (end < len(text)))
    if len(text) <= SNIPPET_LENGTH:
        assert found.text == text
    if all(len(token.group()) <= SNIPPET_LENGTH - 2 for token in tokens):
        # Cut between words: the excerpt starts and ends with a whole word, and shows a matched one.
        assert found.origin == 0 or not (text[found.origin - 1].isalnum() and text[found.origin].isalnum())
        assert end == len(text) or not (text[end - 1].isalnum() and text[end].isalnum())
        assert found.highlights
    inside = [(span.start, span.end) for span in spans if found.origin <= span.start and span.end <= end]
    shift = found.origin - len(before)
    assert [(start + shift, stop + shift) for start, stop in found.highlights] == inside[:MAX_HIGHLIGHTS]


def test_no_titles_or_an_empty_title_contain_nothing() -> None:
    assert TitleIndex.build([]).containing("kube").tolist() == []
    assert TitleIndex.build([""]).containing("kube").tolist() == []
