"""Repeats of requests the response cache answered, answered by the protocol itself, below the ASGI stack.

A cached POST /graphql went through uvicorn's request cycle and task, the security headers, the
access log, Starlette's error middleware, router and request objects, and the endpoint's JSON,
document and cache key, to send bytes the cache already held: 105-125 µs of server CPU, where
the HTTP stack alone (a Starlette route returning bytes, the benchmark's limit) took 55-60 µs.
For a request whose exact POST body or GET query string the endpoint answered from its cache
before, in the same media type, none of that can change the answer. So the protocol, once such
a request has arrived whole, asks `EarlyAnswers`, and writes the kept answer itself, with the
headers the stack adds (for a GET its ETag, Cache-Control and Vary; its content type and length,
the request id, the security headers), and the same log line and metrics (outcome `cached`).

Only what is sure to get the same answer is answered early, on a kept-alive connection:
- POST to the endpoint's path with a JSON content type and a Content-Length within the body
  limit (no chunks, no `Expect: 100-continue`);
- GET with a query string and no body, no `If-None-Match` (a 304 is the app's), an Accept that
  does not rank HTML first (a browser opening the link gets GraphiQL), and CSRF prevention off
  (which refuses a GET without a preflight header);
- and only with CORS off: Starlette's CORSMiddleware adds `Vary: Origin` to every answer, and
  its CORS headers to cross-origin ones, which are its to write.
Anything else (HEAD included), and any request not known, goes through the app as before, as
does every request served without this protocol (Starlette's TestClient, another server).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from recapql.endpoint.negotiation import negotiate, prefers_html
from recapql.endpoint.response_cache import ResponseCache
from recapql.observability.access_log import Observer, facts_of, record

# The key the app's lifespan state holds its `EarlyAnswers` under, where the protocol finds it.
EARLY_ANSWERS = "early_answers"
# Bodies past this are not waited for (uvicorn would pause reading at 64 KiB): a query of the
# default maximum length, 15,000 characters, fits with room for its variables.
MAX_EARLY_BODY = 48 * 1024
_JSON_TYPES = (b"application/json", b"application/graphql-response+json")
# A GET carrying one of these is the app's: a revalidation (304), or a body of its own.
_GET_REFUSES = frozenset({b"if-none-match", b"content-length", b"transfer-encoding"})

Headers = Sequence[tuple[bytes, bytes]]
Scope = Mapping[str, Any]  # uvicorn's HTTPScope, read only


@dataclass(frozen=True, slots=True)
class EarlyAnswer:
    """A 200 answer, whole: the headers the app would have sent (uvicorn's own are the protocol's) and the body."""

    headers: list[tuple[bytes, bytes]]
    body: bytes


class EarlyAnswers:
    """What the protocol asks of a request before starting the app: may it wait for the body, and is it known?"""

    def __init__(
        self,
        cache: ResponseCache,
        *,
        path: str,
        max_body_bytes: int,
        cors: bool,
        csrf_prevention: bool,
        get_cache_control: str,
        headers: Headers,
        observers: tuple[Observer, ...],
    ) -> None:
        self.cache = cache
        self.path = path
        self.max_body_bytes = min(max_body_bytes, MAX_EARLY_BODY)
        self.cors = cors
        self.csrf_prevention = csrf_prevention
        self.get_cache_control = get_cache_control.encode()
        self.headers = tuple(headers)
        self.observers = observers

    def may_answer(self, scope: Scope) -> bool:
        """True when a request with this head could be a known one: the protocol then waits for its body."""
        if self.cors or not self.cache.enabled:
            return False
        if scope["path"] != self.path or scope["root_path"]:
            return False
        if scope["method"] == "GET":
            return self._may_answer_get(scope)
        if scope["method"] != "POST":
            return False
        content_type = length = None
        for name, value in scope["headers"]:
            if name == b"content-type":
                if content_type is not None:
                    return False
                content_type = value
            elif name == b"content-length":
                if length is not None:
                    return False
                length = value
        if content_type is None or content_type.partition(b";")[0].strip().lower() not in _JSON_TYPES:
            return False
        return length is not None and length.isdigit() and int(length) <= self.max_body_bytes

    def _may_answer_get(self, scope: Scope) -> bool:
        if self.csrf_prevention or not scope["query_string"]:
            return False
        return not any(name in _GET_REFUSES for name, _ in scope["headers"])

    def answer(self, scope: Scope, body: bytes) -> EarlyAnswer | None:
        """The kept answer to a request `may_answer` let through, logged and counted; None when it is not known.

        `scope` is the request as the app would see it: past uvicorn's proxy-headers middleware,
        whose client is the one logged.
        """
        started = time.perf_counter()
        accept = None
        for name, value in scope["headers"]:
            if name == b"accept":
                accept = value.decode("latin-1")
                break
        media_type = negotiate(accept)
        if media_type is None:
            return None
        method = scope["method"]
        if method == "GET":
            if prefers_html(accept):
                return None
            known = self.cache.known(method, media_type, scope["query_string"])
        else:
            known = self.cache.known(method, media_type, body)
        if known is None:
            return None
        request, answer = known
        facts = facts_of(scope)
        facts.operation = request.operation
        facts.outcome = "cached"
        facts.cache = "hit"
        facts.status = 200
        # As the endpoint, Starlette's Response, the access log and the security headers add them, in that order.
        headers = [] if method != "GET" else [
            (b"etag", answer.etag.encode()),
            (b"cache-control", self.get_cache_control),
            (b"vary", b"Accept"),
        ]  # fmt: skip
        headers += [
            (b"content-length", b"%d" % len(answer.body)),
            (b"content-type", media_type.encode() + b"; charset=utf-8"),
            (b"x-request-id", facts.request_id.encode()),
            *self.headers,
        ]
        facts.duration = time.perf_counter() - started
        record(facts, self.observers)
        return EarlyAnswer(headers, answer.body)
