"""The Starlette application: GraphQL (with GraphiQL) over a store opened at start-up.

Every answer, from any route, 500s and 304s included, carries `X-Content-Type-Options: nosniff`
and `Referrer-Policy: no-referrer` (`SecurityHeaders`) and a request id, and is logged once.
"""

from __future__ import annotations

import gc
import logging
import os
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import TypedDict

import anyio.to_thread
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Lifespan, Message, Receive, Scope, Send

from recapql.endpoint.early_answers import EarlyAnswers
from recapql.endpoint.view import PREFLIGHT_HEADERS, RecapGraphQL
from recapql.observability.access_log import AccessLog
from recapql.observability.metrics import Metrics
from recapql.pages.agenda import page_routes
from recapql.pages.calendar import calendar_routes
from recapql.pages.documents import document_routes
from recapql.pages.pictures import picture_routes
from recapql.settings import Settings
from schema import Context, Limits, schema
from store import Store

logger = logging.getLogger("recapql.app")
READINESS_QUERY = "{ days { date } }"
# On every answer. nosniff: a browser never runs a JSON or text answer as a script or a page.
# no-referrer rather than strict-origin-when-cross-origin (browsers' default): GET /graphql URLs
# carry documents and variables (what someone searched for), GraphiQL's URL too, and nothing
# here reads Referer (CSRF prevention asks for a preflight instead), so sending none costs nothing.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)


class SecurityHeaders:
    """A pure ASGI middleware adding `SECURITY_HEADERS` to every HTTP response that lacks them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {bytes(name).lower() for name, _ in headers}
                headers += [header for header in SECURITY_HEADERS if header[0] not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RecapApp(Starlette):
    """Starlette, with `outer` middleware wrapped around its whole stack.

    Starlette puts its `ServerErrorMiddleware` outermost, so a 500 it sends passes by every
    middleware given as `middleware=`; what `outer` adds (the security headers, the access log)
    wraps that too, so a 500 carries the headers and a request id, and is logged as sent.
    """

    def __init__(
        self,
        *,
        outer: Callable[[ASGIApp], ASGIApp],
        routes: Sequence[BaseRoute],
        middleware: Sequence[Middleware],
        lifespan: Lifespan[Starlette],
    ) -> None:
        self._outer = outer
        super().__init__(routes=routes, middleware=middleware, lifespan=lifespan)

    def build_middleware_stack(self) -> ASGIApp:
        return self._outer(super().build_middleware_stack())


class State(TypedDict):
    """What the lifespan hands every request (as `request.state`), and uvicorn's protocol (its `app_state`)."""

    store: Store
    early_answers: EarlyAnswers  # recapql.endpoint.early_answers.EARLY_ANSWERS: what the protocol answers itself


def create_app(settings: Settings, store: Store | None = None) -> RecapApp:
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
        yield {"store": loaded, "early_answers": early_answers}

    metrics = Metrics()
    observers = (metrics.observe,)
    graphql = RecapGraphQL(settings, limits_of(settings))
    early_answers = EarlyAnswers(
        graphql.cache,
        path="/graphql",
        max_body_bytes=settings.max_body_bytes,
        cors=bool(settings.cors_origins),
        csrf_prevention=settings.csrf_prevention,
        get_cache_control=graphql.get_cache_control,
        headers=SECURITY_HEADERS,
        observers=observers,
    )
    routes = [
        # First: Starlette tries routes in order, and the endpoint most requests ask for waited for every page pattern.
        Route("/graphql", graphql, name="graphql"),
        *page_routes(),
        *document_routes(),
        *calendar_routes(),
        *picture_routes(),
        Route("/healthz", _healthz, methods=["GET"]),
        Route("/readyz", _readyz, methods=["GET"]),
        Route("/metrics", metrics.endpoint, methods=["GET"]),
    ]
    middleware = []
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

    def outer(app: ASGIApp) -> ASGIApp:
        return SecurityHeaders(AccessLog(app, observers=observers))

    return RecapApp(outer=outer, routes=routes, middleware=middleware, lifespan=lifespan)


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
