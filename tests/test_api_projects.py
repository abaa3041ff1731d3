"""Projects over HTTP: lookup, filters, pagination and their relations."""

from __future__ import annotations

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
