"""Projects over HTTP: lookup, filters (any-of lists too), orders, facets, pagination and their relations."""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from store import RecapIndex, Store
from store.records import Project
from tests.support.api import Gql, GqlErrors


def test_a_project_is_found_by_slug(gql: Gql) -> None:
    data = gql('{ project(slug: "linkerd") { name category description topics url sessions { slug } } }')
    project = data["project"]
    assert project["name"] == "Linkerd"
    assert project["category"] == "PROJECT"
    assert project["url"] is None
    assert "service mesh" in project["topics"]
    assert [session["slug"] for session in project["sessions"]] == [
        "evolving-systems-design-from-unreliable-rpc-to-resilience-with-linkerd",
        "observability-and-the-depths-of-debugging-cloud-native-applications-using-linkerd-and-conduit",
    ]


def test_an_unknown_project_gives_null(gql: Gql) -> None:
    assert gql('{ project(slug: "kubernetes-2") { name } }') == {"project": None}


def test_projects_are_listed_by_name_across_pages(gql: Gql) -> None:
    first = gql("{ projects(first: 30) { totalCount nodes { name } pageInfo { hasNextPage endCursor } } }")["projects"]
    assert first["totalCount"] >= 30
    rest = gql(
        "query($after: String) { projects(first: 100, after: $after) { nodes { name } pageInfo { hasNextPage } } }",
        {"after": first["pageInfo"]["endCursor"]},
    )["projects"]
    names = [node["name"] for node in first["nodes"] + rest["nodes"]]
    assert len(names) == first["totalCount"]
    assert names == sorted(names, key=str.casefold)
    assert rest["pageInfo"]["hasNextPage"] is False


def test_projects_filter_by_topic_and_text(gql: Gql) -> None:
    by_topic = gql('{ projects(filter: { topic: "Service Mesh" }) { nodes { slug } } }')["projects"]["nodes"]
    assert {node["slug"] for node in by_topic} == {"conduit", "istio", "linkerd"}
    by_text = gql('{ projects(filter: { text: "runtime" }) { nodes { slug } } }')["projects"]["nodes"]
    assert {"containerd", "rkt", "cri-o", "lxc", "kata", "docker", "cri", "oci"} <= {node["slug"] for node in by_text}


def test_projects_and_recommendations_link_both_ways(gql: Gql) -> None:
    data = gql("{ projects(first: 100) { nodes { slug recommendations { project { slug } } } } }")
    for project in data["projects"]["nodes"]:
        for recommendation in project["recommendations"]:
            assert recommendation["project"] == {"slug": project["slug"]}


def test_projects_first_out_of_range_is_an_error(gql_errors: GqlErrors) -> None:
    assert gql_errors("{ projects(first: 500) { totalCount } }") == [
        "Argument 'first' must be between 1 and 100, got 500"
    ]


