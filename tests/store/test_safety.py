"""The store never loses data: broken files are refused in one line, seeds are atomic, servers only read."""

from __future__ import annotations

import ast
import dataclasses
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from recapql.seeding import seed_store
from seed import DEFAULT_SEED
from seed.recap_format.reader import read_recap
from seed.recap_format.writer import write_recap
from seed.synthetic import synthetic_dataset
from store import Store, StoreError, write_dataset
from tests.support.live_server import clean_environment, free_port, live_server, stop, wait_until_answers

RECAP_CITY = "{ recap { city } }"
REBUILD = "run `recapql seed` to rebuild it"


def _edit(change: Callable[[dict[str, Any]], object], reason: str) -> Callable[[Path], str]:
    """Break a store by changing its JSON; `reason` may name `{version}`, the store's own."""

    def breaking(path: Path) -> str:
        document = json.loads(path.read_text(encoding="utf-8"))
        version = document["meta"]["1"]["version"]
        change(document)
        path.write_text(json.dumps(document), encoding="utf-8")
        return reason.format(version=version)

    return breaking


def _write(data: bytes, reason: str) -> Callable[[Path], str]:
    def breaking(path: Path) -> str:
        path.write_bytes(data)
        return reason

    return breaking


def _first(document: dict[str, Any], table: str = "sessions") -> Any:
    """The first record of a table (TinyDB keys records by their id)."""
    return document[table][next(iter(document[table]))]


def _cut_in_a_string(path: Path) -> str:
    data = path.read_bytes()
    cut = data[: data.index(b'"lightning-talks"') + 5]
    path.write_bytes(cut)
    column = len(cut.decode("utf-8")) + 1
    return f"not valid JSON (truncated: it stops at line 1 column {column}, in the middle of the data); {REBUILD}"


def _cut_in_half(path: Path) -> str:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return "not valid JSON (truncated: it stops …"  # where exactly depends on the seed's text


def _cut_in_a_character(path: Path) -> str:
    data = path.read_bytes()
    start = next(index for index, byte in enumerate(data) if byte >= 0xC0)  # a character of several bytes
    path.write_bytes(data[: start + 1])
    return f"not valid JSON (truncated: it stops in the middle of a character at byte {start}); {REBUILD}"


def _seed_file(path: Path) -> str:
    path.write_bytes(DEFAULT_SEED.read_bytes())
    return "not a recapql store but a recap file; import it with `recapql import`"


def _broken_reference(path: Path) -> str:
    # Written by the store's own writer, so its hash matches: only the integrity rules speak.
    dataset = read_recap(DEFAULT_SEED).dataset
    broken = dataclasses.replace(dataset.sessions[0], projects=("nothing",))
    write_dataset(path, dataclasses.replace(dataset, sessions=(broken, *dataset.sessions[1:])))
    return "session 'lightning-talks' field 'projects': unknown project 'nothing'"


def _folder(path: Path) -> str:
    path.unlink()
    path.mkdir()
    return "is a folder, not a store file"


def _pipe(path: Path) -> str:
    path.unlink()
    os.mkfifo(path)
    return "is not a regular file (a device, pipe or socket)"


