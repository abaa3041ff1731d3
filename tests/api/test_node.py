"""Global ids: every Day, Session, Project and Recommendation can be refetched with node(id:)."""

from __future__ import annotations

import base64

import pytest

from tests.support.api import Gql, GqlErrors

REFETCH = """
query Refetch($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on Day { date }
    ... on Session { slug }
    ... on Project { slug }
    ... on Recommendation { slug }
  }
}
"""


@pytest.mark.parametrize(
    ("lookup", "field", "typename"),
    [
        ('day(date: "2018-05-02")', "date", "Day"),
        ('session(slug: "serverless-wg-bof")', "slug", "Session"),
        ('project(slug: "prometheus")', "slug", "Project"),
        ("recommendations(kind: READ)", "slug", "Recommendation"),
    ],
)
def test_every_node_type_refetches_by_id(gql: Gql, lookup: str, field: str, typename: str) -> None:
    found = gql(f"{{ found: {lookup} {{ id {field} }} }}")["found"]
    original = found[0] if isinstance(found, list) else found
    node = gql(REFETCH, {"id": original["id"]})["node"]
    assert node["__typename"] == typename
    assert node["id"] == original["id"]
    assert node[field] == original[field]


def test_every_id_is_unique_and_refetchable(gql: Gql) -> None:
    data = gql("{ days { id sessions { id projects { id } recommendations { id } } } recommendations { id } }")
    ids = {day["id"] for day in data["days"]}
    ids |= {item["id"] for item in data["recommendations"]}
    for day in data["days"]:
        for session in day["sessions"]:
            ids |= {session["id"], *(p["id"] for p in session["projects"])}
    for node_id in ids:
        assert gql(REFETCH, {"id": node_id})["node"]["id"] == node_id


def test_an_unknown_id_of_a_known_type_gives_null(gql: Gql) -> None:
    node_id = base64.b64encode(b"Session:not-a-session").decode()
    assert gql(REFETCH, {"id": node_id}) == {"node": None}


def test_an_id_that_is_not_ours_is_an_error(gql_errors: GqlErrors) -> None:
    assert gql_errors(REFETCH, {"id": "hello"}) == ['Value cannot represent a GlobalID: "hello".']


def test_an_id_of_a_type_that_is_not_a_node_is_an_error(gql_errors: GqlErrors) -> None:
    node_id = base64.b64encode(b"Source:security").decode()  # Topic was no node before it had an id
    assert gql_errors(REFETCH, {"id": node_id}) == [
        "Cannot resolve. GlobalID requires a GraphQL Node type, received `Source`."
    ]
