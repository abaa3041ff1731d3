"""Reading and writing a dataset as a TinyDB JSON file.

A store is written whole, once, by `recapql seed`, and only ever read by servers.
Writing goes to a temporary file in the same folder that is renamed over the old
store, so a failed or killed write leaves the previous store exactly as it was.
Reading checks the file, its JSON, TinyDB's layout, our format, every record and
the content hash, and a `StoreError` names the first thing that is wrong.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import JSONStorage

from store.records import (
    Dataset,
    Day,
    Project,
    Recap,
    Recommendation,
    RecordError,
    Session,
    Topic,
    decode,
    encode,
    json_type,
)

# Bumped when the document layout changes, so an old store is refused, not misread.
STORE_FORMAT = 1

_META = "meta"
_TABLES: dict[str, type[Any]] = {
    "recap": Recap,
    "topics": Topic,
    "days": Day,
    "sessions": Session,
    "projects": Project,
    "recommendations": Recommendation,
}
_REBUILD = "run `recapql seed` to rebuild it"
# What can be left after the error position when JSON was cut off inside a number or a literal.
_CUT_SHORT = re.compile(r"^(?:[-+.eE0-9]*|t(?:r(?:ue?)?)?|f(?:a(?:l(?:se?)?)?)?|n(?:u(?:ll?)?)?)$")


class StoreError(Exception):
    """A store file cannot be used; the message names the file and what is wrong."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def dataset_version(dataset: Dataset) -> str:
    """A content hash: equal datasets give equal versions, whatever their origin."""
    return _version(_documents(dataset))


def write_dataset(path: Path, dataset: Dataset) -> str:
    """Write `dataset` to `path` atomically and return the store version."""
    if path.is_dir():
        raise StoreError(path, "is a folder, not a store file")
    version = dataset_version(dataset)
    # Same folder, hence same file system: rename(2) is only atomic within one. The pid keeps
    # concurrent seeds of one store apart; the last rename wins, and each store is whole.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise StoreError(path, f"cannot write the store: {path.parent} is not a folder") from None
        _remove_abandoned_temporaries(path)
        with contextlib.closing(_writer(temporary)) as db:
            db.table(_META).insert({"format": STORE_FORMAT, "version": version})
            for name, documents in _documents(dataset).items():
                db.table(name).insert_multiple(documents)
        # The data must be on disk before the rename makes it the store: after a power cut a
        # renamed but unsynced file can come back empty (ext4 with delalloc, XFS).
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        # os.replace is rename(2) on POSIX: readers see the old file or the new one, never a
        # mix, and a reader that already opened the old one finishes reading it. (On Windows it
        # is MoveFileEx, which fails rather than replace a file another process holds open.)
        temporary.replace(path)
    except OSError as error:
        raise StoreError(path, f"cannot write the store: {error.strerror or error}") from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
    _fsync_folder(path.parent)
    return version


def read_dataset(path: Path) -> tuple[Dataset, str]:
    """Read and check a store file; return its dataset and version."""
    document = _read_json(path)
    # No advice to rebuild a file that is not a store: it may be someone's other file.
    if not isinstance(document, dict):
        raise StoreError(path, f"not a recapql store: the JSON is {json_type(document)}, not an object of tables")
    if _META not in document and {"recap", "days"} <= document.keys():
        raise StoreError(path, "not a recapql store but a seed file; build a store from it with `recapql seed --seed`")
    if _META not in document:
        raise StoreError(path, f"not a recapql store: it has no '{_META}' table")
    version = _check_meta(path, _records(path, _META, document[_META]))
    for name in document:
        if name not in _TABLES and name != _META:
            raise StoreError(path, f"unknown table '{name}'; {_REBUILD}")
    tables: dict[str, list[Any]] = {}
    for name in _TABLES:
        if name not in document:
            raise StoreError(path, f"table '{name}' is missing; {_REBUILD}")
        tables[name] = _records(path, name, document[name])
    records = {
        name: tuple(_decode(path, name, record_type, record) for record in tables[name])
        for name, record_type in _TABLES.items()
    }
    if len(records["recap"]) != 1:
        raise StoreError(path, f"table 'recap' must hold one record, holds {len(records['recap'])}; {_REBUILD}")
    # Valid JSON of the right shape can still be a store edited by hand or damaged in a way
    # JSON does not show; the content hash written with it tells. Hashing the documents as read
    # gives what the writer hashed (JSON round-trips them) without encoding every record again.
    if _version({name: [document for _, document in table] for name, table in tables.items()}) != version:
        raise StoreError(path, f"the content does not match its version {version} (edited or damaged); {_REBUILD}")
    dataset = Dataset(
        recap=records["recap"][0],
        topics=records["topics"],
        days=records["days"],
        sessions=records["sessions"],
        projects=records["projects"],
        recommendations=records["recommendations"],
    )
    return dataset, version


