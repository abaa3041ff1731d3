"""What recapql's HTTP protocol writes to the socket: each answer in one write, complete and in order.

`BoundedHttpToolsProtocol` holds a response's head back until its body is written, so that the
two leave in one `writev` instead of two `send` calls. These tests drive the real protocol and
the real app (its store, middleware and endpoint) on a real event loop, with the socket recorded
(`tests/support/protocol_harness.py`).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from recapql.settings import Settings
from store import Store
from tests.support.protocol_harness import RecordedSocket, connected, post, responses

DAYS = json.dumps({"query": "{ days { date } }"}).encode()


def _exchange(served: tuple[Path, Store], requests: bytes, answers: int) -> RecordedSocket:
    """Send `requests` on one connection to the real app; what was written once `answers` responses completed."""
    store_path, store = served

    async def run() -> RecordedSocket:
        async with connected(Settings(store_path=store_path), store) as connection:
            connection.send(requests)
            await connection.answered(answers)
            return connection.socket

    return asyncio.run(run())


@pytest.fixture(scope="module")
def opened(store_path: Path, store: Store) -> tuple[Path, Store]:
    return store_path, store


def test_an_answer_is_written_in_one_call_head_and_body_together(opened: tuple[Path, Store]) -> None:
    socket = _exchange(opened, post(DAYS), answers=1)
    assert len(socket.writes) == 1
    [(head, body)] = responses(socket.writes[0])
    assert head.startswith(b"HTTP/1.1 200 OK")
    assert b"x-request-id: " in head
    assert b"x-content-type-options: nosniff" in head
    assert json.loads(body)["data"]["days"][0] == {"date": "2018-05-01"}


def test_pipelined_requests_are_answered_in_order_each_in_one_write(opened: tuple[Path, Store]) -> None:
    lookups = [
        json.dumps({"query": "query($d: Date!) { day(date: $d) { date } }", "variables": {"d": day}}).encode()
        for day in ("2018-05-02", "2018-05-03", "2018-05-04")
    ]
    socket = _exchange(opened, b"".join(post(body) for body in lookups), answers=3)
    assert len(socket.writes) == 3
    answered = [json.loads(body)["data"]["day"]["date"] for write in socket.writes for _, body in responses(write)]
    assert answered == ["2018-05-02", "2018-05-03", "2018-05-04"]


def test_answers_without_a_body_are_still_written(opened: tuple[Path, Store]) -> None:
    head_request = (
        b"HEAD /graphql?query=%7Bdays%7Bdate%7D%7D HTTP/1.1\r\nhost: test\r\naccept: application/json\r\n\r\n"
    )
    socket = _exchange(opened, head_request, answers=1)
    written = b"".join(socket.writes)
    assert written.startswith(b"HTTP/1.1 200 OK")
    assert written.endswith(b"\r\n\r\n")  # the head, and no body
    etag = next(line.split(b": ", 1)[1] for line in written.split(b"\r\n") if line.startswith(b"etag: "))

    revalidated = b"GET /graphql?query=%7Bdays%7Bdate%7D%7D HTTP/1.1\r\nhost: test\r\nif-none-match: " + etag
    socket = _exchange(opened, revalidated + b"\r\n\r\n", answers=1)
    assert b"".join(socket.writes).startswith(b"HTTP/1.1 304 Not Modified")


def test_a_refusal_before_the_body_arrived_is_written_and_the_connection_closed(opened: tuple[Path, Store]) -> None:
    # Content-Length past the limit and no body yet: 413 at once, then the lingering close.
    head = b"POST /graphql HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\ncontent-length: 50000000\r\n\r\n"
    socket = _exchange(opened, head, answers=1)
    [(response_head, body)] = responses(b"".join(socket.writes))
    assert response_head.startswith(b"HTTP/1.1 413")
    assert b"connection: close" in response_head
    assert socket.eof  # shut for writing, after the response: the close lingers
    assert json.loads(body)["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
