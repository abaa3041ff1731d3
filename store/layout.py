"""The store file's layout: TinyDB tables of records, plus a meta table with format and version.

A store is written whole, once, by `recapql seed` (`store.writer`), and only ever read by
servers (`store.reader`). Its version is a hash of its content, so equal datasets give equal
versions whatever their origin, and a reader can tell a file edited or damaged since.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from store.records import Dataset, Day, Project, Recap, Recommendation, Session, Topic, encode

# Bumped when the document layout changes, so an old store is refused, not misread.
STORE_FORMAT = 1

META = "meta"
TABLES: dict[str, type[Any]] = {
    "recap": Recap,
    "topics": Topic,
    "days": Day,
    "sessions": Session,
    "projects": Project,
    "recommendations": Recommendation,
}
REBUILD = "run `recapql seed` to rebuild it"


class StoreError(Exception):
    """A store file cannot be used; the message names the file and what is wrong."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def dataset_version(dataset: Dataset) -> str:
    """A content hash: equal datasets give equal versions, whatever their origin."""
    return content_version(documents(dataset))


def documents(dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
    """Each table's records as JSON documents, in recap order."""
    return {
        "recap": [encode(dataset.recap)],
        "topics": [encode(topic) for topic in dataset.topics],
        "days": [encode(day) for day in dataset.days],
        "sessions": [encode(session) for session in dataset.sessions],
        "projects": [encode(project) for project in dataset.projects],
        "recommendations": [encode(item) for item in dataset.recommendations],
    }


def content_version(documents: Mapping[str, list[Any]]) -> str:
    """The version of these tables' documents: a hash of their canonical JSON."""
    canonical = json.dumps(documents, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]
