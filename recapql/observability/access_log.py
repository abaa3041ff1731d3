"""One log line per request, with an id that ties the client's answer to the server's log.

A pure ASGI middleware (no per-request Starlette objects): it takes a sane `X-Request-ID` from
the client or makes one, puts it in the response's headers and in the request's `RequestFacts`
(attached to the scope for the endpoint to fill), and when the response is sent logs the
request id, method, path, GraphQL operation, outcome, status, duration and client address.
Observers (the metrics) see the same facts. A client that disconnected before it could be
answered is logged at info (status 499, outcome `disconnected`), never as a server error.
"""

from __future__ import annotations

import logging
import os
import random
import re
import time
from collections.abc import Callable, Mapping
from typing import Any

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from recapql.observability.request_facts import RequestFacts

logger = logging.getLogger("recapql.access")
# Matched whole (fullmatch): with `$`, "id\n" would pass, and go into a header and the log.
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_MESSAGE = "%s %s %s %d %.1fms"  # method, path, operation, status, duration

Observer = Callable[[RequestFacts], None]


class AccessLog:
    """Request ids, one log line per request, and observers told about every request."""

    def __init__(self, app: ASGIApp, observers: tuple[Observer, ...] = ()) -> None:
        self.app = app
        self.observers = observers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        facts = facts_of(scope)
        facts.attach(scope)
        request_id = facts.request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                facts.status = message["status"]
                message["headers"] = [*message.get("headers", ()), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except ClientDisconnect:
            # Nobody to answer (the endpoint says so itself; this is for any other route): not
            # an error, so not re-raised for uvicorn to log with a traceback.
            facts.disconnected()
        finally:
            facts.duration = time.perf_counter() - started
            record(facts, self.observers)


def facts_of(scope: Mapping[str, Any]) -> RequestFacts:
    """The facts of a request that has just arrived: its id (the client's, if sane), method, path and client."""
    client = scope.get("client")
    return RequestFacts(
        request_id=_incoming_id(scope) or _new_id(),
        method=scope["method"],
        path=scope["path"],
        client=f"{client[0]}:{client[1]}" if client else None,
    )


def record(facts: RequestFacts, observers: tuple[Observer, ...]) -> None:
    """Tell `observers` about an answered request, and log its line (when the level lets it through)."""
    for observe in observers:
        observe(facts)
    if logger.isEnabledFor(logging.INFO):  # nothing is formatted for a line the level drops
        _log(facts)


def _log(facts: RequestFacts) -> None:
    """The request's line: `logger.info(..., extra={"request": facts})`, without looking up its caller.

    `Logger.info` walks the stack to find the calling function and line on every call, which
    no formatter of ours writes; the record is made as `Logger.makeRecord` makes it (through the
    record factory), and handed to the logger's handlers and filters as `info` would.
    """
    args = (facts.method, facts.path, facts.operation or "-", facts.status, facts.duration * 1000)
    record = logging.getLogRecordFactory()(logger.name, logging.INFO, __file__, 0, _MESSAGE, args, None, "_log")
    record.request = facts
    logger.handle(record)


# Request ids need to be unique, not secret (a client may send its own): 64 random bits from a
# generator seeded by the OS, where `secrets.token_hex` asked the kernel for them on every request
# (a `getrandom` call, 2 % of answering a cached query). Reseeded in a forked child, so that two
# processes never hand out the same sequence.
_ids = random.Random(os.urandom(32))
os.register_at_fork(after_in_child=lambda: _ids.seed(os.urandom(32)))


def _new_id() -> str:
    return f"{_ids.getrandbits(64):016x}"


def _incoming_id(scope: Mapping[str, Any]) -> str | None:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if _SANE_ID.fullmatch(text) else None
    return None
