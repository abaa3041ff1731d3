"""The transport uvicorn's protocol writes to: the socket's, with the protocol's close and one write per answer.

`recapql.serving.protocols` hands uvicorn this instead of the real transport, so that closing
goes through the protocol's lingering close, and a response's head waits for its body.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any


class ConnectionTransport(asyncio.Transport):
    """The transport as uvicorn sees it: the real one, except that `close` asks the protocol how to close,
    and that a response's head can wait for its body, to leave in one write.

    uvicorn writes a response's status line and headers when the app sends `http.response.start`,
    and the body in a second `write`: two `send` calls, and two segments, for every answer (uvicorn
    0.54 has no option for it; aiohttp coalesces the two since aio-libs/aiohttp#10991). Held
    until the next write (or anything that could need it on the wire first), the head leaves with
    the body.
    """

    def __init__(self, transport: asyncio.Transport, close: Callable[[], None]) -> None:
        super().__init__()
        self._transport = transport
        self._close = close
        self._closing = False
        self._holding = False
        self._held: bytes | bytearray | memoryview | None = None

    def hold_next_write(self) -> None:
        """Keep the next write (a response's head) back, to go out with the one after it."""
        self._holding = True

    def stop_holding(self) -> None:
        """Hold back no later write (what is held already stays so, for the body)."""
        self._holding = False

    def flush(self) -> None:
        """Write what is held back now, and hold nothing more."""
        self._holding = False
        held = self._held
        if held is not None:
            self._held = None
            self._transport.write(held)

    def close(self) -> None:
        self.flush()
        if not self._closing:
            self._closing = True
            self._close()

    def is_closing(self) -> bool:
        return self._closing or self._transport.is_closing()

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._holding:
            self._holding = False
            self._held = data
            return
        held = self._held
        if held is None:
            self._transport.write(data)
            return
        self._held = None
        self._transport.writelines((held, data))  # one writev: uvloop sends its buffer in one go

    def writelines(self, list_of_data: Any) -> None:
        self.flush()
        self._transport.writelines(list_of_data)

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def can_write_eof(self) -> bool:
        return self._transport.can_write_eof()

    def abort(self) -> None:
        self._closing = True
        self._holding, self._held = False, None
        self._transport.abort()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()

    def is_reading(self) -> bool:
        return self._transport.is_reading()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self._transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self._transport.get_protocol()

    def get_write_buffer_size(self) -> int:
        self.flush()
        return self._transport.get_write_buffer_size()

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self._transport.get_write_buffer_limits()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._transport.set_write_buffer_limits(high, low)
