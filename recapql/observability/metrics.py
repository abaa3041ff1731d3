"""Prometheus metrics, through prometheus-client: requests, latency, cache, refusals, the store.

Each app has its own registry, so apps in one process (tests) do not share counts. With
several workers, `PROMETHEUS_MULTIPROC_DIR` is set before any worker starts: prometheus-client
then keeps every value in a file per process, and `/metrics` (answered by any one worker)
adds up the files of all of them.
"""

from __future__ import annotations

import os
import re
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.requests import Request
from starlette.responses import Response

from recapql.observability.request_facts import OUTCOMES, RequestFacts
from store import Store

# Operation names come from clients: keep the label set bounded, whatever they send.
MAX_OPERATION_NAMES = 100
# Matched whole (fullmatch): with `$`, a name with a trailing newline would pass.
_SANE_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")
_LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
_ROUTES = frozenset({"/", "/graphql", "/healthz", "/readyz", "/metrics"})


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


class Metrics:
    """The app's metrics, fed by the access log (one record per request) and the store's loading."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.graphql_requests = Counter(
            "recapql_graphql_requests",
            "GraphQL requests by operation name and outcome (" + ", ".join(OUTCOMES) + ").",
            ["operation", "outcome"],
            registry=registry,
        )
        self.graphql_latency = Histogram(
            "recapql_graphql_request_duration_seconds",
            "Time to answer a GraphQL request, by outcome.",
            ["outcome"],
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        )
        self.http_requests = Counter(
            "recapql_http_requests", "HTTP requests by route and status code.", ["route", "status"], registry=registry
        )
        self.cache = Counter(
            "recapql_response_cache", "Response cache lookups by result (hit or miss).", ["result"], registry=registry
        )
        self.rejected = Counter(
            "recapql_queries_rejected", "Documents refused by a limit, by limit.", ["limit"], registry=registry
        )
        self.store_info = Gauge(
            "recapql_store_info", "The loaded store's version (always 1).", ["version"], registry=registry,
            multiprocess_mode="max",
        )  # fmt: skip
        self.store_load_seconds = Gauge(
            "recapql_store_load_seconds", "How long opening and indexing the store took.", registry=registry,
            multiprocess_mode="max",
        )  # fmt: skip
        self.store_sessions = Gauge(
            "recapql_store_sessions",
            "Sessions in the loaded store, over all its recaps.",
            registry=registry,
            multiprocess_mode="max",
        )
        self.store_recaps = Gauge(
            "recapql_store_recaps", "Recaps in the loaded store.", registry=registry, multiprocess_mode="max"
        )
        self._operations: set[str] = set()
        self._children: dict[tuple[object, ...], Any] = {}

    def store_loaded(self, store: Store, seconds: float) -> None:
        self.store_info.labels(version=store.version).set(1)
        self.store_load_seconds.set(seconds)
        self.store_sessions.set(store.sessions_count)
        self.store_recaps.set(len(store.recaps))

    def observe(self, record: RequestFacts) -> None:
        """Count one request (an access-log observer)."""
        route = record.path if record.path in _ROUTES else "other"
        self._child(self.http_requests, route, str(record.status)).inc()
        if route != "/graphql" or record.outcome is None:
            return
        self._child(self.graphql_requests, self._operation_label(record.operation), record.outcome).inc()
        self._child(self.graphql_latency, record.outcome).observe(record.duration)
        if record.cache is not None:
            self._child(self.cache, record.cache).inc()
        if record.limit is not None:
            self._child(self.rejected, record.limit).inc()

    def _child(self, metric: Any, *labels: str) -> Any:
        # `labels()` checks and sorts its arguments on every call; every request would pay for it.
        key = (id(metric), *labels)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(*labels)
        return child

    def _operation_label(self, name: str | None) -> str:
        if name is None:
            return "anonymous"
        if not _SANE_NAME.fullmatch(name):
            return "other"
        if name not in self._operations:
            if len(self._operations) >= MAX_OPERATION_NAMES:
                return "other"
            self._operations.add(name)
        return name

    async def endpoint(self, request: Request) -> Response:
        """`/metrics`: this process's metrics, or all workers' in multiprocess mode."""
        directory = multiprocess_dir()
        if directory is None:
            body = generate_latest(self.registry)
        else:
            registry = CollectorRegistry()
            MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
            body = generate_latest(registry)
        return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"cache-control": "no-store"})
