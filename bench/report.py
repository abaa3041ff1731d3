"""A run's record: the machine it ran on, the one table, the lines beside it, and two runs compared."""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from servers import ROOT

PACKAGES = ("strawberry-graphql", "starlette", "uvicorn", "httptools", "uvloop", "h11")
PEER_NAMES = ("Apollo", "Yoga", "Yoga + cache")
OTHER_STACK = "h11+asyncio"  # the stack recapql does not ship with; its limit is shown beside


def ours(row: dict[str, Any]) -> str:
    """The recapql column of a row: with its response cache off for misses, as users run it otherwise."""
    return "recapql (cache off)" if row["misses"] else "recapql"


def columns(results: dict[str, Any]) -> tuple[str, ...]:
    """The table's header: recapql, the limit on its stack and on the other one, the peers, stock Strawberry."""
    other = _other_stack(results)
    found = ["workload (store)", "req/s", "p99 ms", "limit req/s", "limit p99", "vs limit"]
    found += [f"{_short(other)} limit req/s", f"{_short(other)} limit p99"] if other else []
    for name in PEER_NAMES:
        found += [f"{name} req/s", f"{name} p99", f"vs {name}"]
    return (*found, "stock req/s", "stock p99", "vs stock", "in-process ms", "status")


def table(results: dict[str, Any]) -> str:
    """The workloads as a Markdown table (it reads in a terminal and pastes into a README)."""
    header = columns(results)
    lines = [_row(header), _row(("---",) + ("---:",) * (len(header) - 2) + ("---",))]
    other = _other_stack(results)
    for row in results["workloads"]:
        mine = row.get(ours(row))
        limit = row.get(row.get("limit_target", "limit"))
        ratios = row.get("vs", {})
        cells = [row["title"], _rate(mine), _ms(mine, "p99_ms"), _rate(limit), _ms(limit, "p99_ms"),
                 _ratio(row.get("vs_limit"))]  # fmt: skip
        if other:
            cells += [_rate(row.get(f"limit {other}")), _ms(row.get(f"limit {other}"), "p99_ms")]
        for name in (*PEER_NAMES, "stock Strawberry"):
            cells += [_rate(row.get(name)), _ms(row.get(name), "p99_ms"), _ratio(ratios.get(name))]
        cells += [f"{row['in_process_ms']:.3f}", "FAILED" if row["problems"] else "ok"]
        lines.append(_row(tuple(cells)))
    return "\n".join(lines)


def _other_stack(results: dict[str, Any]) -> str | None:
    """The stack whose limit is shown beside recapql's own (None in results from before there were two)."""
    ship = results["settings"].get("recapql_stack")
    if ship is None:
        return None
    return next((stack for stack in ("h11+asyncio", "httptools+uvloop") if stack != ship), None)


def _short(stack: str) -> str:
    return stack.split("+")[0]


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(cells) + " |"


def _rate(figures: dict[str, Any] | None) -> str:
    return f"{figures['requests_per_second']:,.0f}" if figures else ""


def _ms(figures: dict[str, Any] | None, key: str) -> str:
    return f"{figures[key]:.2f}" if figures else ""


def _ratio(value: float | None) -> str:
    return f"{value:.2f}x" if value is not None else ""


def _stack_line(results: dict[str, Any]) -> str:
    ship, other = results["settings"].get("recapql_stack"), _other_stack(results)
    line = f"limit: bench/reference_app.py under uvicorn on recapql's stack, {ship} (read from the libraries"
    line += " `recapql serve` has loaded); vs limit: recapql's req/s over it"
    if other:
        line += f"; {_short(other)} limit: the same route on uvicorn's {other}"
    return line


def _cpu_lines(results: dict[str, Any]) -> list[str]:
    """Each server's CPU time a request (user and system, median of the rounds): what load on a busy machine hides."""
    found = []
    for row in results["workloads"]:
        names = [name for name, value in row.items() if isinstance(value, dict) and "server_cpu_us" in value]
        if names:
            cells = ", ".join(f"{name} {row[name]['server_cpu_us']:.0f}" for name in names)
            found.append(f"server CPU µs a request, {row['title']}: {cells}")
    return found


