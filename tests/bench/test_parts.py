"""Parts of ./bench/run: the peers (bench/peers/) pinned exactly and run where their schema answers,
the workload keys `--only` matches, and the table's columns.

from tests.support.repository import ROOT
No process starts here: these read the package files and call the bench's own functions.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from types import ModuleType
from typing import Any

import pytest

from store import Store
from tests.support.repository import ROOT

BENCH = ROOT / "bench"
PEERS = BENCH / "peers"


def _bench(name: str) -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    return importlib.import_module(name)


def test_every_peer_package_is_pinned_exactly_and_locked_at_that_version() -> None:
    wanted = json.loads((PEERS / "package.json").read_text(encoding="utf-8"))["dependencies"]
    lock = json.loads((PEERS / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    assert set(wanted) == {"@apollo/server", "graphql-yoga", "@graphql-yoga/plugin-response-cache", "graphql"}
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version in wanted.values()), wanted
    assert lock[""]["dependencies"] == wanted  # the lock was made from this package.json
    assert {name: lock[f"node_modules/{name}"]["version"] for name in wanted} == wanted
    assert (wanted["@apollo/server"].split(".")[0], wanted["graphql-yoga"].split(".")[0]) == ("5", "5")


def test_node_modules_is_never_committed() -> None:
    ignored = (BENCH.parent / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/bench/peers/node_modules/" in ignored


@pytest.mark.parametrize(
    ("peer", "workload", "store", "misses", "runs"),
    [
        ("Apollo", "nested", "small", False, True),
        ("Yoga + cache", "lookup", "small", False, True),
        ("Yoga", "lookup miss", "small", True, True),
        ("Yoga + cache", "lookup miss", "small", True, False),  # its cache would answer the repeated bodies
        ("Apollo", "lookup", "large", False, False),
        ("Yoga", "search", "small", False, False),  # no search in the peers' schema
    ],
)
def test_the_peers_run_only_what_their_schema_answers(
    peer: str, workload: str, store: str, misses: bool, runs: bool
) -> None:
    peers = _bench("peer_servers")
    [one] = [candidate for candidate in peers.PEERS if candidate.name == peer]
    assert peers.serves(one, workload, store, misses=misses) is runs


@pytest.mark.parametrize("nested", [True, False])
def test_the_workload_keys_are_known_without_building_the_workloads(store: Store, nested: bool) -> None:
    workloads = _bench("workloads")
    built = [workload.key for workload in workloads.workloads("small", store, nested=nested)]
    assert workloads.keys("small", nested=nested) == built


def _figures(rate: float, p99: float = 5.0) -> dict[str, Any]:
    return {"requests_per_second": rate, "p50_ms": 1.0, "p99_ms": p99, "failures": 0, "runs": []}


def test_the_table_shows_recapql_against_the_limit_of_its_stack_and_each_peer() -> None:
    report = _bench("report")
    row = {
        "title": "session(slug:) (small)", "misses": False, "in_process_ms": 0.2, "problems": {},
        "limit_target": "limit httptools+uvloop", "vs_limit": 0.5, "recapql": _figures(3000),
        "limit httptools+uvloop": _figures(6000), "limit h11+asyncio": _figures(2500),
        "Apollo": _figures(1500, 20.0), "Yoga": _figures(2000), "Yoga + cache": _figures(2400),
        "vs": {"limit h11+asyncio": 1.2, "Apollo": 2.0, "Yoga": 1.5, "Yoga + cache": 1.25},
    }  # fmt: skip
    table = report.table({"settings": {"recapql_stack": "httptools+uvloop"}, "workloads": [row]})
    header, _, line = table.splitlines()
    cells = dict(zip(header.strip("| ").split(" | "), line.strip("| ").split(" | "), strict=True))
    assert (cells["req/s"], cells["limit req/s"], cells["vs limit"]) == ("3,000", "6,000", "0.50x")
    assert (cells["h11 limit req/s"], cells["Apollo p99"], cells["vs Apollo"]) == ("2,500", "20.00", "2.00x")
    assert (cells["vs Yoga"], cells["vs Yoga + cache"], cells["stock req/s"], cells["status"]) == (
        "1.50x", "1.25x", "", "ok"
    )  # fmt: skip
