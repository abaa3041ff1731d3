"""What operators use: /healthz, /readyz and /metrics (one process; several workers: tests/serving/)."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from recapql.observability.request_facts import OUTCOMES
from tests.support.api import ClientWith
from tests.support.repository import ROOT


def _metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(r"([a-z_]+)(?:\{(.*)\})? (\S+)", line)
        if match and match.group(1) == name:
            found = ",".join(sorted((match.group(2) or "").split(","))) if match.group(2) else ""
            if found == wanted:
                return float(match.group(3))
    return 0.0


def test_healthz_says_the_process_is_alive(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["store"]["sessions"] == 24


def test_readyz_answers_a_query_from_the_store(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"
    assert response.headers["cache-control"] == "no-store"


def test_metrics_count_requests_by_operation_and_outcome(client_with: ClientWith) -> None:
    with client_with() as client:
        for _ in range(3):
            client.post("/graphql", json={"query": "query Agenda { days { date } }"})
        client.post("/graphql", json={"query": "{ dayz }"})
        client.post("/graphql", json={"query": "{ a: recap { city } b: recap { city } }"})
        client.post("/graphql", json={"query": "query Big { sessions(first: 500) { totalCount } }"})
        with client_with(max_aliases=1) as strict:
            strict.post("/graphql", json={"query": "{ a: recap { city } b: recap { city } }"})
        text = client.get("/metrics").text
    assert _metric(text, "recapql_graphql_requests_total", operation="Agenda", outcome="ok") == 1
    assert _metric(text, "recapql_graphql_requests_total", operation="Agenda", outcome="cached") == 2
    assert _metric(text, "recapql_graphql_requests_total", operation="anonymous", outcome="refused") == 1
    # A bad argument is the client's mistake ("invalid"); "error" is kept for the server's bugs.
    assert _metric(text, "recapql_graphql_requests_total", operation="Big", outcome="invalid") == 1
    assert 'outcome="error"' not in text
    assert _metric(text, "recapql_response_cache_total", result="hit") == 2
    assert _metric(text, "recapql_response_cache_total", result="miss") == 4  # Agenda, dayz, the aliases, Big
    assert _metric(text, "recapql_graphql_request_duration_seconds_count", outcome="cached") == 2
    assert _metric(text, "recapql_http_requests_total", route="/graphql", status="200") == 6
    assert _metric(text, "recapql_store_sessions") == 24
    assert _metric(text, "recapql_store_load_seconds") > 0


def test_refusals_are_counted_by_limit(client_with: ClientWith) -> None:
    with client_with(max_aliases=1) as client:
        client.post("/graphql", json={"query": "{ a: recap { city } b: recap { city } }"})
        client.post("/graphql", json={"query": "{ recap { city } }" + " " * 20_000})
        text = client.get("/metrics").text
    assert _metric(text, "recapql_queries_rejected_total", limit="aliases") == 1
    assert _metric(text, "recapql_queries_rejected_total", limit="document_chars") == 1


def test_operation_names_cannot_blow_up_the_label_set(client_with: ClientWith) -> None:
    with client_with() as client:
        for index in range(110):
            client.post("/graphql", json={"query": f"query Op{index} {{ recap {{ city }} }}"})
        text = client.get("/metrics").text
    assert _metric(text, "recapql_graphql_requests_total", operation="Op99", outcome="ok") == 1
    assert _metric(text, "recapql_graphql_requests_total", operation="other", outcome="ok") == 10


def test_the_operating_guide_names_every_outcome_counted() -> None:
    guide = (ROOT / "docs" / "operating.md").read_text(encoding="utf-8")
    metrics = guide.split("## Metrics", 1)[1].split("\n## ", 1)[0]
    assert [outcome for outcome in OUTCOMES if f"`{outcome}`" not in metrics] == []
    assert 'outcome="disconnected"' in guide.split("## What to watch", 1)[1]
