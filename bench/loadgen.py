"""Driving a server with wrk (Debian's package): a Lua script per workload, and its output parsed."""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class LoadResult:
    """What wrk measured: throughput, latency percentiles (ms), and failures."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    failures: int

    def as_dict(self) -> dict[str, float]:
        return {
            "requests_per_second": self.requests_per_second,
            "p50_ms": self.p50_ms,
            "p99_ms": self.p99_ms,
            "failures": self.failures,
        }


def lua_script(bodies: tuple[str, ...]) -> str:
    """POST each body in turn (a new one every request when there are several)."""
    listed = ",\n".join(f"[==[{body}]==]" for body in bodies)
    return f"""wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local bodies = {{
{listed}
}}
local count = 0
request = function()
  count = count + 1
  return wrk.format(nil, nil, nil, bodies[(count % #bodies) + 1])
end
"""


def run_wrk(
    url: str, bodies: tuple[str, ...], *, seconds: float, connections: int = 16, threads: int = 1, cpu: str | None = "1"
) -> LoadResult:
    """Load `url` for `seconds` with `connections` keep-alive connections, wrk pinned to `cpu`."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(bodies))
    try:
        duration = f"-d{max(1, round(seconds))}s"  # wrk takes whole seconds
        command = ["wrk", f"-t{threads}", f"-c{connections}", duration, "--latency", "-s", script.name, url]
        if cpu is not None:
            command = ["taskset", "-c", cpu, *command]
        output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    finally:
        Path(script.name).unlink(missing_ok=True)
    return parse_wrk(output)


def parse_wrk(output: str) -> LoadResult:
    def latency(percentile: str) -> float:
        found = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        if found is None:
            raise ValueError(f"no {percentile}% latency in wrk's output:\n{output}")
        return float(found.group(1)) * _UNITS[found.group(2)]

    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if rate is None:
        raise ValueError(f"no Requests/sec in wrk's output:\n{output}")
    failures = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        failures += sum(int(n) for n in socket_errors.groups())
    return LoadResult(float(rate.group(1)), latency("50"), latency("99"), failures)
