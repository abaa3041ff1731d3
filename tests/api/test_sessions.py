"""Sessions over HTTP: lookup, filters (any-of lists too), orders, facets, pagination and their relations."""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from store import RecapIndex, Store
from store.records import Session
from tests.support.api import Gql, GqlErrors

PAGE = """
query Page($first: Int, $after: String, $filter: SessionFilter) {
  sessions(first: $first, after: $after, filter: $filter) {
    totalCount
    edges { cursor node { slug } }
    nodes { slug }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


def test_a_session_is_found_by_slug_with_all_its_facts(gql: Gql) -> None:
    data = gql(
        """{ session(slug: "continuously-deliver-your-kubernetes-infrastructure") {
              title kind summary takeaways topics speakers organizations verdict day { date } } }"""
    )
    session = data["session"]
    assert session["title"] == "Continuously Deliver your Kubernetes Infrastructure"
    assert session["kind"] == "TALK"
    assert session["day"] == {"date": "2018-05-02"}
    assert "run etcd outside of the Kubernetes master nodes" in session["takeaways"]
    assert "gitops" in session["topics"]
    assert session["organizations"] == ["Zalando"]
    assert session["speakers"] == []
    assert session["verdict"].startswith("It was an excellent session")


def test_an_unknown_slug_gives_null(gql: Gql) -> None:
    assert gql('{ session(slug: "no-such-session") { title } }') == {"session": None}


def test_a_session_without_a_verdict_says_null(gql: Gql) -> None:
    assert gql('{ session(slug: "serverless-wg-bof") { verdict kind } }')["session"] == {
        "verdict": None,
        "kind": "BOF",
    }


def test_pages_cover_every_session_once(gql: Gql) -> None:
    slugs, after, pages = [], None, 0
    while True:
        page = gql(PAGE, {"first": 10, "after": after})["sessions"]
        pages += 1
        assert page["totalCount"] == 24
        assert [edge["node"] for edge in page["edges"]] == page["nodes"]
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]
        slugs += [node["slug"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages == 3
    assert len(slugs) == len(set(slugs)) == 24
    assert slugs[0] == "lightning-talks"


def test_the_default_page_holds_twenty(gql: Gql) -> None:
    page = gql("{ sessions { nodes { slug } pageInfo { hasNextPage } } }")["sessions"]
    assert len(page["nodes"]) == 20
    assert page["pageInfo"]["hasNextPage"] is True


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"day": "2018-05-01"}, ["lightning-talks"]),
        ({"kind": "BOF"}, ["serverless-wg-bof"]),
        ({"kind": "DEEP_DIVE"}, ["openstack-sig-deep-dive"]),
        (
            {"topic": "SERVICE MESH", "day": "2018-05-02"},
            ["evolving-systems-design-from-unreliable-rpc-to-resilience-with-linkerd"],
        ),
        (
            {"project": "jsonnet"},
            ["prometheus-monitoring-mixins-using-jsonnet-to-package-together-dashboards-alerts-and-exporters"],
        ),
        ({"text": "playbooks"}, ["stories-from-the-playbook"]),
        ({"kind": "WORKSHOP", "topic": "learning"}, ["kubernetes-101-diy-workshop"]),
        ({"project": "linkerd", "kind": "KEYNOTE"}, []),
    ],
)
def test_filters_narrow_the_sessions(gql: Gql, where: dict[str, str], expected: list[str]) -> None:
    page = gql(PAGE, {"filter": where})["sessions"]
    assert [node["slug"] for node in page["nodes"]] == expected
    assert page["totalCount"] == len(expected)


def test_a_project_filter_shows_only_its_sessions(gql: Gql) -> None:
    page = gql(PAGE, {"filter": {"project": "kubernetes"}, "first": 100})["sessions"]
    slugs = {node["slug"] for node in page["nodes"]}
    project = gql('{ project(slug: "kubernetes") { sessions { slug } } }')["project"]
    assert slugs == {session["slug"] for session in project["sessions"]}


def test_sessions_filtered_by_kind_are_the_keynotes(gql: Gql) -> None:
    data = gql("{ sessions(filter: { kind: KEYNOTE }) { totalCount nodes { title } } }")
    assert data["sessions"]["totalCount"] == 5


@pytest.mark.parametrize("first", [0, -5, 101])
def test_first_outside_1_to_100_is_an_error(gql_errors: GqlErrors, first: int) -> None:
    assert gql_errors(PAGE, {"first": first}) == [f"Argument 'first' must be between 1 and 100, got {first}"]


def test_a_foreign_cursor_is_an_error(gql_errors: GqlErrors) -> None:
    assert gql_errors(PAGE, {"after": "bm9wZQ=="}) == ["Argument 'after' is not a cursor from this API: 'bm9wZQ=='"]


def test_an_unknown_kind_is_a_validation_error(gql_errors: GqlErrors) -> None:
    [message] = gql_errors("{ sessions(filter: { kind: PANEL }) { totalCount } }")
    assert "PANEL" in message
    assert "SessionKind" in message


def test_sessions_and_projects_link_both_ways(gql: Gql) -> None:
    data = gql("{ sessions(first: 100) { nodes { slug projects { slug sessions { slug } } } } }")
    for session in data["sessions"]["nodes"]:
        for project in session["projects"]:
            assert {"slug": session["slug"]} in project["sessions"]


def test_sessions_and_recommendations_link_both_ways(gql: Gql) -> None:
    data = gql("{ sessions(first: 100) { nodes { slug recommendations { slug session { slug } } } } }")
    linked = 0
    for session in data["sessions"]["nodes"]:
        for recommendation in session["recommendations"]:
            assert recommendation["session"] == {"slug": session["slug"]}
            linked += 1
    assert linked > 20


# orderBy, any-of filters, facets and cursors bound to their list.

ORDERED = """
query Ordered($order: SessionOrder, $filter: SessionFilter, $first: Int = 100, $after: String) {
  sessions(orderBy: $order, filter: $filter, first: $first, after: $after) {
    totalCount
    nodes { slug }
    pageInfo { hasNextPage endCursor }
  }
}
"""
FACETS = """
query Facets($filter: SessionFilter, $first: Int = 1) {
  sessions(filter: $filter, first: $first) {
    totalCount
    nodes { slug }
    facets {
      kinds { value count }
      topics { value count }
      days { value count }
      projects { value count }
    }
  }
}
"""


def _slugs(data: dict[str, Any]) -> list[str]:
    return [node["slug"] for node in data["sessions"]["nodes"]]


def _by_hand(pairs: list[tuple[int, Session]], field: str, direction: str) -> list[str]:
    """The order `orderBy` defines, worked out here from the records: (recap number, session) in recap order."""
    if field == "RECAP":
        ordered = pairs[::-1] if direction == "DESC" else pairs
    else:
        key = (lambda pair: pair[1].title.casefold()) if field == "TITLE" else (lambda pair: pair[1].day)
        # Python's sort is stable, reversed too: ties stay in recap order either way.
        ordered = sorted(pairs, key=key, reverse=direction == "DESC")
    return [session.slug for _, session in ordered]


@pytest.mark.parametrize("direction", ["ASC", "DESC"])
@pytest.mark.parametrize("field", ["RECAP", "TITLE", "DAY"])
def test_each_order_and_direction_on_the_kubecon_recap(gql: Gql, index: RecapIndex, field: str, direction: str) -> None:
    data = gql(ORDERED, {"order": {"field": field, "direction": direction}})
    assert _slugs(data) == _by_hand([(0, session) for session in index.sessions], field, direction)


def test_the_orders_in_words(gql: Gql) -> None:
    title_desc = _slugs(gql(ORDERED, {"order": {"field": "TITLE", "direction": "DESC"}}))
    assert title_desc[0] == "whats-up-with-all-the-different-container-runtimes"
    day_desc = gql("{ sessions(orderBy: {field: DAY, direction: DESC}, first: 100) { nodes { slug day { date } } } }")[
        "sessions"
    ]["nodes"]
    dates = [node["day"]["date"] for node in day_desc]
    assert dates == sorted(dates, reverse=True)
    # The same day's sessions stay in the order the recap tells them, even descending.
    last_day = gql('{ day(date: "2018-05-04") { sessions { slug } } }')["day"]["sessions"]
    assert [node["slug"] for node in day_desc[: len(last_day)]] == [session["slug"] for session in last_day]
    # The default, and direction's default (ASC), are today's order.
    default = _slugs(gql(ORDERED))
    assert _slugs(gql(ORDERED, {"order": {"field": "RECAP"}})) == default
    assert _slugs(gql(ORDERED, {"order": {"field": "RECAP", "direction": "DESC"}})) == default[::-1]
    assert _slugs(gql(ORDERED, {"order": None})) == default


@pytest.fixture(scope="module")
def two_store(two_recaps_path: Path) -> Store:
    return Store.open(two_recaps_path)


@pytest.mark.parametrize("direction", ["ASC", "DESC"])
@pytest.mark.parametrize("field", ["RECAP", "TITLE", "DAY"])
def test_an_order_runs_across_every_recap_of_the_root_list(
    two: Gql, two_store: Store, field: str, direction: str
) -> None:
    pairs = [(number, session) for number, recap in enumerate(two_store.recaps) for session in recap.sessions]
    data = two(ORDERED, {"order": {"field": field, "direction": direction}})
    assert _slugs(data) == _by_hand(pairs, field, direction)
    example = two_store.by_slug["example-conf-2025"]
    assert data["sessions"]["totalCount"] == 24 + len(example.sessions)
    own = two(
        """query($order: SessionOrder) {
             recap(slug: "example-conf-2025") { sessions(orderBy: $order) { nodes { slug } } } }""",
        {"order": {"field": field, "direction": direction}},
    )["recap"]
    assert _slugs(own) == _by_hand([(0, session) for session in example.sessions], field, direction)


def test_day_order_interleaves_the_recaps_and_each_recap_orders_its_own(two: Gql, two_store: Store) -> None:
    example = two_store.by_slug["example-conf-2025"]
    newest_first = _slugs(two(ORDERED, {"order": {"field": "DAY", "direction": "DESC"}}))
    # The example recap's days (2025) come before any of KubeCon's (2018); each day's sessions in recap order.
    assert newest_first[: len(example.sessions)] == _by_hand([(1, item) for item in example.sessions], "DAY", "DESC")
    assert newest_first[-1] == _by_hand([(0, item) for item in two_store.recaps[0].sessions], "DAY", "DESC")[-1]
    own = two(
        """{ recap(slug: "example-conf-2025") {
             sessions(orderBy: {field: TITLE, direction: DESC}) { nodes { slug } } } }"""
    )["recap"]
    assert _slugs(own) == _by_hand([(0, session) for session in example.sessions], "TITLE", "DESC")
    narrowed = two("""{ sessions(recap: "example-conf-2025", orderBy: {field: TITLE}) { nodes { slug } } }""")
    assert _slugs(narrowed) == _by_hand([(0, session) for session in example.sessions], "TITLE", "ASC")


def _cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_today_s_cursors_keep_working_for_the_default_order_and_no_filter(gql: Gql) -> None:
    everything = _slugs(gql(ORDERED))
    for after in (_cursor("arrayconnection:9"), gql(PAGE, {"first": 10})["sessions"]["pageInfo"]["endCursor"]):
        assert after == _cursor("arrayconnection:9")
        for order in (None, {"field": "RECAP"}, {"field": "RECAP", "direction": "ASC"}):
            assert _slugs(gql(ORDERED, {"after": after, "order": order})) == everything[10:]
        assert _slugs(gql(ORDERED, {"after": after, "filter": {}})) == everything[10:]  # an empty filter is none


def test_pages_of_an_order_walk_it_without_gaps(gql: Gql, index: RecapIndex) -> None:
    order = {"field": "TITLE", "direction": "DESC"}
    where = {"kinds": ["TALK", "KEYNOTE"]}
    seen: list[str] = []
    after = None
    while True:
        page = gql(ORDERED, {"order": order, "filter": where, "first": 4, "after": after})["sessions"]
        seen += [node["slug"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    chosen = [(0, session) for session in index.sessions if session.kind in {"TALK", "KEYNOTE"}]
    assert seen == _by_hand(chosen, "TITLE", "DESC")
    # A cursor survives an equal filter written another way: values are a set, topics case-insensitive.
    again = gql(ORDERED, {"order": order, "filter": {"kinds": ["KEYNOTE", "TALK", "TALK"]}, "after": after})
    assert again["sessions"]["totalCount"] == len(chosen)


CURSOR_AGAIN = "a cursor holds only for the order and filter it was made with (ask again without 'after')"


@pytest.mark.parametrize(
    ("made_with", "used_with", "problem"),
    [
        ({}, {"order": {"field": "TITLE"}}, "of the order RECAP ASC, not TITLE ASC"),
        ({"order": {"field": "TITLE"}}, {}, "of the order TITLE ASC, not RECAP ASC"),
        (
            {"order": {"field": "DAY"}},
            {"order": {"field": "DAY", "direction": "DESC"}},
            "of the order DAY ASC, not DAY DESC",
        ),
        ({}, {"filter": {"kind": "TALK"}}, "of the unfiltered list, not of this filter"),
        ({"filter": {"kind": "TALK"}}, {}, "of a filtered list, not of the unfiltered one"),
        ({"filter": {"kind": "TALK"}}, {"filter": {"kinds": ["TALK", "BOF"]}}, "of another filter, not this one"),
        (
            {"filter": {"topics": ["security"]}, "order": {"field": "DAY"}},
            {"order": {"field": "TITLE"}},
            "of the order DAY ASC, not TITLE ASC, and of a filtered list, not of the unfiltered one",
        ),
    ],
    ids=[
        "default-to-title",
        "title-to-default",
        "direction",
        "filter-added",
        "filter-dropped",
        "filter-changed",
        "both",
    ],
)
def test_a_cursor_of_another_order_or_filter_is_refused_saying_why(
    client: TestClient, gql: Gql, made_with: dict[str, Any], used_with: dict[str, Any], problem: str
) -> None:
    cursor = gql(ORDERED, {**made_with, "first": 2})["sessions"]["pageInfo"]["endCursor"]
    body = client.post("/graphql", json={"query": ORDERED, "variables": {**used_with, "after": cursor}}).json()
    [error] = body["errors"]
    assert error["message"] == f"Argument 'after' is a cursor {problem}; {CURSOR_AGAIN}"
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


def test_a_forged_cursor_tag_is_no_cursor_of_ours(gql_errors: GqlErrors) -> None:
    for forged in ("arrayconnection:3:TITLE", "arrayconnection:3:title-asc:-", "arrayconnection:3:TITLE-ASC:zz"):
        assert gql_errors(ORDERED, {"after": _cursor(forged)}) == [
            f"Argument 'after' is not a cursor from this API: {_cursor(forged)!r}"
        ]


def _matching(index: RecapIndex, test: Callable[[Session], bool]) -> list[str]:
    return [session.slug for session in index.sessions if test(session)]


def test_any_of_filters_or_within_a_list_and_and_across_fields(gql: Gql, index: RecapIndex) -> None:
    def topics_of(session: Session) -> set[str]:
        return {topic.casefold() for topic in session.topics}

    cases: list[tuple[dict[str, Any], Callable[[Session], bool]]] = [
        ({"kinds": ["BOF", "DEEP_DIVE"]}, lambda session: session.kind in {"BOF", "DEEP_DIVE"}),
        ({"days": ["2018-05-01", "2018-05-04"]}, lambda session: str(session.day) in {"2018-05-01", "2018-05-04"}),
        (
            {"topics": ["Security", "service MESH"]},
            lambda session: bool(topics_of(session) & {"security", "service mesh"}),
        ),
        ({"projects": ["linkerd", "helm"]}, lambda session: bool(set(session.projects) & {"linkerd", "helm"})),
        (
            {
                "kinds": ["TALK", "KEYNOTE"],
                "topics": ["security", "observability"],
                "days": ["2018-05-02", "2018-05-03"],
            },
            lambda session: (
                session.kind in {"TALK", "KEYNOTE"}
                and bool(topics_of(session) & {"security", "observability"})
                and str(session.day) in {"2018-05-02", "2018-05-03"}
            ),
        ),
        # The single-valued fields still work, and AND with the lists.
        ({"kind": "TALK", "kinds": ["TALK", "BOF"]}, lambda session: session.kind == "TALK"),
        ({"kind": "BOF", "kinds": ["TALK"]}, lambda session: False),
        (
            {"day": "2018-05-02", "projects": ["kubernetes", "prometheus"]},
            lambda session: (
                str(session.day) == "2018-05-02" and bool(set(session.projects) & {"kubernetes", "prometheus"})
            ),
        ),
        # An empty list asks nothing.
        ({"kinds": [], "topics": []}, lambda session: True),
    ]
    for where, test in cases:
        data = gql(ORDERED, {"filter": where})
        assert _slugs(data) == _matching(index, test), where
        assert data["sessions"]["totalCount"] == len(_matching(index, test))
    assert _matching(index, cases[4][1]), "the combined case must find something to mean anything"


def _facets_by_hand(sessions: Iterable[Session], topic_names: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Each facet counted from the records: a session counts once for each value it has."""
    counted: dict[str, Counter[str]] = {
        "kinds": Counter(),
        "topics": Counter(),
        "days": Counter(),
        "projects": Counter(),
    }
    for session in sessions:
        counted["kinds"][session.kind] += 1
        counted["days"][session.day.isoformat()] += 1
        counted["topics"].update({topic_names[topic.casefold()] for topic in session.topics})
        counted["projects"].update(set(session.projects))
    return {
        facet: [
            {"value": value, "count": count}
            for value, count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0].casefold(), pair[0]))
        ]
        for facet, counts in counted.items()
    }