_MISTYPED = "table 'sessions', record 'lightning-talks': field '{field}': expected a non-empty string, got a number"
# Each way a store file can be broken, and the reason `recapql` gives, after "<path>: ".
BROKEN: dict[str, Callable[[Path], str]] = {
    "empty": _write(b"", f"the store file is empty; {REBUILD}"),
    "white space": _write(b" \n\n", f"not valid JSON (only white space); {REBUILD}"),
    "cut in a string": _cut_in_a_string,
    "cut in half": _cut_in_half,
    "cut in a character": _cut_in_a_character,
    "binary": _write(bytes(range(256)) * 8, f"not valid JSON (byte 128 is not UTF-8: binary data?); {REBUILD}"),
    "zero bytes": _write(bytes(4096), f"not valid JSON (only zero bytes: damaged, perhaps by a crash); {REBUILD}"),
    "not JSON": _write(b"store = {}", f"not valid JSON (Expecting value at line 1 column 1); {REBUILD}"),
    "nested too deeply": _write(b"[" * 100_000, "not a recapql store: its JSON is nested too deeply to read"),
    "a list": _write(b"[]", "not a recapql store: the JSON is a list, not an object of tables"),
    "an object without tables": _write(b"{}", "not a recapql store: it has no 'meta' table"),
    "a seed file": _seed_file,
    "two meta records": _edit(
        lambda document: document["meta"].update({"2": {}}),
        f"table 'meta' must hold one object, the store's format and version; {REBUILD}",
    ),
    "another format": _edit(
        lambda document: _first(document, "meta").update(format=2),
        f"store format 2, but this recapql reads format 3; {REBUILD}",
    ),
    "no version": _edit(
        lambda document: _first(document, "meta").pop("version"),
        f"table 'meta' does not give the store version; {REBUILD}",
    ),
    "another version": _edit(
        lambda document: _first(document, "meta").update(version="0123456789abcdef"),
        f"the content does not match its version 0123456789abcdef (edited or damaged); {REBUILD}",
    ),
    "a missing table": _edit(lambda document: document.pop("projects"), f"table 'projects' is missing; {REBUILD}"),
    "an unknown table": _edit(lambda document: document.update(notes={}), f"unknown table 'notes'; {REBUILD}"),
    "a table that is a list": _edit(
        lambda document: document.update(days=[]), f"table 'days' is a list, not an object of records; {REBUILD}"
    ),
    "a record id that is not a number": _edit(
        lambda document: document["days"].update(first={}),
        f"table 'days': record id 'first' is not a number; {REBUILD}",
    ),
    "a record that is not an object": _edit(
        lambda document: document["sessions"].update({"3": "a session"}),
        "table 'sessions', record #3: expected an object, got a string",
    ),
    "one recap twice": _edit(
        lambda document: document["recap"].update({"2": _first(document, "recap")}),
        f"table 'recap' holds the recap 'kubecon-eu-2018' twice; {REBUILD}",
    ),
    "no recap": _edit(lambda document: document["recap"].clear(), f"table 'recap' holds no recap; {REBUILD}"),
    "a record of no recap": _edit(
        lambda document: _first(document).update(recap="elsewhere"),
        f"table 'sessions', record #1: unknown recap 'elsewhere'; {REBUILD}",
    ),
    "a missing field": _edit(
        lambda document: _first(document).pop("title"),
        "table 'sessions', record 'lightning-talks': field 'title': is required",
    ),
    "a mistyped field": _edit(lambda document: _first(document).update(title=5), _MISTYPED.format(field="title")),
    "a mistyped list item": _edit(
        lambda document: _first(document).update(topics=["fine", 3]), _MISTYPED.format(field="topics[1]")
    ),
    "an unknown field": _edit(
        lambda document: _first(document).update(colour="red"),
        "table 'sessions', record 'lightning-talks': field 'colour': is not a known field",
    ),
    "an edited record": _edit(
        lambda document: _first(document).update(title="Edited by hand"),
        f"the content does not match its version {{version}} (edited or damaged); {REBUILD}",
    ),
    "a broken reference": _broken_reference,
    "a folder": _folder,
    "a named pipe": _pipe,
}


def _expect(line: str, prefix: str, reason: str) -> None:
    if reason.endswith("…"):
        assert line.startswith(prefix + reason.removesuffix("…"))
    else:
        assert line == prefix + reason


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_store_is_refused_with_what_is_wrong(store_copy: Path, case: str) -> None:
    reason = BROKEN[case](store_copy)
    with pytest.raises(StoreError) as caught:
        Store.open(store_copy)
    _expect(str(caught.value), f"{store_copy}: ", reason)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "case", ["empty", "cut in half", "binary", "a list", "another format", "a mistyped field", "a folder"]
)
@pytest.mark.slow
def test_serve_refuses_a_broken_store_in_one_line(store_copy: Path, case: str) -> None:
    reason = BROKEN[case](store_copy)
    result = subprocess.run(
        [sys.executable, "-m", "recapql", "serve", "--port", str(free_port())],
        capture_output=True,
        text=True,
        env=clean_environment(RECAPQL_STORE=str(store_copy)),
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.endswith("\n")
    assert result.stderr.count("\n") == 1
    _expect(result.stderr.removesuffix("\n"), f"recapql: error: {store_copy}: ", reason)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its permissions say")
def test_an_unreadable_store_is_refused(store_copy: Path) -> None:
    store_copy.chmod(0)
    with pytest.raises(StoreError) as caught:
        Store.open(store_copy)
    assert str(caught.value) == f"{store_copy}: cannot read the store: Permission denied"


def test_a_store_that_cannot_be_opened_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        Store.open(tmp_path / "missing.json")
    assert str(caught.value) == f"{tmp_path / 'missing.json'}: no store file here; run `recapql seed` to create it"
    assert list(tmp_path.iterdir()) == []


@dataclass(frozen=True)
class Large:
    """A generated seed of 5,000 sessions and 1,000 projects (~4.6 MB), a store built from it, its version."""

    seed: Path
    store: Path
    version: str


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Large, Large]:
    """Two different large seeds."""
    folder = tmp_path_factory.mktemp("large")
    made = []
    for rng_seed in (1, 2):
        seed, store = folder / f"seed-{rng_seed}.md", folder / f"store-{rng_seed}.json"
        seed.write_text(write_recap(synthetic_dataset(5_000, 1_000, rng_seed=rng_seed)), encoding="utf-8")
        made.append(Large(seed, store, seed_store(seed, store)))
    return made[0], made[1]


