"""Loading and validating a seed file: the curated, human-editable recap.

The file nests each day's sessions under the day, in recap order. Loading checks
every record's fields and then the dataset's rules, and reports every problem at
once, each naming the file, the record and the field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from seed import DEFAULT_SEED
from store import Dataset, RecordError, check_dataset
from store.records import Day, Project, Recap, Recommendation, Session, Topic, decode

_SECTIONS = ("recap", "topics", "days", "projects", "recommendations")
R = TypeVar("R")


class SeedError(Exception):
    """One problem in a seed file: `record` is e.g. "session 'x'", `field` e.g. "day"."""

    def __init__(self, path: Path, record: str, field: str, reason: str) -> None:
        super().__init__(f"{path}: {record} field '{field}': {reason}")
        self.path = path
        self.record = record
        self.field = field
        self.reason = reason


class InvalidSeed(Exception):
    """A seed file that cannot be used; `errors` lists every problem found."""

    def __init__(self, errors: list[SeedError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = tuple(errors)


def load_seed(path: Path = DEFAULT_SEED) -> Dataset:
    """Read and validate the seed at `path`; raise `InvalidSeed` listing every problem."""
    reader = _Reader(path)
    dataset = reader.read()
    if reader.errors:
        raise InvalidSeed(reader.errors)
    assert dataset is not None
    problems = check_dataset(dataset)
    if problems:
        raise InvalidSeed(
            [
                SeedError(path, f"{problem.record_kind} '{problem.key}'", problem.field, problem.reason)
                for problem in problems
            ]
        )
    return dataset


class _Reader:
    """Decodes the nested seed layout into records, collecting errors instead of stopping."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[SeedError] = []

    def read(self) -> Dataset | None:
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except OSError as error:
            raise InvalidSeed([SeedError(self.path, "file", "(file)", error.strerror or str(error))]) from None
        except UnicodeDecodeError:
            raise InvalidSeed([SeedError(self.path, "file", "(file)", "is not UTF-8 text")]) from None
        except json.JSONDecodeError as error:
            where = f"line {error.lineno} column {error.colno}"
            raise InvalidSeed(
                [SeedError(self.path, "file", "(file)", f"invalid JSON at {where}: {error.msg}")]
            ) from None
        if not isinstance(document, Mapping):
            raise InvalidSeed([SeedError(self.path, "file", "(file)", "must hold a JSON object")])
        for section in _SECTIONS:
            if section not in document:
                self.errors.append(SeedError(self.path, "file", section, "is required"))
            elif section != "recap" and not isinstance(document[section], list):
                self.errors.append(SeedError(self.path, "file", section, "must be a list"))
        if self.errors:
            return None

        recap = self._decode(Recap, document["recap"], "recap")
        topics = self._decode_all(Topic, document["topics"], "topic")
        days: list[Day] = []
        sessions: list[Session] = []
        for index, day_document in enumerate(document["days"]):
            day_sessions, day_fields = None, day_document
            if isinstance(day_document, Mapping):
                day_sessions = day_document.get("sessions")
                day_fields = {key: value for key, value in day_document.items() if key != "sessions"}
            day = self._decode(Day, day_fields, _name("day", day_document, index))
            if not isinstance(day_sessions, list):
                self.errors.append(
                    SeedError(self.path, _name("day", day_document, index), "sessions", "must be a list")
                )
                continue
            if day is not None:
                days.append(day)
                sessions += self._decode_sessions(day, day_sessions)
        projects = self._decode_all(Project, document["projects"], "project")
        recommendations = self._decode_all(Recommendation, document["recommendations"], "recommendation")
        if self.errors or recap is None:
            return None
        return Dataset(
            recap=recap,
            topics=tuple(topics),
            days=tuple(days),
            sessions=tuple(sessions),
            projects=tuple(projects),
            recommendations=tuple(recommendations),
        )

    def _decode_sessions(self, day: Day, documents: list[Any]) -> list[Session]:
        sessions = []
        for index, document in enumerate(documents):
            name = _name("session", document, index, within=f" of day '{day.key}'")
            if isinstance(document, Mapping) and "day" in document:
                self.errors.append(SeedError(self.path, name, "day", "is given by the enclosing day; remove it"))
                continue
            if isinstance(document, Mapping):
                document = {**document, "day": day.key}
            session = self._decode(Session, document, name)
            if session is not None:
                sessions.append(session)
        return sessions

    def _decode_all(self, record_type: type[R], documents: list[Any], kind: str) -> list[R]:
        decoded = (
            self._decode(record_type, document, _name(kind, document, index))
            for index, document in enumerate(documents)
        )
        return [record for record in decoded if record is not None]

    def _decode(self, record_type: type[R], document: Any, name: str) -> R | None:
        try:
            return decode(record_type, document)
        except RecordError as error:
            self.errors.append(SeedError(self.path, name, error.field, error.reason))
            return None


def _name(kind: str, document: Any, index: int, within: str = "") -> str:
    """How an error names a record: by its key when it has one, else by position."""
    if isinstance(document, Mapping):
        for field in ("slug", "date", "name"):
            if isinstance(document.get(field), str):
                return f"{kind} '{document[field]}'"
    return f"{kind} #{index + 1}{within}"
