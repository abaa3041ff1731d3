"""Writing recaps as a store file, atomically.

Writing goes to a temporary file in the same folder that is renamed over the old store, so a
failed or killed write leaves the previous store exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path

from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import JSONStorage

from store.layout import META, STORE_FORMAT, StoreError, datasets_version, documents
from store.records import Dataset


def write_dataset(path: Path, dataset: Dataset) -> str:
    """Write a store holding just `dataset` to `path` atomically and return the store version."""
    return write_datasets(path, (dataset,))


def write_datasets(path: Path, datasets: Sequence[Dataset]) -> str:
    """Write a store holding `datasets` (in this order) to `path` atomically and return its version."""
    if path.is_dir():
        raise StoreError(path, "is a folder, not a store file")
    slugs = [dataset.recap.slug for dataset in datasets]
    if not slugs or len(set(slugs)) != len(slugs):
        raise ValueError(f"a store holds one or more recaps, each slug once: {slugs}")  # a caller's bug
    version = datasets_version(datasets)
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
            db.table(META).insert({"format": STORE_FORMAT, "version": version})
            for name, table in documents(datasets).items():
                db.table(name).insert_multiple(table)
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
