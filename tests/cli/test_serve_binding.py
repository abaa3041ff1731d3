"""`recapql serve` binds before it says it serves: a busy port or a bad host is one line and exit 1.

The command tests run `recapql serve` in a child process (marked slow); the tests of
`bind_listeners` itself open sockets on 127.0.0.1 only, in this process, and close them all.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from recapql.serving.server import BindError, bind_listeners, listening_url
from tests.support.command import recapql
from tests.support.live_server import free_port


@contextmanager
def occupied_port() -> Iterator[int]:
    """A port on 127.0.0.1 that a listening socket of this test holds until the block ends."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield int(taken.getsockname()[1])


def _open_files() -> int:
    return sum(1 for _ in Path("/proc/self/fd").iterdir())


@pytest.mark.slow
def test_a_busy_port_is_one_line_and_exit_1(store_copy: Path) -> None:
    with occupied_port() as port:
        result = recapql("serve", "--host", "127.0.0.1", "--port", str(port), "--store", str(store_copy))
    assert result.returncode == 1
    assert "serving" not in result.stderr
    [line] = result.stderr.splitlines()
    suggestion = re.fullmatch(rf"recapql: error: port {port} is already in use; try --port (\d+)", line)
    assert suggestion is not None, line
    assert int(suggestion[1]) > port


@pytest.mark.slow
@pytest.mark.parametrize("host", ["0.0.0.0.0", "no-such-host.invalid", "a..b"])
def test_a_host_that_cannot_be_listened_on_is_one_line_and_exit_1(store_copy: Path, host: str) -> None:
    result = recapql("serve", "--host", host, "--port", str(free_port()), "--store", str(store_copy))
    assert result.returncode == 1
    assert "serving" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"recapql: error: cannot listen on host {host!r}: not an address or ")


@pytest.mark.slow
def test_a_busy_port_with_several_workers_is_the_same_line(store_copy: Path) -> None:
    with occupied_port() as port:
        result = recapql("serve", "--port", str(port), "--workers", "2", "--store", str(store_copy))
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"recapql: error: port {port} is already in use; try --port ")


def test_the_listener_is_tcp_inheritable_and_bound() -> None:
    port = free_port()
    [listener] = bind_listeners("127.0.0.1", port)
    try:
        assert listener.getsockname() == ("127.0.0.1", port)
        assert listener.proto == socket.IPPROTO_TCP  # so connections get TCP_NODELAY (uvicorn#3149)
        assert listener.get_inheritable()  # so uvicorn's workers can share it
        # Not listening until uvicorn has started the app: a connection before then is refused.
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
    finally:
        listener.close()


def test_a_busy_port_suggests_one_that_binds_and_leaves_nothing_open() -> None:
    with occupied_port() as port:
        before = _open_files()
        with pytest.raises(BindError) as raised:
            bind_listeners("127.0.0.1", port)
        assert _open_files() == before
    found = re.fullmatch(rf"port {port} is already in use; try --port (\d+)", str(raised.value))
    assert found is not None, raised.value
    for listener in bind_listeners("127.0.0.1", int(found[1])):
        listener.close()


def test_an_address_of_another_machine_names_the_host() -> None:
    # 192.0.2.0/24 is TEST-NET-1, never assigned to a machine.
    with pytest.raises(BindError) as raised:
        bind_listeners("192.0.2.1", free_port())
    assert str(raised.value) == "cannot listen on host '192.0.2.1': it is not an address of this machine"


def test_the_url_puts_an_ipv6_address_in_brackets() -> None:
    assert listening_url("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert listening_url("::1", 8000) == "http://[::1]:8000/"
