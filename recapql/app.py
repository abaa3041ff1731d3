"""The Starlette application: GraphQL (with GraphiQL) over a store opened at start-up."""

from __future__ import annotations

import gc
import logging
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypedDict

import anyio.to_thread
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from recapql.endpoint.view import PREFLIGHT_HEADERS, RecapGraphQL
from recapql.observability.access_log import AccessLog
from recapql.observability.metrics import Metrics
from recapql.pages.agenda import page_routes
from recapql.settings import Settings
from schema import Context, Limits, schema
from store import Store

logger = logging.getLogger("recapql.app")
READINESS_QUERY = "{ days { date } }"


class State(TypedDict):
    """What the lifespan hands every request (as `request.state`)."""

    store: Store


def create_app(settings: Settings, store: Store | None = None) -> Starlette:
    """The recapql application for `settings`.

    It opens `settings.store_path` when it starts, unless handed an already opened `store`
    (the command line opens it first, to refuse a broken store with one clear line).
    """

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[State]:
        loaded = store
        started = time.perf_counter()
        if loaded is None:
            # Opening parses and indexes the whole file: keep that off the event loop.
            loaded = await anyio.to_thread.run_sync(Store.open, settings.store_path, settings.default_recap)
        seconds = time.perf_counter() - started
        # The store's objects live as long as the process: keep them out of the cyclic garbage
        # collector's full passes, which otherwise walk millions of them (100+ ms pauses on a
        # 15,000-session store, straight into p99 latency).
        gc.collect()
        gc.freeze()
        metrics.store_loaded(loaded, seconds)
        logger.info(
            "store %s loaded in %.0f ms: version %s, %d recaps, %d sessions, %d projects",
            settings.store_path,
            seconds * 1000,
            loaded.version,
            len(loaded.recaps),
            loaded.sessions_count,
            loaded.projects_count,
        )
        yield {"store": loaded}

    metrics = Metrics()
    graphql = RecapGraphQL(settings, limits_of(settings))
    routes = [
        *page_routes(),
        Route("/healthz", _healthz, methods=["GET"]),
        Route("/readyz", _readyz, methods=["GET"]),
        Route("/metrics", metrics.endpoint, methods=["GET"]),
        Route("/graphql", graphql, name="graphql"),
    ]
    middleware = [Middleware(AccessLog, observers=(metrics.observe,))]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST"],
                allow_headers=["content-type", "accept", "if-none-match", *PREFLIGHT_HEADERS],
                expose_headers=["etag", "x-request-id"],
                max_age=600,
            )
        )
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


def limits_of(settings: Settings) -> Limits:
    """What every GraphQL document is checked against before it runs, as `settings` say."""
    return Limits(
        max_depth=settings.max_depth,
        max_aliases=settings.max_aliases,
        max_tokens=settings.max_tokens,
        max_directives=settings.max_directives,
        max_cost=settings.max_cost,
        max_document_chars=settings.max_document_chars,
        introspection=settings.introspection_enabled,
        suggestions=settings.suggestions_enabled,
    )


def app_from_env() -> Starlette:
    """The app for a uvicorn worker process: settings from `RECAPQL_*`, the store opened at start-up."""
    return create_app(Settings.from_env())


async def _healthz(request: Request) -> Response:
    """Liveness: the process answers (the app does not start without its store)."""
    store: Store = request.state.store
    return JSONResponse(
        {
            "status": "ok",
            "pid": os.getpid(),
            "store": {
                "version": store.version,
                "recaps": len(store.recaps),
                "days": sum(len(recap.days) for recap in store.recaps),
                "sessions": store.sessions_count,
            },
        },
        headers={"cache-control": "no-store"},
    )


async def _readyz(request: Request) -> Response:
    """Readiness: the store is loaded and a query through the whole schema answers from it."""
    store: Store = request.state.store
    result = await schema.execute(READINESS_QUERY, context_value=Context(store=store))
    ready = not result.errors and bool(result.data and result.data["days"])
    body = {"status": "ready" if ready else "not ready", "store": store.version}
    return JSONResponse(body, status_code=200 if ready else 503, headers={"cache-control": "no-store"})
