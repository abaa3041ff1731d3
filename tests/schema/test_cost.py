"""Query cost from the store's real sizes: counted by hand on the recap, refused on a large generated store.

A list costs what the answering store can put in it at most (its `FanOuts`), so one document is
cheap on the recap and refused on a store whose topics hold thousands of sessions.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from graphql import (
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLUnionType,
    get_named_type,
    parse,
)
from starlette.testclient import TestClient

from recapql.app import create_app
from recapql.settings import Settings
from schema import schema
from schema.limits.cost import LIST_RELATIONS, operation_costs
from schema.limits.enforcement import DEFAULT_LIMITS
from seed.synthetic import synthetic_dataset
from store import Store, write_dataset
from store.fan_outs import FanOuts
from tests.support.api import ClientWith
from tests.support.repository import ROOT

EXAMPLES = sorted((ROOT / "recapql" / "examples").glob("*.graphql"))
TOPICS = "{ topics { name sessions { projects { slug } } } }"
MAX_COST = DEFAULT_LIMITS.max_cost
# Small enough to build in a fraction of a second, large enough that a topic holds hundreds of sessions.
LARGE = {"sessions": 2000, "projects": 400}


def _cost(document: str, store: Store) -> int:
    [cost] = operation_costs(schema._schema, parse(document), store.fan_outs).values()
    return cost


def _agenda() -> str:
    """The agenda's nested query, as recapql/pages/static/agenda/agenda.js sends it."""
    script = (ROOT / "recapql" / "pages" / "static" / "agenda" / "agenda.js").read_text(encoding="utf-8")
    [lines] = re.findall(r"var AGENDA = \[(.*?)\]\.join\(\"\\n\"\);", script, flags=re.DOTALL)
    return "\n".join(json.loads(f"[{lines.strip().rstrip(',')}]"))


@pytest.fixture(scope="module")
def large_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("large")
    write_dataset(folder / "store.json", synthetic_dataset(LARGE["sessions"], LARGE["projects"]))
    return folder / "store.json"


@pytest.fixture(scope="module")
def large_store(large_store_path: Path) -> Store:
    return Store.open(large_store_path)


@pytest.fixture(scope="module")
def large_client(large_store_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store_path=large_store_path))) as client:
        yield client


@pytest.mark.parametrize(
    ("document", "counted"),
    [
        # days: 1, each of the 4 days' dates: 4.
        ("{ days { date } }", 1 + 4 * 1),
        # topics: 1; per topic (35): name 1, sessions 1 + per session (4 at most) projects 1 + 8 slugs.
        (TOPICS, 1 + 35 * (1 + 1 + 4 * (1 + 8 * 1))),
        # a connection: itself 1, totalCount 1, nodes 1 + a page of 3 slugs.
        ("{ sessions(first: 3) { totalCount nodes { slug } } }", 1 + 1 + (1 + 3 * 1)),
        # a page of 100 holds the 24 sessions there are: edges 1 + 24 * (cursor, node 1 + slug).
        ("{ sessions(first: 100) { edges { cursor node { slug } } } }", 1 + (1 + 24 * (1 + 1 + 1))),
        # search's default first is 10: per hit score 1, node 1 + __typename 1 + title 1.
        ('{ search(query: "helm") { score node { __typename ... on Session { title } } } }', 1 + 10 * (1 + 3)),
        # topThree holds nothing in this store (the source's list is empty); changes holds one.
        ("{ recap { topThree { title } changes { date } } }", 1 + (1 + 0) + (1 + 1 * 1)),
        # a variable's default is the page; a fragment counts where it is spread: 2 * (projects 1 + 8).
        (
            "query Q($n: Int = 2) { sessions(first: $n) { nodes { ...P } } } "
            "fragment P on Session { projects { name } }",
            1 + (1 + 2 * (1 + 8 * 1)),
        ),
        # a project's sessions (9 at most), each with its day; its recommendations (2 at most).
        (
            '{ project(slug: "linkerd") { sessions { day { date } } recommendations { title } } }',
            1 + (1 + 9 * (1 + 1)) + (1 + 2 * 1),
        ),
    ],
    ids=["days", "topics", "page", "page-larger-than-store", "search", "recap", "variable-fragment", "project"],
)
def test_the_cost_is_what_the_store_holds_counted_by_hand(store: Store, document: str, counted: int) -> None:
    assert _cost(document, store) == counted


