"""The servers under test: each its own process on 127.0.0.1, optionally pinned to cores, always stopped.

A server runs in its own session (process group), so that stopping it also stops any worker it
started; its standard error goes to a file in the run's folder and is shown when it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.processes import descendants, free_port, stop

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
STOP_SECONDS = 25  # recapql finishes requests in flight for up to 20 s on SIGTERM


@dataclass(frozen=True)
class Pinning:
    """Which cores the server and the load generator run on (None: wherever the kernel puts them)."""

    server: str | None
    load: str | None
    note: str


def pinning() -> Pinning:
    """Server on the first allowed core, load on the second: they never compete for a core."""
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2 or shutil.which("taskset") is None:
        return Pinning(None, None, f"not pinned ({len(cores)} core(s) or no taskset): server and load share cores")
    return Pinning(str(cores[0]), str(cores[1]), f"server pinned to core {cores[0]}, load to core {cores[1]}")


def workers_pinning() -> Pinning:
    """Two workers need two cores; with fewer than four, the load generator has to share them."""
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) >= 4 and shutil.which("taskset") is not None:
        server, load = f"{cores[0]},{cores[1]}", f"{cores[2]},{cores[3]}"
        return Pinning(server, load, f"servers pinned to cores {server}, load to cores {load}")
    return Pinning(None, None, f"not pinned: on {len(cores)} cores the workers and the load generator share them")


@dataclass(frozen=True)
class Server:
    """A running server: where to send requests, and its process (for its memory)."""

    name: str
    url: str
    process: subprocess.Popen[bytes]

    def rss_mb(self) -> float:
        """VmRSS of the server and every process under it (uvicorn's workers), in MB."""
        total_kb = 0
        for pid in [self.process.pid, *descendants(self.process.pid)]:
            try:
                status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
            except OSError:
                continue
            total_kb += int(status.split("VmRSS:")[1].split()[0])
        return round(total_kb / 1024, 1)


@contextmanager
def running(name: str, command: list[str], env: dict[str, str], health: str, *, logs: Path,
            cpu: str | None) -> Iterator[Server]:  # fmt: skip
    """Start `command` (`{port}` filled in), wait until `health` answers 200, stop it when the block ends."""
    port = free_port()
    command = [part.replace("{port}", str(port)) for part in command]
    if cpu is not None:
        command = ["taskset", "-c", cpu, *command]
    environment = {key: value for key, value in os.environ.items() if not key.startswith("RECAPQL_")}
    environment.update(env)
    log = logs / f"{name.replace(' ', '-').replace('(', '').replace(')', '')}-{port}.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(command, env=environment, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr,
                                   start_new_session=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url + health, process, log)
        yield Server(name, url, process)
    finally:
        stop(process, STOP_SECONDS)


def _wait(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited ({process.returncode}): {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not answer {url} within 120 s: {log.read_text(errors='replace')[-2000:]}")


def supports_workers() -> bool:
    """Whether this recapql has `serve --workers` (older ones did not)."""
    found = subprocess.run([str(VENV_BIN / "recapql"), "serve", "--help"], capture_output=True, text=True, check=False)
    return "--workers" in found.stdout


def recapql(
    store: Path, *, cache: bool, logs: Path, cpu: str | None, workers: int = 1
) -> AbstractContextManager[Server]:
    """`recapql serve` as users run it; `cache=False` sets RECAPQL_RESPONSE_CACHE_MB=0."""
    command = [str(VENV_BIN / "recapql"), "serve", "--host", "127.0.0.1", "--port", "{port}", "--store", str(store)]
    command += ["--log-level", "warning"]
    if workers > 1:
        command += ["--workers", str(workers)]
    env = {} if cache else {"RECAPQL_RESPONSE_CACHE_MB": "0"}
    name = ("recapql" if cache else "recapql (cache off)") + (f" x{workers}" if workers > 1 else "")
    return running(name, command, env, "/healthz", logs=logs, cpu=cpu)


def _uvicorn(app: str) -> list[str]:
    return [str(VENV_BIN / "uvicorn"), "--app-dir", str(ROOT / "bench"), app, "--host", "127.0.0.1", "--port", "{port}",
            "--log-level", "warning", "--no-access-log"]  # fmt: skip


def reference(answers: Path, *, logs: Path, cpu: str | None) -> AbstractContextManager[Server]:
    """The limit: bench/reference_app.py answering with the bytes in `answers`."""
    return running("limit", _uvicorn("reference_app:app"), {"BENCH_ANSWERS": str(answers)}, "/ref/health", logs=logs,
                   cpu=cpu)  # fmt: skip


def stock(store: Path, *, logs: Path, cpu: str | None) -> AbstractContextManager[Server]:
    """Stock Strawberry: bench/stock_app.py over `store`."""
    health = "/graphql?query=%7B__typename%7D"
    return running("stock Strawberry", _uvicorn("stock_app:app"), {"BENCH_STORE": str(store)}, health, logs=logs,
                   cpu=cpu)  # fmt: skip
