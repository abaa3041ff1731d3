"""recapql against its limit, in one run on this machine; see bench/README.md.

For each workload: recapql as users run it (`recapql serve`, pinned to one core), a Starlette
route returning recapql's own answer pre-serialized (the limit), and for cache misses stock
Strawberry too; the load generator on another core; interleaved rounds; medians. Prints one
table and writes every figure to bench/results/<UTC time>.json.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import gc
import hashlib
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path
from typing import Any, NoReturn

import report
from answers import Answer, capture, check_reference, post
from inprocess import execution_ms
from loadgen import LoadResult, describe, generator, run_load
from servers import ROOT, Pinning, Server, pinning, recapql, reference, stock, supports_workers, workers_pinning
from stores import generate_large, seeded_store
from workloads import NESTED, Workload, workloads

from store import Store

RESULTS = ROOT / "bench" / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one round of 2 s runs: a smoke run of 1-2 minutes")
    parser.add_argument("--seconds", type=int, help="seconds per measured run (default 5, quick 2)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 3, quick 1)")
    parser.add_argument("--no-large", action="store_true", help="skip the generated 15,000-session store")
    parser.add_argument("--loadgen", choices=("auto", "wrk", "python"), default="auto", help="default: wrk if found")
    parser.add_argument(
        "--only", metavar="TEXT", help="only workloads whose key contains TEXT (e.g. search-miss); no workers run"
    )
    parser.add_argument("--compare", nargs=2, type=Path, metavar="RESULTS.json", help="compare two runs and stop")
    options = parser.parse_args()
    if options.compare:
        print(report.compare(*options.compare))
        return
    signal.signal(signal.SIGTERM, _stop)  # so that the servers are stopped by the `finally` blocks
    started = time.monotonic()
    settings = {
        "quick": options.quick,
        "seconds_per_run": options.seconds or (2 if options.quick else 5),
        "rounds": options.rounds or (1 if options.quick else 3),
        "in_process_calls": 100 if options.quick else 400,
        # A smoke run relies on the answers checked just before as its warm-up.
        "warm_up_seconds": 0 if options.quick else 1,
    }
    with tempfile.TemporaryDirectory(prefix="recapql-bench-") as folder:
        settings["only"] = options.only
        results = run(Path(folder), settings, large=not options.no_large, kind=generator(options.loadgen))
    results["duration_s"] = round(time.monotonic() - started)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{datetime.datetime.now(datetime.UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\n{report.table(results)}\n\n{report.details(results)}\n\nresults: {path.relative_to(ROOT)}")
    print(f"took {results['duration_s'] // 60} min {results['duration_s'] % 60} s")
    if any(row["problems"] for row in results["workloads"]):
        sys.exit(1)


def _stop(signum: int, frame: object) -> NoReturn:
    raise SystemExit(128 + signum)


def run(folder: Path, settings: dict[str, Any], *, large: bool, kind: str) -> dict[str, Any]:
    pin = pinning()
    seconds, rounds = settings["seconds_per_run"], settings["rounds"]
    threads = ", 1 thread" if kind == "wrk" else ""
    settings |= {"load": f"{describe(kind)}{threads}, 16 connections", "pinning": pin.note}
    results: dict[str, Any] = {"machine": report.machine(), "settings": settings, "notes": []}
    busy = os.getloadavg()[0]
    results["machine"]["cpu_busy_at_start"] = others = report.cpu_busy()
    if others > 0.1:  # the servers and the load generator would share their cores with whatever this is
        results["notes"].append(f"other work kept the CPUs {others:.0%} busy when the run started: noisy figures")
    paths = _stores(folder, large=large, notes=results["notes"])
    stores = {name: Store.open(path) for name, path in paths.items()}
    gc.collect()
    gc.freeze()  # as recapql does after loading: the stores' objects are never garbage
    results["stores"] = {
        name: {"sessions": len(store.sessions), "projects": len(store.projects),
               "store_file_mb": round(paths[name].stat().st_size / 1e6, 2)}
        for name, store in stores.items()
    }  # fmt: skip
    chosen = [w for name, store in stores.items() for w in workloads(name, store, nested=name == "small")]
    chosen = [w for w in chosen if settings["only"] is None or settings["only"] in w.key]
    if not chosen:
        raise SystemExit(f"bench: no workload key contains {settings['only']!r}")
    print(f"recapql benchmark: {len(chosen)} workloads, {rounds} round(s) of {seconds} s; {settings['load']}; "
          f"{pin.note}", flush=True)  # fmt: skip
    in_process = {w.key: execution_ms(w, stores[w.store], settings["in_process_calls"]) for w in chosen}
    del stores
    samples: dict[tuple[str, str], list[LoadResult]] = defaultdict(list)
    problems: dict[str, dict[str, list[str]]] = defaultdict(dict)
    with ExitStack() as stack:
        servers: dict[tuple[str, str], Server] = {}
        for name, path in paths.items():
            servers["recapql", name] = stack.enter_context(recapql(path, cache=True, logs=folder, cpu=pin.server))
            servers["recapql (cache off)", name] = stack.enter_context(
                recapql(path, cache=False, logs=folder, cpu=pin.server)
            )
            servers["stock Strawberry", name] = stack.enter_context(stock(path, logs=folder, cpu=pin.server))
        answers = _check(chosen, servers, problems)
        limit = stack.enter_context(reference(_answers_file(folder, answers), logs=folder, cpu=pin.server))
        for w in chosen:
            if w.key in answers:
                found = check_reference(f"{limit.url}/ref/{w.key}", w.bodies[0], answers[w.key])
                problems[w.key] |= {"limit": found} if found else {}
        servers["limit", "any"] = limit
        # A workload recapql cannot answer cleanly is not measured at all; a failing baseline is left out.
        plan = [(w, t) for w in chosen if w.key in answers for t in _targets(w) if t not in problems[w.key]]

        def measure(w: Workload, target: str, run_seconds: int) -> LoadResult:
            server = servers[target, "any" if target == "limit" else w.store]
            url = f"{server.url}/ref/{w.key}" if target == "limit" else f"{server.url}/graphql"
            return run_load(kind, url, w.bodies, seconds=run_seconds, cpu=pin.load)

        for w, target in plan if settings["warm_up_seconds"] else ():  # every server warm on its workloads
            measure(w, target, settings["warm_up_seconds"])
        rss = {name: {"after_warm_up": servers["recapql", name].rss_mb()} for name in paths}
        for round_number in range(rounds):
            for w in chosen:
                targets = [target for target in _targets(w) if (w, target) in plan]
                shift = round_number % max(1, len(targets))  # alternate who goes first
                for target in targets[shift:] + targets[:shift]:
                    samples[w.key, target].append(measure(w, target, seconds))
                figures = ", ".join(f"{t} {samples[w.key, t][-1].requests_per_second:,.0f}/s" for t in targets)
                print(f"  round {round_number + 1}/{rounds}  {w.title}: {figures}", flush=True)
            results["machine"].setdefault("load_average_after_rounds", []).append(round(os.getloadavg()[0], 2))
        for name in paths:
            rss[name]["after_load"] = servers["recapql", name].rss_mb()
    results["rss_mb"] = rss
    results["workloads"] = [_summary(w, samples, problems[w.key], in_process[w.key]) for w in chosen]
    if settings["only"] is None:
        results["workers"] = _workers(paths["small"], folder, kind, seconds, rounds)
    results["machine"]["load_average_before_after"] = [round(busy, 2), round(os.getloadavg()[0], 2)]
    return results


def _stores(folder: Path, *, large: bool, notes: list[str]) -> dict[str, Path]:
    paths = {"small": seeded_store(None, folder / "small.json")}
    if large:
        generated = generate_large(folder)
        if generated is None:
            notes.append("large store skipped: seed/synthetic.py is not there yet")
        else:
            paths["large"] = seeded_store(generated, folder / "large.json")
    return paths


def _check(
    chosen: list[Workload], servers: dict[tuple[str, str], Server], problems: dict[str, dict[str, list[str]]]
) -> dict[str, Answer]:
    """recapql's answer to each workload that answers cleanly; what went wrong goes to `problems`."""
    answers: dict[str, Answer] = {}
    for w in chosen:
        target = "recapql (cache off)" if w.misses else "recapql"
        stock_url = f"{servers['stock Strawberry', w.store].url}/graphql" if w.misses else None
        answer, problems[w.key] = capture(w, f"{servers[target, w.store].url}/graphql", stock_url)
        if answer is not None:
            answers[w.key] = answer
    if not answers:
        raise SystemExit(f"bench: no workload answered cleanly: {dict(problems)}")
    return answers