def test_the_app_refuses_one_above_and_answers_at_the_counted_cost(client_with: ClientWith, store: Store) -> None:
    counted = 1 + 35 * (1 + 1 + 4 * (1 + 8 * 1))
    with client_with(max_cost=counted) as client:
        assert "errors" not in client.post("/graphql", json={"query": TOPICS}).json()
    with client_with(max_cost=counted - 1) as client:
        [error] = client.post("/graphql", json={"query": TOPICS}).json()["errors"]
    assert error["message"].startswith(f"'anonymous' has a cost of {counted}, above the maximum query cost of 1330 ")
    assert error["extensions"] == {"code": "QUERY_LIMIT_EXCEEDED", "limit": "cost"}


def test_the_expensive_shape_is_allowed_on_the_recap_and_refused_on_a_large_store(
    client: TestClient, large_client: TestClient, store: Store, large_store: Store
) -> None:
    # The recap's app first: its answer is cached; the large store's app must still price it anew.
    assert "errors" not in client.post("/graphql", json={"query": TOPICS}).json()
    body = large_client.post("/graphql", json={"query": TOPICS}).json()
    [error] = body["errors"]
    assert "data" not in body
    assert error["extensions"] == {"code": "QUERY_LIMIT_EXCEEDED", "limit": "cost"}
    big = large_store.fan_outs
    counted = 1 + big.topics * (1 + 1 + big.sessions_by_topic * (1 + big.projects_by_session * 1))
    assert error["message"].startswith(f"'anonymous' has a cost of {counted}, above the maximum query cost of 5000")
    assert big.sessions_by_topic > 100 * store.fan_outs.sessions_by_topic


def test_a_large_store_still_answers_what_is_cheap_there(large_client: TestClient) -> None:
    # Pages are priced by their `first`, whatever the store holds.
    query = '{ sessions(first: 50, filter: {topic: "security"}) { totalCount nodes { slug projects { slug } } } }'
    body = large_client.post("/graphql", json={"query": query}).json()
    assert "errors" not in body, body
    assert len(body["data"]["sessions"]["nodes"]) == 50


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_every_example_is_well_within_the_cost_on_the_recap(store: Store, path: Path) -> None:
    assert _cost(path.read_text(encoding="utf-8"), store) < MAX_COST / 2


def test_the_agenda_s_nested_query_is_allowed_on_the_recap(client: TestClient, store: Store) -> None:
    agenda = _agenda()
    assert agenda.startswith("query Agenda($recap: String) {")
    assert _cost(agenda, store) < MAX_COST / 2
    body = client.post("/graphql", json={"query": agenda}).json()
    assert "errors" not in body, body
    assert len(body["data"]["recap"]["days"]) == 4


def test_every_list_in_the_schema_is_priced_by_a_relation_the_store_measures() -> None:
    measured = {field.name for field in dataclasses.fields(FanOuts)}
    assert set(LIST_RELATIONS.values()) <= measured
    priced = set()
    for type_ in schema._schema.type_map.values():
        if type_.name.startswith("__") or not isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            continue
        for name, field in type_.fields.items():
            output = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
            of_objects = isinstance(get_named_type(output), GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType)
            connection_list = type_.name.endswith("Connection") and name in {"edges", "nodes"}
            if ("first" in field.args or (isinstance(output, GraphQLList) and of_objects)) and not connection_list:
                priced.add((type_.name, name))
    assert priced == set(LIST_RELATIONS)
