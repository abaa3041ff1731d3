"""Repeats of cached requests, answered by the protocol itself: the app's bytes, log line and metrics, at once.

A request is answered early when the protocol has written its answer before `data_received`
returns, before the event loop could run any task of the app. Every request the early path may
not answer goes through the app; each test compares what a client gets with what the app sends.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

import pytest

from recapql.observability.request_facts import RequestFacts
from recapql.settings import Settings
from store import Store
from tests.support.live_server import live_server
from tests.support.protocol_harness import Connection, connected, post, responses

DAYS = json.dumps({"query": "{ days { date } }"}).encode()
NAMED = json.dumps(
    {"query": "query Day($d: Date!) { day(date: $d) { date title } }", "variables": {"d": "2018-05-02"},
     "operationName": "Day"}
).encode()  # fmt: skip
# What differs between two answers to the same request: when, and which request it was.
_PER_ANSWER = (b"date:", b"x-request-id:")


def _settled(head: bytes) -> list[bytes]:
    """A response head's lines, in order, with the values that differ from one answer to the next blanked."""
    return [
        line.split(b":")[0] + b": *" if line.lower().startswith(_PER_ANSWER) else line for line in head.split(b"\r\n")
    ]


def _run(settings: Settings, store: Store, test: Callable[[Connection], Awaitable[None]]) -> None:
    async def run() -> None:
        async with connected(settings, store) as connection:
            await test(connection)

    asyncio.run(run())


@pytest.fixture
def settings(store_path: Path) -> Settings:
    return Settings(store_path=store_path)


def _logged(caplog: pytest.LogCaptureFixture) -> list[RequestFacts]:
    """The facts of every access-log line so far."""
    return [facts for record in caplog.records if isinstance(facts := getattr(record, "request", None), RequestFacts)]


def _get(extra: bytes = b"", *, method: bytes = b"GET", query: bytes = b"query=%7Bdays%7Bdate%7D%7D") -> bytes:
    return method + b" /graphql?" + query + b" HTTP/1.1\r\nhost: test\r\n" + extra + b"\r\n"


async def _through_the_app(connection: Connection, request: bytes) -> tuple[bytes, bytes]:
    """Send `request`, check that it was not answered before the app ran, and return its answer."""
    assert connection.send(request) == b"", "answered before the app could run"
    return (await connection.answered(connection.completed + 1))[-1]


def test_a_repeat_is_answered_at_once_with_the_bytes_the_app_sent(settings: Settings, store: Store) -> None:
    async def test(connection: Connection) -> None:
        app_head, app_body = await _through_the_app(connection, post(DAYS))
        written = connection.send(post(DAYS))
        [(head, body)] = responses(written)
        assert body == app_body
        assert _settled(head) == _settled(app_head)
        assert head.startswith(b"HTTP/1.1 200 OK\r\n")
        assert json.loads(body)["data"]["days"][0] == {"date": "2018-05-01"}

    _run(settings, store, test)


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param(b"accept: application/graphql-response+json\r\n", id="graphql-response media type"),
        pytest.param(b"accept: application/json\r\n", id="json media type"),
        pytest.param(b"accept: */*\r\nuser-agent: curl/8\r\n", id="any media type"),
        pytest.param(b"x-request-id: client-7\r\n", id="the client's request id"),
    ],
)
def test_repeats_are_answered_early_in_the_media_type_they_ask_for(
    settings: Settings, store: Store, extra: bytes
) -> None:
    async def test(connection: Connection) -> None:
        app_head, app_body = await _through_the_app(connection, post(NAMED, extra=extra))
        [(head, body)] = responses(connection.send(post(NAMED, extra=extra)))
        assert (_settled(head), body) == (_settled(app_head), app_body)
        if b"client-7" in extra:
            assert b"\r\nx-request-id: client-7\r\n" in head + b"\r\n"

    _run(settings, store, test)


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param(b"", id="no Accept"),
        pytest.param(b"accept: application/graphql-response+json\r\n", id="graphql-response media type"),
        pytest.param(b"accept: */*\r\nx-request-id: client-8\r\n", id="any media type"),
    ],
)
def test_a_repeated_get_is_answered_early_with_its_etag_and_cache_headers(
    settings: Settings, store: Store, extra: bytes
) -> None:
    async def test(connection: Connection) -> None:
        app_head, app_body = await _through_the_app(connection, _get(extra))
        [(head, body)] = responses(connection.send(_get(extra)))
        assert (_settled(head), body) == (_settled(app_head), app_body)
        assert b"\r\netag: " in head
        assert b"\r\nvary: Accept" in head
        assert b"\r\ncache-control: public, max-age=" in head

    _run(settings, store, test)


