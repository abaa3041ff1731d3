"""uvicorn's httptools protocol with the bounds uvicorn 0.54 lacks: time, size and number of connections.

`BoundedHttpToolsProtocol` is uvicorn's `HttpToolsProtocol` plus:

- a deadline for a request's head (`RECAPQL_HEADER_TIMEOUT`, from connecting or from the previous
  response) and one for its body (`RECAPQL_BODY_TIMEOUT`, from the end of the head). uvicorn has
  only the keep-alive timeout, which every received byte resets and which is not even armed
  before the first request, so a connection sending half a request stayed open for good
  (uvicorn#157 has listed `--timeout-request-start` and `--timeout-request-complete` since 2018;
  it was closed in 2026 without them). A late request gets 408 and the connection is closed.
- a cap on open connections per process (`RECAPQL_MAX_CONNECTIONS`): one more is answered 503 at
  once and closed. uvicorn's `limit_concurrency` answers 503 only once a request's head has
  arrived, so idle and half-sent connections past it still hold their sockets until the process
  runs out of file descriptors (uvicorn#3029, uvicorn#1030).
- a bound on a request's head, `MAX_HEAD_BYTES`: httptools (llhttp) sets none, and uvicorn kept
  appending: one header of 100 MB was accepted (h11 stops at 16 KiB).
- a lingering close (RFC 9112 §9.6; nginx's `lingering_close`): when the app answers before the
  request's body has arrived (413 from Content-Length, 405, 415, …), the response says
  `Connection: close`, the write side is shut after it, and what the client still sends is read
  and dropped, for at most `RECAPQL_BODY_TIMEOUT` and `LINGER_IDLE_SECONDS` of silence, before
  the socket is closed. uvicorn closed at once with the body unread, and Linux answers the
  client's next segment with a reset that destroys the response in the client's buffer
  (uvicorn drains an unread body only on a kept-alive connection, uvicorn#38). A client sending
  `Expect: 100-continue` still gets its refusal without sending the body: uvicorn sends
  `100 Continue` only when the app first reads the body.
- a client that disconnects while the app reads its body is not an error: Starlette's
  `ClientDisconnect` ends the request quietly, where uvicorn logged a traceback for each.
- a response's head and body leave in one write (`ConnectionTransport`), where uvicorn made two.
- a repeat of a request the response cache answered is answered here, without the app
  (`recapql.endpoint.early_answers` decides; `early_writes` has the proxy-headers pass and the
  bytes): for a request whose head `EarlyAnswers.may_answer`, the app's task waits until the
  request has arrived whole (the endpoint would have waited for its body too), and starts only
  when it is not a known one.

Requests with both Content-Length and Transfer-Encoding are refused by httptools itself (400,
`Connection: close`; RFC 9112 §6.1); uvicorn's h11 protocol served them and kept the
connection open. That, and less than half h11's CPU time per request (with uvloop), are why
recapql runs on httptools; this class is written for uvicorn 0.54's `HttpToolsProtocol`.
"""

from __future__ import annotations

import asyncio
import http
from dataclasses import dataclass
from typing import Any, Literal

from starlette.requests import ClientDisconnect
from uvicorn._types import (
    ASGI3Application,
    ASGIReceiveCallable,
    ASGISendCallable,
    ASGISendEvent,
    HTTPResponseStartEvent,
    Scope,
)
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle
from uvicorn.server import ServerState

from recapql.endpoint.early_answers import EARLY_ANSWERS, EarlyAnswer, EarlyAnswers
from recapql.serving.early_writes import ProxyPass, response_bytes
from recapql.serving.notices import Notice
from recapql.serving.transport import ConnectionTransport

# The request line and headers together; a GET carrying a whole document (15,000 characters,
# percent-encoded) fits. Past it: 431.
MAX_HEAD_BYTES = 64 * 1024
# A lingering close also ends once the client has sent nothing for this long (nginx's lingering_timeout).
LINGER_IDLE_SECONDS = 5.0
# A connection refused at the cap lingers this long at most: its 503 is one segment.
REFUSAL_LINGER_SECONDS = 1.0
# Refused connections lingering at once, on top of the cap; past it, one is closed right after its 503.
MAX_LINGERING_REFUSALS = 64
_CLOSE = (b"connection", b"close")
Phase = Literal["head", "body"]