def _peers_line(results: dict[str, Any]) -> str | None:
    peers = results.get("peers")
    if not peers:
        return None
    rss = ", ".join(f"{name} {mb:.0f} MB" for name, mb in peers.get("rss_mb_after_load", {}).items())
    return (
        f"peers: Node.js {peers['node']}, @apollo/server {peers['@apollo/server']} (startStandaloneServer),"
        f" graphql-yoga {peers['graphql-yoga']} (+ @graphql-yoga/plugin-response-cache"
        f" {peers['@graphql-yoga/plugin-response-cache']}), graphql {peers['graphql']}; NODE_ENV=production,"
        f" pinned like recapql, each {peers['warm_up_seconds']} s under load before measuring; data from recapql's"
        f" answers, every answer checked to have recapql's data; vs: recapql's req/s over theirs"
        f"{f'; VmRSS after load: {rss}' if rss else ''}"
    )


def details(results: dict[str, Any]) -> str:
    """Everything beside the table: failures, memory, workers, and how the figures were taken."""
    settings = results["settings"]
    lines = [
        f"medians of {settings['rounds']} interleaved round(s) of {settings['seconds_per_run']} s per server;"
        f" {settings['load']}; {settings['pinning']}",
        f"misses: recapql with RECAPQL_RESPONSE_CACHE_MB=0 (and no Yoga + cache); in-process:"
        f" schema.execute_sync, median of {settings['in_process_calls']} calls",
    ]
    if settings.get("recapql_stack"):
        lines.append(_stack_line(results))
    peers = _peers_line(results)
    lines += [peers] if peers else []
    for row in results["workloads"]:
        for server, problems in row["problems"].items():
            lines += [f"FAILED {row['title']}, {server}: {problem}" for problem in problems[:3]]
    lines += _cpu_lines(results)
    for name, store in results["stores"].items():
        rss = results["rss_mb"].get(name)
        if rss is None:
            continue
        # The small store's file is ~50 KB: its ratio would only measure the interpreter.
        ratio = f", {rss['after_load'] / store['store_file_mb']:.1f}x the file" if name == "large" else ""
        lines.append(
            f"recapql serve, {name} store ({store['sessions']:,} sessions, {store['projects']:,} projects, file"
            f" {store['store_file_mb']:.2f} MB): VmRSS {rss['after_warm_up']:.0f} MB after warm-up,"
            f" {rss['after_load']:.0f} MB after load{ratio}"
        )
    workers = results.get("workers", {})
    if "2 workers" in workers:
        one, two = workers["1 worker"], workers["2 workers"]
        lines.append(
            f"workers, nested query ({workers['load']}; {workers['note']}): 1 worker {one['requests_per_second']:,.0f}"
            f" req/s p99 {one['p99_ms']:.2f} ms; 2 workers {two['requests_per_second']:,.0f} req/s p99"
            f" {two['p99_ms']:.2f} ms ({two['requests_per_second'] / one['requests_per_second']:.2f}x)"
        )
    elif workers:
        lines.append(f"workers: {workers['note']}")
    lines += results.get("notes", [])
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT, check=False).stdout.strip()

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "?")  # fmt: skip
    return {
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "kernel": platform.release(),
        "python": platform.python_version(),
        **{name: _version(name) for name in PACKAGES},
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no")),
        "when": f"{datetime.datetime.now(datetime.UTC):%Y-%m-%dT%H:%M:%SZ}",
    }


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def cpu_busy(seconds: float = 1.0) -> float:
    """The share of all CPUs' time spent on anything but idling, over `seconds` (from /proc/stat)."""

    def sample() -> tuple[int, int]:
        fields = [int(n) for n in Path("/proc/stat").read_text(encoding="utf-8").split("\n", 1)[0].split()[1:]]
        return sum(fields), fields[3] + fields[4]  # idle and iowait

    total, idle = sample()
    time.sleep(seconds)
    total_after, idle_after = sample()
    return round(1 - (idle_after - idle) / max(1, total_after - total), 3)


