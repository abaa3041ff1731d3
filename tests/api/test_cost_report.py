"""`extensions.cost` on every answer: the cost limit's own number for the operation run, and the limit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphql import parse
from starlette.testclient import TestClient

from recapql.app import create_app
from recapql.settings import Settings
from schema import Context, schema
from schema.limits.cost import operation_costs
from store import Store
from tests.support.api import ClientWith
from tests.support.repository import ROOT

EXAMPLES = sorted((ROOT / "recapql" / "examples").glob("*.graphql"))
FACETED = """
query Faceted($first: Int = 5) {
  sessions(first: $first, orderBy: {field: DAY, direction: DESC}, filter: {kinds: [TALK, KEYNOTE]}) {
    totalCount
    facets { kinds { value count } topics { value count } days { value count } projects { value count } }
    nodes { title topicNodes { id name } }
  }
  projects(orderBy: {field: SESSION_COUNT, direction: DESC}) { facets { categories { value } topics { count } } }
}
"""
NODES = 'query Nodes { nodes(ids: ["VG9waWM6c2VjdXJpdHk="]) { id ... on Topic { name sessions { title } } } }'
TWO = "query A { recap { city } } query B { topics { name sessions { slug } } }"


def _cost(document: str, store: Store, operation: str | None = None) -> int:
    costs = operation_costs(schema._schema, parse(document), store.fan_outs)
    return costs[operation] if operation is not None else next(iter(costs.values()))


def _post(client: TestClient, query: str, **more: Any) -> dict[str, Any]:
    body: dict[str, Any] = client.post("/graphql", json={"query": query, **more}).json()
    return body


@pytest.mark.parametrize(
    "document", [*(path.read_text(encoding="utf-8") for path in EXAMPLES), FACETED, NODES], ids=lambda _: ""
)
def test_the_estimate_is_what_the_cost_limit_computes(client: TestClient, store: Store, document: str) -> None:
    body = _post(client, document)
    assert "errors" not in body, body
    assert body["extensions"] == {"cost": {"estimated": _cost(document, store), "maximum": 5000}}
    assert body["extensions"]["cost"]["estimated"] > 1


def test_the_estimate_is_of_the_operation_that_runs(client: TestClient, store: Store) -> None:
    costs = operation_costs(schema._schema, parse(TWO), store.fan_outs)
    assert costs["A"] != costs["B"]
    for name in ("A", "B"):
        assert _post(client, TWO, operationName=name)["extensions"]["cost"]["estimated"] == costs[name]


def test_the_maximum_is_the_setting_and_a_refusal_says_by_how_much(client_with: ClientWith, store: Store) -> None:
    topics = "{ topics { name sessions { projects { slug } } } }"
    counted = _cost(topics, store)
    with client_with(max_cost=counted) as client:
        assert _post(client, topics)["extensions"] == {"cost": {"estimated": counted, "maximum": counted}}
    with client_with(max_cost=counted - 1) as client:
        refused = _post(client, topics)
    assert refused["errors"][0]["extensions"]["code"] == "QUERY_LIMIT_EXCEEDED"
    assert refused["extensions"] == {"cost": {"estimated": counted, "maximum": counted - 1}}


def test_a_cached_answer_carries_it_too(client_with: ClientWith, store: Store) -> None:
    expected = {"cost": {"estimated": _cost(FACETED, store), "maximum": 4321}}
    with client_with(max_cost=4321) as client:
        first = client.get("/graphql", params={"query": FACETED})
        again = client.get("/graphql", params={"query": FACETED})
        posted = client.post("/graphql", json={"query": FACETED, "variables": {"first": 2}})
    assert first.content == again.content  # the same bytes, from the cache
    assert again.json()["extensions"] == expected
    # Variables change no cost (a variable is priced by its default), only the answer.
    assert posted.json()["extensions"] == expected
    assert len(posted.json()["data"]["sessions"]["nodes"]) == 2


def test_each_store_prices_with_its_own_lists(two_recaps_path: Path, client: TestClient, store: Store) -> None:
    two = Store.open(two_recaps_path)
    assert two.fan_outs != store.fan_outs
    with TestClient(create_app(Settings(store_path=two_recaps_path))) as two_client:
        answer = _post(two_client, FACETED)
    assert answer["extensions"]["cost"]["estimated"] == _cost(FACETED, two) != _cost(FACETED, store)
    assert _post(client, FACETED)["extensions"]["cost"]["estimated"] == _cost(FACETED, store)


@pytest.mark.parametrize(
    ("document", "estimated"),
    [("{ recap { city ", 0), ("{ dayz }", 0), ("{ days { date nope } }", 1 + 4 * (1 + 0))],
    ids=["syntax", "unknown-field", "partly-unknown"],
)
def test_a_document_that_cannot_run_still_carries_it(client: TestClient, document: str, estimated: int) -> None:
    body = _post(client, document)
    assert body["errors"]
    assert body["extensions"] == {"cost": {"estimated": estimated, "maximum": 5000}}


def test_the_command_line_prints_it_as_the_endpoint_answers(store: Store) -> None:
    context = Context(store=store)
    result = schema.execute_sync(NODES, context_value=context)
    assert result.extensions == {"cost": {"estimated": _cost(NODES, store), "maximum": 5000}}
    # Without recapql's context (a bare schema call) there is nothing to price by: no extension.
    assert schema.execute_sync("{ __typename }").extensions == {}


def test_the_endpoint_s_own_refusals_carry_it_too(client_with: ClientWith) -> None:
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
    with client_with(max_document_chars=50, max_cost=777) as client:
        too_long = client.post("/graphql", json={"query": "{ recap { city } }" + " " * 60}).json()
        unknown = client.post("/graphql", json={"extensions": persisted}).json()
    assert too_long["errors"][0]["extensions"]["limit"] == "document_chars"
    assert unknown["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    for refused in (too_long, unknown):
        assert refused["extensions"] == {"cost": {"estimated": 0, "maximum": 777}}