def _seed(seed: Path, store: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "recapql", "seed", "--seed", str(seed), "--store", str(store)],
        env=clean_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _kill_when(process: subprocess.Popen[str], ready: Callable[[], bool]) -> int:
    """SIGKILL `process` as soon as `ready()`; its exit status (-9 when it was still running)."""
    deadline = time.monotonic() + 60
    while not ready() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.0002)  # creating, writing and renaming the new store are milliseconds apart
    process.send_signal(signal.SIGKILL)
    return process.wait(timeout=60)


def _temporaries(store: Path) -> list[Path]:
    return sorted(store.parent.glob(f".{store.name}.*.tmp"))


@pytest.mark.slow
def test_killing_a_seed_at_any_moment_leaves_the_old_or_the_new_store(
    large: tuple[Large, Large], tmp_path: Path
) -> None:
    old, new = large
    store = tmp_path / "store.json"
    shutil.copyfile(old.store, store)
    full_size = store.stat().st_size  # the new store is as large, give or take a few bytes

    def written(process: subprocess.Popen[str]) -> int:
        """Bytes in this seed's own temporary file (-1 while it has none)."""
        try:
            return store.with_name(f".{store.name}.{process.pid}.tmp").stat().st_size
        except FileNotFoundError:
            return -1

    moments: dict[str, Callable[[subprocess.Popen[str], int], bool]] = {
        "starting": lambda process, inode: True,
        "temporary file created": lambda process, inode: written(process) >= 0,
        "writing": lambda process, inode: written(process) > 0,
        "half written": lambda process, inode: written(process) >= full_size // 2,
        # stat() never fails here: the store is replaced, never missing.
        "renamed": lambda process, inode: store.stat().st_ino != inode,
    }
    left_behind, replaced = 0, False
    for name, moment in moments.items():
        before, inode = store.read_bytes(), store.stat().st_ino
        process = _seed(new.seed, store)
        status = _kill_when(process, functools.partial(moment, process, inode))
        if name != "renamed":  # after the rename it may just have finished
            assert status == -signal.SIGKILL, f"the seed ended before '{name}'"
        if store.stat().st_ino == inode:  # not replaced: untouched, to the byte
            assert store.read_bytes() == before, f"killed at '{name}'"
        else:  # replaced: by the whole new store, which opens
            assert Store.open(store).version == new.version, f"killed at '{name}'"
            replaced = True
        left_behind += written(process) >= 0
        # A seed clears the temporary files of seeds that died before it: only this one's is here.
        assert len(_temporaries(store)) <= 1
    assert replaced  # the last seed got as far as the rename
    assert left_behind >= 1  # at least one kill came between creating the new store and renaming it
    assert _temporaries(store) == []  # the last seed cleared what the killed ones left


