"""The Starlette application: GraphQL (with GraphiQL) over a store opened at start-up."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypedDict

import anyio.to_thread
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from recapql.access_log import AccessLog
from recapql.settings import Settings
from recapql.view import PREFLIGHT_HEADERS, RecapGraphQL
from store import Store

logger = logging.getLogger("recapql.app")


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
            loaded = await anyio.to_thread.run_sync(Store.open, settings.store_path)
        logger.info(
            "store %s loaded in %.0f ms: version %s, %d sessions, %d projects",
            settings.store_path,
            (time.perf_counter() - started) * 1000,
            loaded.version,
            len(loaded.sessions),
            len(loaded.projects),
        )
        yield {"store": loaded}

    graphql = RecapGraphQL(settings)
    routes = [
        Route("/", _home, methods=["GET"]),
        Route("/healthz", _healthz, methods=["GET"]),
        Route("/graphql", graphql, name="graphql"),
    ]
    middleware = [Middleware(AccessLog)]
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


def app_from_env() -> Starlette:
    """The app for a uvicorn worker process: settings from `RECAPQL_*`, the store opened at start-up."""
    return create_app(Settings.from_env())


async def _home(request: Request) -> Response:
    return RedirectResponse(request.url_for("graphql"))


async def _healthz(request: Request) -> Response:
    """Alive, with the store loaded (the app does not start without one)."""
    store: Store = request.state.store
    return JSONResponse(
        {"status": "ok", "store": {"version": store.version, "days": len(store.days), "sessions": len(store.sessions)}}
    )
