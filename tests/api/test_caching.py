"""Answers served from the response cache, ETags and 304s on GET, and automatic persisted queries."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from recapql.app import create_app
from recapql.endpoint.response_cache import ANSWER_OVERHEAD, SHAPE_OVERHEAD
from recapql.endpoint.view import RecapGraphQL
from recapql.settings import Settings
from tests.support.api import ClientWith

NESTED = "{ days { date title sessions { slug title takeaways projects { slug name } } } }"
LOOKUP = "query Lookup($slug: String!) { session(slug: $slug) { title } }"


def test_a_repeated_query_gets_the_same_bytes(client: TestClient) -> None:
    first = client.post("/graphql", json={"query": NESTED})
    again = client.post("/graphql", json={"query": "# same question\n" + NESTED.replace(" ", "  ")})
    assert first.content == again.content
    assert sum(len(day["sessions"]) for day in again.json()["data"]["days"]) == 24


def test_variables_and_operation_name_are_part_of_the_key(client: TestClient) -> None:
    titles = {
        slug: client.post("/graphql", json={"query": LOOKUP, "variables": {"slug": slug}}).json()["data"]["session"]
        for slug in ("openstack-sig-deep-dive", "serverless-wg-bof", "no-such-session")
    }
    assert titles == {
        "openstack-sig-deep-dive": {"title": "OpenStack SIG Deep Dive"},
        "serverless-wg-bof": {"title": "Serverless WG BOF"},
        "no-such-session": None,
    }
    two = "query A { recap { city } } query B { recap { country } }"
    a = client.post("/graphql", json={"query": two, "operationName": "A"}).json()
    b = client.post("/graphql", json={"query": two, "operationName": "B"}).json()
    assert a["data"] == {"recap": {"city": "Copenhagen"}}
    assert b["data"] == {"recap": {"country": "Denmark"}}


def test_get_answers_carry_an_etag_and_cache_control(client: TestClient) -> None:
    response = client.get("/graphql", params={"query": NESTED})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=60"
    assert response.headers["vary"] == "Accept"
    etag = response.headers["etag"]
    assert len(etag) == 34  # a quoted 128-bit hash
    assert client.get("/graphql", params={"query": NESTED}).headers["etag"] == etag


def test_if_none_match_gets_a_304_without_a_body(client: TestClient) -> None:
    etag = client.get("/graphql", params={"query": NESTED}).headers["etag"]
    revalidated = client.get("/graphql", params={"query": NESTED}, headers={"if-none-match": f'W/{etag}, "other"'})
    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert revalidated.headers["etag"] == etag
    changed = client.get("/graphql", params={"query": NESTED}, headers={"if-none-match": '"stale"'})
    assert changed.status_code == 200


def test_post_answers_are_not_marked_cacheable(client: TestClient) -> None:
    response = client.post("/graphql", json={"query": NESTED})
    assert "etag" not in response.headers
    assert "cache-control" not in response.headers


def test_errors_are_never_cached(client: TestClient) -> None:
    broken = client.get("/graphql", params={"query": "{ dayz }"})
    assert broken.headers["cache-control"] == "no-store"
    assert "etag" not in broken.headers


@pytest.mark.parametrize(
    ("megabytes", "outcomes"), [(0, {"ok": 2.0}), (64, {"ok": 1.0, "cached": 1.0})], ids=["off", "on"]
)
def test_the_cache_can_be_turned_off(client_with: ClientWith, megabytes: int, outcomes: dict[str, float]) -> None:
    with client_with(response_cache_mb=megabytes) as client:
        first = client.get("/graphql", params={"query": "query Twice " + NESTED})
        again = client.get("/graphql", params={"query": "query Twice " + NESTED})
        metrics = client.get("/metrics").text
    # The same answer either way; only with the cache on does the second come from it.
    assert first.content == again.content
    assert first.headers["etag"] == again.headers["etag"]
    counted = re.findall(r'recapql_graphql_requests_total\{operation="Twice",outcome="(\w+)"\} (\S+)', metrics)
    assert {outcome: float(value) for outcome, value in counted} == outcomes


def _sha256(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def _persisted(query: str) -> dict[str, dict[str, object]]:
    return {"persistedQuery": {"version": 1, "sha256Hash": _sha256(query)}}


def test_apq_registers_a_document_then_answers_its_hash(client: TestClient) -> None:
    query = "query Persisted { recap { city country } }"
    unknown = client.post("/graphql", json={"extensions": _persisted(query)})
    assert unknown.status_code == 200
    assert unknown.json() == {
        "errors": [{"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}],
        "extensions": {"cost": {"estimated": 0, "maximum": 5000}},
    }
    registered = client.post("/graphql", json={"query": query, "extensions": _persisted(query)})
    assert registered.json()["data"] == {"recap": {"city": "Copenhagen", "country": "Denmark"}}
    by_hash = client.get("/graphql", params={"extensions": json.dumps(_persisted(query))})
    assert by_hash.json() == registered.json()
    assert by_hash.headers["etag"]


def test_apq_refuses_a_hash_that_does_not_match(client: TestClient) -> None:
    response = client.post(
        "/graphql",
        json={"query": "{ recap { city } }", "extensions": _persisted("{ recap { country } }")},
        headers={"accept": "application/graphql-response+json"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "The provided sha256Hash does not match the query."


def test_apq_can_be_turned_off(client_with: ClientWith) -> None:
    query = "{ recap { city } }"
    with client_with(persisted_queries=0) as client:
        response = client.post("/graphql", json={"query": query, "extensions": _persisted(query)})
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_SUPPORTED"


def _view(app: Starlette) -> RecapGraphQL:
    """The app's GraphQL endpoint, to read its cache and APQ store."""
    for route in app.routes:
        if isinstance(route, Route) and isinstance(route.endpoint, RecapGraphQL):
            return route.endpoint
    raise AssertionError("no GraphQL endpoint")


