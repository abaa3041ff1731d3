"""What operators see of unusual requests: disconnects, forged log lines, odd ids, errors, refusals.

Some requests here are driven straight through the real app's ASGI interface, where a test
client cannot go: a client that disconnects half-way through its body, a header value with a
newline, a route that fails. One (slow) drops an upload on a real `recapql serve`.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import re
import socket
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import anyio
import orjson
import pytest
from starlette.testclient import TestClient
from starlette.types import ASGIApp, Message

from recapql.app import create_app
from recapql.observability.log_config import JsonFormatter, TextFormatter, escape_controls
from recapql.observability.request_facts import RequestFacts
from recapql.settings import Settings
from store import Store
from tests.support.api import ClientWith
from tests.support.live_server import live_server

BODY = orjson.dumps({"query": "query Upload { recap { city } }"})


class Exchange:
    """One request driven through an ASGI app: what it was sent, and what it answered."""

    def __init__(self, app: ASGIApp, store: Store | None) -> None:
        self.app = app
        self.state: dict[str, Any] = {} if store is None else {"store": store}
        self.sent: list[Message] = []

    def run(self, method: str, path: str, incoming: list[Message], headers: list[tuple[bytes, bytes]]) -> None:
        pending = list(incoming)

        async def receive() -> Message:
            # Past what the client sent, the client is gone.
            return pending.pop(0) if pending else {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            self.sent.append(message)

        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.4"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"testserver"), *headers],
            "client": ("127.0.0.1", 50_000),
            "server": ("127.0.0.1", 8000),
            "state": dict(self.state),
        }
        anyio.run(self.app, scope, receive, send)

    @property
    def status(self) -> int | None:
        starts = [message for message in self.sent if message["type"] == "http.response.start"]
        return int(starts[0]["status"]) if starts else None

    @property
    def headers(self) -> dict[str, str]:
        [start] = [message for message in self.sent if message["type"] == "http.response.start"]
        return {name.decode(): value.decode() for name, value in start["headers"]}

    @property
    def body(self) -> bytes:
        return b"".join(message.get("body", b"") for message in self.sent if message["type"] == "http.response.body")


@pytest.fixture
def app(store_path: Path) -> ASGIApp:
    return create_app(Settings(store_path=store_path))


def _drive(
    app: ASGIApp,
    store: Store | None,
    method: str,
    path: str,
    incoming: list[Message] | None = None,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> Exchange:
    exchange = Exchange(app, store)
    exchange.run(method, path, incoming or [], headers or [])
    return exchange


def _facts(caplog: pytest.LogCaptureFixture) -> list[RequestFacts]:
    """The facts of each request the access log logged."""
    found = (getattr(record, "request", None) for record in caplog.records)
    return [facts for facts in found if isinstance(facts, RequestFacts)]


def _metrics(app: ASGIApp, store: Store) -> str:
    return _drive(app, store, "GET", "/metrics").body.decode()


_JSON_POST = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]


@pytest.mark.parametrize(
    "incoming",
    [
        [{"type": "http.request", "body": BODY[:10], "more_body": True}, {"type": "http.disconnect"}],
        [{"type": "http.disconnect"}],
    ],
    ids=["mid-body", "before-the-body"],
)
def test_a_client_that_disconnects_is_disconnected_not_a_server_error(
    app: ASGIApp, store: Store, caplog: pytest.LogCaptureFixture, incoming: list[Message]
) -> None:
    caplog.set_level(logging.DEBUG)
    exchange = _drive(app, store, "POST", "/graphql", incoming, _JSON_POST)  # returns: nothing raised
    assert exchange.sent == []  # nobody to answer
    [facts] = _facts(caplog)
    assert (facts.outcome, facts.status) == ("disconnected", 499)
    assert [record for record in caplog.records if record.levelno >= logging.WARNING] == []
    assert not any(record.exc_info for record in caplog.records)
    metrics = _metrics(app, store)
    assert 'recapql_http_requests_total{route="/graphql",status="499"} 1.0' in metrics
    assert 'recapql_graphql_requests_total{operation="anonymous",outcome="disconnected"} 1.0' in metrics
    assert not re.search(r'status="5\d\d"', metrics)


def test_a_whole_body_is_still_answered(app: ASGIApp, store: Store, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    exchange = _drive(app, store, "POST", "/graphql", [{"type": "http.request", "body": BODY}], _JSON_POST)
    assert exchange.status == 200
    assert orjson.loads(exchange.body)["data"] == {"recap": {"city": "Copenhagen"}}
    [facts] = _facts(caplog)
    assert (facts.operation, facts.outcome, facts.status) == ("Upload", "ok", 200)


def test_a_server_error_carries_the_security_headers_and_a_request_id(
    app: ASGIApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    exchange = Exchange(app, None)  # no store in the state: /healthz fails
    with pytest.raises(AttributeError):
        exchange.run("GET", "/healthz", [], [])  # Starlette re-raises for the server to log
    assert exchange.status == 500
    assert exchange.headers["x-content-type-options"] == "nosniff"
    assert exchange.headers["referrer-policy"] == "no-referrer"
    [facts] = _facts(caplog)
    assert exchange.headers["x-request-id"] == facts.request_id
    assert facts.status == 500


@pytest.mark.parametrize(
    ("request_id", "kept"),
    [(b"trace-42", True), (b"trace-42\n", False), (b"trace\n42", False), (b"x" * 65, False)],
)
def test_a_request_id_is_kept_only_when_all_of_it_is_sane(
    app: ASGIApp, store: Store, request_id: bytes, kept: bool
) -> None:
    exchange = _drive(app, store, "GET", "/healthz", headers=[(b"x-request-id", request_id)])
    assert (exchange.headers["x-request-id"] == request_id.decode()) is kept


def test_an_operation_name_with_a_trailing_newline_is_counted_as_other(client_with: ClientWith) -> None:
    with client_with() as client:
        client.post("/graphql", json={"query": "query Op { recap { city } }", "operationName": "Op\n"})
        metrics = client.get("/metrics").text
    assert 'recapql_graphql_requests_total{operation="other",outcome="refused"} 1.0' in metrics
    assert "Op\\n" not in metrics


def test_text_log_lines_escape_newlines_in_the_path_and_the_operation_name(client: TestClient) -> None:
    lines: list[str] = []
    handler = _ListHandler(lines, TextFormatter())
    access = logging.getLogger("recapql.access")
    access.addHandler(handler)
    level = access.level
    access.setLevel(logging.INFO)
    try:
        client.get("/graphql%0A2030-01-01 12:00:00 ERROR   recapql.app: forged")
        client.post(
            "/graphql",
            json={"query": "query A { recap { city } }", "operationName": "A\n2030-01-01 ERROR forged\r\x1b[2K"},
        )
    finally:
        access.removeHandler(handler)
        access.setLevel(level)
    assert len(lines) == 2
    assert all("\n" not in line and "\r" not in line and "\x1b" not in line for line in lines)
    assert "GET /graphql\\n2030-01-01 12:00:00 ERROR   recapql.app: forged - 404 " in lines[0]
    assert "POST /graphql A\\n2030-01-01 ERROR forged\\r\\x1b[2K 400 " in lines[1]  # no such operation


class _ListHandler(logging.Handler):
    def __init__(self, lines: list[str], formatter: logging.Formatter) -> None:
        super().__init__()
        self.lines = lines
        self.setFormatter(formatter)

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def _record(message: str, *args: object, exc_info: bool = False) -> logging.LogRecord:
    try:
        raise ValueError("bad\n2030-01-01 12:00:00 INFO    recapql.access: forged")
    except ValueError:
        info = sys.exc_info() if exc_info else None
    return logging.LogRecord("recapql.test", logging.ERROR, __file__, 1, message, args, info)


def test_text_log_tracebacks_are_indented_so_no_line_passes_for_a_record() -> None:
    text = TextFormatter().format(_record("failed on %s", "a\u2028b", exc_info=True))
    first, *rest = text.split("\n")
    assert first.endswith("recapql.test: failed on a\\u2028b")
    assert rest
    assert all(line.startswith("    ") for line in rest)
    assert any("ValueError: bad" in line for line in rest)


def test_json_log_lines_stay_one_line() -> None:
    line = JsonFormatter().format(_record("a\nb", exc_info=True))
    assert "\n" not in line
    assert orjson.loads(line)["message"] == "a\nb"


def test_a_json_access_line_has_every_request_fact_and_the_duration_in_ms(
    app: ASGIApp, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    _drive(app, store, "POST", "/graphql", [{"type": "http.request", "body": BODY}], _JSON_POST)
    [record] = [record for record in caplog.records if isinstance(getattr(record, "request", None), RequestFacts)]
    [logged] = _facts(caplog)
    line = orjson.loads(JsonFormatter().format(record))
    facts = {field.name: getattr(logged, field.name) for field in dataclasses.fields(RequestFacts)}
    assert line == {
        "time": line["time"],
        "level": "info",
        "logger": "recapql.access",
        "message": f"POST /graphql Upload 200 {facts['duration'] * 1000:.1f}ms",
        **{name: value for name, value in facts.items() if name != "duration"},
        "duration_ms": round(facts["duration"] * 1000, 3),
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"])
    assert (line["client"], line["outcome"], line["status"]) == ("127.0.0.1:50000", "ok", 200)


@pytest.mark.parametrize("created", [1_764_612_000.0, 1_764_612_000.999_9, 1_764_612_001.0005, 0.25])
def test_log_times_are_what_logging_and_datetime_write(created: float) -> None:
    record = _record("at %s", "a time")
    record.created, record.msecs = created, float(int((created - int(created)) * 1000))
    utc = datetime.datetime.fromtimestamp(created, datetime.UTC).replace(microsecond=int(record.msecs) * 1000)
    json_formatter, text_formatter = JsonFormatter(), TextFormatter()
    for _ in range(2):  # the first line formats its second, the next one reuses it
        assert orjson.loads(json_formatter.format(record))["time"] == utc.isoformat(timespec="milliseconds")
        assert text_formatter.formatTime(record) == logging.Formatter().formatTime(record)


def test_no_access_line_is_made_below_its_level(app: ASGIApp, store: Store, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    exchange = _drive(app, store, "POST", "/graphql", [{"type": "http.request", "body": BODY}], _JSON_POST)
    assert exchange.status == 200
    assert _facts(caplog) == []


@pytest.mark.parametrize(
    ("text", "escaped"),
    [("plain", "plain"), ("a\nb\r\tc", "a\\nb\\r\\tc"), ("\x00\x1b\x7f\x85", "\\x00\\x1b\\x7f\\x85"), ("é ✓", "é ✓")],
)
def test_escape_controls_writes_control_characters_as_escapes(text: str, escaped: str) -> None:
    assert escape_controls(text) == escaped


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "outcome", "status"),
    [
        ("PUT", "/graphql", b"", [], "refused", 405),
        ("POST", "/graphql", BODY, [(b"content-type", b"text/plain")], "refused", 415),
        ("POST", "/graphql", BODY, [*_JSON_POST, (b"accept", b"text/html")], "refused", 406),
        ("POST", "/graphql", b"{", [(b"content-type", b"application/json")], "refused", 400),
        ("POST", "/graphql", b"x" * 200_000, [(b"content-type", b"application/json")], "refused", 413),
        ("GET", "/graphql", b"", [(b"accept", b"text/html")], None, 200),  # GraphiQL: a page, not a query
        ("HEAD", "/graphql", b"", [(b"accept", b"text/html")], None, 200),
        ("GET", "/nowhere", b"", [], None, 404),
    ],
)
def test_refusals_fill_the_request_facts(
    app: ASGIApp,
    store: Store,
    caplog: pytest.LogCaptureFixture,
    method: str,
    path: str,
    body: bytes,
    headers: list[tuple[bytes, bytes]],
    outcome: str | None,
    status: int,
) -> None:
    caplog.set_level(logging.INFO)
    exchange = _drive(app, store, method, path, [{"type": "http.request", "body": body}], headers)
    [facts] = _facts(caplog)
    assert (facts.outcome, facts.status, exchange.status) == (outcome, status, status)
    assert facts.method == method


@pytest.mark.slow
def test_a_live_server_logs_a_dropped_upload_as_499_without_a_traceback(store_copy: Path) -> None:
    environment = {"RECAPQL_STORE": str(store_copy), "RECAPQL_LOG_LEVEL": "info", "RECAPQL_LOG_FORMAT": "text"}
    with live_server(env=environment) as server:
        port = int(server.url.rsplit(":", 1)[1])
        head = f"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {len(BODY)}"
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            connection.sendall(f"{head}\r\n\r\n".encode() + BODY[:10])
            time.sleep(0.3)  # the endpoint is reading the body
        deadline = time.monotonic() + 10
        while 'status="499"' not in (metrics := _live_metrics(server.url)) and time.monotonic() < deadline:
            time.sleep(0.05)
    assert 'recapql_http_requests_total{route="/graphql",status="499"} 1.0' in metrics
    assert 'recapql_graphql_requests_total{operation="anonymous",outcome="disconnected"} 1.0' in metrics
    assert not re.search(r'status="5\d\d"', metrics)
    assert any(re.search(r" INFO +recapql\.access: POST /graphql - 499 ", line) for line in server.stderr)
    assert not [line for line in server.stderr if "Traceback" in line or " ERROR " in line]


def _live_metrics(url: str) -> str:
    with urllib.request.urlopen(f"{url}/metrics", timeout=10) as response:
        return str(response.read().decode())
