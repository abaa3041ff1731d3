"""What the access log costs a request, in-process: the AccessLog middleware timed at each log level.

`python bench/access_log_cost.py` drives `recapql.observability.access_log.AccessLog` (with the
metrics observer, as the app wires it) around an app that does nothing but answer, as uvicorn
would call it, on uvloop, and prints microseconds per request at `warning` (no line: what is
left is the request id, the facts and the metrics) and at `info` with the JSON and the text
formatter, each line written to /dev/null through the same `StreamHandler` the app configures
(a write and a flush per line, as to standard error). The difference is the price of a line.

`--against REV` also measures the access log and the formatters of a git revision (read with
`git show`, loaded beside the working tree's), interleaved with the working tree's, so that a
busy machine slows both alike. Run it as `./bench/run --access-log`, which also measures
`recapql serve` under load at `--log-level info` and `warning`.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import logging.config
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import uvloop

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the repository's packages are beside bench/
    sys.path.insert(0, str(ROOT))

from recapql.observability import access_log, log_config  # noqa: E402
from recapql.observability.metrics import Metrics  # noqa: E402
from recapql.observability.request_facts import RequestFacts  # noqa: E402

Scope = dict[str, Any]
# What wrk sends, as uvicorn hands it over.
SCOPE: Scope = {
    "type": "http",
    "asgi": {"version": "3.0", "spec_version": "2.3"},
    "http_version": "1.1",
    "server": ("127.0.0.1", 8000),
    "client": ("127.0.0.1", 51234),
    "scheme": "http",
    "method": "POST",
    "root_path": "",
    "path": "/graphql",
    "raw_path": b"/graphql",
    "query_string": b"",
    "headers": [(b"host", b"127.0.0.1:8000"), (b"content-type", b"application/json"), (b"content-length", b"97")],
}
BODY = b'{"data":{"session":{"slug":"x","title":"y"}}}'
START = {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]}
LEVELS = (("warning", "json"), ("info", "json"), ("info", "text"))


async def _answer(scope: Scope, receive: Any, send: Any) -> None:
    """What the endpoint leaves in the facts of a cached query, and a response."""
    facts = RequestFacts.of(scope)
    if facts is not None:
        facts.operation, facts.outcome, facts.cache = "Lookup", "cached", "hit"
    await send(dict(START))
    await send({"type": "http.response.body", "body": BODY})


async def _receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _send(message: dict[str, Any]) -> None:
    return None


def _configure(level: str, log_format: str, formatters: ModuleType, stream: Any) -> None:
    """The app's logging configuration for `level` and `log_format`, its handler writing to `stream`."""
    config = log_config.logging_config(level, log_format)
    name = "json" if log_format == "json" else "text"
    config["formatters"][name] = {"()": getattr(formatters, "JsonFormatter" if name == "json" else "TextFormatter")}
    logging.config.dictConfig(config)
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(stream)


def _per_request_us(middleware: Callable[..., Any], requests: int) -> float:
    async def drive() -> float:
        scope = SCOPE
        started = time.perf_counter_ns()
        for _ in range(requests):
            await middleware(dict(scope), _receive, _send)
        return (time.perf_counter_ns() - started) / requests / 1000

    return float(uvloop.run(drive()))


def measure(versions: dict[str, tuple[ModuleType, ModuleType]], *, requests: int, batches: int) -> dict[str, Any]:
    """Median µs per request of each version at each (level, format), batches interleaved."""
    times: dict[tuple[str, str, str], list[float]] = {}
    with Path(os.devnull).open("w", encoding="utf-8") as stream:
        for _ in range(batches):
            for name, (middleware_module, formatters) in versions.items():
                for level, log_format in LEVELS:
                    _configure(level, log_format, formatters, stream)
                    middleware = middleware_module.AccessLog(_answer, observers=(Metrics().observe,))
                    _per_request_us(middleware, requests // 10)  # warm up
                    times.setdefault((name, level, log_format), []).append(_per_request_us(middleware, requests))
    logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})
    results: dict[str, Any] = {}
    for (name, level, log_format), found in times.items():
        results.setdefault(name, {})[f"{level} {log_format}"] = round(statistics.median(found), 2)
    for figures in results.values():
        figures["line json"] = round(figures["info json"] - figures["warning json"], 2)
        figures["line text"] = round(figures["info text"] - figures["warning json"], 2)
    return results


def working_tree() -> tuple[ModuleType, ModuleType]:
    """The access log and the formatters this checkout has."""
    return access_log, log_config


def from_git(revision: str) -> tuple[ModuleType, ModuleType]:
    """The access log and the formatters as they were at `revision`, loaded under other names."""
    folder = Path(tempfile.mkdtemp(prefix="recapql-access-log-"))
    modules = []
    for name in ("access_log", "log_config"):
        source = subprocess.run(
            ["git", "show", f"{revision}:recapql/observability/{name}.py"], cwd=ROOT, capture_output=True,
            text=True, check=True,
        ).stdout  # fmt: skip
        path = folder / f"{name}_{revision.replace('/', '_')}.py"
        path.write_text(source, encoding="utf-8")
        spec = importlib.util.spec_from_file_location(f"baseline_{name}", path)
        if spec is None or spec.loader is None:
            raise RuntimeError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        modules.append(module)
    return modules[0], modules[1]


def lines(results: dict[str, Any]) -> list[str]:
    found = []
    for name, figures in results.items():
        found.append(
            f"access log, in-process ({name}): {figures['warning json']:.2f} µs a request at warning,"
            f" {figures['info json']:.2f} µs at info with JSON lines, {figures['info text']:.2f} µs with text:"
            f" a line costs {figures['line json']:.2f} µs (JSON), {figures['line text']:.2f} µs (text)"
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=20_000, help="requests per batch")
    parser.add_argument("--batches", type=int, default=5, help="batches per version and level (the median counts)")
    parser.add_argument("--against", metavar="REV", help="also measure this git revision's access log")
    options = parser.parse_args()
    versions = {"working tree": working_tree()}
    if options.against:
        versions = {options.against: from_git(options.against), **versions}
    print("\n".join(lines(measure(versions, requests=options.requests, batches=options.batches))))


if __name__ == "__main__":
    main()
