"""How `recapql serve` configures uvicorn: its bounds, the file limit, a quiet event loop (no process started)."""

from __future__ import annotations

import asyncio
import logging
import pickle
import resource
from typing import Any

import pytest

from recapql.serving import server
from recapql.serving.notices import Notice
from recapql.serving.protocols import BoundedHttpToolsProtocol, ConnectionBounds
from recapql.serving.server import RESERVED_FILES, RepeatedWarnings, ServerConfig, connection_cap, raise_file_limit
from recapql.settings import Settings


def test_the_bounds_have_defaults_and_variables() -> None:
    assert Settings().max_connections == 1000
    assert Settings().header_timeout == 10
    assert Settings().body_timeout == 30
    settings = Settings.from_env(
        {"RECAPQL_MAX_CONNECTIONS": "50", "RECAPQL_HEADER_TIMEOUT": "2", "RECAPQL_BODY_TIMEOUT": "3"}
    )
    assert (settings.max_connections, settings.header_timeout, settings.body_timeout) == (50, 2, 3)


def test_the_connection_cap_leaves_room_below_the_file_limit() -> None:
    assert connection_cap(1000, 1_048_576) == 1000
    assert connection_cap(1000, 1024) == 1024 - RESERVED_FILES
    assert connection_cap(1000, 64) == 1


def test_the_soft_file_limit_is_raised_to_the_hard_one(monkeypatch: pytest.MonkeyPatch) -> None:
    limits = {"now": (1024, 65536)}
    monkeypatch.setattr(resource, "getrlimit", lambda _: limits["now"])
    monkeypatch.setattr(resource, "setrlimit", lambda _, wanted: limits.update(now=wanted))
    assert raise_file_limit() == 65536
    assert limits["now"] == (65536, 65536)


def test_a_hard_limit_the_kernel_refuses_keeps_the_soft_one(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(_: int, wanted: tuple[int, int]) -> None:
        raise ValueError(wanted)

    monkeypatch.setattr(resource, "getrlimit", lambda _: (1024, resource.RLIM_INFINITY))
    monkeypatch.setattr(resource, "setrlimit", refuse)
    assert raise_file_limit() == 1024


def test_the_configuration_reaches_worker_processes_whole() -> None:
    # Workers are spawned: the configuration travels pickled, protocol class and bounds included.
    bounds = ConnectionBounds(header_timeout=2, body_timeout=3, max_connections=50)
    config = ServerConfig(
        "recapql.app:app_from_env", factory=True, workers=2, http=BoundedHttpToolsProtocol,
        connection_bounds=bounds, log_config=None,
    )  # fmt: skip
    copy = pickle.loads(pickle.dumps(config))
    assert copy.connection_bounds == bounds
    assert copy.http is BoundedHttpToolsProtocol


def test_accept_errors_out_of_files_are_logged_once_per_interval(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # asyncio logs one per waiting connection, up to the backlog, every second: ~10,000 lines a second.
    monkeypatch.setattr(server, "_accept_out_of_files", Notice("out of files", every=60))
    context: dict[str, Any] = {"message": "socket.accept() out of system resource", "exception": OSError(24)}
    loop = asyncio.new_event_loop()
    try:
        with caplog.at_level(logging.WARNING, logger="recapql.serving"):
            for _ in range(2048):
                server._quiet_accept_errors(loop, context)
    finally:
        loop.close()
    assert [record.getMessage() for record in caplog.records] == ["out of files (1 of these since the last such line)"]


def test_other_event_loop_errors_are_still_logged(caplog: pytest.LogCaptureFixture) -> None:
    loop = asyncio.new_event_loop()
    try:
        with caplog.at_level(logging.ERROR, logger="asyncio"):
            server._quiet_accept_errors(loop, {"message": "something else broke"})
    finally:
        loop.close()
    assert [record.getMessage() for record in caplog.records] == ["something else broke"]


def test_the_event_loop_of_a_server_is_the_quiet_one() -> None:
    config = ServerConfig("recapql.app:app_from_env", factory=True, connection_bounds=ConnectionBounds(),
                          log_config=None)  # fmt: skip
    make_loop = config.get_loop_factory()
    assert make_loop is not None
    loop = make_loop()
    try:
        assert loop.get_exception_handler() is server._quiet_accept_errors
        assert type(loop).__module__.startswith("uvloop")
    finally:
        loop.close()


def test_uvicorn_s_warning_for_each_unparsable_request_is_let_through_once_per_interval() -> None:
    repeated = RepeatedWarnings()
    records = [logging.makeLogRecord({"msg": "Invalid HTTP request received."}) for _ in range(1000)]
    passed = [record.getMessage() for record in records if repeated.filter(record)]
    assert passed == ["Invalid HTTP request received. (1 of these since the last such line)"]
    assert repeated.filter(logging.makeLogRecord({"msg": "Exception in ASGI application"}))


def test_every_server_configuration_filters_uvicorn_s_warnings_once(monkeypatch: pytest.MonkeyPatch) -> None:
    uvicorn_errors = logging.getLogger("uvicorn.error")
    monkeypatch.setattr(uvicorn_errors, "filters", [])
    config = ServerConfig("recapql.app:app_from_env", factory=True, connection_bounds=ConnectionBounds(),
                          log_config=None)  # fmt: skip
    config.configure_logging()  # as each worker does again
    assert [type(existing) for existing in uvicorn_errors.filters] == [RepeatedWarnings]