def _read_json(path: Path) -> Any:
    """The file's JSON, read once; every way a file can fail to be JSON is a `StoreError`."""
    try:
        status = path.stat()
    except FileNotFoundError:
        raise StoreError(path, "no store file here; run `recapql seed` to create it") from None
    except OSError as error:
        raise StoreError(path, f"cannot read the store: {error.strerror or error}") from None
    if stat.S_ISDIR(status.st_mode):
        raise StoreError(path, "is a folder, not a store file")
    if not stat.S_ISREG(status.st_mode):  # reading a pipe or a device could block or never end
        raise StoreError(path, "is not a regular file (a device, pipe or socket)")
    if status.st_size == 0:
        raise StoreError(path, f"the store file is empty; {_REBUILD}")
    try:
        # Opened read-only ("r"): TinyDB creates or writes files only in its writing modes.
        storage = JSONStorage(str(path), access_mode="r", encoding="utf-8")
        try:
            return storage.read()
        finally:
            storage.close()
    except OSError as error:
        raise StoreError(path, f"cannot read the store: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data":  # cut inside a character that takes several bytes
            problem = f"truncated: it stops in the middle of a character at byte {error.start}"
        else:
            problem = f"byte {error.start} is not UTF-8: binary data?"
        raise StoreError(path, f"not valid JSON ({problem}); {_REBUILD}") from None
    except json.JSONDecodeError as error:
        raise StoreError(path, f"not valid JSON ({_json_problem(error)}); {_REBUILD}") from None
    except RecursionError:
        raise StoreError(path, "not a recapql store: its JSON is nested too deeply to read") from None


def _json_problem(error: json.JSONDecodeError) -> str:
    text = error.doc
    if not text.strip("\x00"):
        return "only zero bytes: damaged, perhaps by a crash"
    if not text.strip():
        return "only white space"
    rest = text[error.pos :].strip()
    if error.msg.startswith("Unterminated string") or (error.msg.startswith("Expecting") and _CUT_SHORT.match(rest)):
        end = len(text.rstrip())  # where the data stops: the error itself may point at an unclosed string
        line, column = text.count("\n", 0, end) + 1, end - text.rfind("\n", 0, end)
        return f"truncated: it stops at line {line} column {column}, in the middle of the data"
    return f"{error.msg} at line {error.lineno} column {error.colno}"


def _records(path: Path, table: str, documents: Any) -> list[tuple[int, Any]]:
    """A table's (id, document) pairs in id order: TinyDB's insertion order, our recap order."""
    if not isinstance(documents, dict):
        raise StoreError(path, f"table '{table}' is {json_type(documents)}, not an object of records; {_REBUILD}")
    records = []
    for key, document in documents.items():
        if not (key.isascii() and key.isdigit()):
            raise StoreError(path, f"table '{table}': record id {key!r} is not a number; {_REBUILD}")
        records.append((int(key), document))
    return sorted(records, key=lambda record: record[0])


def _check_meta(path: Path, meta: list[tuple[int, Any]]) -> str:
    """The store's version, once the meta record shows a store of our format."""
    if len(meta) != 1 or not isinstance(meta[0][1], dict):
        raise StoreError(path, f"table '{_META}' must hold one object, the store's format and version; {_REBUILD}")
    info = meta[0][1]
    if "format" not in info:
        raise StoreError(path, f"table '{_META}' does not give the store format; {_REBUILD}")
    if info["format"] != STORE_FORMAT or isinstance(info["format"], bool):
        written = json.dumps(info["format"])
        raise StoreError(path, f"store format {written}, but this recapql reads format {STORE_FORMAT}; {_REBUILD}")
    version = info.get("version")
    if not isinstance(version, str) or not version.strip():
        raise StoreError(path, f"table '{_META}' does not give the store version; {_REBUILD}")
    return version


def _decode(path: Path, table: str, record_type: type[Any], record: tuple[int, Any]) -> Any:
    number, document = record
    if not isinstance(document, Mapping):
        raise StoreError(path, f"table '{table}', record #{number}: expected an object, got {json_type(document)}")
    try:
        return decode(record_type, document)
    except RecordError as error:
        keys = [document.get(field) for field in ("slug", "name", "date")]
        key = next((f"'{key}'" for key in keys if isinstance(key, str) and key), f"#{number}")
        raise StoreError(path, f"table '{table}', record {key}: {error}") from None


def _documents(dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
    return {
        "recap": [encode(dataset.recap)],
        "topics": [encode(topic) for topic in dataset.topics],
        "days": [encode(day) for day in dataset.days],
        "sessions": [encode(session) for session in dataset.sessions],
        "projects": [encode(project) for project in dataset.projects],
        "recommendations": [encode(item) for item in dataset.recommendations],
    }


def _version(documents: Mapping[str, list[Any]]) -> str:
    canonical = json.dumps(documents, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _writer(path: Path) -> TinyDB:
    # The caching middleware turns many inserts into one write when the database closes.
    return TinyDB(
        path,
        storage=CachingMiddleware(JSONStorage),  # type: ignore[no-untyped-call]
        encoding="utf-8",
        ensure_ascii=False,
    )


def _remove_abandoned_temporaries(path: Path) -> None:
    """Delete temporary files of earlier writes whose process died (killed mid-write, say).

    Readers never look at them, so one left behind wastes only space until the next seed.
    A live seed's file is kept. Where pids do not identify processes (another container's
    pid namespace, another host on a network file system) a live seed's file may go: that
    seed then fails to rename it and says so, and the store stays as it was.
    """
    for temporary in path.parent.glob(f".{path.name}.*.tmp"):
        pid = temporary.name.removeprefix(f".{path.name}.").removesuffix(".tmp")
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                temporary.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def _fsync_folder(folder: Path) -> None:
    # The rename lives in the folder: until the folder is synced, a power cut can undo it
    # (POSIX leaves this to the application). Windows cannot open a folder; there, and on file
    # systems that refuse, the rename is still atomic, only not yet durable.
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
