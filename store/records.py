"""The plain, immutable records recapql serves, and their document form.

A record is a frozen dataclass; its document form is the JSON object TinyDB stores.
`decode` turns a document into a record and checks every field against the record's
type hints, so a wrong-shaped document is reported with its field, never half-loaded.
A field with a default (one added since) is left out of a document while it holds the
default, and a document without it decodes to the default: stores written before it read
the same, and a record that does not use it has the same document, and so version, as before.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

SessionKind = Literal["KEYNOTE", "TALK", "BOF", "WORKSHOP", "LIGHTNING_TALKS", "DEEP_DIVE"]
RecommendationKind = Literal["WATCH", "READ", "EXPLORE", "BUZZWORD", "PRACTICE"]
ProjectCategory = Literal["PROJECT", "SPECIFICATION", "TOOL", "SERVICE", "FEATURE", "UNSPECIFIED"]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact rests: a document of its recap, the 1-based line, and the exact words.

    `quote` is None when the fact is in the curator's own words (then `document` is the recap
    file and `line` where the curator wrote it).
    """

    document: str
    line: int
    quote: str | None


@dataclass(frozen=True, slots=True)
class Note:
    """A text of the recap (a note, a summary, a reason…) and where it comes from."""

    text: str
    source: Source


@dataclass(frozen=True, slots=True)
class Missing:
    """Something the recap lost or never gave: which field, and why it is empty."""

    field: str
    reason: str


@dataclass(frozen=True, slots=True)
class Inferred:
    """A value the recap does not state but implies: which field, why, and the words it rests on."""

    field: str
    reason: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class TopThreeMention:
    """A session the recap's text places in its Top 3, where the list itself does not say so."""

    session: str
    place: int | None
    source: Source


@dataclass(frozen=True, slots=True)
class Document:
    """A text a recap's facts rest on: the recap file itself, or the original it was curated from."""

    name: str
    text: str


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of the recap's change history."""

    date: datetime.date
    description: str


@dataclass(frozen=True, slots=True)
class Recap:
    """The write-up itself: what event it covers and the author's overall view.

    `slug` names the recap among the others in a store; `timezone` is the event's IANA zone
    and `author` who wrote the recap, each None when the recap does not say.
    """

    slug: str
    title: str
    event: str
    city: str
    country: str
    start_date: datetime.date
    end_date: datetime.date
    verdict: Note | None
    notes: tuple[Note, ...]
    # The recap announces a "Top 3" list but its entries were lost: None means "not given".
    top_three: tuple[str, ...] | None
    changes: tuple[Change, ...]
    timezone: str | None
    author: str | None
    source: Source
    missing: tuple[Missing, ...]
    top_three_mentions: tuple[TopThreeMention, ...]


@dataclass(frozen=True, slots=True)
class Topic:
    """A subject that sessions and projects are tagged with; `description` is None when the recap gives none."""

    name: str
    description: Note | None


@dataclass(frozen=True, slots=True)
class Day:
    """One day of the event."""

    date: datetime.date
    title: str
    source: Source
    inferred: tuple[Inferred, ...]

    @property
    def key(self) -> str:
        return self.date.isoformat()


@dataclass(frozen=True, slots=True)
class SessionTime:
    """When a session ran on its day: local times (whole minutes) in the recap's `timezone`, `end` after `start`."""

    start: datetime.time
    end: datetime.time


@dataclass(frozen=True, slots=True)
class Session:
    """A session the recap names; `projects` are project slugs, `day` a day's date.

    `time` is None when the recap gives no time (the session then lasts its whole day). It came
    after the other fields: a document without it (a store written before) reads as None.
    """

    slug: str
    title: str
    kind: SessionKind
    day: datetime.date
    summary: Note | None
    notes: tuple[Note, ...]
    topics: tuple[str, ...]
    projects: tuple[str, ...]
    speakers: tuple[str, ...]
    organizations: tuple[str, ...]
    verdict: Note | None
    source: Source
    missing: tuple[Missing, ...]
    time: SessionTime | None = None


@dataclass(frozen=True, slots=True)
class Project:
    """A project, tool, service or specification the recap mentions."""

    slug: str
    name: str
    category: ProjectCategory
    description: Note | None
    topics: tuple[str, ...]
    url: str | None
    written_as: str | None
    source: Source
    missing: tuple[Missing, ...]


@dataclass(frozen=True, slots=True)
class Recommendation:
    """Something the recap recommends; `session` and `project` are slugs or None."""

    slug: str
    kind: RecommendationKind
    title: str
    reason: Note | None
    session: str | None
    project: str | None
    url: str | None
    source: Source
    missing: tuple[Missing, ...]


