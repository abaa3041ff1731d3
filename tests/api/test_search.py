"""Search over HTTP: ranked, case-insensitive, across sessions, projects and recommendations."""

from __future__ import annotations

import pytest

from tests.support.api import Gql, GqlErrors

SEARCH = """
query Search($query: String!, $first: Int) {
  search(query: $query, first: $first) {
    score
    node {
      __typename
      ... on Session { slug }
      ... on Project { slug }
      ... on Recommendation { slug }
    }
  }
}
"""


def _hits(gql: Gql, query: str, first: int | None = None) -> list[tuple[str, str]]:
    data = gql(SEARCH, {"query": query, "first": first})
    scores = [hit["score"] for hit in data["search"]]
    assert scores == sorted(scores, reverse=True)
    return [(hit["node"]["__typename"], hit["node"]["slug"]) for hit in data["search"]]


def test_the_exact_project_name_comes_first(gql: Gql) -> None:
    assert _hits(gql, "jsonnet")[:2] == [
        ("Project", "jsonnet"),
        ("Session", "prometheus-monitoring-mixins-using-jsonnet-to-package-together-dashboards-alerts-and-exporters"),
    ]


def test_search_is_case_insensitive(gql: Gql) -> None:
    assert _hits(gql, "GVISOR") == _hits(gql, "gvisor")


def test_search_finds_takeaways(gql: Gql) -> None:
    assert ("Session", "stories-from-the-playbook") in _hits(gql, "fingerprinting")


def test_search_finds_topics_and_descriptions(gql: Gql) -> None:
    linkerd_talk = "evolving-systems-design-from-unreliable-rpc-to-resilience-with-linkerd"
    assert ("Session", linkerd_talk) in _hits(gql, "bulk head")
    assert ("Project", "conduit") in _hits(gql, "sidecar pattern")
    assert ("Session", "day-3-keynotes") in _hits(gql, "machine learning")


def test_a_title_containing_the_whole_phrase_wins(gql: Gql) -> None:
    assert _hits(gql, "crossing the river")[0] == ("Session", "crossing-the-river-by-feeling-the-stones")


def test_search_returns_every_kind_of_node(gql: Gql) -> None:
    kinds = {kind for kind, _ in _hits(gql, "service mesh", first=20)}
    assert kinds == {"Session", "Project", "Recommendation"}


def test_first_limits_the_hits(gql: Gql) -> None:
    assert len(_hits(gql, "kubernetes", first=3)) == 3
    assert len(_hits(gql, "kubernetes")) == 10


def test_nothing_found_is_an_empty_list(gql: Gql) -> None:
    assert _hits(gql, "blockchain") == []


@pytest.mark.parametrize(
    ("query", "first", "message"),
    [
        ("   ", None, "Argument 'query' must contain at least one letter or digit"),
        ("istio", 0, "Argument 'first' must be between 1 and 100, got 0"),
        ("istio", 1000, "Argument 'first' must be between 1 and 100, got 1000"),
    ],
)
def test_bad_search_arguments_are_errors(gql_errors: GqlErrors, query: str, first: int | None, message: str) -> None:
    assert gql_errors(SEARCH, {"query": query, "first": first}) == [message]
