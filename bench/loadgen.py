"""Driving a server with HTTP load: wrk (Debian's package) when installed, else bench/pyload.py.

wrk gets a Lua script per workload: one pre-built POST when the workload has one body, else
every body formatted once in `init` and a new one sent each request. Its `--latency` output
gives the percentiles; "Non-2xx or 3xx responses" and socket errors count as failures.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
PYLOAD = Path(__file__).resolve().parent / "pyload.py"


@dataclass(frozen=True)
class LoadResult:
    """What one measured run saw: throughput, latency percentiles (ms), and what went wrong."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int

    @property
    def failures(self) -> int:
        return self.non_2xx + self.socket_errors

    def as_dict(self) -> dict[str, float]:
        return {**asdict(self), "failures": self.failures}


def generator(choice: str) -> str:
    """Which generator runs: wrk when asked for or found ("auto"), else the Python one."""
    if choice == "wrk" and shutil.which("wrk") is None:
        raise SystemExit("bench: --loadgen wrk, but wrk is not installed (apt-get install wrk)")
    if choice == "auto":
        return "wrk" if shutil.which("wrk") else "python"
    return choice


def describe(kind: str) -> str:
    if kind == "python":
        return "bench/pyload.py (wrk not found: the limit's figures may be this generator's ceiling)"
    found = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    return (found.stdout or found.stderr).splitlines()[0].split(" Copyright")[0]


def run_load(
    kind: str, url: str, bodies: tuple[str, ...], *, seconds: int, connections: int = 16, threads: int = 1,
    cpu: str | None = None,
) -> LoadResult:  # fmt: skip
    """Load `url` for `seconds` with `connections` keep-alive connections, pinned to `cpu` when given."""
    with tempfile.TemporaryDirectory(prefix="recapql-load-") as folder:
        if kind == "wrk":
            script = Path(folder) / "bodies.lua"
            script.write_text(lua_script(bodies), encoding="utf-8")
            command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url]
        else:
            listed = Path(folder) / "bodies.json"
            listed.write_text(json.dumps(bodies), encoding="utf-8")
            command = [sys.executable, str(PYLOAD), url, str(listed), f"--connections={connections}"]
            command.append(f"--seconds={seconds}")
        if cpu is not None:
            command = ["taskset", "-c", cpu, *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=seconds + 60)
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({done.returncode}): {done.stderr.strip()}")
    return parse_wrk(done.stdout) if kind == "wrk" else LoadResult(**json.loads(done.stdout))


def lua_script(bodies: tuple[str, ...]) -> str:
    """POST the bodies in turn; JSON goes into Lua long strings, whose brackets no body contains."""
    level = next(n for n in range(1, 100) if f"]{'=' * n}]" not in "".join(bodies))
    start, end = f"[{'=' * level}[", f"]{'=' * level}]"
    header = 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
    if len(bodies) == 1:
        return header + f"wrk.body = {start}{bodies[0]}{end}\n"
    listed = ",\n".join(f"{start}{body}{end}" for body in bodies)
    table = f"local bodies = {{\n{listed}\n}}\n"
    return header + table + _ROTATE


# Formatting each request once, in `init`, keeps wrk's per-request work to a table lookup.
_ROTATE = """local requests = {}
local count = 0
init = function(args)
  for i, body in ipairs(bodies) do
    requests[i] = wrk.format(nil, nil, nil, body)
  end
end
request = function()
  count = count + 1
  return requests[(count % #requests) + 1]
end
"""


def parse_wrk(output: str) -> LoadResult:
    """The figures of wrk's `--latency` report."""

    def number(pattern: str) -> re.Match[str]:
        found = re.search(pattern, output, re.MULTILINE)
        if found is None:
            raise ValueError(f"wrk's output has no {pattern!r}:\n{output}")
        return found

    def latency(percentile: str) -> float:
        found = number(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$")
        return float(found.group(1)) * _UNITS[found.group(2)]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return LoadResult(
        requests_per_second=float(number(r"^Requests/sec:\s+([\d.]+)").group(1)),
        p50_ms=latency("50"),
        p99_ms=latency("99"),
        requests=int(number(r"^\s+(\d+) requests in ").group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
    )