@pytest.mark.slow
def test_two_seeds_at_once_leave_one_whole_store(large: tuple[Large, Large], tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    seeds = [_seed(each.seed, store) for each in large]
    assert [process.wait(timeout=60) for process in seeds] == [0, 0]
    assert Store.open(store).version in {each.version for each in large}
    assert _temporaries(store) == []


# Runs `recapql serve` with an audit hook that logs every open(), rename, removal and other change
# of a path in AUDIT_FOLDER (PEP 578 events: what the interpreter really did, not what we think).
_AUDITED_SERVE = """
import os, runpy, sys
log = open(os.environ["AUDIT_LOG"], "a", buffering=1)
folder = os.environ["AUDIT_FOLDER"]
changes = ("os.rename", "os.remove", "os.rmdir", "os.truncate", "os.utime", "os.chmod", "os.chown", "os.link",
           "os.symlink", "os.mkdir", "shutil.copyfile", "shutil.move")
def audit(event, arguments):
    if event == "open" or event in changes:
        paths = [os.fsdecode(a) for a in arguments if isinstance(a, (str, bytes, os.PathLike))]
        if any(path.startswith(folder) for path in paths):
            plain = [os.fsdecode(a) if isinstance(a, os.PathLike) else a for a in arguments]
            log.write(repr((event, *plain)) + "\\n")
sys.addaudithook(audit)
sys.argv[0] = "recapql"
runpy.run_module("recapql", run_name="__main__")
"""


@contextmanager
def _audited_server(store: Path, audit_log: Path) -> Iterator[str]:
    port = free_port()
    environment = clean_environment(
        RECAPQL_STORE=str(store),
        RECAPQL_LOG_LEVEL="warning",
        AUDIT_LOG=str(audit_log),
        AUDIT_FOLDER=str(store.parent),
    )
    command = [sys.executable, "-c", _AUDITED_SERVE, "serve", "--host", "127.0.0.1", "--port", str(port)]
    with subprocess.Popen(
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            wait_until_answers(f"http://127.0.0.1:{port}/healthz", process)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(process)


def _post(url: str, query: str) -> Any:
    request = urllib.request.Request(
        f"{url}/graphql", data=json.dumps({"query": query}).encode(), headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


@pytest.mark.slow
def test_a_server_opens_the_store_read_only_and_never_changes_it(store_path: Path, tmp_path: Path) -> None:
    store = tmp_path / "stores" / "store.json"
    store.parent.mkdir()
    store.write_bytes(store_path.read_bytes())
    before = (store.read_bytes(), store.stat().st_mtime_ns, store.stat().st_ino)
    audit_log = tmp_path / "audit.log"
    with _audited_server(store, audit_log) as url:
        for _ in range(20):
            assert _post(url, RECAP_CITY)["data"] == {"recap": {"city": "Copenhagen"}}
    assert (store.read_bytes(), store.stat().st_mtime_ns, store.stat().st_ino) == before
    assert list(store.parent.iterdir()) == [store]
    events = [ast.literal_eval(line) for line in audit_log.read_text(encoding="utf-8").splitlines()]
    assert any(event[:3] == ("open", str(store), "r") for event in events)  # the hook saw the store read
    # open(path, mode, flags): every one read-only; no rename, removal or other change at all.
    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    assert all(event[0] == "open" and not event[3] & writing for event in events), events


@pytest.mark.slow
def test_two_servers_share_one_store_file_and_a_reseed_reaches_only_new_ones(store_copy: Path, tmp_path: Path) -> None:
    synthetic = tmp_path / "synthetic.md"
    synthetic.write_text(write_recap(synthetic_dataset(40, 8)), encoding="utf-8")
    environment = {"RECAPQL_STORE": str(store_copy)}
    with live_server(env=environment) as first, live_server(env=environment) as second:
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda index: _post((first, second)[index % 2].url, RECAP_CITY), range(40)))
        assert all(answer["data"] == {"recap": {"city": "Copenhagen"}} for answer in answers)
        assert _seed(synthetic, store_copy).wait(timeout=60) == 0
        # Both keep answering from the version they loaded; a new server loads the new one.
        assert _post(first.url, RECAP_CITY)["data"] == {"recap": {"city": "Copenhagen"}}
        assert _post(second.url, RECAP_CITY)["data"] == {"recap": {"city": "Copenhagen"}}
        with live_server(env=environment) as third:
            assert _post(third.url, RECAP_CITY)["data"] == {"recap": {"city": "Nowhere"}}


def test_a_seed_refuses_to_replace_a_folder(tmp_path: Path) -> None:
    (tmp_path / "store.json").mkdir()
    with pytest.raises(StoreError) as caught:
        seed_store(DEFAULT_SEED, tmp_path / "store.json")
    assert str(caught.value) == f"{tmp_path / 'store.json'}: is a folder, not a store file"
    assert [path.name for path in tmp_path.iterdir()] == ["store.json"]
