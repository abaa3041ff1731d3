"""Several recaps in one API: the recaps themselves, each recap's own surface, and the root spanning them."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from recapql.app import create_app
from recapql.settings import Settings
from tests.support.api import Gql, gql_over

KUBECON = "kubecon-eu-2018"
EXAMPLE = "example-conf-2025"


@pytest.fixture(scope="module")
def two_by_example(two_recaps_path: Path) -> Iterator[Gql]:
    """The same store, with the example recap named the default one."""
    with TestClient(create_app(Settings(store_path=two_recaps_path, default_recap=EXAMPLE))) as client:
        yield gql_over(client)


def _id(type_name: str, key: str) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


def test_recaps_lists_every_recap_newest_event_first(two: Gql) -> None:
    data = two("{ recaps { totalCount nodes { id slug event startDate } pageInfo { hasNextPage } } }")
    assert data["recaps"]["totalCount"] == 2
    assert [(node["slug"], node["startDate"]) for node in data["recaps"]["nodes"]] == [
        (EXAMPLE, "2025-06-10"),
        (KUBECON, "2018-05-01"),
    ]
    assert data["recaps"]["nodes"][1]["id"] == _id("Recap", KUBECON)
    page = two("{ recaps(first: 1) { nodes { slug } pageInfo { hasNextPage endCursor } } }")["recaps"]
    assert page["nodes"] == [{"slug": EXAMPLE}]
    assert page["pageInfo"]["hasNextPage"]
    rest = two(
        "query($after: String) { recaps(after: $after) { nodes { slug } } }", {"after": page["pageInfo"]["endCursor"]}
    )
    assert rest["recaps"]["nodes"] == [{"slug": KUBECON}]


def test_recap_without_a_slug_is_the_default_and_an_unknown_slug_is_null(two: Gql, two_by_example: Gql) -> None:
    assert two("{ recap { slug } }") == {"recap": {"slug": KUBECON}}
    assert two_by_example("{ recap { slug } }") == {"recap": {"slug": EXAMPLE}}
    assert two('{ recap(slug: "example-conf-2025") { city author timezone } }') == {
        "recap": {"city": "Lisbon", "author": "A. Blogger", "timezone": "Europe/Lisbon"}
    }
    assert two('{ recap(slug: "nowhere") { slug } }') == {"recap": None}


def test_each_recap_nests_its_whole_surface(two: Gql) -> None:
    data = two(
        """{ recap(slug: "example-conf-2025") {
            days { date sessions { slug } }
            day(date: "2025-06-11") { title }
            sessions(filter: { kind: WORKSHOP }) { totalCount nodes { slug recap { slug } } }
            session(slug: "platforms-as-products") { speakers projects { slug recap { slug } } }
            projects(first: 2) { totalCount nodes { name } }
            project(slug: "opa") { name sessions { slug } }
            recommendations(kind: WATCH) { title url session { slug } }
            topics { name }
            topic(name: "Security") { projects { slug } }
            search(query: "policy", first: 2) {
                node { ... on Session { slug recap { slug } } ... on Project { slug } } }
            topThree { slug }
        } }"""
    )["recap"]
    assert [day["date"] for day in data["days"]] == ["2025-06-10", "2025-06-11"]
    assert data["day"] == {"title": "Day 2: workshops"}
    assert data["sessions"] == {
        "totalCount": 1,
        "nodes": [{"slug": "policy-engines-workshop", "recap": {"slug": EXAMPLE}}],
    }
    assert data["session"]["projects"] == [
        {"slug": "backstage", "recap": {"slug": EXAMPLE}},
        {"slug": "crossplane", "recap": {"slug": EXAMPLE}},
    ]
    assert data["projects"] == {"totalCount": 4, "nodes": [{"name": "Backstage"}, {"name": "Crossplane"}]}
    assert data["project"] == {"name": "Open Policy Agent", "sessions": [{"slug": "policy-engines-workshop"}]}
    assert data["recommendations"][0]["url"] == "https://example.org/videos/platforms-as-products"
    assert data["topic"] == {"projects": [{"slug": "opa"}]}
    assert data["topThree"] == [{"slug": "platforms-as-products"}, {"slug": "policy-engines-workshop"}]
    assert all(hit["node"].get("recap", {"slug": EXAMPLE}) == {"slug": EXAMPLE} for hit in data["search"])


def test_root_lists_span_every_recap_and_recap_narrows_them(two: Gql) -> None:
    days = two("{ days { date recap { slug } } }")["days"]
    assert [(day["date"], day["recap"]["slug"]) for day in days] == [
        ("2018-05-01", KUBECON),
        ("2018-05-02", KUBECON),
        ("2018-05-03", KUBECON),
        ("2018-05-04", KUBECON),
        ("2025-06-10", EXAMPLE),
        ("2025-06-11", EXAMPLE),
    ]
    assert two("{ sessions { totalCount } }") == {"sessions": {"totalCount": 28}}
    assert two('{ sessions(recap: "example-conf-2025") { totalCount } }') == {"sessions": {"totalCount": 4}}
    assert two('{ sessions(recap: "nowhere") { totalCount } }') == {"sessions": {"totalCount": 0}}
    projects = two("{ projects(first: 100) { totalCount nodes { name } } }")["projects"]
    assert projects["totalCount"] == 44 + 4
    names = [node["name"].casefold() for node in projects["nodes"]]
    assert names == sorted(names)
    assert len(two("{ recommendations { slug } }")["recommendations"]) == 34 + 4
    assert len(two('{ recommendations(recap: "example-conf-2025") { slug } }')["recommendations"]) == 4
    topics = two("{ topics { name recap { slug } } }")["topics"]
    assert {"name": "security", "recap": {"slug": EXAMPLE}} in topics
    assert {"name": "security", "recap": {"slug": KUBECON}} in topics


def test_a_page_of_sessions_runs_on_across_recaps(two: Gql) -> None:
    first = two("{ sessions(first: 20) { nodes { slug } pageInfo { endCursor } } }")["sessions"]
    rest = two("query($after: String) { sessions(first: 20, after: $after) { nodes { slug recap { slug } } } }",
               {"after": first["pageInfo"]["endCursor"]})["sessions"]  # fmt: skip
    assert len(first["nodes"]) + len(rest["nodes"]) == 28
    assert [node["recap"]["slug"] for node in rest["nodes"]] == [KUBECON] * 4 + [EXAMPLE] * 4


def test_root_lookups_look_in_the_default_recap_unless_told(two: Gql) -> None:
    assert two('{ session(slug: "opening-keynote") { title } }') == {"session": None}
    assert two('{ session(slug: "opening-keynote", recap: "example-conf-2025") { title } }') == {
        "session": {"title": "Opening Keynote"}
    }
    assert two('{ session(slug: "serverless-wg-bof") { recap { slug } } }') == {"session": {"recap": {"slug": KUBECON}}}
    assert two('{ day(date: "2025-06-10") { title } }') == {"day": None}
    assert two('{ day(date: "2025-06-10", recap: "example-conf-2025") { title } }') == {
        "day": {"title": "Day 1: talks"}
    }
    assert two('{ project(slug: "opa", recap: "example-conf-2025") { name } }') == {
        "project": {"name": "Open Policy Agent"}
    }
    assert two('{ topic(name: "platforms", recap: "example-conf-2025") { name } }') == {"topic": {"name": "platforms"}}
    assert two('{ topic(name: "platforms") { name } }') == {"topic": None}


def test_search_across_recaps_says_which_recap_each_hit_is_from(two: Gql) -> None:
    hits = two(
        """{ search(query: "security policy", first: 20) { score node { __typename
            ... on Session { slug recap { slug } } ... on Project { slug recap { slug } }
            ... on Recommendation { slug recap { slug } } } } }"""
    )["search"]
    recaps = {hit["node"]["recap"]["slug"] for hit in hits}
    assert recaps == {KUBECON, EXAMPLE}
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True)
    only = two(
        """{ search(query: "security policy", recap: "example-conf-2025") {
            node { ... on Project { recap { slug } } } } }"""
    )
    assert {hit["node"].get("recap", {}).get("slug", EXAMPLE) for hit in only["search"]} == {EXAMPLE}


def test_ids_stay_as_they_were_for_the_default_recap_and_are_namespaced_for_others(two: Gql) -> None:
    data = two(
        """{ a: session(slug: "serverless-wg-bof") { id }
             b: session(slug: "opening-keynote", recap: "example-conf-2025") { id }
             c: day(date: "2025-06-10", recap: "example-conf-2025") { id } }"""
    )
    assert data["a"]["id"] == _id("Session", "serverless-wg-bof")
    assert data["b"]["id"] == _id("Session", "example-conf-2025/opening-keynote")
    assert data["c"]["id"] == _id("Day", "example-conf-2025/2025-06-10")
    for key in ("a", "b", "c"):
        refetched = two("query($id: ID!) { node(id: $id) { id } }", {"id": data[key]["id"]})
        assert refetched == {"node": {"id": data[key]["id"]}}
    assert two("query($id: ID!) { node(id: $id) { ... on Recap { slug } } }", {"id": _id("Recap", EXAMPLE)}) == {
        "node": {"slug": EXAMPLE}
    }
    assert two("query($id: ID!) { node(id: $id) { id } }", {"id": _id("Session", "nowhere/opening-keynote")}) == {
        "node": None
    }


def test_with_one_recap_the_root_answers_as_that_recap_does(gql: Gql) -> None:
    nested = "days { date sessions { slug } } sessions(first: 100) { totalCount } recommendations { slug }"
    data = gql(f"{{ {nested} recap {{ {nested} }} }}")
    recap = data.pop("recap")
    assert data == recap
