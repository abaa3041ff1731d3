"""The store never loses data: broken files are refused in one line, seeds are atomic, servers only read."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from live_server import clean_environment, free_port, live_server

from seed.synthetic import synthetic_document
from store import Store, StoreError
from store.database import read_dataset

RECAP_CITY = "{ recap { city } }"


def _serve_refusal(store: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "recapql", "serve", "--port", str(free_port())],
        capture_output=True,
        text=True,
        env=clean_environment(RECAPQL_STORE=str(store)),
        timeout=60,
        check=False,
    )


def _edit(store: Path, change: Callable[[dict[str, Any]], None]) -> None:
    document = json.loads(store.read_text(encoding="utf-8"))
    change(document)
    store.write_text(json.dumps(document), encoding="utf-8")


def _first_session(document: dict[str, Any]) -> dict[str, Any]:
    return dict(next(iter(document["sessions"].values())))


def _retitle(document: dict[str, Any], title: object) -> None:
    next(iter(document["sessions"].values()))["title"] = title


BROKEN: dict[str, tuple[Callable[[Path], None], str]] = {
    "empty": (lambda path: path.write_bytes(b""), "the store file is empty; run `recapql seed` to rebuild it"),
    "truncated": (
        lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
        "not valid JSON (",
    ),
    "binary": (lambda path: path.write_bytes(bytes(range(256)) * 8), "not valid JSON ("),
    "a list": (lambda path: path.write_text("[]"), "not a recapql store (unexpected JSON shape)"),
    "no tables": (lambda path: path.write_text("{}"), "not a recapql store of format 1; run `recapql seed`"),
    "another format": (
        lambda path: _edit(path, lambda document: document["meta"]["1"].update(format=2)),
        "not a recapql store of format 1; run `recapql seed`",
    ),
    "a mistyped field": (
        lambda path: _edit(path, lambda document: _retitle(document, 5)),
        "table 'sessions', record 'lightning-talks': field 'title': expected a non-empty string, got a number",
    ),
    "an edited record": (
        lambda path: _edit(path, lambda document: _retitle(document, "Edited by hand")),
        "the content does not match its version",
    ),
    "a folder": (lambda path: (path.unlink(), path.mkdir()), "is a folder, not a store file"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_serve_refuses_a_broken_store_in_one_line(store_copy: Path, case: str) -> None:
    breaking, reason = BROKEN[case]
    breaking(store_copy)
    result = _serve_refusal(store_copy)
    assert result.returncode == 1
    assert result.stderr.startswith(f"recapql: error: {store_copy}: {reason}")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def large_seeds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two different generated seeds of 5,000 sessions (~4.6 MB each)."""
    folder = tmp_path_factory.mktemp("large")
    paths = []
    for rng_seed in (1, 2):
        path = folder / f"seed-{rng_seed}.json"
        path.write_text(json.dumps(synthetic_document(5_000, 1_000, rng_seed=rng_seed)), encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


def _seed(seed: Path, store: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "recapql", "seed", "--seed", str(seed), "--store", str(store)],
        env=clean_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _kill_when(process: subprocess.Popen[str], ready: Callable[[subprocess.Popen[str]], bool]) -> int:
    """SIGKILL `process` once `ready(process)`; its exit status (-9 when it was still running)."""
    deadline = time.monotonic() + 60
    while not ready(process) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.0005)
    process.send_signal(signal.SIGKILL)
    return process.wait()


def test_killing_a_seed_at_any_moment_leaves_the_old_or_the_new_store(
    large_seeds: tuple[Path, Path], tmp_path: Path
) -> None:
    old_seed, new_seed = large_seeds
    store = tmp_path / "store.json"
    assert _seed(old_seed, store).wait(timeout=120) == 0
    _, old_version = read_dataset(store)
    assert _seed(new_seed, tmp_path / "reference.json").wait(timeout=120) == 0
    _, new_version = read_dataset(tmp_path / "reference.json")
    full_size = (tmp_path / "reference.json").stat().st_size

    def written(process: subprocess.Popen[str]) -> int:
        """Bytes in this seed's own temporary file (-1 while it has none)."""
        try:
            return store.with_name(f".{store.name}.{process.pid}.tmp").stat().st_size
        except FileNotFoundError:
            return -1

    moments: dict[str, Callable[[subprocess.Popen[str]], bool]] = {
        "starting": lambda process: True,
        "temporary file created": lambda process: written(process) >= 0,
        "writing": lambda process: written(process) > 0,
        "half written": lambda process: written(process) >= full_size // 2,
    }
    old_inode = store.stat().st_ino
    versions = set()
    for name, moment in moments.items():
        assert _kill_when(_seed(new_seed, store), moment) == -signal.SIGKILL, f"the seed ended before '{name}'"
        _, version = read_dataset(store)  # raises if the store were broken
        versions.add(version)
    assert versions == {old_version}  # every kill came before the rename
    # Each seed clears what earlier killed seeds left behind: only the last kill's file is here.
    assert len(list(tmp_path.glob(f".{store.name}.*.tmp"))) == 1
    # Killed as soon as the new store is in place (or not at all): the new store, whole, and
    # the abandoned temporary files cleared on the way.
    _kill_when(_seed(new_seed, store), lambda process: store.stat().st_ino != old_inode)
    assert read_dataset(store)[1] == new_version
    assert list(tmp_path.glob(f".{store.name}.*.tmp")) == []


def _post(url: str, query: str) -> Any:
    request = urllib.request.Request(
        f"{url}/graphql", data=json.dumps({"query": query}).encode(), headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def test_servers_never_write_the_store(store_copy: Path) -> None:
    before = (store_copy.read_bytes(), store_copy.stat().st_mtime_ns)
    with live_server(env={"RECAPQL_STORE": str(store_copy)}) as server:
        for _ in range(20):
            assert _post(server.url, RECAP_CITY) == {"data": {"recap": {"city": "Copenhagen"}}}
    assert (store_copy.read_bytes(), store_copy.stat().st_mtime_ns) == before


def test_two_servers_share_one_store_file_and_a_reseed_reaches_only_new_ones(
    store_copy: Path, large_seeds: tuple[Path, Path]
) -> None:
    environment = {"RECAPQL_STORE": str(store_copy)}
    with live_server(env=environment) as first, live_server(env=environment) as second:
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda index: _post((first, second)[index % 2].url, RECAP_CITY), range(40)))
        assert all(answer == {"data": {"recap": {"city": "Copenhagen"}}} for answer in answers)
        assert _seed(large_seeds[0], store_copy).wait(timeout=120) == 0
        # Both keep answering from the version they loaded; a new server loads the new one.
        assert _post(first.url, RECAP_CITY) == {"data": {"recap": {"city": "Copenhagen"}}}
        assert _post(second.url, RECAP_CITY) == {"data": {"recap": {"city": "Copenhagen"}}}
        with live_server(env=environment) as third:
            assert _post(third.url, RECAP_CITY) == {"data": {"recap": {"city": "Nowhere"}}}


def test_a_store_that_cannot_be_opened_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        Store.open(tmp_path / "missing.json")
    assert str(caught.value) == f"{tmp_path / 'missing.json'}: no store file here; run `recapql seed` to create it"
    assert list(tmp_path.iterdir()) == []
