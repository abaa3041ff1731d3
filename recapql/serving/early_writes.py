"""What the protocol needs to answer a request itself: the request as the app would see it, and the bytes.

`recapql.endpoint.early_answers` decides whether a request is a repeat of one the response cache
answered, and with what; this is the HTTP side of writing that answer from the protocol.
"""

from __future__ import annotations

from uvicorn._types import ASGIReceiveCallable, ASGIReceiveEvent, ASGISendCallable, ASGISendEvent, Scope
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware
from uvicorn.protocols.http.httptools_impl import STATUS_LINE

from recapql.endpoint.early_answers import EarlyAnswer


class ProxyPass:
    """uvicorn's own pass over X-Forwarded-For/-Proto (`config.load()` wraps the app in it), run alone.

    An early answer's client, in its log line, must be the one the app would have seen.
    """

    def __init__(self, trusted_hosts: list[str] | str) -> None:
        self._middleware = ProxyHeadersMiddleware(_seen_by_the_app, trusted_hosts=trusted_hosts)

    def scope_of(self, scope: Scope) -> Scope | None:
        """`scope` as the app would see it, past the middleware; None if that cannot be known here."""
        seen = scope.copy()  # the middleware sets `client` and `scheme` in the scope it is given
        step = self._middleware(seen, _nothing_to_receive, _nothing_to_send)
        try:
            step.send(None)  # uvicorn 0.54's awaits nothing but the app, which returns at once
        except StopIteration:
            return seen
        step.close()  # it waited for something: the app will see what it makes of the request
        return None


def response_bytes(default_headers: list[tuple[bytes, bytes]], answer: EarlyAnswer) -> bytes:
    """`answer` as uvicorn's request cycle writes a 200 response: its default headers (the date) first."""
    content = [STATUS_LINE[200]]
    for name, value in (*default_headers, *answer.headers):
        content += (name, b": ", value, b"\r\n")
    content += (b"\r\n", answer.body)
    return b"".join(content)


async def _seen_by_the_app(scope: Scope, receive: ASGIReceiveCallable, send: ASGISendCallable) -> None:
    """Where the pass stops: the scope, as the middleware changed it, is what was wanted."""


async def _nothing_to_receive() -> ASGIReceiveEvent:
    raise RuntimeError("the proxy-headers pass reads no request body")


async def _nothing_to_send(message: ASGISendEvent) -> None:
    raise RuntimeError("the proxy-headers pass sends no response")
