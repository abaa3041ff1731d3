"""recapql against its limit, in one run on this machine; see bench/README.md.

For each workload: recapql as users run it (`recapql serve`, one worker pinned to core 0), a
reference route returning recapql's own answer pre-serialized (the limit), and for cache misses
stock Strawberry too; wrk on core 1; interleaved rounds; medians. Prints one table and writes
every figure to bench/results/<UTC time>.json.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
import urllib.request
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import strawberry
from loadgen import LoadResult, run_wrk
from servers import ROOT, Server, recapql, reference, stock
from workloads import NESTED, Workload, workloads

from schema import Context, schema
from seed.synthetic import synthetic_document
from store import Store

RESULTS = ROOT / "bench" / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one short round: a smoke run of about a minute")
    parser.add_argument("--seconds", type=float, help="seconds per measured run (default 5, quick 2)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 3, quick 1)")
    parser.add_argument("--no-large", action="store_true", help="skip the generated 15,000-session store")
    parser.add_argument("--compare", nargs=2, metavar="RESULTS.json", help="compare two earlier runs and stop")
    options = parser.parse_args()
    if options.compare:
        compare(Path(options.compare[0]), Path(options.compare[1]))
        return
    seconds = options.seconds or (2.0 if options.quick else 5.0)
    rounds = options.rounds or (1 if options.quick else 3)
    with tempfile.TemporaryDirectory(prefix="recapql-bench-") as folder:
        run(Path(folder), seconds=seconds, rounds=rounds, large=not options.no_large)


def _seed(folder: Path, name: str, seed: Path | None) -> Path:
    store = folder / f"{name}.json"
    command = [sys.executable, "-m", "recapql", "seed", "--store", str(store)]
    if seed is not None:
        command += ["--seed", str(seed)]
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True)
    return store


def _post(url: str, body: str) -> tuple[bytes, str]:
    request = urllib.request.Request(url, data=body.encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read(), response.headers["content-type"]


def run(folder: Path, *, seconds: float, rounds: int, large: bool) -> None:
    stores = {"small": _seed(folder, "small", None)}
    if large:
        seed = folder / "large-seed.json"
        seed.write_text(json.dumps(synthetic_document(15_000, 3_000)), encoding="utf-8")
        stores["large"] = _seed(folder, "large", seed)
    opened = {name: Store.open(path) for name, path in stores.items()}
    slugs = {name: list(store.session_by_slug) for name, store in opened.items()}
    chosen = workloads(slugs["small"], slugs.get("large", []), large=large)
    report: dict[str, Any] = {
        "machine": _machine(),
        "seconds_per_run": seconds,
        "rounds": rounds,
        "store_json_mb": {name: round(path.stat().st_size / 1e6, 2) for name, path in stores.items()},
        "in_process_ms": {f"{w.name} ({w.store})": _in_process_ms(w, opened[w.store]) for w in chosen},
    }
    print(f"recapql benchmark: {rounds} round(s) of {seconds:g} s per run; wrk -t1 -c16 on core 1, servers on core 0")
    samples: dict[tuple[str, str], list[LoadResult]] = defaultdict(list)
    memory: dict[str, float] = {}
    with ExitStack() as stack:
        servers: dict[tuple[str, str], Server] = {}
        for name, path in stores.items():
            servers[("recapql", name)] = stack.enter_context(recapql(path, cache=True))
            servers[("recapql (cache off)", name)] = stack.enter_context(recapql(path, cache=False))
            servers[("stock Strawberry", name)] = stack.enter_context(stock(path))
        answers = _capture_answers(chosen, servers, folder)
        servers[("limit", "any")] = stack.enter_context(reference(answers))
        for round_number in range(rounds):
            for workload in chosen:
                for target in _targets(workload):
                    server = servers[(target, "any" if target == "limit" else workload.store)]
                    url = f"{server.url}/ref/{_key(workload)}" if target == "limit" else f"{server.url}/graphql"
                    run_wrk(url, workload.bodies, seconds=min(1.0, seconds))  # warm-up
                    samples[(_key(workload), target)].append(run_wrk(url, workload.bodies, seconds=seconds))
            print(f"  round {round_number + 1}/{rounds} done", flush=True)
        for name in stores:
            memory[name] = round(servers[("recapql", name)].rss_mb(), 1)
    report["rss_mb"] = memory
    report["workloads"] = _summaries(chosen, samples)
    report["workers"] = _workers(stores["small"], answers, seconds)
    _print(report)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{stamp}.json"
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nresults: {path.relative_to(ROOT)}")


def _key(workload: Workload) -> str:
    return f"{workload.name.replace(' ', '-')}-{workload.store}"


def _targets(workload: Workload) -> list[str]:
    if workload.misses:
        return ["recapql (cache off)", "limit", "stock Strawberry"]
    return ["recapql", "limit"]


def _capture_answers(chosen: list[Workload], servers: dict[tuple[str, str], Server], folder: Path) -> Path:
    """recapql's answer to each workload's first request: the bytes the limit will send."""
    answers = {"health": {"body": base64.b64encode(b"ok").decode(), "content_type": "text/plain"}}
    for workload in chosen:
        body, content_type = _post(f"{servers[('recapql', workload.store)].url}/graphql", workload.bodies[0])
        answer = json.loads(body)
        if "errors" in answer or not answer.get("data"):
            raise SystemExit(f"workload {workload.name} ({workload.store}) does not answer cleanly: {answer}")
        answers[_key(workload)] = {"body": base64.b64encode(body).decode(), "content_type": content_type}
    path = folder / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    return path


def _in_process_ms(workload: Workload, store: Store) -> float:
    """Median time of one `schema.execute_sync` of the workload's first request, in ms."""
    body = workload.first_body
    context = Context(store=store)

    def execute() -> None:
        result = schema.execute_sync(body["query"], variable_values=body["variables"], context_value=context)
        assert not result.errors, result.errors

    execute()
    times = [timeit.timeit(execute, number=20) / 20 for _ in range(7)]
    return round(statistics.median(times) * 1000, 3)


