"""Orders and facets on a large generated store: right by hand, computed once per store version, order and filter."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from resolvers import facets, ordering, sessions
from seed.synthetic import synthetic_dataset
from store import Store, write_dataset

LARGE = {"sessions": 2000, "projects": 400}


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("large") / "store.json"
    write_dataset(path, synthetic_dataset(LARGE["sessions"], LARGE["projects"]))
    return Store.open(path)


def test_facets_of_a_large_store_are_the_counts_by_hand_and_kept(large: Store) -> None:
    where = sessions.SessionFilter(kinds=["TALK", "BOF"], topics=["security", "storage"]).conditions()
    [index] = large.recaps
    chosen = [
        session
        for session in index.sessions
        if session.kind in {"TALK", "BOF"} and {topic.casefold() for topic in session.topics} & {"security", "storage"}
    ]
    assert len(chosen) > 100
    by_hand = Counter(project for session in chosen for project in set(session.projects))
    started = time.perf_counter()
    counted = facets.session_facet(large.recaps, where, "projects")
    first = time.perf_counter() - started
    assert dict(counted) == dict(by_hand)
    assert [count for _, count in counted] == sorted(by_hand.values(), reverse=True)
    started = time.perf_counter()
    assert facets.session_facet(large.recaps, where, "projects") is counted  # kept, not counted again
    assert time.perf_counter() - started < first
    # Without a filter, the store's indexes hold the counts already.
    kinds = dict(facets.session_facet(large.recaps, None, "kinds"))
    assert kinds == dict(Counter(session.kind for session in index.sessions))


def test_an_order_of_a_large_store_is_sorted_once(large: Store) -> None:
    [index] = large.recaps
    where = sessions.SessionFilter(kinds=["TALK"]).conditions()
    ordered = ordering.sessions_in_order(large.recaps, where, "TITLE", True)
    talks = [session for session in index.sessions if session.kind == "TALK"]
    expected = sorted(talks, key=lambda session: session.title.casefold(), reverse=True)
    assert [record for _, record in ordered] == expected
    assert ordering.sessions_in_order(large.recaps, where, "TITLE", True) is ordered
    # The default order of one recap is its own list, not a copy.
    assert ordering.sessions_in_order(large.recaps, None, "RECAP", False).records is index.sessions


def test_equal_filters_are_one_filter() -> None:
    one = sessions.SessionFilter(kinds=["TALK", "BOF"], topics=["Security"]).conditions()
    other = sessions.SessionFilter(kinds=["BOF", "TALK", "BOF"], topics=["security"]).conditions()
    assert one == other
    assert one is not None
    assert other is not None
    assert one.canonical() == other.canonical()
    assert sessions.SessionFilter(kinds=[], topics=None).conditions() is None
    assert sessions.SessionFilter(kind="TALK", kinds=["BOF"]).conditions() == sessions.SessionConditions(
        kinds=frozenset()
    )


def test_the_canonical_form_is_the_same_in_every_process() -> None:
    # Sets iterate in an order that changes with PYTHONHASHSEED; cursors carry a token of the
    # canonical form, which must not (a cursor from one worker is used on another).
    where = sessions.SessionFilter(topics=["b", "a", "c"], projects=["z", "y"]).conditions()
    assert where is not None
    assert where.canonical() == ("sessions", None, None, ("a", "b", "c"), ("y", "z"), None)