def test_a_get_known_from_a_head_is_answered_early(settings: Settings, store: Store) -> None:
    async def test(connection: Connection) -> None:
        head_head, _ = await _through_the_app(connection, _get(method=b"HEAD"))
        [(head, body)] = responses(connection.send(_get()))
        assert _settled(head) == _settled(head_head)
        assert json.loads(body)["data"]["days"][0] == {"date": "2018-05-01"}

    _run(settings, store, test)


def test_a_revalidation_of_a_known_get_gets_the_apps_304(settings: Settings, store: Store) -> None:
    async def test(connection: Connection) -> None:
        head, _ = await _through_the_app(connection, _get())
        etag = next(line for line in head.split(b"\r\n") if line.startswith(b"etag: ")).removeprefix(b"etag: ")
        for _ in range(2):
            revalidated, _ = await _through_the_app(connection, _get(b"if-none-match: " + etag + b"\r\n"))
            assert revalidated.startswith(b"HTTP/1.1 304 Not Modified")

    _run(settings, store, test)


def test_with_csrf_prevention_on_a_get_still_needs_its_preflight_header(store_path: Path, store: Store) -> None:
    settings = Settings(store_path=store_path, csrf_prevention=True)
    preflighted = b"apollo-require-preflight: true\r\n"

    async def test(connection: Connection) -> None:
        await _through_the_app(connection, _get(preflighted))
        for _ in range(2):
            await _through_the_app(connection, _get(preflighted))
        head, body = await _through_the_app(connection, _get())
        assert head.startswith(b"HTTP/1.1 400")
        assert json.loads(body)["errors"][0]["extensions"]["code"] == "CSRF_PREVENTION"

    _run(settings, store, test)


def test_a_body_known_in_one_media_type_goes_to_the_app_in_another(settings: Settings, store: Store) -> None:
    graphql_response = b"accept: application/graphql-response+json\r\n"

    async def test(connection: Connection) -> None:
        await _through_the_app(connection, post(DAYS))
        head, _ = await _through_the_app(connection, post(DAYS, extra=graphql_response))
        assert b"content-type: application/graphql-response+json; charset=utf-8" in head
        [(early_head, _)] = responses(connection.send(post(DAYS, extra=graphql_response)))
        assert _settled(early_head) == _settled(head)

    _run(settings, store, test)


@pytest.mark.parametrize(
    ("request_bytes", "why"),
    [
        (post(DAYS, extra=b"connection: close\r\n"), "the connection closes after it"),
        (post(DAYS, content_type=b"text/plain"), "415: not JSON"),
        (post(json.dumps({"query": "{ days { date } }", "extensions": {}}).encode()), "extensions"),
        (post(json.dumps({"query": "{ nope }"}).encode()), "an error is never kept"),
        (_get(b"accept: text/html,application/xhtml+xml,*/*;q=0.8\r\n"), "a browser opening the link: GraphiQL"),
        (_get(b"accept: application/json\r\n", method=b"HEAD"), "HEAD"),
        (_get(b"content-length: 0\r\n"), "a GET with a body"),
        (b"GET /graphql?extensions=%7B%7D&query=%7Bdays%7Bdate%7D%7D HTTP/1.1\r\nhost: t\r\n\r\n", "extensions"),
        (
            b"POST /graphql HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
            + b"%x\r\n" % len(DAYS) + DAYS + b"\r\n0\r\n\r\n",
            "a chunked body has no declared length",
        ),
        (b"POST /graphql/ HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n"
         % len(DAYS) + DAYS, "another path"),
    ],
)  # fmt: skip
def test_requests_the_early_path_cannot_vouch_for_always_go_to_the_app(
    settings: Settings, store: Store, request_bytes: bytes, why: str
) -> None:
    async def test(connection: Connection) -> None:
        for known in (post(DAYS), _get()):  # the same document, known by POST and by GET
            await _through_the_app(connection, known)
        for _ in range(2):  # the second time too, when the first was kept
            await _through_the_app(connection, request_bytes)
            if connection.socket.closed:
                break

    _run(settings, store, test)


