"""`recapql serve` against misbehaving clients: early refusals, slow and half-sent requests, floods, smuggling.

Every test talks to a real server on 127.0.0.1 over raw sockets or urllib, each socket with a
timeout, every wait a bounded poll. The figures they print (run with `-s`) are the ones quoted
in docs/operating.md.
"""

from __future__ import annotations

import json
import re
import selectors
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from recapql.serving.protocols import MAX_HEAD_BYTES
from tests.support.live_server import LiveServer, live_server

# Every test here starts a real `recapql serve`.
pytestmark = pytest.mark.slow

BIG = b"x" * 12_000_000  # far past RECAPQL_MAX_BODY_BYTES (100,000)
QUERY = json.dumps({"query": "{ recap { city } }"}).encode()


@pytest.fixture(scope="module")
def server(store_path: Path) -> Iterator[LiveServer]:
    """One server with the default bounds, for the tests that leave it as they found it."""
    with live_server(env={"RECAPQL_STORE": str(store_path)}) as running:
        yield running


def _port(server: LiveServer) -> int:
    return int(server.url.rsplit(":", 1)[1])


def _connect(port: int, timeout: float = 5) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=timeout)


def _read_until_closed(connection: socket.socket, limit: float = 5) -> tuple[bytes, bool]:
    """What the server sends until it closes the connection (True), or until `limit` seconds pass (False)."""
    received = b""
    deadline = time.monotonic() + limit
    while (left := deadline - time.monotonic()) > 0:
        connection.settimeout(left)
        try:
            chunk = connection.recv(65536)
        except TimeoutError:
            break
        except ConnectionResetError:
            return received, True
        if not chunk:
            return received, True
        received += chunk
    return received, False


def _status(response: bytes) -> int:
    found = re.match(rb"HTTP/1\.1 (\d{3}) ", response)
    assert found, response[:200]
    return int(found.group(1))


def _header(response: bytes, name: str) -> str | None:
    head = response.partition(b"\r\n\r\n")[0].decode("latin-1")
    found = re.search(rf"^{name}: *(.*?)\r?$", head, re.IGNORECASE | re.MULTILINE)
    return found.group(1) if found else None


def _healthz(server: LiveServer) -> int:
    try:
        with urllib.request.urlopen(f"{server.url}/healthz", timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize(
    ("method", "content_type", "status"),
    [("POST", "application/json", 413), ("POST", "text/plain", 415), ("PUT", "application/json", 405)],
)
def test_a_refusal_reaches_a_client_still_sending_a_big_body(
    server: LiveServer, method: str, content_type: str, status: int
) -> None:
    # urllib sends `Connection: close` and the whole body before it reads: before the lingering
    # close, uvicorn closed with megabytes unread and the client got "Connection reset by peer".
    request = urllib.request.Request(
        f"{server.url}/graphql", data=BIG, method=method,
        headers={"content-type": content_type, "accept": "application/json"},
    )  # fmt: skip
    started = time.monotonic()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=20)
    print(f"12 MB {method} {content_type}: {refused.value.code} after {time.monotonic() - started:.2f} s")
    assert refused.value.code == status
    assert refused.value.headers["connection"] == "close"
    body = json.loads(refused.value.read())
    assert body["errors"][0]["extensions"]["code"]


def test_a_client_expecting_100_continue_is_refused_without_sending_the_body(server: LiveServer) -> None:
    with _connect(_port(server)) as connection:
        connection.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 12000000\r\nExpect: 100-continue\r\n\r\n"
        )
        response, closed = _read_until_closed(connection)
    assert _status(response) == 413  # no 100 Continue first: the body is never asked for
    assert _header(response, "connection") == "close"
    assert closed, "the server kept the connection open after refusing the body"


def test_a_refused_body_that_has_arrived_keeps_the_connection_alive(server: LiveServer) -> None:
    # Only an unread body closes the connection: a small one the server read is no reason to.
    with _connect(_port(server)) as connection:
        for _ in range(2):
            connection.sendall(
                b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                b"Content-Length: %d\r\n\r\n%s" % (len(QUERY), QUERY)
            )
            response = _read_one_response(connection)
            assert _status(response) == 415
            assert _header(response, "connection") is None


def _read_one_response(connection: socket.socket) -> bytes:
    received = b""
    while True:
        chunk = connection.recv(65536)
        assert chunk, "the server closed the connection"
        received += chunk
        _, separator, body = received.partition(b"\r\n\r\n")
        length = _header(received, "content-length")
        if separator and length is not None and len(body) >= int(length):
            return received


def test_a_request_with_both_content_length_and_transfer_encoding_is_refused_and_the_connection_closed(
    server: LiveServer,
) -> None:
    # A front proxy reading Content-Length would pass the smuggled request on as body; one
    # reading Transfer-Encoding would see two requests. Neither is answered: 400, then closed.
    smuggled = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    with _connect(_port(server)) as connection:
        connection.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled
        )
        response, closed = _read_until_closed(connection)
    assert _status(response) == 400
    assert _header(response, "connection") == "close"
    assert closed
    assert response.count(b"HTTP/1.1 ") == 1, "the smuggled request was answered"


