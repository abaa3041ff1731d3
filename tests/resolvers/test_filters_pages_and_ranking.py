"""Query logic over the real store: filters, pagination and search ranking."""

from __future__ import annotations

import datetime

import pytest

from resolvers import projects, search, sessions
from resolvers.errors import InvalidArgument
from resolvers.pagination import decode_cursor, encode_cursor, paginate
from schema.error_codes import ErrorCode
from store import RecapIndex
from store.records import Session


def test_pages_walk_the_whole_list_without_gaps(index: RecapIndex) -> None:
    seen: list[Session] = []
    after: str | None = None
    while True:
        page = paginate(index.sessions, first=7, after=after)
        seen += page.items
        if not page.has_next_page:
            break
        after = page.cursors[-1]
    assert seen == list(index.sessions)


def test_cursors_round_trip() -> None:
    assert decode_cursor(encode_cursor(41)) == 41


@pytest.mark.parametrize("cursor", ["", "abc", encode_cursor(3).upper(), "YXJyYXljb25uZWN0aW9uOi0x"])
def test_a_foreign_cursor_is_an_error(cursor: str) -> None:
    with pytest.raises(InvalidArgument, match="Argument 'after' is not a cursor from this API"):
        decode_cursor(cursor)


@pytest.mark.parametrize("first", [0, -1, 101])
def test_first_must_be_between_1_and_100(first: int) -> None:
    with pytest.raises(InvalidArgument, match=f"Argument 'first' must be between 1 and 100, got {first}"):
        paginate([], first=first, after=None)


def test_a_bad_argument_carries_the_code_clients_read() -> None:
    with pytest.raises(InvalidArgument) as raised:
        paginate([], first=500, after=None)
    assert raised.value.extensions == {"code": ErrorCode.BAD_USER_INPUT}


def test_filters_combine(index: RecapIndex) -> None:
    found = sessions.filter_sessions(
        index, sessions.SessionFilter(day=datetime.date(2018, 5, 4), kind="TALK", topic="Storage")
    )
    assert [session.slug for session in found] == ["kubernetes-runs-anywhere-but-does-your-data"]


def test_text_filter_needs_every_word(index: RecapIndex) -> None:
    found = sessions.filter_sessions(index, sessions.SessionFilter(text="linkerd conduit"))
    assert [session.slug for session in found] == [
        "observability-and-the-depths-of-debugging-cloud-native-applications-using-linkerd-and-conduit"
    ]


def test_project_text_filter_matches_prefixes(index: RecapIndex) -> None:
    found = projects.filter_projects(index, projects.ProjectFilter(text="orchestrat"))
    assert [project.slug for project in found] == []
    found = projects.filter_projects(index, projects.ProjectFilter(text="toolk"))
    assert [project.slug for project in found] == ["kubeflow"]


def test_search_puts_the_exact_name_first(index: RecapIndex) -> None:
    hits = search.search(index, "Brigade")
    assert [hit.record.slug for hit in hits[:2]] == ["brigade", "building-event-driven-pipelines-with-brigade"]
    assert hits[0].score > hits[1].score


def test_search_prefers_hits_with_every_word(index: RecapIndex) -> None:
    hits = search.search(index, "chaos engineering", first=3)
    assert hits[0].record.slug == "buzzword-chaos-engineering"
    assert {hit.record.slug for hit in hits} >= {"evening-keynotes"}


def test_search_needs_a_word(index: RecapIndex) -> None:
    with pytest.raises(InvalidArgument, match="Argument 'query' must contain at least one letter or digit"):
        search.search(index, "  ?! ")