def _summaries(chosen: list[Workload], samples: dict[tuple[str, str], list[LoadResult]]) -> list[dict[str, Any]]:
    rows = []
    for workload in chosen:
        row: dict[str, Any] = {"workload": workload.name, "store": workload.store, "misses": workload.misses}
        for target in _targets(workload):
            runs = samples[(_key(workload), target)]
            row[target] = {
                "requests_per_second": round(statistics.median(r.requests_per_second for r in runs), 1),
                "p50_ms": round(statistics.median(r.p50_ms for r in runs), 3),
                "p99_ms": round(statistics.median(r.p99_ms for r in runs), 3),
                "failures": sum(r.failures for r in runs),
                "runs": [r.as_dict() for r in runs],
            }
        ours = row["recapql (cache off)" if workload.misses else "recapql"]
        limit = row["limit"]
        row["throughput_vs_limit"] = round(ours["requests_per_second"] / limit["requests_per_second"], 3)
        row["p99_vs_limit"] = round(ours["p99_ms"] / limit["p99_ms"], 3)
        if workload.misses:
            row["throughput_vs_stock"] = round(
                ours["requests_per_second"] / row["stock Strawberry"]["requests_per_second"], 2
            )
        rows.append(row)
    return rows


def _workers(store: Path, answers: Path, seconds: float) -> dict[str, Any]:
    """The nested query on one worker and on two, nothing pinned: wrk shares the 2 cores with them."""
    bodies = (json.dumps({"query": NESTED}),)
    result: dict[str, Any] = {"note": "no pinning: 2 cores shared by the workers and wrk (-t2 -c32)"}
    for workers in (1, 2):
        with recapql(store, cache=True, workers=workers, cpu=None) as server:
            run_wrk(f"{server.url}/graphql", bodies, seconds=1, connections=32, threads=2, cpu=None)
            measured = run_wrk(f"{server.url}/graphql", bodies, seconds=seconds, connections=32, threads=2, cpu=None)
            result[f"{workers} worker{'s' if workers > 1 else ''}"] = measured.as_dict()
    return result


