"""Search's fast paths answer exactly what its plain definition says.

Ranking runs over numpy arrays, and the phrase bonus finds titles through their words. Rankings
are checked against the definition written as plain Python on the real store and a generated one,
and the titles found for a phrase against `phrase in title` with every path forced in turn
(the thresholds that choose between title lookups and one scan of all titles set low and high).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resolvers.pagination import MAX_PAGE_SIZE
from resolvers.search import EXACT_TITLE_BONUS, PHRASE_BONUS, search
from seed.synthetic import synthetic_dataset
from store import RecapIndex, Store, title_index, write_dataset
from store.search_index import MIN_PREFIX, SearchIndex
from store.title_index import TitleIndex

CHECKS = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
# Thresholds (scan below, words per term, characters per check): the defaults, each path forced.
THRESHOLDS = [(50_000, 64, 250), (0, 64, 250), (0, 1, 0), (0, 64, 1_000_000), (0, 1_000_000, 0)]

WORDS = ["kube", "kubernetes", "con", "cloudnativecon", "cloud", "native", "a", "an", "1", "12", "21"]
FRAGMENTS = [*WORDS, "ube", "netes", "on", "ud", "2", "k", "native cloud", "zzz"]


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


def _defined_ranking(index: SearchIndex, terms: list[str]) -> list[tuple[float, str]]:
    """resolvers/search.py's docstring as plain Python: the best hits, (rounded score, key)."""
    scores: dict[int, float] = {}
    matched: dict[int, int] = {}
    for term in terms:
        hits: dict[int, float] = {}
        for row, word in enumerate(index.vocabulary):
            if word == term or (len(term) >= MIN_PREFIX and word.startswith(term)):
                share = 1.0 if word == term else 0.5
                start, end = index.offsets[row], index.offsets[row + 1]
                numbers, weights = index.numbers[start:end].tolist(), index.weights[start:end].tolist()
                for number, weight in zip(numbers, weights, strict=True):
                    hits[number] = max(hits.get(number, 0.0), weight * share)
        for number, weight in hits.items():
            scores[number] = scores.get(number, 0.0) + weight
            matched[number] = matched.get(number, 0) + 1
    phrase = " ".join(terms)
    for number in scores:
        title = index.entries[number].title
        scores[number] += EXACT_TITLE_BONUS if title == phrase else PHRASE_BONUS if phrase in title else 0.0
        scores[number] *= matched[number] / len(terms)
    best = sorted(scores, key=lambda number: (-scores[number], number))[:MAX_PAGE_SIZE]
    return [(round(scores[number], 3), index.entries[number].key) for number in best]


def _ranking(index: RecapIndex, query: str) -> list[tuple[float, str]]:
    hits = search(index, query, first=MAX_PAGE_SIZE)
    return [(hit.score, hit.record.slug) for hit in hits]


def _query_terms(index: SearchIndex) -> st.SearchStrategy[list[str]]:
    titles = [entry.title.split() for entry in index.entries if entry.title]
    from_titles = st.sampled_from(titles).flatmap(
        lambda words: st.integers(0, len(words) - 1).flatmap(lambda start: st.just(words[start : start + 3]))
    )
    vocabulary = st.sampled_from(index.vocabulary)
    prefixes = vocabulary.map(lambda word: word[:MIN_PREFIX])
    return st.one_of(from_titles, st.lists(st.one_of(vocabulary, prefixes), min_size=1, max_size=3, unique=True))


@CHECKS
@given(data=st.data())
def test_the_real_store_ranks_as_defined(index: RecapIndex, data: st.DataObject) -> None:
    terms = list(dict.fromkeys(data.draw(_query_terms(index.search_index))))
    assert _ranking(index, " ".join(terms)) == _defined_ranking(index.search_index, terms)


@CHECKS
@given(data=st.data())
def test_a_generated_store_ranks_as_defined(generated: RecapIndex, data: st.DataObject) -> None:
    terms = list(dict.fromkeys(data.draw(_query_terms(generated.search_index))))
    assert _ranking(generated, " ".join(terms)) == _defined_ranking(generated.search_index, terms)


def test_no_titles_or_an_empty_title_contain_nothing() -> None:
    assert TitleIndex.build([]).containing("kube").tolist() == []
    assert TitleIndex.build([""]).containing("kube").tolist() == []
