"""The peers: Apollo Server and GraphQL Yoga (with and without its response cache) on Node.js.

They run from bench/peers/ (`server.mjs`, a package.json and the package-lock.json that pins
every package), installed with `npm ci` when node_modules is missing or was installed from
another lock file. Their data is recapql's: `build_data` asks the running recapql for every
day of every recap with its sessions and their projects (the fields the workloads ask for),
and writes the JSON file the peers load, so they follow the recaps as those change. They only
serve the workloads their schema has (`WORKLOADS`), on the small store.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from answers import post
from servers import Server, running

FOLDER = Path(__file__).resolve().parent / "peers"
LOCK = FOLDER / "package-lock.json"
MODULES = FOLDER / "node_modules"
STAMP = MODULES / ".recapql-bench-lock.sha256"  # the lock file node_modules was installed from
# The workloads the peers' schema answers (bench/peers/server.mjs), by workload name, on the small store.
WORKLOADS = frozenset({"nested", "nested executed", "lookup", "lookup miss"})
STORE = "small"
# V8 optimises a function only after it has run hot for a while: the first seconds under load
# run slower code. Each peer gets this long under load before anything is measured.
WARM_UP_SECONDS = 15
# Everything the peers serve, as recapql answers it; `recap { slug }` is the recap `session(slug:)` reads.
DATA_QUERY = (
    "query PeerData { recap { slug } days { recap { slug } date title "
    "sessions { slug title summary takeaways projects { slug name } } } }"
)


@dataclass(frozen=True)
class Peer:
    """One peer: its name in the table, the `server.mjs` argument, and whether it caches responses."""

    name: str
    kind: str
    caches: bool


PEERS = (Peer("Apollo", "apollo", caches=False), Peer("Yoga", "yoga", caches=False),
         Peer("Yoga + cache", "yoga-cache", caches=True))  # fmt: skip


def serves(peer: Peer, workload_name: str, store: str, *, misses: bool) -> bool:
    """Whether `peer` runs this workload. A caching peer is left out of the miss workloads: its
    cache would answer their repeated bodies from memory where recapql's cache is off."""
    return workload_name in WORKLOADS and store == STORE and not (misses and peer.caches)


def node_version() -> str | None:
    """`node --version`, or None when Node.js or npm is not installed (the peers are skipped)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return None
    found = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False)
    return found.stdout.strip() or None


def installed() -> str | None:
    """Run `npm ci` when node_modules is missing or stale; None when it is ready, else what went wrong."""
    wanted = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if STAMP.is_file() and STAMP.read_text(encoding="utf-8").strip() == wanted:
        return None
    print("  peers: npm ci in bench/peers (node_modules missing or from another package-lock.json)", flush=True)
    done = subprocess.run(
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], cwd=FOLDER,
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    if done.returncode != 0:
        return f"npm ci failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-600:]}"
    STAMP.write_text(wanted + "\n", encoding="utf-8")
    return None


def versions() -> dict[str, str]:
    """The exact versions of the packages the peers run (from the lock file)."""
    packages = json.loads(LOCK.read_text(encoding="utf-8"))["packages"]
    names = ("@apollo/server", "graphql-yoga", "@graphql-yoga/plugin-response-cache", "graphql")
    return {name: packages[f"node_modules/{name}"]["version"] for name in names}


def build_data(recapql_url: str, path: Path) -> Path:
    """Ask recapql (at `recapql_url`) for the peers' data and write it to `path`, in the peers' shape."""
    answer = post(f"{recapql_url}/graphql", json.dumps({"query": DATA_QUERY}))
    problem = answer.problem()
    if problem is not None:
        raise RuntimeError(f"recapql did not answer the peers' data query: {problem}")
    data = answer.data
    days = [{"recap": day.pop("recap")["slug"], **day} for day in data["days"]]
    path.write_text(json.dumps({"defaultRecap": data["recap"]["slug"], "days": days}), encoding="utf-8")
    return path


def peer(one: Peer, data: Path, *, logs: Path, cpu: str | None) -> AbstractContextManager[Server]:
    """`node server.mjs <kind>` over `data`, as in production (NODE_ENV=production)."""
    command = ["node", str(FOLDER / "server.mjs"), one.kind, "{port}", str(data)]
    if one.kind == "apollo":  # Apollo's CSRF prevention refuses a GET without this header
        health, headers = "/graphql?query=%7B__typename%7D", {"apollo-require-preflight": "true"}
    else:
        health, headers = "/health", {}
    return running(one.name, command, {"NODE_ENV": "production"}, health, logs=logs, cpu=cpu, health_headers=headers)
