"""recapql's real HTTP protocol over the real app, on a real event loop, with the socket recorded.

The app's lifespan runs as uvicorn runs it (its state is what the protocol is handed), and the
protocol parses real request bytes. Only the socket is replaced: by a transport that keeps what
each write call handed it, the one thing a test cannot read off a real socket (the kernel may
merge or split segments as it likes), and what was written before the event loop ran again.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

from uvicorn.lifespan.on import LifespanOn
from uvicorn.server import ServerState

from recapql.app import create_app
from recapql.serving.protocols import BoundedHttpToolsProtocol, ConnectionBounds
from recapql.serving.server import ServerConfig
from recapql.settings import Settings
from store import Store


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


def responses(written: bytes) -> list[tuple[bytes, bytes]]:
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


def post(body: bytes, *, extra: bytes = b"", content_type: bytes = b"application/json") -> bytes:
    """A POST /graphql of `body`, with `extra` header lines."""
    return (
        b"POST /graphql HTTP/1.1\r\nhost: test\r\ncontent-type: " + content_type + b"\r\n"
        + extra
        + b"content-length: %d\r\n\r\n" % len(body)
        + body
    )  # fmt: skip


class Connection:
    """One client connection to the protocol: what it sends, and what the server wrote back."""

    def __init__(self, protocol: BoundedHttpToolsProtocol, socket: RecordedSocket) -> None:
        self.protocol = protocol
        self.socket = socket
        self.completed = 0
        self.lost = False
        self._changed = asyncio.Event()
        completed = protocol.on_response_complete

        def count_completion() -> None:
            completed()
            self.completed += 1
            self._changed.set()

        protocol.on_response_complete = count_completion  # type: ignore[method-assign]

    def send(self, data: bytes) -> bytes:
        """Hand `data` to the protocol; what it wrote before returning (before any task of the app could run)."""
        already = len(self.socket.writes)
        self.protocol.data_received(data)
        return b"".join(self.socket.writes[already:])

    async def answered(self, count: int, timeout: float = 30) -> list[tuple[bytes, bytes]]:
        """Every response written once `count` have completed on this connection."""
        async with asyncio.timeout(timeout):
            while self.completed < count:
                self._changed.clear()
                await self._changed.wait()
        return responses(b"".join(self.socket.writes))

    def lose(self) -> None:
        """The client goes away."""
        self.lost = True
        self.protocol.connection_lost(None)


@asynccontextmanager
async def connected(settings: Settings, store: Store, **options: Any) -> AsyncIterator[Connection]:
    """A connection to the app for `settings` over `store`, started (and stopped) as uvicorn does."""
    config = ServerConfig(
        create_app(settings, store),
        connection_bounds=ConnectionBounds(),
        http="httptools",
        log_level="warning",
        **options,
    )
    config.load()
    lifespan = LifespanOn(config)
    await lifespan.startup()
    try:
        protocol = BoundedHttpToolsProtocol(config, ServerState(), lifespan.state)
        socket = RecordedSocket()
        protocol.connection_made(socket)
        connection = Connection(protocol, socket)
        try:
            yield connection
        finally:
            if not connection.lost:
                connection.lose()
            await asyncio.gather(*protocol.tasks, return_exceptions=True)
    finally:
        await lifespan.shutdown()
