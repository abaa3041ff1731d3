"""The store file's layout: TinyDB tables of records, plus a meta table with format and version.

A store holds one or more recaps. Each table holds the records of every recap, recap after
recap; a record names its recap by slug in a `recap` key (the `recap` table's records are the
recaps themselves). A store is written whole, by `recapql seed` or `import` (`store.writer`),
and only ever read by servers (`store.reader`). Its version is a hash of its content, so equal
recaps give equal versions whatever their origin, and a reader can tell a file edited or
damaged since.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from store.records import Dataset, Day, Document, Project, Recap, Recommendation, Session, Topic, encode

# Bumped when the document layout changes, so an old store is refused, not misread.
STORE_FORMAT = 3

META = "meta"
# The key by which a record names the recap it belongs to (the `recap` table's own records aside).
RECAP_KEY = "recap"
TABLES: dict[str, type[Any]] = {
    "recap": Recap,
    "topics": Topic,
    "days": Day,
    "sessions": Session,
    "projects": Project,
    "recommendations": Recommendation,
    "documents": Document,
}
REBUILD = "run `recapql seed` to rebuild it"


class StoreError(Exception):
    """A store file cannot be used; the message names the file and what is wrong."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def dataset_version(dataset: Dataset) -> str:
    """The version of a store holding just `dataset`."""
    return datasets_version((dataset,))


def datasets_version(datasets: Sequence[Dataset]) -> str:
    """A content hash: equal recaps, in the same order, give equal versions, whatever their origin."""
    return content_version(documents(datasets))


def documents(datasets: Sequence[Dataset]) -> dict[str, list[dict[str, Any]]]:
    """Each table's records as JSON documents: recap after recap, each in recap order."""
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for dataset in datasets:
        slug = dataset.recap.slug
        tables["recap"].append(encode(dataset.recap))
        for name, records in (
            ("topics", dataset.topics),
            ("days", dataset.days),
            ("sessions", dataset.sessions),
            ("projects", dataset.projects),
            ("recommendations", dataset.recommendations),
            ("documents", dataset.documents),
        ):
            tables[name] += [{RECAP_KEY: slug, **encode(record)} for record in records]
    return tables


def content_version(documents: Mapping[str, list[Any]]) -> str:
    """The version of these tables' documents: a hash of their canonical JSON."""
    canonical = json.dumps(documents, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]