def test_with_cors_on_every_request_goes_to_the_app_for_its_cors_headers(store_path: Path, store: Store) -> None:
    settings = Settings(store_path=store_path, cors_origins=("https://reader.example",))
    origin = b"origin: https://reader.example\r\n"

    async def test(connection: Connection) -> None:
        for _ in range(2):
            head, _ = await _through_the_app(connection, post(DAYS))
            assert b"\r\nvary: Origin" in head  # Starlette's CORS middleware says caches must key on it
            head, _ = await _through_the_app(connection, post(DAYS, extra=origin))
            assert b"access-control-allow-origin: https://reader.example" in head

    _run(settings, store, test)


def test_with_the_cache_off_nothing_is_answered_early(store_path: Path, store: Store) -> None:
    async def test(connection: Connection) -> None:
        for _ in range(3):
            await _through_the_app(connection, post(DAYS))

    _run(Settings(store_path=store_path, response_cache_mb=0), store, test)


def test_a_client_waiting_for_100_continue_gets_it_from_the_app(settings: Settings, store: Store) -> None:
    head = b"POST /graphql HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\nexpect: 100-continue\r\n"
    head += b"content-length: %d\r\n\r\n" % len(DAYS)

    async def test(connection: Connection) -> None:
        await _through_the_app(connection, post(DAYS))
        assert connection.send(head) == b""
        for _ in range(100):  # the app reads the body, which sends 100 Continue
            if b"".join(connection.socket.writes).endswith(b"HTTP/1.1 100 Continue\r\n\r\n"):
                break
            await asyncio.sleep(0.01)
        else:
            raise AssertionError("no 100 Continue")
        connection.send(DAYS)
        assert (await connection.answered(2))[-1][0].startswith(b"HTTP/1.1 200 OK")

    _run(settings, store, test)


def test_pipelined_repeats_and_new_requests_are_answered_in_order(settings: Settings, store: Store) -> None:
    days_2 = json.dumps({"query": "query($d: Date!) { day(date: $d) { date } }", "variables": {"d": "2018-05-02"}})

    async def test(connection: Connection) -> None:
        await _through_the_app(connection, post(DAYS))
        written = connection.send(post(DAYS) + post(days_2.encode()) + post(DAYS))
        assert len(responses(written)) == 1  # the first at once; the next waits for the app
        # A request that follows an early answer in the same read is not cut off by the
        # keep-alive timeout armed when the early one completed.
        assert connection.protocol.timeout_keep_alive_task is None
        answered = await connection.answered(4)
        assert [json.loads(body)["data"] for _, body in answered[1:]] == [
            {"days": [{"date": day} for day in ("2018-05-01", "2018-05-02", "2018-05-03", "2018-05-04")]},
            {"day": {"date": "2018-05-02"}},
            {"days": [{"date": day} for day in ("2018-05-01", "2018-05-02", "2018-05-03", "2018-05-04")]},
        ]
        assert len(connection.socket.writes) == 4  # each in one write

    _run(settings, store, test)


