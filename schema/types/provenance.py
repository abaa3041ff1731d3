"""Where each fact comes from: sources, notes, what is missing and what is inferred, and the documents.

Every fact of a recap points at the words it rests on: a `Source` names the document (the recap
file, or the original text it was curated from), the line, and the exact words, or no words when
the fact is the curator's own. What the recap lost or never gave is `Missing`; a value the recap
implies without stating it is `Inferred`, with the words it follows from.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol
from urllib.parse import quote

import strawberry

from store import records


# A recap has a handful of documents, and every source names one: quoting took 40 % of building a session's sources.
@lru_cache(maxsize=1024)
def document_url(recap: str, name: str) -> str:
    """Where a document of the recap `recap` can be read (the agenda links there; `#L<line>` marks a line)."""
    return f"/recaps/{quote(recap)}/documents/{quote(name)}"


@strawberry.type(description="Where a fact rests: a document of its recap, the line, and the exact words.")
class Source:
    document: str = strawberry.field(
        description=(
            "The document's name within its recap: the recap file (e.g. `kubecon-eu-2018.md`) or the original "
            "text it quotes (e.g. `sources/kubecon-eu-2018-copenhagen-recap.txt`); see `Recap.documents`."
        )
    )
    line: int = strawberry.field(description="The 1-based line of the document the fact starts on.")
    quote: str | None = strawberry.field(
        description=(
            "The exact words of the document (a quotation may leave words out with … and put words in with "
            "[brackets]); null when the fact is in the curator's own words, written at `line` of the recap file."
        )
    )
    url: str = strawberry.field(description="Where the document can be read, at this line.")

    @classmethod
    def from_record(cls, record: records.Source, recap: str) -> Source:
        return cls(
            document=record.document,
            line=record.line,
            quote=record.quote,
            url=f"{document_url(recap, record.document)}#L{record.line}",
        )

    @classmethod
    def maybe(cls, record: records.Source | None, recap: str) -> Source | None:
        return None if record is None else cls.from_record(record, recap)


@strawberry.type(description="A note of the recap: its text, and where it comes from.")
class Note:
    text: str = strawberry.field(description="The note, in the recap's own words unless `source.quote` is null.")
    source: Source = strawberry.field(description="Where the note comes from; `quote` null: the curator's words.")

    @classmethod
    def from_record(cls, record: records.Note, recap: str) -> Note:
        return cls(text=record.text, source=Source.from_record(record.source, recap))


@strawberry.type(description="Something the recap lost or never gave, said as data rather than guessed.")
class Missing:
    field: str = strawberry.field(description="The field (or kind of fact) that is empty, e.g. `url` or `speakers`.")
    reason: str = strawberry.field(description="Why it is empty, in the curator's words.")

    @classmethod
    def from_records(cls, found: tuple[records.Missing, ...]) -> list[Missing]:
        return [cls(field=item.field, reason=item.reason) for item in found]


@strawberry.type(description="A value the recap implies without stating it, and the words it follows from.")
class Inferred:
    field: str = strawberry.field(description="The field whose value is inferred, e.g. `date`.")
    reason: str = strawberry.field(description="Why the value is inferred rather than stated.")
    sources: list[Source] = strawberry.field(description="The words the value follows from.")

    @classmethod
    def from_records(cls, found: tuple[records.Inferred, ...], recap: str) -> list[Inferred]:
        return [
            cls(field=item.field, reason=item.reason, sources=[Source.from_record(s, recap) for s in item.sources])
            for item in found
        ]


@strawberry.type(description="A text a recap's facts rest on: the recap file, or the original it was curated from.")
class Document:
    name: str = strawberry.field(description="The document's name, as `Source.document` gives it.")
    text: str = strawberry.field(description="The document's whole text.")
    url: str = strawberry.field(description="Where the document can be read as plain text.")

    @classmethod
    def from_record(cls, record: records.Document, recap: str) -> Document:
        return cls(name=record.name, text=record.text, url=document_url(recap, record.name))


class Recorded(Protocol):
    """An object built from a record that rests on a source and may lack facts: a session, project or recommendation."""

    @property
    def record(self) -> records.Session | records.Project | records.Recommendation: ...

    @property
    def recap_slug(self) -> str: ...


def record_source(root: Recorded) -> Source:
    """The `source` field, built when a query selects it (why: `sessions.py`)."""
    return Source.from_record(root.record.source, root.recap_slug)


def record_missing(root: Recorded) -> list[Missing]:
    """The `missing` field, built when a query selects it."""
    return Missing.from_records(root.record.missing)


def note_text(note: records.Note | None) -> str | None:
    return None if note is None else note.text


def note_source(note: records.Note | None) -> records.Source | None:
    return None if note is None else note.source