@pytest.fixture
def fresh_app(store_path: Path) -> Iterator[tuple[TestClient, RecapGraphQL]]:
    """A client of an app of its own (an empty cache and APQ store), with its endpoint."""
    app = create_app(Settings(store_path=store_path, max_document_chars=1_000, max_depth=3))
    with TestClient(app) as client:
        yield client, _view(app)


def test_undeclared_variables_make_no_new_cache_entry(fresh_app: tuple[TestClient, RecapGraphQL]) -> None:
    client, view = fresh_app
    answers = [
        client.post("/graphql", json={"query": "{ recap { city } }", "variables": {"pad": "x" * n}}).content
        for n in range(20)
    ]
    cost = b'"extensions":{"cost":{"estimated":2,"maximum":5000}}'
    assert set(answers) == {b'{"data":{"recap":{"city":"Copenhagen"}},' + cost + b"}"}
    assert len(view.cache) == 1
    # Declared ones still do.
    for slug in ("openstack-sig-deep-dive", "serverless-wg-bof"):
        client.post("/graphql", json={"query": LOOKUP, "variables": {"slug": slug, "unused": slug}})
    assert len(view.cache) == 3


def test_the_caches_counted_size_includes_keys(fresh_app: tuple[TestClient, RecapGraphQL]) -> None:
    client, view = fresh_app
    body = client.post("/graphql", json={"query": LOOKUP, "variables": {"slug": "serverless-wg-bof"}}).content
    # One answer and one document shape: each counted beyond its body (key, ETag, LRU entries).
    assert view.cache.size_bytes >= sys.getsizeof(body) + ANSWER_OVERHEAD + SHAPE_OVERHEAD
    assert view.cache.size_bytes <= view.cache.max_bytes


def test_apq_refuses_a_too_long_document_and_keeps_nothing(fresh_app: tuple[TestClient, RecapGraphQL]) -> None:
    client, view = fresh_app
    query = "{ recap { city } }" + " " * 2_000
    registered = client.post("/graphql", json={"query": query, "extensions": _persisted(query)})
    assert registered.json()["errors"][0]["extensions"]["limit"] == "document_chars"
    assert len(view.persisted_queries) == 0
    by_hash = client.post("/graphql", json={"extensions": _persisted(query)})
    assert by_hash.json()["errors"][0]["message"] == "PersistedQueryNotFound"


@pytest.mark.parametrize(
    "query",
    ["{ recap { city ", "{ sessions { edges { node { projects { sessions { slug } } } } } }", "{ dayz }"],
    ids=["syntax", "depth", "validation"],
)
def test_apq_keeps_no_document_the_schema_refuses(fresh_app: tuple[TestClient, RecapGraphQL], query: str) -> None:
    client, view = fresh_app
    registered = client.post("/graphql", json={"query": query, "extensions": _persisted(query)})
    assert "data" not in registered.json()
    assert len(view.persisted_queries) == 0


def test_apq_keeps_a_document_answered_from_the_cache(fresh_app: tuple[TestClient, RecapGraphQL]) -> None:
    client, view = fresh_app
    client.post("/graphql", json={"query": "{ recap { city } }"})
    spaced = "{  recap  {  city  }  }"  # the same document to the cache, another text to APQ
    registered = client.post("/graphql", json={"query": spaced, "extensions": _persisted(spaced)})
    assert registered.json()["data"] == {"recap": {"city": "Copenhagen"}}
    assert _sha256(spaced) in view.persisted_queries
