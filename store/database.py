"""Reading and writing a dataset as a TinyDB JSON file.

A store is written whole, once, by `recapql seed`, and only ever read by servers.
Writing goes to a temporary file in the same folder that is renamed over the old
store, so a failed or killed write leaves the previous store exactly as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
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


class StoreError(Exception):
    """A store file cannot be used; the message names the file and what is wrong."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def dataset_version(dataset: Dataset) -> str:
    """A content hash: equal datasets give equal versions, whatever their origin."""
    canonical = json.dumps(_documents(dataset), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def write_dataset(path: Path, dataset: Dataset) -> str:
    """Write `dataset` to `path` atomically and return the store version."""
    version = dataset_version(dataset)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned_temporaries(path)
        with _tinydb(temporary, writable=True) as db:
            db.table(_META).insert({"format": STORE_FORMAT, "version": version})
            for name, documents in _documents(dataset).items():
                db.table(name).insert_multiple(documents)
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
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
    if path.is_dir():
        raise StoreError(path, "is a folder, not a store file")
    if not path.is_file():
        raise StoreError(path, "no store file here; run `recapql seed` to create it")
    if path.stat().st_size == 0:
        raise StoreError(path, "the store file is empty; run `recapql seed` to rebuild it")
    try:
        with _tinydb(path, writable=False) as db:
            tables = {name: _table(db, name) for name in (_META, *_TABLES)}
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise StoreError(path, f"not valid JSON ({error}); run `recapql seed` to rebuild it") from None
    except OSError as error:
        raise StoreError(path, f"cannot read the store: {error.strerror or error}") from None
    except (TypeError, AttributeError, KeyError, ValueError):
        raise StoreError(path, "not a recapql store (unexpected JSON shape)") from None

    meta = tables.pop(_META)
    if len(meta) != 1 or meta[0].get("format") != STORE_FORMAT or not meta[0].get("version"):
        raise StoreError(path, f"not a recapql store of format {STORE_FORMAT}; run `recapql seed`")
    records: dict[str, tuple[Any, ...]] = {}
    for name, record_type in _TABLES.items():
        records[name] = tuple(_decode(path, name, record_type, index, doc) for index, doc in enumerate(tables[name]))
    if len(records["recap"]) != 1:
        raise StoreError(path, f"table 'recap' must hold one record, holds {len(records['recap'])}")
    dataset = Dataset(
        recap=records["recap"][0],
        topics=records["topics"],
        days=records["days"],
        sessions=records["sessions"],
        projects=records["projects"],
        recommendations=records["recommendations"],
    )
    version = str(meta[0]["version"])
    # Valid JSON of the right shape can still be a store edited by hand or damaged in a way
    # JSON does not show; the content hash written with it tells.
    if dataset_version(dataset) != version:
        raise StoreError(
            path, f"the content does not match its version {version} (edited or damaged); run `recapql seed`"
        )
    return dataset, version


def _documents(dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
    return {
        "recap": [encode(dataset.recap)],
        "topics": [encode(topic) for topic in dataset.topics],
        "days": [encode(day) for day in dataset.days],
        "sessions": [encode(session) for session in dataset.sessions],
        "projects": [encode(project) for project in dataset.projects],
        "recommendations": [encode(item) for item in dataset.recommendations],
    }


def _table(db: TinyDB, name: str) -> Sequence[dict[str, Any]]:
    # TinyDB keeps insertion order in the file; sorting by doc_id makes that explicit.
    return sorted(db.table(name).all(), key=lambda document: document.doc_id)


def _decode(path: Path, table: str, record_type: type[Any], index: int, document: Any) -> Any:
    try:
        return decode(record_type, document)
    except RecordError as error:
        key = document.get("slug") or document.get("name") or document.get("date") or f"#{index + 1}"
        raise StoreError(path, f"table '{table}', record '{key}': {error}") from None


@contextlib.contextmanager
def _tinydb(path: Path, *, writable: bool) -> Iterator[TinyDB]:
    if writable:
        # The caching middleware turns many inserts into one write when the database closes.
        db = TinyDB(
            path,
            storage=CachingMiddleware(JSONStorage),  # type: ignore[no-untyped-call]
            encoding="utf-8",
            ensure_ascii=False,
        )
    else:
        db = TinyDB(path, access_mode="r", encoding="utf-8")
    try:
        yield db
    finally:
        db.close()


def _remove_abandoned_temporaries(path: Path) -> None:
    """Delete temporary files of earlier writes whose process died (killed mid-write, say)."""
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
    # Makes the rename itself durable; not every platform can open a folder.
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