ORDERED = """
query Ordered($order: ProjectOrder, $filter: ProjectFilter, $first: Int = 100, $after: String) {
  projects(orderBy: $order, filter: $filter, first: $first, after: $after) {
    totalCount
    nodes { slug }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def _slugs(data: dict[str, Any]) -> list[str]:
    return [node["slug"] for node in data["projects"]["nodes"]]


def _by_hand(recaps: list[RecapIndex], field: str, direction: str) -> list[str]:
    """The order `orderBy` defines, worked out here from the records of `recaps`."""
    pairs = [(number, recap, project) for number, recap in enumerate(recaps) for project in recap.projects]

    def name(entry: tuple[int, RecapIndex, Project]) -> tuple[str, str]:
        return entry[2].name.casefold(), entry[2].slug

    def sessions(entry: tuple[int, RecapIndex, Project]) -> int:
        recap, project = entry[1], entry[2]
        return sum(project.slug in session.projects for session in recap.sessions)

    # Ties: by name (for SESSION_COUNT), then recap order, whatever the direction: stable sorts.
    ordered = sorted(pairs, key=lambda entry: entry[0])
    if field == "SESSION_COUNT":
        ordered = sorted(ordered, key=name)
    ordered = sorted(ordered, key=name if field == "NAME" else sessions, reverse=direction == "DESC")
    return [project.slug for _, _, project in ordered]


@pytest.mark.parametrize("direction", ["ASC", "DESC"])
@pytest.mark.parametrize("field", ["NAME", "SESSION_COUNT"])
def test_each_order_and_direction_on_the_kubecon_recap(gql: Gql, index: RecapIndex, field: str, direction: str) -> None:
    assert _slugs(gql(ORDERED, {"order": {"field": field, "direction": direction}})) == _by_hand(
        [index], field, direction
    )


def test_the_most_mentioned_projects_first_ties_by_name(gql: Gql, index: RecapIndex) -> None:
    nodes = gql(
        "{ projects(orderBy: {field: SESSION_COUNT, direction: DESC}, first: 100) { nodes { name sessions { id } } } }"
    )["projects"]["nodes"]
    assert nodes[0]["name"] == "Kubernetes"
    counts = [len(node["sessions"]) for node in nodes]
    assert counts == sorted(counts, reverse=True)
    for count in set(counts):
        names = [node["name"] for node in nodes if len(node["sessions"]) == count]
        assert names == sorted(names, key=str.casefold)
    # The default is today's order: by name.
    assert _slugs(gql(ORDERED)) == [project.slug for project in index.projects]
    assert _slugs(gql(ORDERED, {"order": {"field": "NAME"}})) == _slugs(gql(ORDERED))


@pytest.fixture(scope="module")
def two_store(two_recaps_path: Path) -> Store:
    return Store.open(two_recaps_path)


@pytest.mark.parametrize("direction", ["ASC", "DESC"])
@pytest.mark.parametrize("field", ["NAME", "SESSION_COUNT"])
def test_an_order_runs_across_every_recap(two: Gql, two_store: Store, field: str, direction: str) -> None:
    order = {"field": field, "direction": direction}
    assert _slugs(two(ORDERED, {"order": order})) == _by_hand(list(two_store.recaps), field, direction)
    example = two_store.by_slug["example-conf-2025"]
    own = two(
        """query($order: ProjectOrder) {
             recap(slug: "example-conf-2025") { projects(orderBy: $order) { nodes { slug } } } }""",
        {"order": order},
    )["recap"]
    assert [node["slug"] for node in own["projects"]["nodes"]] == _by_hand([example], field, direction)


def test_any_of_filters_on_projects(gql: Gql, index: RecapIndex) -> None:
    cases: list[tuple[dict[str, Any], Callable[[Project], bool]]] = [
        ({"categories": ["TOOL", "SERVICE"]}, lambda project: project.category in {"TOOL", "SERVICE"}),
        (
            {"topics": ["Service Mesh", "monitoring"]},
            lambda project: bool({t.casefold() for t in project.topics} & {"service mesh", "monitoring"}),
        ),
        (
            {"categories": ["PROJECT"], "topics": ["containers", "security"]},
            lambda project: (
                project.category == "PROJECT"
                and bool({t.casefold() for t in project.topics} & {"containers", "security"})
            ),
        ),
        # `topic` still works, and ANDs with `topics`.
        ({"topic": "monitoring", "topics": ["monitoring", "storage"]}, lambda project: "monitoring" in project.topics),
        ({"categories": []}, lambda project: True),
    ]
    for where, test in cases:
        data = gql(ORDERED, {"filter": where})
        expected = [project.slug for project in index.projects if test(project)]
        assert _slugs(data) == expected, where
        assert data["projects"]["totalCount"] == len(expected)
    assert [project for project in index.projects if cases[2][1](project)]


FACETS = """
query Facets($filter: ProjectFilter) {
  projects(filter: $filter, first: 2) {
    totalCount
    facets { categories { value count } topics { value count } }
  }
}
"""


def _facets_by_hand(projects: list[Project], names: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    counted: dict[str, Counter[str]] = {"categories": Counter(), "topics": Counter()}
    for project in projects:
        counted["categories"][project.category] += 1
        counted["topics"].update({names[topic.casefold()] for topic in project.topics})
    return {
        facet: [
            {"value": value, "count": count}
            for value, count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0].casefold(), pair[0]))
        ]
        for facet, counts in counted.items()
    }


def test_project_facets_count_the_whole_filtered_list(gql: Gql, two: Gql, index: RecapIndex, two_store: Store) -> None:
    names = {topic.name.casefold(): topic.name for recap in two_store.recaps[::-1] for topic in recap.topics}
    data = gql(FACETS)["projects"]
    assert data["facets"] == _facets_by_hand(list(index.projects), names)
    assert sum(item["count"] for item in data["facets"]["categories"]) == data["totalCount"] == len(index.projects)
    where = {"categories": ["PROJECT", "TOOL"]}
    chosen = [project for project in index.projects if project.category in {"PROJECT", "TOOL"}]
    assert gql(FACETS, {"filter": where})["projects"]["facets"] == _facets_by_hand(chosen, names)
    everything = [project for recap in two_store.recaps for project in recap.projects]
    assert two(FACETS)["projects"]["facets"] == _facets_by_hand(everything, names)


def test_a_project_cursor_holds_only_for_its_order_and_filter(client: TestClient, gql: Gql) -> None:
    cursor = gql(ORDERED, {"first": 5})["projects"]["pageInfo"]["endCursor"]
    assert base64.b64decode(cursor) == b"arrayconnection:4"  # the default list's cursors are today's
    everything = _slugs(gql(ORDERED))
    assert _slugs(gql(ORDERED, {"after": cursor, "order": {"field": "NAME"}})) == everything[5:]
    body = client.post(
        "/graphql", json={"query": ORDERED, "variables": {"after": cursor, "order": {"field": "SESSION_COUNT"}}}
    ).json()
    [error] = body["errors"]
    assert error["message"].startswith("Argument 'after' is a cursor of the order NAME ASC, not SESSION_COUNT ASC;")
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    filtered = gql(ORDERED, {"first": 2, "filter": {"categories": ["TOOL"]}})["projects"]["pageInfo"]["endCursor"]
    body = client.post(
        "/graphql", json={"query": ORDERED, "variables": {"after": filtered, "filter": {"categories": ["SERVICE"]}}}
    ).json()
    assert body["errors"][0]["message"].startswith("Argument 'after' is a cursor of another filter, not this one;")
