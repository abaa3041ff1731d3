"""`recapql serve` as operators run it: a real uvicorn on 127.0.0.1, its logs, workers, signals and load."""

from __future__ import annotations

import json
import re
import signal
import socket
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from recapql.serving.server import TCPConfig
from tests.support.live_server import LiveServer, free_port, live_server

# Every test here starts a real `recapql serve`.
pytestmark = pytest.mark.slow

NESTED = "{ days { date sessions { slug title projects { slug } } } }"


def _post(url: str, query: str, variables: dict[str, Any] | None = None, **headers: str) -> Any:
    request = urllib.request.Request(
        f"{url}/graphql",
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"content-type": "application/json", **headers},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def _env(store: Path, **variables: str) -> dict[str, str]:
    return {"RECAPQL_STORE": str(store), **variables}


def test_json_logs_have_one_line_per_request(store_copy: Path) -> None:
    with live_server(env=_env(store_copy, RECAPQL_LOG_LEVEL="info", RECAPQL_LOG_FORMAT="json")) as server:
        _post(server.url, "query Agenda { days { date } }", None, **{"x-request-id": "from-the-client"})
    lines = [json.loads(line) for line in server.stderr if line.startswith("{")]
    [request] = [line for line in lines if line.get("request_id") == "from-the-client"]
    assert request["logger"] == "recapql.access"
    assert request["operation"] == "Agenda"
    assert request["outcome"] == "ok"
    assert request["status"] == 200
    assert request["method"] == "POST"
    assert request["duration_ms"] > 0
    assert request["client"].startswith("127.0.0.1:")
    assert any(line["message"].startswith("store ") and "loaded in" in line["message"] for line in lines)


def test_text_logs_when_asked(store_copy: Path) -> None:
    with live_server(
        "--log-format", "text", "--log-level", "info", env=_env(store_copy, RECAPQL_LOG_FORMAT="json")
    ) as server:
        _post(server.url, "{ recap { city } }")
    assert any(re.search(r" INFO +recapql\.access: POST /graphql - 200 ", line) for line in server.stderr)
    assert not any(line.startswith("{") for line in server.stderr)


def test_sigterm_finishes_the_request_in_flight(store_copy: Path) -> None:
    with live_server(env=_env(store_copy)) as server:
        port = int(server.url.rsplit(":", 1)[1])
        body = json.dumps({"query": "{ recap { city } }"}).encode()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            head = "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            connection.sendall(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body[:10])
            time.sleep(0.3)  # the server has the request's head: it is in flight
            server.process.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            assert server.process.poll() is None, "the server stopped with a request in flight"
            connection.sendall(body[10:])
            response = _read_http_response(connection)
        # Uvicorn re-raises the signal once it has shut down, so the exit status says "SIGTERM".
        assert server.process.wait(timeout=15) == -signal.SIGTERM
    assert response.startswith(b"HTTP/1.1 200 OK")
    assert response.endswith(
        b'{"data":{"recap":{"city":"Copenhagen"}},"extensions":{"cost":{"estimated":2,"maximum":5000}}}'
    )


def _read_http_response(connection: socket.socket) -> bytes:
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
        head, _, body = received.partition(b"\r\n\r\n")
        length = re.search(rb"content-length: (\d+)", head, re.IGNORECASE)
        if length and len(body) >= int(length.group(1)):
            break
    return received


def test_two_workers_serve_and_count_requests_together(store_copy: Path) -> None:
    with live_server("--workers", "2", env=_env(store_copy)) as server:
        # Concurrent clients (one after the other, the same idle worker would take every
        # connection), in batches until both workers have answered; the kernel decides who
        # accepts, so on a busy machine that can take a few batches.
        pids: set[int] = set()
        asked = 0
        with ThreadPoolExecutor(max_workers=16) as pool:
            while len(pids) < 2 and asked < 2000:
                pids |= set(pool.map(lambda _: _get_json(f"{server.url}/healthz")["pid"], range(100)))
                asked += 100
        assert len(pids) == 2, "one worker answered every request"
        for _ in range(60):
            _post(server.url, "query Counted { recap { city } }")
        # A worker counts a request just after sending its answer, so the last count can land a
        # moment after the client has read it: wait for the counts (bounded), not for a time.
        # Those asked here, and the one by which live_server saw the server was up.
        expected = {"Counted": 60.0, "/healthz": float(asked + 1)}
        deadline = time.monotonic() + 10
        while (found := _counts(_fetch_metrics(server))) != expected and time.monotonic() < deadline:
            time.sleep(0.05)
    assert found == expected


