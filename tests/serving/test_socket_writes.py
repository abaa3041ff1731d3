"""What recapql's HTTP protocol writes to the socket: each answer in one write, complete and in order.

`BoundedHttpToolsProtocol` holds a response's head back until its body is written, so that the
two leave in one `writev` instead of two `send` calls. These tests drive the real protocol and
the real app (its store, middleware and endpoint) on a real event loop; the socket is replaced by
a transport that keeps what each write call handed it, the one thing a test cannot read off a
real socket (the kernel may merge or split segments as it likes).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from uvicorn.server import ServerState

from recapql.app import create_app
from recapql.serving.protocols import BoundedHttpToolsProtocol, ConnectionBounds
from recapql.serving.server import ServerConfig
from recapql.settings import Settings
from store import Store

DAYS = json.dumps({"query": "{ days { date } }"}).encode()


class RecordedSocket(asyncio.Transport):
    """The socket end of one connection: every write call's bytes, and whether it was closed."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False
        self.eof = False  # the write side shut (a lingering close)

    def write(self, data: Any) -> None:
        self.writes.append(bytes(data))

    def writelines(self, list_of_data: Iterable[Any]) -> None:
        self.writes.append(b"".join(bytes(data) for data in list_of_data))

    def close(self) -> None:
        self.closed = True

    def can_write_eof(self) -> bool:
        return True

    def write_eof(self) -> None:
        self.eof = True

    def abort(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 50_000), "sockname": ("127.0.0.1", 8000)}.get(name, default)

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def is_reading(self) -> bool:
        return True

    def get_write_buffer_size(self) -> int:
        return 0


def _post(body: bytes, *, extra: bytes = b"") -> bytes:
    return (
        b"POST /graphql HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\n"
        + extra
        + b"content-length: %d\r\n\r\n" % len(body)
        + body
    )


def _exchange(served: tuple[Path, Store], requests: bytes, answers: int) -> RecordedSocket:
    """Send `requests` on one connection to the real app; what was written once `answers` responses completed."""

    store_path, store = served

    async def run() -> RecordedSocket:
        config = ServerConfig(
            create_app(Settings(store_path=store_path), store),
            connection_bounds=ConnectionBounds(),
            http="httptools",
            lifespan="off",
            log_level="warning",
        )
        config.load()
        protocol = BoundedHttpToolsProtocol(config, ServerState(), {"store": store})
        done = 0
        finished = asyncio.Event()
        completed = protocol.on_response_complete

        def count_completion() -> None:
            nonlocal done
            completed()
            done += 1
            if done == answers:
                finished.set()

        protocol.on_response_complete = count_completion  # type: ignore[method-assign]
        socket = RecordedSocket()
        protocol.connection_made(socket)
        protocol.data_received(requests)
        await asyncio.wait_for(finished.wait(), timeout=30)
        protocol.connection_lost(None)
        return socket

    return asyncio.run(run())


def _responses(written: bytes) -> list[tuple[bytes, bytes]]:
    """(head, body) of each response in `written`, read by Content-Length."""
    found = []
    while written:
        head, _, rest = written.partition(b"\r\n\r\n")
        length = next(
            (int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")),
            0,
        )
        found.append((head, rest[:length]))
        written = rest[length:]
    return found


@pytest.fixture(scope="module")
def opened(store_path: Path, store: Store) -> tuple[Path, Store]:
    return store_path, store


def test_an_answer_is_written_in_one_call_head_and_body_together(opened: tuple[Path, Store]) -> None:
    socket = _exchange(opened, _post(DAYS), answers=1)
    assert len(socket.writes) == 1
    [(head, body)] = _responses(socket.writes[0])
    assert head.startswith(b"HTTP/1.1 200 OK")
    assert b"x-request-id: " in head
    assert b"x-content-type-options: nosniff" in head
    assert json.loads(body)["data"]["days"][0] == {"date": "2018-05-01"}


def test_pipelined_requests_are_answered_in_order_each_in_one_write(opened: tuple[Path, Store]) -> None:
    lookups = [
        json.dumps({"query": "query($d: Date!) { day(date: $d) { date } }", "variables": {"d": day}}).encode()
        for day in ("2018-05-02", "2018-05-03", "2018-05-04")
    ]
    socket = _exchange(opened, b"".join(_post(body) for body in lookups), answers=3)
    assert len(socket.writes) == 3
    answered = [json.loads(body)["data"]["day"]["date"] for write in socket.writes for _, body in _responses(write)]
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
    [(response_head, body)] = _responses(b"".join(socket.writes))
    assert response_head.startswith(b"HTTP/1.1 413")
    assert b"connection: close" in response_head
    assert socket.eof  # shut for writing, after the response: the close lingers
    assert json.loads(body)["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
