"""The servers under test, each its own process on 127.0.0.1, pinned to one core, always stopped."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Server:
    """A running server: where to send requests, and its process (for its memory)."""

    name: str
    url: str
    process: subprocess.Popen[bytes]

    def rss_mb(self) -> float:
        """Resident memory of the server and its children (uvicorn workers), in MB."""
        total = 0
        for pid in [self.process.pid, *_children(self.process.pid)]:
            status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
            total += int(status.split("VmRSS:")[1].split()[0])
        return total / 1024


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text(encoding="utf-8")
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running(name: str, command: list[str], env: dict[str, str], health: str, cpu: str | None = "0") -> Iterator[Server]:
    """Start `command` (with `{port}` filled in), wait until `health` answers, stop it at the end."""
    port = free_port()
    command = [part.replace("{port}", str(port)) for part in command]
    if cpu is not None:
        command = ["taskset", "-c", cpu, *command]
    environment = {key: value for key, value in os.environ.items() if not key.startswith("RECAPQL_")}
    environment.update(env)
    process = subprocess.Popen(command, env=environment, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url + health, process)
        yield Server(name, url, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not answer {url}")


def recapql(store: Path, *, cache: bool, workers: int = 1, cpu: str | None = "0") -> AbstractContextManager[Server]:
    command = [str(VENV_BIN / "recapql"), "serve", "--host", "127.0.0.1", "--port", "{port}", "--store", str(store)]
    command += ["--log-level", "warning", "--log-format", "text", "--workers", str(workers)]
    env = {"RECAPQL_RESPONSE_CACHE_MB": "64" if cache else "0"}
    name = "recapql" if cache else "recapql (cache off)"
    return running(name, command, env, "/healthz", cpu=cpu)


def _uvicorn(app: str) -> list[str]:
    return [str(VENV_BIN / "uvicorn"), "--app-dir", str(ROOT / "bench"), app, "--host", "127.0.0.1", "--port", "{port}",
            "--log-level", "warning", "--no-access-log"]  # fmt: skip


def reference(answers: Path) -> AbstractContextManager[Server]:
    return running("limit", _uvicorn("reference_app:app"), {"BENCH_ANSWERS": str(answers)}, "/ref/health")


def stock(store: Path) -> AbstractContextManager[Server]:
    health = "/graphql?query=%7B__typename%7D"
    return running("stock Strawberry", _uvicorn("stock_app:app"), {"BENCH_STORE": str(store)}, health)
