"""Running the app under uvicorn: one process, or several workers, every connection bounded.

One worker serves the app object built here, over the store the command line has already
opened. Several workers are separate processes that each build the app from the environment
(`app_from_env`), so the settings travel as `RECAPQL_*` variables, and the metrics of all
workers meet in one prometheus-client multiprocess directory.

The HTTP stack is uvicorn on httptools and uvloop (`uvicorn[standard]`'s parser and loop), with
`BoundedHttpToolsProtocol` adding what uvicorn lacks (see `recapql.serving.protocols`): uvicorn's
default h11 serves a request carrying both Content-Length and Transfer-Encoding and keeps the
connection open, where httptools refuses it; and with uvloop a cached query costs the server
less than half the CPU time (110-160 µs against 235-360 µs a request, on 2 busy cores).

The listening sockets are bound before anything says the server serves (`bind_listeners`,
called by the command line): a busy port or a host that cannot be bound is one line naming
it, never a "serving" line followed by uvicorn's error in the log. uvicorn then serves on
those sockets, with one worker or several.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable, Sequence
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE

from recapql.app import create_app
from recapql.observability.log_config import logging_config
from recapql.serving.notices import Notice
from recapql.serving.protocols import BoundedHttpToolsProtocol, ConnectionBounds
from recapql.serving.workers import ClosingMultiprocess
from recapql.settings import Settings
from store import Store

logger = logging.getLogger("recapql.serving")

METRICS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
# Less than Kubernetes' default 30 s grace period, so requests in flight finish before SIGKILL.
GRACEFUL_SHUTDOWN_SECONDS = 20
# How long the supervisor waits for a worker's answer to its ping before it kills and replaces
# it. uvicorn's 5 s is shorter than a worker takes to import the app on a loaded 2-core node:
# healthy workers were killed as "died" while they started (uvicorn#2506), and the supervisor,
# blocked on those pings, answered SIGTERM late. A hung worker is still replaced, after 30 s.
WORKER_HEALTHCHECK_SECONDS = 30
# File descriptors a server process needs besides its connections: the listener, the event
# loop, pipes to the supervisor, the metrics files, and the refused connections lingering
# (`MAX_LINGERING_REFUSALS`). The connection cap stays this far below the file limit.
RESERVED_FILES = 128
# How many ports after a busy one `bind_listeners` tries before suggesting one.
PORTS_TO_SUGGEST_FROM = 100

_accept_out_of_files = Notice(
    "socket.accept() is out of file descriptors: new connections wait in the backlog "
    "(keep RECAPQL_MAX_CONNECTIONS below the file limit)"
)


# A resolved address to listen on: its family and the address `bind` takes.
_Address = tuple[socket.AddressFamily, Any]


class BindError(Exception):
    """The server cannot listen where it was told to; the message is one line naming the port or host."""


def bind_listeners(host: str, port: int) -> list[socket.socket]:
    """TCP sockets bound on every address `host` resolves to, as asyncio's `create_server` binds them.

    Raises `BindError` (with nothing left open) when the host does not resolve or an address
    cannot be bound: the port is in use (the message suggests the next port that binds), the
    address is not this machine's, or the port needs privileges. The sockets say they are
    IPPROTO_TCP, so accepted connections get TCP_NODELAY (see `TCPConfig`), and are inheritable,
    so uvicorn's worker processes can share them.

    They are bound, not yet listening: uvicorn listens once the app has started, so a connection
    before then is refused at once rather than left in the backlog (and answered after its
    client gave up). A port that another socket listens on fails to bind already, with or
    without SO_REUSEADDR; SO_REUSEADDR lets a port whose last connections linger in TIME_WAIT
    be bound again, as asyncio and uvicorn do.
    """
    addresses = _resolve(host, port)
    try:
        return _bind_all(addresses)
    except OSError as error:
        raise BindError(_bind_problem(host, port, addresses, error)) from None


def _resolve(host: str, port: int) -> list[_Address]:
    try:
        found = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP, flags=socket.AI_PASSIVE
        )
    except socket.gaierror as error:
        raise BindError(
            f"cannot listen on host {host!r}: not an address or a name that resolves ({error.strerror})"
        ) from None
    except UnicodeError:  # a name the IDNA codec refuses, such as "a..b"
        raise BindError(f"cannot listen on host {host!r}: not an address or a valid host name") from None
    unique: list[_Address] = []
    for family, _, _, _, address in found:
        if (family, address) not in unique:
            unique.append((family, address))
    return unique


def _bind_all(addresses: Sequence[_Address]) -> list[socket.socket]:
    """Bind a socket on every address, or close what was opened and raise the first OSError."""
    listeners: list[socket.socket] = []
    try:
        for family, address in addresses:
            listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
            listeners.append(listener)
            if os.name == "posix" and sys.platform != "cygwin":
                listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            listener.bind(address)
            listener.set_inheritable(True)
    except OSError:
        for listener in listeners:
            listener.close()
        raise
    return listeners


def _bind_problem(host: str, port: int, addresses: Sequence[_Address], error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"port {port} is already in use" + _suggestion(addresses, port)
    if error.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on host {host!r}: it is not an address of this machine"
    if error.errno == errno.EACCES:
        privileged = " (ports below 1024 need privileges)" if port < 1024 else ""
        return f"cannot listen on port {port}: permission denied{privileged}" + _suggestion(addresses, port)
    return f"cannot listen on {host} port {port}: {error.strerror or error}"


def _suggestion(addresses: Sequence[_Address], port: int) -> str:
    """The "; try --port N" for the first port after `port` (from 8000 for a privileged one) that binds now."""
    start = port + 1 if port >= 1024 else 8000
    for candidate in range(start, min(start + PORTS_TO_SUGGEST_FROM, 65536)):
        try:
            for listener in _bind_all(
                [(family, (address[0], candidate, *address[2:])) for family, address in addresses]
            ):
                listener.close()
        except OSError:
            continue
        return f"; try --port {candidate}"
    return ""


def listening_url(host: str, port: int) -> str:
    """The URL users open for a server listening on `host` and `port` (an IPv6 address in brackets)."""
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


class TCPConfig(uvicorn.Config):
    """uvicorn's Config, whose pre-bound listener says it is TCP, so connections get TCP_NODELAY.

    uvicorn binds the workers' shared socket with `proto` 0; accepted connections inherit it,
    and asyncio only turns Nagle's algorithm off for IPPROTO_TCP sockets. Every keep-alive
    request then waited ~40 ms for a delayed ACK: 720 requests/s with two workers against
    4,300 with one (uvicorn#3149, open for uvicorn 0.54). `bind_listeners`, which recapql serves
    on, makes IPPROTO_TCP sockets from the start; this keeps uvicorn's own `bind_socket` right too.
    """

    def bind_socket(self) -> socket.socket:
        bound = super().bind_socket()
        if bound.family not in (socket.AF_INET, socket.AF_INET6) or bound.proto == socket.IPPROTO_TCP:
            return bound
        tcp = socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach())
        tcp.set_inheritable(True)
        return tcp


class ServerConfig(TCPConfig):
    """The configuration every recapql server runs with: its connection bounds, and a quiet event loop.

    asyncio's accept loop, out of file descriptors, goes on after the error and logs it (with a
    traceback) once per waiting connection, up to the backlog, every second: ~10,000 lines a
    second, 562 MB of log in 110 s (cpython#151615; Python 3.11's loop does it). The cap keeps the
    process below its file limit; should something else use the descriptors up, that error is
    logged at most once every 10 s. (uvloop does not log it: libuv accepts and closes instead.)
    """

    def __init__(self, app: Any, *, connection_bounds: ConnectionBounds, **options: Any) -> None:
        super().__init__(app, **options)
        self.connection_bounds = connection_bounds

    def configure_logging(self) -> None:
        super().configure_logging()  # in the supervisor, and again in each worker
        uvicorn_errors = logging.getLogger("uvicorn.error")
        if not any(isinstance(existing, RepeatedWarnings) for existing in uvicorn_errors.filters):
            uvicorn_errors.addFilter(RepeatedWarnings())

    def get_loop_factory(self) -> Callable[[], asyncio.AbstractEventLoop] | None:
        make_loop = super().get_loop_factory() or asyncio.new_event_loop

        def quiet_loop() -> asyncio.AbstractEventLoop:
            loop = make_loop()
            loop.set_exception_handler(_quiet_accept_errors)
            return loop

        return quiet_loop


class RepeatedWarnings(logging.Filter):
    """uvicorn's warning for every request it cannot parse, let through at most once every 10 s, with a count."""

    MESSAGES = frozenset({"Invalid HTTP request received."})

    def __init__(self) -> None:
        super().__init__()
        self.notices = {message: Notice(message) for message in self.MESSAGES}

    def filter(self, record: logging.LogRecord) -> bool:
        notice = self.notices.get(record.msg) if isinstance(record.msg, str) else None
        if notice is None:
            return True
        count = notice.due()
        record.msg += Notice.SUFFIX % count
        return count > 0


def _quiet_accept_errors(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    if context.get("message") == "socket.accept() out of system resource":
        _accept_out_of_files()
        return
    loop.default_exception_handler(context)


def raise_file_limit() -> int:
    """Raise this process's soft limit on open files to its hard limit (workers inherit it); the soft limit."""
    try:
        import resource
    except ImportError:  # not POSIX: no such limit
        return sys.maxsize
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass  # the kernel's own ceiling is lower: keep the soft limit
    return sys.maxsize if soft == resource.RLIM_INFINITY else soft


def connection_cap(wanted: int, file_limit: int) -> int:
    """At most `wanted` connections per process, and enough files left for everything else."""
    return max(1, min(wanted, file_limit - RESERVED_FILES))


def serve_app(settings: Settings, store: Store, listeners: Sequence[socket.socket]) -> None:
    """Serve on `listeners` (from `bind_listeners`) until SIGINT or SIGTERM; requests in flight are finished first."""
    file_limit = raise_file_limit()
    cap = connection_cap(settings.max_connections, file_limit)
    if cap < settings.max_connections:
        logger.warning(
            "RECAPQL_MAX_CONNECTIONS=%d lowered to %d: this process may open %d files",
            settings.max_connections,
            cap,
            file_limit,
        )
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_config": logging_config(settings.log_level, settings.log_format),
        "access_log": False,  # recapql.access logs every request, with its id and operation
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
        "timeout_worker_healthcheck": WORKER_HEALTHCHECK_SECONDS,
        "server_header": False,
        "http": BoundedHttpToolsProtocol,
        "ws": "none",  # no subscriptions: an Upgrade header is ignored, whatever WebSocket library is installed
        "connection_bounds": ConnectionBounds(settings.header_timeout, settings.body_timeout, cap),
    }
    # uvicorn says where it listens only when it binds the sockets itself.
    for listener in listeners:
        address = listener.getsockname()
        logger.info("bound to %s: listening once the app has started", listening_url(address[0], address[1]))
    if settings.workers == 1:
        server = uvicorn.Server(ServerConfig(create_app(settings, store), **options))
        server.run(sockets=list(listeners))
        if not server.started:
            sys.exit(STARTUP_FAILURE)
        return
    os.environ.update(settings.to_env())
    made_metrics_dir = None
    if not os.environ.get(METRICS_DIR_VARIABLE):
        made_metrics_dir = tempfile.mkdtemp(prefix="recapql-metrics-")
        os.environ[METRICS_DIR_VARIABLE] = made_metrics_dir
    try:
        # What uvicorn.run does for several workers, on the listeners already bound (TCP, so
        # connections get TCP_NODELAY), with a supervisor that stops listening first.
        config = ServerConfig("recapql.app:app_from_env", factory=True, workers=settings.workers, **options)
        ClosingMultiprocess(config, sockets=list(listeners)).run()
    finally:
        if made_metrics_dir is not None:
            shutil.rmtree(made_metrics_dir, ignore_errors=True)
