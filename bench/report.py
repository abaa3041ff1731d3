"""A run's record: the machine it ran on, the one table, the lines beside it, and two runs compared."""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

from servers import ROOT

COLUMNS = (
    "workload (store)", "req/s", "p50 ms", "p99 ms", "limit req/s", "limit p50", "limit p99", "vs limit",
    "stock req/s", "stock p99", "vs stock", "in-process ms", "status",
)  # fmt: skip


def ours(row: dict[str, Any]) -> str:
    """The recapql column of a row: with its response cache off for misses, as users run it otherwise."""
    return "recapql (cache off)" if row["misses"] else "recapql"


def table(results: dict[str, Any]) -> str:
    """The workloads as a Markdown table (it reads in a terminal and pastes into a README)."""
    lines = [_row(COLUMNS), _row(("---",) + ("---:",) * (len(COLUMNS) - 2) + ("---",))]
    for row in results["workloads"]:
        mine, limit, stock = row.get(ours(row)), row.get("limit"), row.get("stock Strawberry")
        lines.append(
            _row((
                row["title"], _rate(mine), _ms(mine, "p50_ms"), _ms(mine, "p99_ms"), _rate(limit),
                _ms(limit, "p50_ms"), _ms(limit, "p99_ms"), _ratio(row.get("vs_limit")), _rate(stock),
                _ms(stock, "p99_ms"), _ratio(row.get("vs_stock")), f"{row['in_process_ms']:.3f}",
                "FAILED" if row["problems"] else "ok",
            ))
        )  # fmt: skip
    return "\n".join(lines)


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(cells) + " |"


def _rate(figures: dict[str, Any] | None) -> str:
    return f"{figures['requests_per_second']:,.0f}" if figures else ""


def _ms(figures: dict[str, Any] | None, key: str) -> str:
    return f"{figures[key]:.2f}" if figures else ""


def _ratio(value: float | None) -> str:
    return f"{value:.2f}x" if value is not None else ""


def details(results: dict[str, Any]) -> str:
    """Everything beside the table: failures, memory, workers, and how the figures were taken."""
    settings = results["settings"]
    lines = [
        f"medians of {settings['rounds']} interleaved round(s) of {settings['seconds_per_run']} s per server;"
        f" {settings['load']}; {settings['pinning']}",
        f"misses: recapql with RECAPQL_RESPONSE_CACHE_MB=0; in-process: schema.execute_sync, median of"
        f" {settings['in_process_calls']} calls",
    ]
    for row in results["workloads"]:
        for server, problems in row["problems"].items():
            lines += [f"FAILED {row['title']}, {server}: {problem}" for problem in problems[:3]]
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
        **{name: version(name) for name in ("strawberry-graphql", "starlette", "uvicorn")},
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no")),
        "when": f"{datetime.datetime.now(datetime.UTC):%Y-%m-%dT%H:%M:%SZ}",
    }


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
    """recapql's throughput, p99 and ratio to the limit, for the workloads both runs measured."""
    old_run, new_run = (json.loads(path.read_text(encoding="utf-8")) for path in (before, after))
    old = {(row["workload"], row["store"]): row for row in old_run["workloads"]}
    lines = [
        f"before: {before.name} (commit {old_run['machine'].get('commit')}); after: {after.name}"
        f" (commit {new_run['machine'].get('commit')})",
        _row(
            ("workload (store)", "req/s before", "after", "change", "p99 before", "after", "vs limit before", "after")
        ),
        _row(("---",) + ("---:",) * 7),
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
        lines.append(
            _row((
                f"{row['workload']} ({row['store']})" + ("" if same else " *"), _rate(then), _rate(now),
                _ratio(change), _ms(then, "p99_ms"), _ms(now, "p99_ms"), _ratio(limit_then),
                _ratio(row.get("vs_limit")),
            ))
        )  # fmt: skip
    lines.append("\n* other requests than before (or not recorded): compare the ratio to the limit, not req/s")
    return "\n".join(lines)