@dataclass(frozen=True, slots=True)
class Dataset:
    """Everything one recap holds, in recap order: what a seed builds and a store keeps."""

    recap: Recap
    topics: tuple[Topic, ...]
    days: tuple[Day, ...]
    sessions: tuple[Session, ...]
    projects: tuple[Project, ...]
    recommendations: tuple[Recommendation, ...]
    # The texts the records' sources name: the recap file, and the original it quotes, if any.
    documents: tuple[Document, ...] = ()


class RecordError(ValueError):
    """A document does not fit its record type; `field` names the offending field."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"field '{field}': {reason}")
        self.field = field
        self.reason = reason


R = TypeVar("R")


def decode(record_type: type[R], document: Mapping[str, Any]) -> R:
    """Build a record from its document, checking every field's presence and type."""
    if not isinstance(document, Mapping):
        raise RecordError("(record)", f"expected an object, got {json_type(document)}")
    hints = _type_hints(record_type)
    values: dict[str, Any] = {}
    for field in dataclasses.fields(record_type):  # type: ignore[arg-type]
        if field.name not in document:
            if field.default is not dataclasses.MISSING:
                values[field.name] = field.default
                continue
            raise RecordError(field.name, "is required")
        try:
            values[field.name] = _decode_value(document[field.name], hints[field.name])
        except RecordError as error:
            separator = "" if error.field.startswith("[") else "."
            raise RecordError(f"{field.name}{separator}{error.field}", error.reason) from None
        except _Mismatch as mismatch:
            raise RecordError(field.name, str(mismatch)) from None
    unknown = sorted(set(document) - set(values) - {"doc_id"})
    if unknown:
        raise RecordError(unknown[0], "is not a known field")
    return record_type(**values)


def encode(record: Any) -> dict[str, Any]:
    """The JSON-ready document of a record (dates as ISO strings, times as HH:MM, tuples as lists)."""
    return {
        field.name: _encode_value(value)
        for field in dataclasses.fields(record)
        if (value := getattr(record, field.name)) != field.default or field.default is dataclasses.MISSING
    }


class _Mismatch(ValueError):
    pass


# A time of day as records keep it: hh:mm, 24-hour, no seconds and no zone (the recap's zone applies).
_TIME = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]")

# Resolving a record type's hints is slow next to decoding one record, and the answer never changes.
_HINTS: dict[type[Any], dict[str, Any]] = {}


def _type_hints(record_type: type[Any]) -> dict[str, Any]:
    if record_type not in _HINTS:
        _HINTS[record_type] = typing.get_type_hints(record_type)
    return _HINTS[record_type]


def _decode_value(value: Any, hint: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        (inner,) = [option for option in options if option is not type(None)]
        return _decode_value(value, inner)
    if origin is Literal:
        allowed = typing.get_args(hint)
        if value not in allowed:
            raise _Mismatch(f"expected one of {', '.join(allowed)}, got {value!r}")
        return value
    if origin is tuple:
        if not isinstance(value, list):
            raise _Mismatch(f"expected a list, got {json_type(value)}")
        (item_hint, _) = typing.get_args(hint)
        return tuple(_decode_item(index, item, item_hint) for index, item in enumerate(value))
    if hint is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise _Mismatch(f"expected a whole number, got {json_type(value)}")
        return value
    if hint is str:
        if not isinstance(value, str) or not value.strip():
            raise _Mismatch(f"expected a non-empty string, got {json_type(value)}")
        return value
    if hint is datetime.date:
        if not isinstance(value, str):
            raise _Mismatch(f"expected a date (yyyy-mm-dd), got {json_type(value)}")
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise _Mismatch(f"expected a date (yyyy-mm-dd), got {value!r}") from None
    if hint is datetime.time:
        if not isinstance(value, str) or _TIME.fullmatch(value) is None:
            shown = repr(value) if isinstance(value, str) else json_type(value)
            raise _Mismatch(f"expected a time of day (hh:mm, 24-hour), got {shown}")
        return datetime.time.fromisoformat(value)
    if dataclasses.is_dataclass(hint):
        return decode(hint, value)  # type: ignore[arg-type]
    raise TypeError(f"no decoder for {hint!r}")  # a programming error, not bad data


def _decode_item(index: int, item: Any, hint: Any) -> Any:
    try:
        return _decode_value(item, hint)
    except _Mismatch as mismatch:
        raise RecordError(f"[{index}]", str(mismatch)) from None
    except RecordError as error:
        raise RecordError(f"[{index}].{error.field}", error.reason) from None


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, tuple):
        return [_encode_value(item) for item in value]
    if dataclasses.is_dataclass(value):
        return encode(value)
    return value


def json_type(value: Any) -> str:
    """How a JSON value is named in error messages: "null", "a number", "a list", …"""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "an empty string" if not value.strip() else "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__
