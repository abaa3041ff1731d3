"""Sessions over HTTP: lookup, filters, pagination and their relations."""

from __future__ import annotations

import pytest

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
