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
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path
from typing import Any, NoReturn

import access_log_cost
import peer_servers
import report
from answers import Answer, capture, check_reference, post
from inprocess import execution_ms
from loadgen import LoadResult, describe, generator, run_load
from servers import (
    ROOT,
    STACKS,
    Pinning,
    Server,
    limit_name,
    pinning,
    recapql,
    reference,
    stack_of,
    stock,
    supports_workers,
    workers_pinning,
)
from stores import generate_large, seeded_store
from workloads import NESTED, Workload, keys, workloads

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
    parser.add_argument("--no-peers", action="store_true", help="skip Apollo Server and GraphQL Yoga (Node.js)")
    parser.add_argument(
        "--peer-warm-up", type=int, default=peer_servers.WARM_UP_SECONDS, metavar="SECONDS",
        help=f"seconds under load for each peer before it is measured (default {peer_servers.WARM_UP_SECONDS})",
    )  # fmt: skip
    parser.add_argument(
        "--access-log", action="store_true",
        help="only the access log's cost: in-process, and recapql under load at --log-level info and warning",
    )  # fmt: skip
    parser.add_argument(
        "--against", metavar="REV", help="with --access-log: also measure the access log of this git revision"
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
    settings |= {"only": options.only, "peers": not options.no_peers, "peer_warm_up_seconds": options.peer_warm_up}
    with tempfile.TemporaryDirectory(prefix="recapql-bench-") as folder:
        if options.access_log:
            results = access_log_run(Path(folder), settings, kind=generator(options.loadgen), against=options.against)
        else:
            results = run(Path(folder), settings, large=not options.no_large, kind=generator(options.loadgen))
    results["duration_s"] = round(time.monotonic() - started)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{datetime.datetime.now(datetime.UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if options.access_log:
        printed = report.access_log(results)
    else:
        printed = f"{report.table(results)}\n\n{report.details(results)}"
    print(f"\n{printed}\n\nresults: {path.relative_to(ROOT)}")
    print(f"took {results['duration_s'] // 60} min {results['duration_s'] % 60} s")
    if any(row["problems"] for row in results.get("workloads", [])):
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
    if settings["only"] is not None and not any(settings["only"] in key for key in keys("large", nested=False)):
        large = False  # no chosen workload runs on it: neither generated nor served
    paths = _stores(folder, large=large, notes=results["notes"])
    stores = {name: Store.open(path) for name, path in paths.items()}
    gc.collect()
    gc.freeze()  # as recapql does after loading: the stores' objects are never garbage
    results["stores"] = {
        name: {"sessions": store.sessions_count, "projects": store.projects_count,
               "store_file_mb": round(paths[name].stat().st_size / 1e6, 2)}
        for name, store in stores.items()
    }  # fmt: skip
    chosen = [w for name, store in stores.items() for w in workloads(name, store, nested=name == "small")]
    chosen = [w for w in chosen if settings["only"] is None or settings["only"] in w.key]
    if not chosen:
        raise SystemExit(f"bench: no workload key contains {settings['only']!r}")
    peers = _peers(chosen, settings, results)
    print(f"recapql benchmark: {len(chosen)} workloads, {rounds} round(s) of {seconds} s; {settings['load']}; "
          f"{pin.note}", flush=True)  # fmt: skip
    in_process = {w.key: execution_ms(w, stores[w.store], settings["in_process_calls"]) for w in chosen}
    del stores
    samples: dict[tuple[str, str], list[LoadResult]] = defaultdict(list)
    cpu_us: dict[tuple[str, str], list[float]] = defaultdict(list)  # the server's CPU time a request, a run
    problems: dict[str, dict[str, list[str]]] = defaultdict(dict)
    with ExitStack() as stack:
        servers: dict[tuple[str, str], Server] = {}
        for name, path in paths.items():
            servers["recapql", name] = stack.enter_context(recapql(path, cache=True, logs=folder, cpu=pin.server))
            servers["recapql (cache off)", name] = stack.enter_context(
                recapql(path, cache=False, logs=folder, cpu=pin.server)
            )
            servers["stock Strawberry", name] = stack.enter_context(stock(path, logs=folder, cpu=pin.server))
        if peers:
            data = peer_servers.build_data(servers["recapql", peer_servers.STORE].url, folder / "peer-data.json")
            for one in peers:
                servers[one.name, peer_servers.STORE] = stack.enter_context(
                    peer_servers.peer(one, data, logs=folder, cpu=pin.server)
                )
        targets = {w.key: _targets(w, peers) for w in chosen}
        answers = _check(chosen, servers, targets, peers, problems)
        settings["recapql_stack"] = _stack(servers["recapql", "small"], results["notes"])
        answers_file = _answers_file(folder, answers)
        for stack_name in STACKS:
            limit = stack.enter_context(reference(answers_file, stack=stack_name, logs=folder, cpu=pin.server))
            for w in chosen:
                if w.key in answers:
                    found = check_reference(f"{limit.url}/ref/{w.key}", w.bodies[0], answers[w.key])
                    problems[w.key] |= {limit_name(stack_name): found} if found else {}
            servers[limit_name(stack_name), "any"] = limit
        # A workload recapql cannot answer cleanly is not measured at all; a failing baseline is left out.
        plan = [(w, t) for w in chosen if w.key in answers for t in targets[w.key] if t not in problems[w.key]]

        def measure(w: Workload, target: str, run_seconds: int, bodies: tuple[str, ...] | None = None) -> LoadResult:
            server = servers[target, "any" if target.startswith("limit") else w.store]
            url = f"{server.url}/ref/{w.key}" if target.startswith("limit") else f"{server.url}/graphql"
            before = server.cpu_seconds()
            found = run_load(kind, url, bodies or w.bodies, seconds=run_seconds, cpu=pin.load)
            cpu_us[w.key, target].append((server.cpu_seconds() - before) / max(1, found.requests) * 1e6)
            return found

        for one in peers:  # V8 first: every body of every workload the peer runs, for a while
            mine = [w for w, target in plan if target == one.name]
            if mine and settings["peer_warm_up_seconds"] > 0:
                print(f"  warming up {one.name} for {settings['peer_warm_up_seconds']} s", flush=True)
                bodies = tuple(body for w in mine for body in w.bodies)
                measure(mine[0], one.name, settings["peer_warm_up_seconds"], bodies)
        for w, target in plan if settings["warm_up_seconds"] else ():  # every server warm on its workloads
            measure(w, target, settings["warm_up_seconds"])
        rss = {name: {"after_warm_up": servers["recapql", name].rss_mb()} for name in paths}
        cpu_us.clear()  # the rounds' runs only
        for round_number in range(rounds):
            for w in chosen:
                measured = [target for target in targets[w.key] if (w, target) in plan]
                shift = round_number % max(1, len(measured))  # alternate who goes first
                for target in measured[shift:] + measured[:shift]:
                    samples[w.key, target].append(measure(w, target, seconds))
                figures = ", ".join(f"{t} {samples[w.key, t][-1].requests_per_second:,.0f}/s" for t in measured)
                print(f"  round {round_number + 1}/{rounds}  {w.title}: {figures}", flush=True)
            results["machine"].setdefault("load_average_after_rounds", []).append(round(os.getloadavg()[0], 2))
        for name in paths:
            rss[name]["after_load"] = servers["recapql", name].rss_mb()
        if peers:
            results["peers"]["rss_mb_after_load"] = {
                one.name: servers[one.name, peer_servers.STORE].rss_mb() for one in peers
            }
    results["rss_mb"] = rss
    ship = limit_name(settings["recapql_stack"])
    results["workloads"] = [
        _summary(w, targets[w.key], ship, samples, cpu_us, problems[w.key], in_process[w.key]) for w in chosen
    ]
    if settings["only"] is None:
        results["workers"] = _workers(paths["small"], folder, kind, seconds, rounds)
    results["machine"]["load_average_before_after"] = [round(busy, 2), round(os.getloadavg()[0], 2)]
    return results


def _peers(chosen: list[Workload], settings: dict[str, Any], results: dict[str, Any]) -> list[peer_servers.Peer]:
    """The peers this run measures: those that serve one of the chosen workloads, when Node.js is here."""
    wanted = [
        one for one in peer_servers.PEERS
        if any(peer_servers.serves(one, w.name, w.store, misses=w.misses) for w in chosen)
    ]  # fmt: skip
    if not settings["peers"] or not wanted:
        return []
    node = peer_servers.node_version()
    if node is None:
        results["notes"].append("peers skipped: Node.js (node and npm) is not installed")
        return []
    problem = peer_servers.installed()
    if problem is not None:
        results["notes"].append(f"peers skipped: {problem}")
        return []
    results["peers"] = {"node": node, **peer_servers.versions(), "warm_up_seconds": settings["peer_warm_up_seconds"]}
    return wanted


def _stack(server: Server, notes: list[str]) -> str:
    """recapql's HTTP stack, as its process has it loaded; the limit on that stack is its limit."""
    found = stack_of(server)
    if found is None:
        notes.append("could not tell recapql's HTTP stack from its process: compared with the httptools+uvloop limit")
        return "httptools+uvloop"
    return found


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
    chosen: list[Workload], servers: dict[tuple[str, str], Server], targets: dict[str, list[str]],
    peers: list[peer_servers.Peer], problems: dict[str, dict[str, list[str]]],
) -> dict[str, Answer]:  # fmt: skip
    """recapql's answer to each workload that answers cleanly; what went wrong goes to `problems`."""
    answers: dict[str, Answer] = {}
    caching = frozenset(one.name for one in peers if one.caches)
    for w in chosen:
        target = "recapql (cache off)" if w.misses else "recapql"
        baselines = {
            name: f"{servers[name, w.store].url}/graphql" for name in targets[w.key]
            if not name.startswith(("recapql", "limit"))
        }  # fmt: skip
        answer, problems[w.key] = capture(w, f"{servers[target, w.store].url}/graphql", baselines, twice=caching)
        if answer is not None:
            answers[w.key] = answer
    if not answers:
        raise SystemExit(f"bench: no workload answered cleanly: {dict(problems)}")
    return answers


def _targets(workload: Workload, peers: list[peer_servers.Peer]) -> list[str]:
    """Who runs `workload`: recapql, the limit on every stack, stock Strawberry (misses), the peers that serve it."""
    found = ["recapql (cache off)" if workload.misses else "recapql", *(limit_name(stack) for stack in STACKS)]
    found += ["stock Strawberry"] if workload.misses else []
    found += [
        one.name for one in peers if peer_servers.serves(one, workload.name, workload.store, misses=workload.misses)
    ]
    return found


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
    w: Workload, targets: list[str], ship: str, samples: dict[tuple[str, str], list[LoadResult]],
    cpu_us: dict[tuple[str, str], list[float]], problems: dict[str, list[str]], in_process: float,
) -> dict[str, Any]:  # fmt: skip
    """One row: each target's medians, and recapql's ratios to the limit on its own stack and to the others."""
    row: dict[str, Any] = {"workload": w.name, "title": w.title, "store": w.store, "misses": w.misses}
    # Results files are compared by workload name; the digest says whether the requests were the same.
    digest = hashlib.sha256("\n".join(w.bodies).encode()).hexdigest()[:16]
    row |= {"bodies": len(w.bodies), "bodies_sha256": digest, "in_process_ms": in_process, "limit_target": ship}
    for target in targets:
        runs = samples.get((w.key, target))
        if runs:
            row[target] = _median(runs)
            if cpu_us.get((w.key, target)):
                row[target]["server_cpu_us"] = round(statistics.median(cpu_us[w.key, target]), 1)
            if row[target]["failures"]:
                problems.setdefault(target, []).append(f"{row[target]['failures']} failed requests (non-2xx/socket)")
    row["problems"] = {target: found for target, found in problems.items() if found}
    mine = row.get(report.ours(row))
    if not mine:
        return row
    if row.get(ship):
        row["vs_limit"] = round(mine["requests_per_second"] / row[ship]["requests_per_second"], 3)
        row["p99_vs_limit"] = round(mine["p99_ms"] / row[ship]["p99_ms"], 3)
    others = [target for target in targets[1:] if target != ship and row.get(target)]
    rate = mine["requests_per_second"]
    row["vs"] = {target: round(rate / row[target]["requests_per_second"], 3) for target in others}
    if "stock Strawberry" in row["vs"]:
        row["vs_stock"] = round(row["vs"]["stock Strawberry"], 2)
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


# Where the access log's line is the largest share of a request: answered from the response
# cache (nested, lookup), and a lookup that runs GraphQL (its cache off).
ACCESS_LOG_WORKLOADS = ("nested", "lookup", "lookup miss")


def access_log_run(folder: Path, settings: dict[str, Any], *, kind: str, against: str | None) -> dict[str, Any]:
    """The access log's cost: timed in-process, then `recapql serve` at `--log-level info` and `warning` under load.

    At info every request writes one JSON line to standard error (a file in the run's folder);
    at warning none. With `against`, also recapql at info with that revision's access log and
    formatters (a copy of this checkout's packages with those two files from git). Same store,
    same workloads; rounds interleave the servers, who goes first alternating.
    """
    pin = pinning()
    seconds, rounds = settings["seconds_per_run"], settings["rounds"]
    threads = ", 1 thread" if kind == "wrk" else ""
    settings |= {"load": f"{describe(kind)}{threads}, 16 connections", "pinning": pin.note, "against": against}
    results: dict[str, Any] = {"machine": report.machine(), "settings": settings, "notes": []}
    busy = os.getloadavg()[0]
    results["machine"]["cpu_busy_at_start"] = report.cpu_busy()
    requests = 5_000 if settings["quick"] else 20_000
    print(f"access log: in-process, {requests:,} requests a batch, 5 batches", flush=True)
    versions = {"working tree": access_log_cost.working_tree()}
    if against:
        versions = {against: access_log_cost.from_git(against), **versions}
    results["in_process_us"] = access_log_cost.measure(versions, requests=requests, batches=5)
    path = seeded_store(None, folder / "small.json")
    store = Store.open(path)
    chosen = [w for w in workloads("small", store, nested=True) if w.name in ACCESS_LOG_WORKLOADS]
    chosen = [w for w in chosen if settings["only"] is None or settings["only"] in w.key]
    # (name, log level, copy of the code or None for this checkout)
    variants: list[tuple[str, str, Path | None]] = [("warning", "warning", None), ("info", "info", None)]
    if against:
        variants.append((f"info {against}", "info", _with_access_log_of(against, folder / against.replace("/", "-"))))
    names = [name for name, _, _ in variants]
    samples: dict[tuple[str, str], list[LoadResult]] = defaultdict(list)
    print(f"access log: recapql as {', '.join(names)}; {rounds} round(s) of {seconds} s", flush=True)
    with ExitStack() as stack:
        servers = {
            (name, cache): stack.enter_context(
                recapql(path, cache=cache, logs=folder, cpu=pin.server, log_level=level, code=code)
            )
            for name, level, code in variants for cache in (True, False)
        }  # fmt: skip
        for w in chosen:
            for name in names:
                problem = post(f"{servers[name, not w.misses].url}/graphql", w.bodies[0]).problem()
                if problem is not None:
                    raise SystemExit(f"bench: recapql ({name}) does not answer {w.title}: {problem}")

        cpu_us: dict[tuple[str, str], list[float]] = defaultdict(list)

        def measure(w: Workload, name: str, run_seconds: int) -> LoadResult:
            server = servers[name, not w.misses]
            before = server.cpu_seconds()
            found = run_load(kind, f"{server.url}/graphql", w.bodies, seconds=run_seconds, cpu=pin.load)
            cpu_us[w.key, name].append((server.cpu_seconds() - before) / max(1, found.requests) * 1e6)
            return found

        for w in chosen if settings["warm_up_seconds"] else ():
            for name in names:
                measure(w, name, settings["warm_up_seconds"])
        cpu_us.clear()
        for round_number in range(rounds):
            for w in chosen:
                shift = round_number % len(names)
                for name in names[shift:] + names[:shift]:
                    samples[w.key, name].append(measure(w, name, seconds))
                figures = ", ".join(f"{name} {samples[w.key, name][-1].requests_per_second:,.0f}/s" for name in names)
                print(f"  round {round_number + 1}/{rounds}  {w.title}: {figures}", flush=True)
            results["machine"].setdefault("load_average_after_rounds", []).append(round(os.getloadavg()[0], 2))
        written = sum(
            1 for log in folder.glob("recapql*log-info*.log") for line in log.open(encoding="utf-8")
            if '"logger":"recapql.access"' in line
        )  # fmt: skip
    results["under_load"] = [
        {"workload": w.name, "title": w.title, "misses": w.misses,
         **{name: _median(samples[w.key, name]) | {"server_cpu_us": round(statistics.median(cpu_us[w.key, name]), 1)}
            for name in names}}
        for w in chosen
    ]  # fmt: skip
    results["access_lines_written"] = written
    results["machine"]["load_average_before_after"] = [round(busy, 2), round(os.getloadavg()[0], 2)]
    return results


def _with_access_log_of(revision: str, folder: Path) -> Path:
    """A copy of this checkout's packages in `folder`, with the access log and formatters of `revision`."""
    for package in ("recapql", "schema", "resolvers", "store", "seed"):
        shutil.copytree(ROOT / package, folder / package, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("access_log", "log_config"):
        source = subprocess.run(
            ["git", "show", f"{revision}:recapql/observability/{name}.py"], cwd=ROOT, capture_output=True, text=True,
            check=True,
        ).stdout  # fmt: skip
        (folder / "recapql" / "observability" / f"{name}.py").write_text(source, encoding="utf-8")
    return folder


if __name__ == "__main__":
    main()
