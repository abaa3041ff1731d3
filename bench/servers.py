"""The servers under test: each its own process on 127.0.0.1, optionally pinned to cores, always stopped.

A server runs in its own session (process group), so that stopping it also stops any worker it
started; its standard error goes to a file in the run's folder and is shown when it fails.
"""

from __future__ import annotations

import os
import re
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

    def cpu_seconds(self) -> float:
        """CPU time (user and system) the server and every process under it have used so far.

        Per request, it says what serving costs the server whatever else shares its core: a busy
        machine lowers requests per second, not the CPU time each request takes (much).
        """
        ticks = 0
        for pid in [self.process.pid, *descendants(self.process.pid)]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        return ticks / os.sysconf("SC_CLK_TCK")


@contextmanager
def running(name: str, command: list[str], env: dict[str, str], health: str, *, logs: Path,
            cpu: str | None, health_headers: dict[str, str] | None = None) -> Iterator[Server]:  # fmt: skip
    """Start `command` (`{port}` filled in), wait until `health` answers 200, stop it when the block ends."""
    port = free_port()
    command = [part.replace("{port}", str(port)) for part in command]
    if cpu is not None:
        command = ["taskset", "-c", cpu, *command]
    environment = {key: value for key, value in os.environ.items() if not key.startswith("RECAPQL_")}
    environment.update(env)
    log = logs / f"{re.sub(r'[^A-Za-z0-9.]+', '-', name).strip('-')}-{port}.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(command, env=environment, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr,
                                   start_new_session=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(urllib.request.Request(url + health, headers=health_headers or {}), process, log)
        yield Server(name, url, process)
    finally:
        stop(process, STOP_SECONDS)


def _wait(request: urllib.request.Request, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited ({process.returncode}): {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(
        f"server did not answer {request.full_url} within 120 s: {log.read_text(errors='replace')[-2000:]}"
    )


def stack_of(server: Server) -> str | None:
    """The HTTP stack a running Python server is on: its parser and event loop libraries, as mapped.

    `httptools+uvloop` when both of those extension modules are loaded in the process (or its
    workers), `h11+asyncio` when neither is, None when it cannot tell.
    """
    mapped = ""
    for pid in [server.process.pid, *descendants(server.process.pid)]:
        try:
            mapped += Path(f"/proc/{pid}/maps").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
    if not mapped:
        return None
    found = ("/httptools/" in mapped, "/uvloop/" in mapped)
    return {(True, True): "httptools+uvloop", (False, False): "h11+asyncio"}.get(found)


def supports_workers() -> bool:
    """Whether this recapql has `serve --workers` (older ones did not)."""
    found = subprocess.run([str(VENV_BIN / "recapql"), "serve", "--help"], capture_output=True, text=True, check=False)
    return "--workers" in found.stdout


def recapql(
    store: Path, *, cache: bool, logs: Path, cpu: str | None, workers: int = 1, log_level: str = "warning",
    code: Path | None = None,
) -> AbstractContextManager[Server]:  # fmt: skip
    """`recapql serve` as users run it; `cache=False` sets RECAPQL_RESPONSE_CACHE_MB=0.

    At `--log-level warning` it writes no access log; at `info` (recapql's default) one JSON
    line per request, to a file in the run's folder (its standard error). `code` runs another
    copy of recapql's packages (a folder holding them) with this venv's libraries.
    """
    serve = [str(VENV_BIN / "recapql")] if code is None else [sys.executable, "-P", "-m", "recapql"]
    command = [*serve, "serve", "--host", "127.0.0.1", "--port", "{port}", "--store", str(store)]
    command += ["--log-level", log_level, "--log-format", "json"]
    if workers > 1:
        command += ["--workers", str(workers)]
    env = {} if cache else {"RECAPQL_RESPONSE_CACHE_MB": "0"}
    env |= {} if code is None else {"PYTHONPATH": str(code)}
    name = ("recapql" if cache else "recapql (cache off)") + (f" x{workers}" if workers > 1 else "")
    name += "" if log_level == "warning" else f" (log {log_level})"
    name += "" if code is None else f" ({code.name})"
    return running(name, command, env, "/healthz", logs=logs, cpu=cpu)


# The HTTP stacks the limit runs on: uvicorn's `--http` and `--loop` for each. recapql ships
# httptools and uvloop (recapql.serving.server); h11 and asyncio are uvicorn's pure-Python default.
STACKS = {"httptools+uvloop": ("httptools", "uvloop"), "h11+asyncio": ("h11", "asyncio")}


def _uvicorn(app: str, stack: str) -> list[str]:
    http, loop = STACKS[stack]
    return [str(VENV_BIN / "uvicorn"), "--app-dir", str(ROOT / "bench"), app, "--host", "127.0.0.1", "--port", "{port}",
            "--http", http, "--loop", loop, "--log-level", "warning", "--no-access-log"]  # fmt: skip


def limit_name(stack: str) -> str:
    return f"limit {stack}"


def reference(answers: Path, *, stack: str, logs: Path, cpu: str | None) -> AbstractContextManager[Server]:
    """The limit on `stack`: bench/reference_app.py under uvicorn, answering with the bytes in `answers`."""
    return running(limit_name(stack), _uvicorn("reference_app:app", stack), {"BENCH_ANSWERS": str(answers)},
                   "/ref/health", logs=logs, cpu=cpu)  # fmt: skip


def stock(store: Path, *, logs: Path, cpu: str | None) -> AbstractContextManager[Server]:
    """Stock Strawberry: bench/stock_app.py over `store`, on recapql's stack (httptools and uvloop)."""
    health = "/graphql?query=%7B__typename%7D"
    return running("stock Strawberry", _uvicorn("stock_app:app", "httptools+uvloop"), {"BENCH_STORE": str(store)},
                   health, logs=logs, cpu=cpu)  # fmt: skip
