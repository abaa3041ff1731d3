"""Random and mutated documents and HTTP bodies: never a 5xx, always a GraphQL-shaped JSON answer."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from tests.support.repository import ROOT

EXAMPLE_FOLDER = ROOT / "recapql" / "examples"
EXAMPLES = [path.read_text(encoding="utf-8") for path in sorted(EXAMPLE_FOLDER.glob("*.graphql"))]
EXAMPLES += [
    "{ days { date title sessions { slug title takeaways projects { slug name } } } }",
    "query($s: String!) { session(slug: $s) { title projects { name sessions { slug } } } }",
    '{ search(query: "helm", first: 5) { score node { __typename ... on Session { title } } } }',
    '{ sessions(first: 3, filter: {topic: "security"}) { edges { cursor node { slug } } pageInfo { hasNextPage } } }',
]
GRAPHQL_PIECES = [*"{}()[]:!$@.,=\"'#\n ", "...", "on", "query", "fragment", "first:", "100", "null", "__schema"]
FUZZ = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


@st.composite
def mutated_documents(draw: st.DrawFn) -> str:
    """An example query with a few characters or GraphQL pieces deleted, inserted or replaced."""
    document = draw(st.sampled_from(EXAMPLES))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(document)))
        piece = draw(st.sampled_from(GRAPHQL_PIECES) | st.text(max_size=3))
        action = draw(st.sampled_from(["delete", "insert", "replace", "repeat"]))
        if action == "delete":
            document = document[:position] + document[position + 1 :]
        elif action == "insert":
            document = document[:position] + piece + document[position:]
        elif action == "replace":
            document = document[:position] + piece + document[position + len(piece) :]
        else:
            document = document[:position] + document[position : position + 20] * 3 + document[position:]
    return document


documents = mutated_documents() | st.text(max_size=200) | st.sampled_from(EXAMPLES)


def _assert_graphql_shaped(response: Any) -> None:
    assert response.status_code < 500, response.text
    body = response.json()
    assert isinstance(body, dict)
    assert "errors" in body or "data" in body
    if "errors" in body:
        assert all(isinstance(error["message"], str) for error in body["errors"])
        assert "Traceback" not in response.text


@FUZZ
@given(
    query=documents,
    variables=st.none() | st.dictionaries(st.sampled_from(["s", "slug", "first", "x"]), json_values, max_size=3),
    accept=st.sampled_from(["application/json", "application/graphql-response+json", "*/*", None]),
)
def test_random_documents_get_graphql_answers(
    client: TestClient, query: str, variables: dict[str, Any] | None, accept: str | None
) -> None:
    headers = {"accept": accept} if accept else {}
    _assert_graphql_shaped(client.post("/graphql", json={"query": query, "variables": variables}, headers=headers))
    _assert_graphql_shaped(
        client.get("/graphql", params={"query": query, "variables": json.dumps(variables)}, headers=headers)
    )


@FUZZ
@given(
    body=st.binary(max_size=300)
    | json_values.map(lambda value: json.dumps(value).encode())
    | st.fixed_dictionaries(
        {},
        optional={
            "query": st.none() | st.integers() | documents,
            "variables": json_values,
            "operationName": json_values,
            "extensions": json_values | st.just({"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}),
        },
    ).map(lambda value: json.dumps(value).encode()),
    content_type=st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain", ""]),
    method=st.sampled_from(["POST", "POST", "POST", "PUT", "DELETE", "PATCH"]),
)
def test_random_http_bodies_get_graphql_shaped_refusals(
    client: TestClient, body: bytes, content_type: str, method: str
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    _assert_graphql_shaped(client.request(method, "/graphql", content=body, headers=headers))


def test_the_server_still_answers_after_the_fuzzing(client: TestClient) -> None:
    # Runs after the two tests above in this module (pytest keeps file order).
    body = client.post("/graphql", json={"query": "{ days { date sessions { slug } } }"}).json()
    assert [len(day["sessions"]) for day in body["data"]["days"]] == [1, 8, 7, 8]