def test_a_head_larger_than_the_bound_is_refused(server: LiveServer) -> None:
    with _connect(_port(server)) as connection:
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ")
        sent = 0
        try:
            while sent <= 4 * MAX_HEAD_BYTES:  # httptools alone took 100 MB of one header
                connection.sendall(b"a" * 16384)
                sent += 16384
        except (ConnectionResetError, BrokenPipeError):
            pass
        response, closed = _read_until_closed(connection)
    assert _status(response) == 431
    assert closed


def test_half_sent_requests_are_closed_within_their_timeouts_while_others_are_served(store_path: Path) -> None:
    header_timeout, body_timeout = 2, 3
    env = {
        "RECAPQL_STORE": str(store_path),
        "RECAPQL_HEADER_TIMEOUT": str(header_timeout),
        "RECAPQL_BODY_TIMEOUT": str(body_timeout),
    }
    head = b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    partial = {
        "head": head,  # the head never ends
        "body": head + b"Content-Length: %d\r\n\r\n%s" % (len(QUERY), QUERY[:10]),  # nor does the body
    }
    with live_server(env=env) as server, ExitStack() as stack:
        sockets: dict[socket.socket, tuple[str, float]] = {}
        for number in range(500):
            kind = "head" if number % 2 else "body"
            connection = stack.enter_context(_connect(_port(server)))
            connection.sendall(partial[kind])
            sockets[connection] = (kind, time.monotonic())
        # Meanwhile everyone else is answered.
        assert [_healthz(server) for _ in range(5)] == [200] * 5
        closed = _wait_closed(sockets, limit=body_timeout + 10)
        assert _healthz(server) == 200
    assert len(closed) == len(sockets), f"{len(sockets) - len(closed)} half-sent requests were still open"
    for kind, timeout in (("head", header_timeout), ("body", body_timeout)):
        seconds = [after for what, after, _ in closed.values() if what == kind]
        print(f"half-sent {kind}: closed after {min(seconds):.2f}-{max(seconds):.2f} s (timeout {timeout} s)")
        assert min(seconds) >= timeout - 0.5
        assert max(seconds) <= timeout + 5
    assert all(_status(response) == 408 for _, _, response in closed.values())
    assert len(server.stderr) < 20, server.stderr


def _wait_closed(
    sockets: dict[socket.socket, tuple[str, float]], limit: float
) -> dict[socket.socket, tuple[str, float, bytes]]:
    """Each socket the server closes within `limit` seconds: its kind, after how long, and what it was sent."""
    closed: dict[socket.socket, tuple[str, float, bytes]] = {}
    received = dict.fromkeys(sockets, b"")
    with selectors.DefaultSelector() as selector:
        for connection in sockets:
            connection.setblocking(False)
            selector.register(connection, selectors.EVENT_READ)
        deadline = time.monotonic() + limit
        while len(closed) < len(sockets) and (left := deadline - time.monotonic()) > 0:
            for key, _ in selector.select(timeout=left):
                ready = key.fileobj
                assert isinstance(ready, socket.socket)
                try:
                    chunk = ready.recv(65536)
                except ConnectionResetError:
                    chunk = b""
                if chunk:
                    received[ready] += chunk
                    continue
                kind, started = sockets[ready]
                closed[ready] = (kind, time.monotonic() - started, received[ready])
                selector.unregister(ready)
    return closed


def test_a_flood_past_the_connection_cap_is_refused_and_the_server_recovers(store_path: Path) -> None:
    cap, flood = 50, 80
    env = {"RECAPQL_STORE": str(store_path), "RECAPQL_MAX_CONNECTIONS": str(cap), "RECAPQL_HEADER_TIMEOUT": "60"}
    with live_server(env=env) as server:
        port = _port(server)
        with ExitStack() as stack:
            # Slow clients holding their connections open, each with half a request sent.
            attackers = [stack.enter_context(_connect(port)) for _ in range(flood)]
            for attacker in attackers:
                attacker.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            closed = _wait_closed(dict.fromkeys(attackers, ("flood", time.monotonic())), limit=2)
            refused = [response for _, _, response in closed.values()]
            print(f"{flood} connections against a cap of {cap}: {len(refused)} refused with 503")
            assert len(refused) == flood - cap
            assert all(_status(response) == 503 and _header(response, "retry-after") for response in refused)
            # A client arriving now is refused just as clearly, and at once.
            started = time.monotonic()
            assert _healthz(server) == 503
            assert time.monotonic() - started < 2
        # The attackers gone, the server answers again.
        deadline = time.monotonic() + 10
        while (status := _healthz(server)) != 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert status == 200
    print(f"server stderr: {len(server.stderr)} lines")
    assert len(server.stderr) < 20, server.stderr