def test_two_workers_refuse_new_connections_after_sigterm_and_finish_those_in_flight(store_copy: Path) -> None:
    body = json.dumps({"query": "{ recap { city } }"}).encode()
    head = "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    with live_server("--workers", "2", env=_env(store_copy)) as server, ExitStack() as stack:
        port = int(server.url.rsplit(":", 1)[1])
        # Requests in flight (head and part of the body sent), so the workers take a while to stop.
        in_flight = [stack.enter_context(socket.create_connection(("127.0.0.1", port), timeout=10)) for _ in range(4)]
        for connection in in_flight:
            connection.sendall(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body[:10])
        time.sleep(0.3)  # the workers have the heads: the requests are in flight
        server.process.send_signal(signal.SIGTERM)
        # Before, uvicorn's supervisor kept the listener open: the kernel accepted connections no
        # worker would take, and they hung. Now each one is answered (until the workers have the
        # signal: the supervisor may be waiting on a starting worker's ping) or refused, at once.
        outcomes: list[str] = []
        stopping = time.monotonic()
        while time.monotonic() - stopping < 20 and _tries_since_refused(outcomes) < 20:  # bounded: 20 s at most
            outcomes.append(_new_connection_outcome(port))
            time.sleep(0.02)  # pace the attempts
        print(f"new connections after SIGTERM: {', '.join(sorted(set(outcomes)))} ({len(outcomes)} tried)")
        assert "hung" not in outcomes
        assert "refused" in outcomes
        assert server.process.poll() is None, "the server stopped with requests in flight"
        for connection in in_flight:
            connection.sendall(body[10:])
        responses = [_read_http_response(connection) for connection in in_flight]
        assert server.process.wait(timeout=15) == 0
    assert all(response.startswith(b"HTTP/1.1 200 OK") for response in responses)


def _tries_since_refused(outcomes: list[str]) -> int:
    """How many tries were made since (and including) the first refused one; 0 before any."""
    return len(outcomes) - outcomes.index("refused") if "refused" in outcomes else 0


def _new_connection_outcome(port: int) -> str:
    """answered, refused or hung: what a new client sees within 2 s."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            answer = connection.recv(64)
    except (ConnectionRefusedError, ConnectionResetError):
        return "refused"
    except TimeoutError:
        return "hung"
    return "answered" if answer.startswith(b"HTTP/1.1 200") else "refused"


def _counts(metrics: str) -> dict[str, float]:
    counted = re.findall(r'recapql_graphql_requests_total\{operation="Counted",outcome="\w+"\} (\S+)', metrics)
    health = re.findall(r'recapql_http_requests_total\{route="/healthz",status="200"\} (\S+)', metrics)
    return {"Counted": sum(map(float, counted)), "/healthz": sum(map(float, health))}


def _fetch_metrics(server: LiveServer) -> str:
    with urllib.request.urlopen(f"{server.url}/metrics", timeout=10) as response:
        return str(response.read().decode())


def test_many_clients_at_once_all_get_correct_answers(store_copy: Path) -> None:
    lookup = "query($slug: String!) { session(slug: $slug) { slug title } }"
    with live_server(env=_env(store_copy)) as server:
        expected_nested = _post(server.url, NESTED)
        slugs = [session["slug"] for day in expected_nested["data"]["days"] for session in day["sessions"]]

        def client(number: int) -> list[bool]:
            checks = []
            for round_ in range(10):
                if (number + round_) % 2:
                    checks.append(_post(server.url, NESTED) == expected_nested)
                else:
                    slug = slugs[(number * 10 + round_) % len(slugs)]
                    answer = _post(server.url, lookup, {"slug": slug})
                    checks.append(answer["data"]["session"]["slug"] == slug and "errors" not in answer)
            return checks

        with ThreadPoolExecutor(max_workers=32) as pool:
            results = [check for checks in pool.map(client, range(32)) for check in checks]
    assert len(results) == 320
    assert all(results)


def test_the_workers_listener_is_tcp_so_connections_get_nodelay() -> None:
    # uvicorn's own listener for workers says proto 0, and asyncio then leaves Nagle on (uvicorn#3149).
    config = TCPConfig("recapql.app:app_from_env", factory=True, host="127.0.0.1", port=free_port(), workers=2)
    listener = config.bind_socket()
    try:
        assert listener.proto == socket.IPPROTO_TCP
        assert listener.get_inheritable()
    finally:
        listener.close()
