"""Abuse limits: each one refuses with a GraphQL error naming the limit and its value, and each is configurable."""

from __future__ import annotations

import time
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.support.api import ClientWith

NEW = "application/graphql-response+json"


def _refusal(client: TestClient, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """The error by which a limit refused `query` (other rules may report more errors beside it)."""
    response = client.post("/graphql", json={"query": query, "variables": variables}, headers={"accept": NEW})
    assert response.status_code == 400, response.text
    body = response.json()
    assert "data" not in body
    by_limit = [error for error in body["errors"] if error.get("extensions", {}).get("code") == "QUERY_LIMIT_EXCEEDED"]
    assert len(by_limit) == 1, body
    return dict(by_limit[0])


def _answers(client: TestClient, query: str) -> None:
    body = client.post("/graphql", json={"query": query}).json()
    assert "errors" not in body, body


def _nested(depth: int) -> str:
    """A query of `depth` (graphql-depth-limit's measure: `{ session(slug: …) { slug } }` is 1 deep).

    session → day → sessions → day → sessions → … → slug (or date): deep, yet cheap, since a day
    holds 8 sessions at most and a session has one day (a costly query would meet the cost limit first).
    """
    fields = ['session(slug: "serverless-wg-bof")', *["day", "sessions"] * 4][:depth]
    leaf = "date" if fields[-1] == "day" else "slug"
    return "{ " + " { ".join(fields) + f" {{ {leaf}" + " }" * (depth + 1)


def _aliases(count: int) -> str:
    return "{ " + " ".join(f"a{index}: recap {{ city }}" for index in range(count)) + " }"


def _directives(count: int) -> str:
    return "{ " + " ".join(f"a{index}: __typename @include(if: true)" for index in range(count)) + " }"


def test_depth_6_answers_and_7_is_refused(client: TestClient) -> None:
    _answers(client, _nested(6))
    error = _refusal(client, _nested(7))
    assert error["message"] == "'anonymous' exceeds maximum operation depth of 6"
    assert error["extensions"] == {"code": "QUERY_LIMIT_EXCEEDED", "limit": "depth"}


def test_15_aliases_answer_and_16_are_refused(client: TestClient) -> None:
    _answers(client, _aliases(15))
    error = _refusal(client, _aliases(16))
    assert error["message"] == "16 aliases found. Allowed: 15"
    assert error["extensions"]["limit"] == "aliases"


def _tokens(count: int) -> str:
    return "{ days {" + " date" * (count - 5) + " } }"


def test_more_than_1000_tokens_are_refused_before_parsing_ends(client: TestClient) -> None:
    # 1000 tokens parse (graphql-core's own guard on overlapping fields then stops them).
    at_limit = client.post("/graphql", json={"query": _tokens(1000)}).json()
    assert at_limit["errors"] == [
        {"message": "Validation aborted.", "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}
    ]
    error = _refusal(client, _tokens(1001))
    assert error["message"] == "Syntax Error: Document contains more than 1000 tokens. Parsing aborted."
    assert error["extensions"]["limit"] == "tokens"


def test_more_than_50_directives_are_refused(client_with: ClientWith) -> None:
    # 50 directives need 50 aliases: raise the alias limit so only the directive limit speaks.
    with client_with(max_aliases=100) as client:
        _answers(client, _directives(50))
        error = _refusal(client, _directives(51))
    assert error["message"] == "The document has more than 50 directives, the maximum."
    assert error["extensions"]["limit"] == "directives"


def test_a_document_over_15000_characters_is_refused(client: TestClient) -> None:
    padded = "{ days { date } }" + " " * (15_000 - 17)
    _answers(client, padded)
    error = _refusal(client, padded + " ")
    assert error["message"] == "The document has 15001 characters, above the maximum of 15000."
    assert error["extensions"]["limit"] == "document_chars"


def test_a_costly_query_is_refused_before_it_runs(client: TestClient) -> None:
    query = "{ sessions(first: 100) { edges { node { projects { sessions { projects { name } } } } } } }"
    error = _refusal(client, query)
    assert error["message"].startswith("'anonymous' has a cost of ")
    assert "above the maximum query cost of 5000" in error["message"]
    assert error["extensions"]["limit"] == "cost"


def test_the_cost_counts_first_from_variables_and_fragments(client: TestClient) -> None:
    query = """
        query Pages($n: Int = 100) { sessions(first: $n) { nodes { ...Deep } } }
        fragment Deep on Session { projects { sessions { projects { name } } } }
    """
    assert _refusal(client, query)["extensions"]["limit"] == "cost"
    small = query.replace("$n: Int = 100", "$n: Int = 2")
    assert "errors" not in client.post("/graphql", json={"query": small}).json()


def test_fragments_spreading_each_other_twice_are_refused_at_once(client: TestClient) -> None:
    # Thirty levels stand for 2**30 fields; a rule that walked every spread again would take hours.
    levels = 30
    fragments = " ".join(f"fragment F{n} on Query {{ ...F{n + 1} ...F{n + 1} }}" for n in range(levels))
    query = f"{{ ...F0 }} {fragments} fragment F{levels} on Query {{ a: days {{ date }} }}"
    started = time.perf_counter()
    body = client.post("/graphql", json={"query": query}).json()
    assert time.perf_counter() - started < 2
    limits = {error["extensions"]["limit"] for error in body["errors"]}
    assert limits == {"aliases", "cost"}
    [aliases] = [error for error in body["errors"] if error["extensions"]["limit"] == "aliases"]
    assert aliases["message"] == f"{2**levels} aliases found. Allowed: 15"


def test_the_frontend_s_nested_query_is_well_within_the_cost(client: TestClient) -> None:
    _answers(client, "{ days { date title sessions { slug title takeaways projects { slug name } } } }")
    _answers(client, "{ sessions(first: 100) { nodes { slug projects { slug sessions { slug } } } } }")


@pytest.mark.parametrize(
    ("setting", "query", "limit"),
    [
        ({"max_depth": 2}, _nested(3), "depth"),
        ({"max_aliases": 1}, _aliases(2), "aliases"),
        ({"max_tokens": 10}, _tokens(11), "tokens"),
        ({"max_directives": 1}, _directives(2), "directives"),
        ({"max_cost": 3}, "{ days { date title } }", "cost"),
        ({"max_document_chars": 10}, "{ days { date } }", "document_chars"),
    ],
)
def test_every_limit_is_configurable(client_with: ClientWith, setting: dict[str, int], query: str, limit: str) -> None:
    with client_with(**setting) as client:
        error = _refusal(client, query)
    assert error["extensions"] == {"code": "QUERY_LIMIT_EXCEEDED", "limit": limit}
    assert str(next(iter(setting.values()))) in error["message"]


@pytest.mark.parametrize("first", [0, 101, -1])
def test_first_outside_1_to_100_is_refused_everywhere(client: TestClient, first: int) -> None:
    for field in ("sessions", "projects"):
        body = client.post("/graphql", json={"query": f"{{ {field}(first: {first}) {{ totalCount }} }}"}).json()
        assert body["errors"][0]["message"] == f"Argument 'first' must be between 1 and 100, got {first}"
    search = client.post("/graphql", json={"query": f'{{ search(query: "helm", first: {first}) {{ score }} }}'})
    assert search.json()["errors"][0]["message"] == f"Argument 'first' must be between 1 and 100, got {first}"


def test_suggestions_show_in_development_and_hide_in_production(client: TestClient, client_with: ClientWith) -> None:
    query = "{ dayz { date } }"
    shown = client.post("/graphql", json={"query": query}).json()["errors"][0]["message"]
    assert shown == "Cannot query field 'dayz' on type 'Query'. Did you mean 'day' or 'days'?"
    with client_with(env="production") as production:
        hidden = production.post("/graphql", json={"query": query}).json()["errors"][0]["message"]
        enum = production.post("/graphql", json={"query": "{ recommendations(kind: WATCHH) { title } }"})
    assert hidden == "Cannot query field 'dayz' on type 'Query'."
    assert "Did you mean" not in enum.text


INTROSPECTION = "{ __schema { queryType { name } } }"


def test_introspection_is_on_in_development(client: TestClient) -> None:
    assert client.post("/graphql", json={"query": INTROSPECTION}).json()["data"] == {
        "__schema": {"queryType": {"name": "Query"}}
    }


def test_introspection_is_off_in_production_unless_enabled(client_with: ClientWith) -> None:
    with client_with(env="production") as client:
        refused = client.post("/graphql", json={"query": INTROSPECTION}).json()
        assert client.post("/graphql", json={"query": "{ recap { city } }"}).json()["data"]["recap"]["city"]
    assert refused["errors"][0]["message"].startswith("GraphQL introspection has been disabled")
    with client_with(env="production", introspection=True) as client:
        assert client.post("/graphql", json={"query": INTROSPECTION}).json()["data"]


def test_csrf_prevention_is_off_by_default(client: TestClient) -> None:
    assert client.get("/graphql", params={"query": "{ recap { city } }"}).status_code == 200


def test_csrf_prevention_demands_a_preflight_header_on_get(client_with: ClientWith) -> None:
    with client_with(csrf_prevention=True) as client:
        refused = client.get("/graphql", params={"query": "{ recap { city } }"})
        allowed = client.get(
            "/graphql", params={"query": "{ recap { city } }"}, headers={"apollo-require-preflight": "true"}
        )
        json_post = client.post("/graphql", json={"query": "{ recap { city } }"})
        page = client.get("/graphql", headers={"accept": "text/html"})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["extensions"]["code"] == "CSRF_PREVENTION"
    assert allowed.status_code == 200
    assert json_post.status_code == 200  # a JSON POST always needs a preflight cross-site
    assert page.status_code == 200  # GraphiQL's page runs nothing


def test_no_origin_may_call_cross_site_by_default(client: TestClient) -> None:
    response = client.options(
        "/graphql", headers={"origin": "https://evil.example", "access-control-request-method": "POST"}
    )
    assert "access-control-allow-origin" not in response.headers


def test_origins_on_the_allow_list_may_call(client_with: ClientWith) -> None:
    with client_with(cors_origins=("https://agenda.example",)) as client:
        preflight = client.options(
            "/graphql",
            headers={
                "origin": "https://agenda.example",
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type",
            },
        )
        other = client.options(
            "/graphql", headers={"origin": "https://evil.example", "access-control-request-method": "POST"}
        )
        answer = client.post(
            "/graphql", json={"query": "{ recap { city } }"}, headers={"origin": "https://agenda.example"}
        )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://agenda.example"
    assert other.status_code == 400
    assert "access-control-allow-origin" not in other.headers
    assert answer.headers["access-control-allow-origin"] == "https://agenda.example"