def _targets(workload: Workload) -> list[str]:
    return ["recapql (cache off)", "limit", "stock Strawberry"] if workload.misses else ["recapql", "limit"]


def _answers_file(folder: Path, answers: dict[str, Answer]) -> Path:
    listed = {"health": {"body": base64.b64encode(b"ok").decode(), "content_type": "text/plain"}}
    for key, answer in answers.items():
        listed[key] = {"body": base64.b64encode(answer.body).decode(), "content_type": answer.content_type}
    path = folder / "answers.json"
    path.write_text(json.dumps(listed), encoding="utf-8")
    return path


def _median(runs: list[LoadResult]) -> dict[str, Any]:
    return {
        "requests_per_second": round(statistics.median(r.requests_per_second for r in runs), 1),
        "p50_ms": round(statistics.median(r.p50_ms for r in runs), 3),
        "p99_ms": round(statistics.median(r.p99_ms for r in runs), 3),
        "failures": sum(r.failures for r in runs),
        "runs": [r.as_dict() for r in runs],
    }


def _summary(
    w: Workload, samples: dict[tuple[str, str], list[LoadResult]], problems: dict[str, list[str]], in_process: float
) -> dict[str, Any]:
    row: dict[str, Any] = {"workload": w.name, "title": w.title, "store": w.store, "misses": w.misses}
    # Results files are compared by workload name; the digest says whether the requests were the same.
    digest = hashlib.sha256("\n".join(w.bodies).encode()).hexdigest()[:16]
    row |= {"bodies": len(w.bodies), "bodies_sha256": digest, "in_process_ms": in_process}
    for target in _targets(w):
        runs = samples.get((w.key, target))
        if runs:
            row[target] = _median(runs)
            if row[target]["failures"]:
                problems.setdefault(target, []).append(f"{row[target]['failures']} failed requests (non-2xx/socket)")
    row["problems"] = {target: found for target, found in problems.items() if found}
    mine, limit, theirs = row.get(report.ours(row)), row.get("limit"), row.get("stock Strawberry")
    if mine and limit:
        row["vs_limit"] = round(mine["requests_per_second"] / limit["requests_per_second"], 3)
        row["p99_vs_limit"] = round(mine["p99_ms"] / limit["p99_ms"], 3)
    if mine and theirs:
        row["vs_stock"] = round(mine["requests_per_second"] / theirs["requests_per_second"], 2)
    return row