def _machine() -> dict[str, Any]:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "strawberry": strawberry.__version__ if hasattr(strawberry, "__version__") else _version("strawberry-graphql"),
        "commit": commit.strip(),
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }


def _version(distribution: str) -> str:
    from importlib.metadata import version

    return version(distribution)


def _print(report: dict[str, Any]) -> None:
    print()
    header = f"{'workload':<22} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'limit req/s':>11} {'limit p99':>9}"
    print(header + f" {'vs limit':>8} {'p99 vs':>6} {'vs stock':>8} {'in-proc ms':>10}")
    for row in report["workloads"]:
        ours = row["recapql (cache off)" if row["misses"] else "recapql"]
        limit = row["limit"]
        name = f"{row['workload']} ({row['store']})"
        stock_ratio = f"{row['throughput_vs_stock']:.1f}x" if row["misses"] else ""
        failed = " FAILED" if any(row[t]["failures"] for t in _targets_of(row)) else ""
        print(
            f"{name:<22} {ours['requests_per_second']:>8.0f} {ours['p50_ms']:>7.2f} {ours['p99_ms']:>7.2f} "
            f"{limit['requests_per_second']:>11.0f} {limit['p99_ms']:>9.2f} {row['throughput_vs_limit']:>7.2f}x "
            f"{row['p99_vs_limit']:>5.2f}x {stock_ratio:>8} {report['in_process_ms'][name]:>10.3f}{failed}"
        )
    misses = [row for row in report["workloads"] if row["misses"]]
    if misses:
        print("\nstock Strawberry on the miss workloads:")
        for row in misses:
            stock_row = row["stock Strawberry"]
            print(
                f"  {row['workload']} ({row['store']}): {stock_row['requests_per_second']:.0f} req/s, "
                f"p50 {stock_row['p50_ms']:.2f} ms, p99 {stock_row['p99_ms']:.2f} ms"
            )
    print("\nresident memory of recapql serve:")
    for name, rss in report["rss_mb"].items():
        size = report["store_json_mb"][name]
        print(f"  {name} store: {rss:.0f} MB with a {size:.1f} MB store file ({rss / size:.1f}x)")
    workers = report["workers"]
    print(f"\nworkers, nested query ({workers['note']}):")
    for key in ("1 worker", "2 workers"):
        print(f"  {key}: {workers[key]['requests_per_second']:.0f} req/s, p99 {workers[key]['p99_ms']:.2f} ms")


def _targets_of(row: dict[str, Any]) -> list[str]:
    return ["recapql (cache off)", "limit", "stock Strawberry"] if row["misses"] else ["recapql", "limit"]


def compare(before: Path, after: Path) -> None:
    """Throughput and p99 of the same workloads in two result files."""
    old = {(r["workload"], r["store"]): r for r in json.loads(before.read_text(encoding="utf-8"))["workloads"]}
    new = json.loads(after.read_text(encoding="utf-8"))["workloads"]
    print(f"{'workload':<22} {'req/s before':>12} {'after':>8} {'p99 before':>10} {'after':>8}")
    for row in new:
        key = "recapql (cache off)" if row["misses"] else "recapql"
        if (row["workload"], row["store"]) not in old:
            continue
        was = old[(row["workload"], row["store"])][key]
        now = row[key]
        print(
            f"{row['workload'] + ' (' + row['store'] + ')':<22} {was['requests_per_second']:>12.0f} "
            f"{now['requests_per_second']:>8.0f} {was['p99_ms']:>10.2f} {now['p99_ms']:>8.2f}"
        )


if __name__ == "__main__":
    started = time.monotonic()
    main()
    print(f"(took {time.monotonic() - started:.0f} s)")