@dataclass(frozen=True, slots=True)
class ConnectionBounds:
    """How long a request may take to arrive, and how many connections one process keeps open."""

    header_timeout: float = 10
    body_timeout: float = 30
    max_connections: int = 1000


_refused_at_cap = Notice("connection cap of %d reached: refused a connection with 503 (RECAPQL_MAX_CONNECTIONS)")
_timed_out = {
    "head": Notice("closed a connection whose request's head took longer than %g s (RECAPQL_HEADER_TIMEOUT)"),
    "body": Notice("closed a connection whose request's body took longer than %g s (RECAPQL_BODY_TIMEOUT)"),
}
_head_too_large = Notice("refused a request whose head was larger than %d bytes with 431")
_upgrade_ignored = Notice("ignored a request's Upgrade header: recapql serves no WebSockets")


class _Refusals:
    """How many refused connections are lingering in this process (one server per process)."""

    lingering = 0


def _plain_response(status: int, text: str, default_headers: list[tuple[bytes, bytes]], *extra: bytes) -> bytes:
    """A whole `Connection: close` response with a text body, for refusals made outside any request cycle."""
    body = text.encode()
    head = [b"HTTP/1.1 %d %s" % (status, http.HTTPStatus(status).phrase.encode())]
    head += [name + b": " + value for name, value in default_headers]
    head += [b"content-type: text/plain; charset=utf-8", b"content-length: %d" % len(body), b"connection: close"]
    head += extra
    return b"\r\n".join(head) + b"\r\n\r\n" + body


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with deadlines, a connection cap, a head size bound and a lingering close."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.bounds: ConnectionBounds = getattr(config, "connection_bounds", ConnectionBounds())
        self._socket: asyncio.Transport | None = None  # the real transport; uvicorn gets a ConnectionTransport
        # Requests begun, with their head complete, complete, and answered: what the deadline is for.
        self._begun = self._headed = self._completed = self._answered = 0
        self._head_bytes = 0
        self._deadline: asyncio.TimerHandle | None = None
        self._deadline_phase: Phase | None = None
        self._linger_on_close = False  # a response went out before its request had arrived
        self._lingering = False
        self._linger_until = 0.0
        self._linger_timer: asyncio.TimerHandle | None = None
        self._refused = False
        self._lost = False
        self._early: EarlyAnswers | None = app_state.get(EARLY_ANSWERS)
        self._proxy_pass = ProxyPass(config.forwarded_allow_ips) if config.proxy_headers else None
        self._waiting: tuple[RequestResponseCycle, ASGI3Application] | None = None  # for its body, to answer early

    # The connection

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._socket = transport
        if len(self.connections) >= self.bounds.max_connections:
            self._refuse_connection(transport)
            return
        super().connection_made(ConnectionTransport(transport, self._close_requested))
        self._rearm()

    def data_received(self, data: bytes) -> None:
        if self._lingering or self._refused:
            self._linger_heard()  # read and dropped
            return
        super().data_received(data)
        if self.transport.is_closing():
            return
        if self._begun > self._headed:
            self._head_bytes += len(data)
            if self._head_bytes > MAX_HEAD_BYTES:
                self._refuse_head()
                return
        self._rearm()

    def eof_received(self) -> None:
        if (self._lingering or self._refused) and self._socket is not None:
            self._socket.close()  # the client has read its response and closed: the close is done

    def connection_lost(self, exc: Exception | None) -> None:
        self._lost = True
        self._cancel_deadline()
        if self._waiting is not None:
            # Gone before its body arrived: the app hears the disconnect, and logs it, as it would have.
            cycle, app = self._waiting
            self._waiting = None
            self._start_app(cycle, app)
        if self._linger_timer is not None:
            self._linger_timer.cancel()
            self._linger_timer = None
        if self._refused:
            if self._lingering:
                _Refusals.lingering -= 1
            return
        super().connection_lost(exc)

    def shutdown(self) -> None:
        if self._lingering and self._socket is not None:
            self._socket.close()  # no reason to hold a shutdown for a response already sent
            return
        super().shutdown()

    # httptools' callbacks, counted

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._begun += 1
        # An early answer completes a request in the middle of parsing: its keep-alive timer, armed
        # then, must not run out under the next request of the same read (uvicorn cancels it only
        # when data arrives).
        self._unset_keepalive_if_required()

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._headed += 1
        self._head_bytes = 0

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._completed += 1
        if self._waiting is not None and self._waiting[0] is self.cycle:
            cycle, app = self._waiting
            self._waiting = None
            self._answer_or_start(cycle, app)

    def on_response_complete(self) -> None:
        self._answered += 1
        super().on_response_complete()
        if not self.transport.is_closing():
            self._rearm()

    def _unsupported_upgrade_warning(self) -> None:
        # uvicorn logs two warnings for every such request, one telling to install a WebSocket library.
        _upgrade_ignored()

    def send_400_response(self, msg: str) -> None:
        # A request httptools cannot parse (Content-Length with Transfer-Encoding, say): the rest
        # of it may still be on its way, so close lingering.
        self._linger_on_close = True
        super().send_400_response(msg)

    # The app, told when its answer closes the connection

    def _start_asgi_task(self, cycle: RequestResponseCycle, app: ASGI3Application) -> None:
        early = self._early
        if early is None or cycle.waiting_for_100_continue or not cycle.keep_alive or not early.may_answer(cycle.scope):
            self._start_app(cycle, app)
        elif cycle.more_body:
            self._waiting = (cycle, app)  # until on_message_complete (or connection_lost)
        else:
            self._answer_or_start(cycle, app)  # a pipelined request, whose body is here already

    def _start_app(self, cycle: RequestResponseCycle, app: ASGI3Application) -> None:
        super()._start_asgi_task(cycle, self._bounded_app(cycle, app))

    # Early answers

    def _answer_or_start(self, cycle: RequestResponseCycle, app: ASGI3Application) -> None:
        """Answer a complete request known to the response cache here, or start the app for it."""
        answer = None
        if self._early is not None and cycle.keep_alive and not self.flow.write_paused and not cycle.disconnected:
            scope = cycle.scope if self._proxy_pass is None else self._proxy_pass.scope_of(cycle.scope)
            if scope is not None:
                answer = self._early.answer(scope, bytes(cycle.body))
        if answer is None:
            self._start_app(cycle, app)
            return
        self._write_early(cycle, answer)

    def _write_early(self, cycle: RequestResponseCycle, answer: EarlyAnswer) -> None:
        """Write `answer` as uvicorn's cycle writes a response (its default headers first), in one write."""
        cycle.response_started = True
        self.transport.write(response_bytes(self.server_state.default_headers, answer))
        cycle.response_complete = True
        cycle.message_event.set()
        cycle.on_response()  # as uvicorn's cycle does once a response is complete: the next request, or keep-alive

    def _bounded_app(self, cycle: RequestResponseCycle, app: ASGI3Application) -> ASGI3Application:
        transport = self.transport
        assert isinstance(transport, ConnectionTransport)  # connection_made gave uvicorn one

        async def bounded(scope: Scope, receive: ASGIReceiveCallable, send: ASGISendCallable) -> None:
            async def send_closing_early(message: ASGISendEvent) -> None:
                if message["type"] == "http.response.start" and cycle.more_body and not cycle.disconnected:
                    # Answered before the body arrived: say the connection closes, then close it lingering.
                    self._linger_on_close = True
                    headers = list(message.get("headers", ()))
                    if not any(name.lower() == b"connection" for name, _ in headers):
                        start: HTTPResponseStartEvent = {
                            "type": "http.response.start",
                            "status": message["status"],
                            "headers": [*headers, _CLOSE],
                        }
                        if "trailers" in message:
                            start["trailers"] = message["trailers"]
                        message = start
                if message["type"] != "http.response.start":
                    await send(message)
                    transport.flush()  # a head whose body wrote nothing (HEAD, 304) goes now
                    return
                transport.hold_next_write()
                try:
                    await send(message)
                finally:
                    transport.stop_holding()  # when uvicorn wrote nothing (a client gone), hold no later write

            try:
                await app(scope, receive, send_closing_early)
            except ClientDisconnect:
                if not cycle.disconnected:
                    raise  # not the client's doing: uvicorn logs it

        return bounded

    # Deadlines

    def _rearm(self) -> None:
        """Keep, move or drop the deadline for what the connection is waiting for now."""
        phase: Phase | None
        if self._answered < self._completed:
            phase = None  # the client waits for us
        elif self._begun > self._completed:
            phase = "body" if self._headed == self._begun else "head"
        else:
            phase = "head"  # the next request's, from now (the keep-alive timeout may close it sooner)
        if phase == self._deadline_phase:
            return
        self._cancel_deadline()
        if phase is not None:
            seconds = self.bounds.header_timeout if phase == "head" else self.bounds.body_timeout
            self._deadline = self.loop.call_later(seconds, self._deadline_passed, phase)
            self._deadline_phase = phase

    def _cancel_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = None
        self._deadline_phase = None

    def _deadline_passed(self, phase: Phase) -> None:
        self._deadline = None
        self._deadline_phase = None
        socket = self._socket
        if socket is None or self.transport.is_closing():
            return
        answering = self.cycle is not None and self.cycle.response_started and not self.cycle.response_complete
        if self._begun > self._completed and not answering:  # part of a request arrived: say why it ends
            _timed_out[phase](self.bounds.header_timeout if phase == "head" else self.bounds.body_timeout)
            socket.write(
                _plain_response(408, "The request took too long to arrive.", self.server_state.default_headers)
            )
        self.transport.close()  # an app waiting for the body hears a disconnect

    # Refusals and closing

    def _refuse_connection(self, transport: asyncio.Transport) -> None:
        self._refused = True
        _refused_at_cap(self.bounds.max_connections)
        transport.write(
            _plain_response(503, "Too many connections: try again shortly.", self.server_state.default_headers,
                            b"retry-after: 1")
        )  # fmt: skip
        if _Refusals.lingering >= MAX_LINGERING_REFUSALS:
            transport.close()
            return
        _Refusals.lingering += 1
        self._linger(REFUSAL_LINGER_SECONDS)

    def _refuse_head(self) -> None:
        _head_too_large(MAX_HEAD_BYTES)
        self._cancel_deadline()
        if self._socket is not None:
            message = f"The request's head is larger than {MAX_HEAD_BYTES} bytes."
            self._socket.write(_plain_response(431, message, self.server_state.default_headers))
        self._linger_on_close = True
        self.transport.close()

    def _close_requested(self) -> None:
        """uvicorn closes the connection: at once, or lingering if the client may still be sending."""
        socket = self._socket
        if socket is None:
            return
        if self._linger_on_close and not self._lost and not socket.is_closing():
            self._linger(self.bounds.body_timeout)
        else:
            socket.close()

    def _linger(self, seconds: float) -> None:
        """Shut the write side after the response, then read and drop until the client closes, or `seconds`."""
        socket = self._socket
        if socket is None:
            return
        self._lingering = True
        self._cancel_deadline()
        if socket.can_write_eof():
            socket.write_eof()  # after what is buffered: the client reads the response, then end of file
        socket.resume_reading()  # uvicorn's flow control may have paused it
        self._linger_until = self.loop.time() + seconds
        self._linger_heard()

    def _linger_heard(self) -> None:
        """(Re)arm the lingering close's timer: at most until the end, and `LINGER_IDLE_SECONDS` of silence."""
        if self._linger_timer is not None:
            self._linger_timer.cancel()
        socket = self._socket
        if socket is None or self._lost:
            return
        delay = min(LINGER_IDLE_SECONDS, self._linger_until - self.loop.time())
        self._linger_timer = self.loop.call_later(max(delay, 0), self._linger_over)

    def _linger_over(self) -> None:
        socket = self._socket
        if socket is None:
            return
        if socket.get_write_buffer_size():
            socket.abort()  # a client that has not read its response by now will not: drop it
        else:
            socket.close()
