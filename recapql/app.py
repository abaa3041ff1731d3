"""The Starlette application: GraphQL (with GraphiQL) over a store opened at start-up."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypedDict

import anyio.to_thread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from recapql.settings import Settings
from recapql.view import RecapGraphQL
from schema import schema
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
        if loaded is None:
            # Opening parses and indexes the whole file: keep that off the event loop.
            loaded = await anyio.to_thread.run_sync(Store.open, settings.store_path)
        logger.info(
            "store %s loaded: version %s, %d sessions, %d projects",
            settings.store_path,
            loaded.version,
            len(loaded.sessions),
            len(loaded.projects),
        )
        yield {"store": loaded}

    graphql = RecapGraphQL(schema, graphql_ide="graphiql" if settings.graphiql else None)
    routes = [
        Route("/", _home, methods=["GET"]),
        Route("/healthz", _healthz, methods=["GET"]),
        Route("/graphql", graphql, name="graphql"),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


async def _home(request: Request) -> Response:
    return RedirectResponse(request.url_for("graphql"))


async def _healthz(request: Request) -> Response:
    """Alive, with the store loaded (the app does not start without one)."""
    store: Store = request.state.store
    return JSONResponse(
        {"status": "ok", "store": {"version": store.version, "days": len(store.days), "sessions": len(store.sessions)}}
    )
