"""`recapql serve` as users run it: a real uvicorn on 127.0.0.1 in a child process, always stopped."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from tests.support.processes import free_port, stop

__all__ = ["LiveServer", "clean_environment", "free_port", "live_server", "stop", "wait_until_answers"]


def clean_environment(**variables: str) -> dict[str, str]:
    """This process's environment without any `RECAPQL_*` variable, plus `variables`."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("RECAPQL_")}
    environment.update(variables)
    return environment


@dataclass(frozen=True)
class LiveServer:
    """A running server: its base URL, its process, and (once it has stopped) what it wrote to stderr."""

    url: str
    process: subprocess.Popen[str]
    stderr: list[str] = field(default_factory=list)


@contextmanager
def live_server(*args: str, env: dict[str, str] | None = None, timeout: float = 30) -> Iterator[LiveServer]:
    """Run `recapql serve --host 127.0.0.1 --port <free> *args` until the block ends.

    `env` adds `RECAPQL_*` (or other) variables to a clean environment. The server's standard
    error is captured: shown when it fails to start, kept in `stderr` when it stops. Keep the
    log level at warning (the default here) for many requests: the pipe is read only at the end.
    """
    port = free_port()
    command = [sys.executable, "-m", "recapql", "serve", "--host", "127.0.0.1", "--port", str(port), *args]
    environment = clean_environment(**{"RECAPQL_LOG_LEVEL": "warning", **(env or {})})
    url = f"http://127.0.0.1:{port}"
    with subprocess.Popen(
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ) as process:
        running = LiveServer(url, process)
        try:
            wait_until_answers(f"{url}/healthz", process, timeout)
            yield running
        finally:
            stop(process)
            if process.stderr is not None:
                running.stderr.extend(process.stderr.read().splitlines())


def wait_until_answers(url: str, process: subprocess.Popen[str], timeout: float = 30) -> None:
    """Poll `url` until it answers 200; fail with the server's stderr if it exits or takes too long."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"server did not start: {process.communicate()[1]}") from None
            time.sleep(0.1)