def compare(before: Path, after: Path) -> str:
    """recapql's throughput, p99 and ratio to the limit, for the workloads both runs measured.

    Runs from before there was a limit per stack had one limit, on uvicorn's h11: the ratio to
    the h11 limit of a newer run is shown beside, the one to compare with theirs.
    """
    old_run, new_run = (json.loads(path.read_text(encoding="utf-8")) for path in (before, after))
    old = {(row["workload"], row["store"]): row for row in old_run["workloads"]}
    header = ["workload (store)", "req/s before", "after", "change", "p99 before", "after", "vs limit before", "after"]
    h11 = f"limit {OTHER_STACK}"
    with_h11 = "recapql_stack" not in old_run["settings"] and any(h11 in row for row in new_run["workloads"])
    header += ["after, vs h11 limit"] if with_h11 else []
    lines = [
        f"before: {before.name} (commit {old_run['machine'].get('commit')}); after: {after.name}"
        f" (commit {new_run['machine'].get('commit')})",
        _row(tuple(header)),
        _row(("---",) + ("---:",) * (len(header) - 1)),
    ]
    for row in new_run["workloads"]:
        was = old.get((row["workload"], row["store"]))
        now = row.get(ours(row))
        then = was.get(ours(was)) if was else None
        if not now or not then or not was:
            continue
        change = now["requests_per_second"] / then["requests_per_second"]
        same = row.get("bodies_sha256") is not None and was.get("bodies_sha256") == row.get("bodies_sha256")
        limit_then = was.get("vs_limit", was.get("throughput_vs_limit"))  # the key's name in the first results
        cells = [
            f"{row['workload']} ({row['store']})" + ("" if same else " *"), _rate(then), _rate(now), _ratio(change),
            _ms(then, "p99_ms"), _ms(now, "p99_ms"), _ratio(limit_then), _ratio(row.get("vs_limit")),
        ]  # fmt: skip
        if with_h11:
            cells.append(_ratio(now["requests_per_second"] / row[h11]["requests_per_second"] if row.get(h11) else None))
        lines.append(_row(tuple(cells)))
    lines.append("\n* other requests than before (or not recorded): compare the ratio to the limit, not req/s")
    return "\n".join(lines)


def access_log(results: dict[str, Any]) -> str:
    """What `--access-log` measured: µs a request in-process, and req/s and p99 at info against warning."""
    settings = results["settings"]
    lines = [
        f"medians of {settings['rounds']} interleaved round(s) of {settings['seconds_per_run']} s per server;"
        f" {settings['load']}; {settings['pinning']}",
        *access_log_cost_lines(results["in_process_us"]),
    ]
    for row in results["under_load"]:
        quiet = row["warning"]
        figures = [f"warning {quiet['requests_per_second']:,.0f} req/s p99 {quiet['p99_ms']:.2f} ms{_cpu(quiet)}"]
        for name in [name for name in row if name.startswith("info")]:
            logged = row[name]
            extra = f", {logged['server_cpu_us'] - quiet['server_cpu_us']:+.1f} µs" if "server_cpu_us" in quiet else ""
            figures.append(
                f"{name} {logged['requests_per_second']:,.0f} req/s p99 {logged['p99_ms']:.2f} ms{_cpu(logged)}"
                f" ({logged['requests_per_second'] / quiet['requests_per_second']:.2f}x{extra})"
            )
        cache = " (cache off)" if row["misses"] else ""
        lines.append(f"access log under load, {row['title']}{cache}, --log-level: {'; '.join(figures)}")
    lines.append(
        f"info: one JSON line a request to a file ({results['access_lines_written']:,} written); load average before"
        f" and after: {results['machine']['load_average_before_after']}"
    )
    return "\n".join(lines)


def _cpu(figures: dict[str, Any]) -> str:
    return f", {figures['server_cpu_us']:.0f} µs of server CPU a request" if "server_cpu_us" in figures else ""


def access_log_cost_lines(figures: dict[str, Any]) -> list[str]:
    from access_log_cost import lines

    return lines(figures)