def test_an_early_answer_is_logged_and_counted_as_the_apps_cached_answer(
    settings: Settings, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    spaced = NAMED.replace(b"{ day(", b"{  day(")  # the same document: the app answers it from its cache

    async def test(connection: Connection) -> None:
        await _through_the_app(connection, post(NAMED))
        await _through_the_app(connection, post(spaced, extra=b"x-request-id: by-the-app\r\n"))
        responses(connection.send(post(spaced, extra=b"x-request-id: early\r\n")))

    with caplog.at_level(logging.INFO, logger="recapql.access"):
        _run(settings, store, test)
    facts = _logged(caplog)
    assert [fact.outcome for fact in facts] == ["ok", "cached", "cached"]
    by_the_app, early = facts[1], facts[2]
    assert (by_the_app.request_id, early.request_id) == ("by-the-app", "early")
    assert replace(early, request_id="-", duration=0) == replace(by_the_app, request_id="-", duration=0)
    assert (early.operation, early.cache, early.status) == ("Day", "hit", 200)


def test_behind_a_proxy_an_early_answer_logs_the_client_the_proxy_names(
    settings: Settings, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    # The harness's peer is 127.0.0.1, which uvicorn trusts by default (--forwarded-allow-ips).
    forwarded = b"x-forwarded-for: 203.0.113.9, 127.0.0.1\r\nx-forwarded-proto: https\r\n"
    spaced = DAYS.replace(b"{ days", b"{  days")

    async def test(connection: Connection) -> None:
        await _through_the_app(connection, post(DAYS, extra=forwarded))
        await _through_the_app(connection, post(spaced, extra=forwarded))  # cached, by the app
        [(head, _)] = responses(connection.send(post(spaced, extra=forwarded)))
        assert head.startswith(b"HTTP/1.1 200 OK")

    with caplog.at_level(logging.INFO, logger="recapql.access"):
        _run(settings, store, test)
    facts = _logged(caplog)
    assert [(fact.outcome, fact.client) for fact in facts] == [("ok", "203.0.113.9:0")] + [
        ("cached", "203.0.113.9:0")
    ] * 2


def test_a_client_gone_before_its_body_arrived_is_logged_as_the_app_logs_it(
    settings: Settings, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    async def test(connection: Connection) -> None:
        await _through_the_app(connection, post(DAYS))
        assert connection.send(post(DAYS)[:-5]) == b""  # the body's last bytes never come
        connection.lose()
        for _ in range(100):  # the app's task runs, hears the disconnect, and logs it
            if len(_logged(caplog)) == 2:
                return
            await asyncio.sleep(0.01)

    with caplog.at_level(logging.INFO, logger="recapql.access"):
        _run(settings, store, test)
    facts = _logged(caplog)
    assert [(fact.outcome, fact.status) for fact in facts] == [("ok", 200), ("disconnected", 499)]


@pytest.mark.slow
def test_over_a_real_server_a_repeat_gets_the_same_answer_and_is_logged_as_cached(store_path: Path) -> None:
    with live_server("--store", str(store_path), "--log-format", "json", env={"RECAPQL_LOG_LEVEL": "info"}) as server:
        port = int(server.url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
            answers = []
            for _ in range(2):
                client.sendall(post(NAMED))
                answers.append(_read_response(client))
        with urllib.request.urlopen(f"{server.url}/metrics", timeout=10) as response:
            metrics = response.read().decode()
    (first_head, first_body), (second_head, second_body) = answers
    assert second_body == first_body
    assert _settled(second_head) == _settled(first_head)
    assert second_head.startswith(b"HTTP/1.1 200 OK\r\ndate: ")
    assert 'recapql_graphql_requests_total{operation="Day",outcome="cached"} 1.0' in metrics
    lines = [json.loads(line) for line in server.stderr if line.startswith("{") and '"recapql.access"' in line]
    graphql = [(line["outcome"], line["cache"], line["status"]) for line in lines if line["path"] == "/graphql"]
    assert graphql == [("ok", "miss", 200), ("cached", "hit", 200)]


def _read_response(client: socket.socket) -> tuple[bytes, bytes]:
    received = b""
    while b"\r\n\r\n" not in received:
        received += client.recv(65536)
    head, _, body_so_far = received.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.startswith(b"content-length")))
    while len(body_so_far) < length:
        body_so_far += client.recv(65536)
    return head, body_so_far
