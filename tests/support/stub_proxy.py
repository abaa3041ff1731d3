"""A small HTTP proxy on 127.0.0.1 in front of a live server: it forwards, answers 502 with an HTML page, or holds.

What a reverse proxy (nginx, an ingress) does when the app behind it is down: the browser tests
put it between Chromium and `recapql serve` to meet a 502 mid-session and recover when it
forwards again, or to keep the API's answers back until the test has done what it must do
before they come (typing before the agenda has loaded), without a sleep.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal
from urllib.parse import urlsplit

# nginx's own 502 page, the body a browser's fetch gets from a proxy whose upstream is gone.
BAD_GATEWAY_PAGE = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
    b"<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)
# Headers of one connection, not of the message: never passed along (RFC 9110, section 7.6.1).
HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "content-length"}
)
Mode = Literal["forward", "fail", "hold"]


class StubProxy:
    """The proxy's switch: `forward()`, `fail()` (502 for the paths under `prefix`) or `hold()` them."""

    def __init__(self, upstream: str, prefix: str) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.prefix = prefix
        self.mode: Mode = "forward"
        self.released = threading.Event()
        self.failed = 0
        self.url = ""

    def forward(self) -> None:
        self.mode = "forward"
        self.released.set()

    def fail(self) -> None:
        self.mode = "fail"
        self.released.set()

    def hold(self) -> None:
        """Keep requests under `prefix` waiting (until `forward()` or `fail()`), as a slow upstream would."""
        self.released.clear()
        self.mode = "hold"


def _handler(proxy: StubProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else None
            if self.path.startswith(proxy.prefix) and proxy.mode == "hold":
                proxy.released.wait(timeout=60)
            if self.path.startswith(proxy.prefix) and proxy.mode == "fail":
                proxy.failed += 1
                self._send(502, "Bad Gateway", [("content-type", "text/html")], BAD_GATEWAY_PAGE)
                return
            upstream = http.client.HTTPConnection(*proxy.upstream, timeout=30)
            try:
                headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                content = answer.read()
                kept = [(name, value) for name, value in answer.getheaders() if name.lower() not in HOP_BY_HOP]
                self._send(answer.status, answer.reason, kept, content)
            finally:
                upstream.close()

        def _send(self, status: int, reason: str, headers: list[tuple[str, str]], content: bytes) -> None:
            self.send_response(status, reason)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("content-length", str(len(content)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(content)

        do_GET = do_POST = do_HEAD = _answer

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the stdlib's name)
            """Quiet: the tests read what the browser saw, not the proxy's log."""

    return Handler


@contextmanager
def stub_proxy(upstream: str, prefix: str = "/graphql") -> Iterator[StubProxy]:
    """A proxy on a free port of 127.0.0.1 forwarding to `upstream`, stopped when the block ends."""
    proxy = StubProxy(upstream, prefix)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(proxy))
    server.daemon_threads = True
    proxy.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="stub-proxy", daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.forward()  # nothing left waiting
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
