"""One log line per request, with an id that ties the client's answer to the server's log.

A pure ASGI middleware (no per-request Starlette objects): it takes a sane `X-Request-ID` from
the client or makes one, puts it in the request's state and the response's headers, and when
the response is sent logs the request id, method, path, GraphQL operation, outcome, status,
duration and client address. Observers (the metrics) see the same facts.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("recapql.access")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """What happened to one request, as logged and counted."""

    request_id: str
    method: str
    path: str
    operation: str | None
    outcome: str | None
    cache: str | None
    limit: str | None
    status: int
    duration: float
    client: str | None


Observer = Callable[[RequestRecord], None]


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
        request_id = _incoming_id(scope) or secrets.token_hex(8)
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            client = scope.get("client")
            record = RequestRecord(
                request_id=request_id,
                method=scope["method"],
                path=scope["path"],
                operation=state.get("operation_name"),
                outcome=state.get("outcome"),
                cache=state.get("cache"),
                limit=state.get("limit"),
                status=status,
                duration=time.perf_counter() - started,
                client=f"{client[0]}:{client[1]}" if client else None,
            )
            for observe in self.observers:
                observe(record)
            if logger.isEnabledFor(logging.INFO):
                logger.info(
                    "%s %s %s %d %.1fms",
                    record.method,
                    record.path,
                    record.operation or "-",
                    record.status,
                    record.duration * 1000,
                    extra={"request": record},
                )


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if _SANE_ID.match(text) else None
    return None