def _topic_names(*indexes: RecapIndex) -> dict[str, str]:
    names: dict[str, str] = {}
    for recap in indexes:
        for topic in recap.topics:
            names.setdefault(topic.name.casefold(), topic.name)
    return names


def test_facets_count_the_whole_filtered_list_not_the_page(gql: Gql, index: RecapIndex) -> None:
    data = gql(FACETS)["sessions"]
    assert len(data["nodes"]) == 1
    assert data["facets"] == _facets_by_hand(index.sessions, _topic_names(index))
    assert sum(item["count"] for item in data["facets"]["kinds"]) == data["totalCount"] == 24
    assert data["facets"]["kinds"][0] == {"value": "TALK", "count": sum(s.kind == "TALK" for s in index.sessions)}
    where = {"topics": ["security", "monitoring"], "kinds": ["TALK", "KEYNOTE", "BOF"]}
    filtered = gql(FACETS, {"filter": where})["sessions"]
    chosen = [
        session
        for session in index.sessions
        if session.kind in {"TALK", "KEYNOTE", "BOF"}
        and {t.casefold() for t in session.topics} & {"security", "monitoring"}
    ]
    assert filtered["totalCount"] == len(chosen) > 1
    assert filtered["facets"] == _facets_by_hand(chosen, _topic_names(index))