def _workers(store: Path, folder: Path, kind: str, seconds: int, rounds: int) -> dict[str, Any]:
    """The repeated nested query on one worker and on two, interleaved, with wrk -t2 -c32."""
    pin: Pinning = workers_pinning()
    result: dict[str, Any] = {"note": pin.note, "load": "wrk -t2 -c32" if kind == "wrk" else "pyload -c32"}
    if not supports_workers():
        result["note"] = "skipped: this recapql has no `serve --workers`"
        return result
    body = (json.dumps({"query": NESTED}),)
    print(f"  workers: 1 and 2, nested query; {pin.note}", flush=True)
    runs: dict[str, list[LoadResult]] = defaultdict(list)
    with ExitStack() as stack:
        servers = {
            "1 worker": stack.enter_context(recapql(store, cache=True, logs=folder, cpu=pin.server)),
            "2 workers": stack.enter_context(recapql(store, cache=True, logs=folder, cpu=pin.server, workers=2)),
        }
        for name, server in servers.items():
            problem = post(f"{server.url}/graphql", body[0]).problem()
            if problem is not None:
                result["note"] += f"; {name} FAILED: {problem}"
                return result

        def measure(server: Server, run_seconds: int) -> LoadResult:
            url = f"{server.url}/graphql"
            return run_load(kind, url, body, seconds=run_seconds, connections=32, threads=2, cpu=pin.load)

        for server in servers.values():
            measure(server, 1)
        for round_number in range(rounds):
            for name in sorted(servers, reverse=round_number % 2 == 1):
                runs[name].append(measure(servers[name], seconds))
        result["rss_mb"] = {name: server.rss_mb() for name, server in servers.items()}
    return result | {name: _median(measured) for name, measured in runs.items()}


if __name__ == "__main__":
    main()