def test_facets_span_every_recap_of_the_root_list_and_one_recap_of_its_own(two: Gql, two_store: Store) -> None:
    kubecon, example = two_store.recaps
    everything = [*kubecon.sessions, *example.sessions]
    assert two(FACETS)["sessions"]["facets"] == _facets_by_hand(everything, _topic_names(kubecon, example))
    own = two(
        """{ recap(slug: "example-conf-2025") { sessions(first: 1) { facets {
             kinds { value count } topics { value count } days { value count } projects { value count } } } } }"""
    )["recap"]["sessions"]["facets"]
    assert own == _facets_by_hand(example.sessions, _topic_names(example))
    # A topic both recaps name counts as one value.
    security = next(item for item in two(FACETS)["sessions"]["facets"]["topics"] if item["value"] == "security")
    assert security["count"] == sum("security" in session.topics for session in everything)


def test_a_facet_lists_its_most_frequent_values_first(gql: Gql) -> None:
    top = gql("{ sessions { facets { projects(first: 3) { value count } } } }")["sessions"]["facets"]["projects"]
    every = gql("{ sessions { facets { projects { value count } } } }")["sessions"]["facets"]["projects"]
    assert top == every[:3]
    assert [item["count"] for item in every] == sorted((item["count"] for item in every), reverse=True)
