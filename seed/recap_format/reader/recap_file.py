"""Reading a recap written in the recap format (docs/recap-format.md) into store records.

The file is Markdown with YAML front matter: `##` headings are days (or reserved sections),
`###` headings under a day are sessions. Every text keeps where it comes from (see
`seed.quoting.provenance`). Every problem is collected with its line; any error means no dataset
at all, so a half-read recap can never reach a store.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from seed.markdown.blocks import Heading, parse_blocks, sections
from seed.markdown.front_matter import FrontMatterError, split_front_matter
from seed.quoting.provenance import Provenance
from seed.quoting.quotations import SourceText
from seed.recap_format.problems import InvalidRecap, RecapProblem
from seed.recap_format.reader.assembly import assemble
from seed.recap_format.reader.days import SESSION_BEFORE_DAY, read_day
from seed.recap_format.reader.drafts import Drafts, Reading
from seed.recap_format.reader.header import read_header
from seed.recap_format.reader.sections import read_section
from seed.recap_format.vocabulary import RESERVED
from store import Dataset
from store.records import Document

ReadSource = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class ImportedRecap:
    """A recap read whole: its records, the file it came from, and what was ignored on the way."""

    path: Path
    dataset: Dataset
    warnings: tuple[RecapProblem, ...]


def read_recap(path: Path) -> ImportedRecap:
    """Read and check the recap file at `path`; `InvalidRecap` lists every error with its line."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InvalidRecap([RecapProblem(path, 1, f"cannot be read: {error.strerror or error}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InvalidRecap([RecapProblem(path, line, "expected UTF-8 text")]) from None
    return parse_recap(text, path)


def parse_recap(text: str, path: Path, read_source: ReadSource | None = None) -> ImportedRecap:
    """Read the recap in `text` (named `path` in every problem).

    A `source:` it names is read by `read_source` (by default: relative to the recap's folder).
    """
    reading = Reading(path)
    dataset = _read(reading, text.replace("\r\n", "\n"), read_source or _beside(path))
    if reading.errors or dataset is None:
        raise InvalidRecap(reading.errors, reading.warnings)
    return ImportedRecap(path, dataset, tuple(reading.warnings))


def _beside(path: Path) -> ReadSource:
    def read(name: str) -> str:
        return (path.parent / name).read_text(encoding="utf-8")

    return read


def _read(reading: Reading, text: str, read_source: ReadSource) -> Dataset | None:
    try:
        front = split_front_matter(text)
    except FrontMatterError as error:
        reading.error(error.line, error.message)
        return None
    header = read_header(front, reading.error, reading.warn)
    if header is not None and header.timezone is not None:
        line = max(front.line_of("recap", "timezone"), front.line_of("params", "recap", "timezone"))
        _timezone(reading, header.timezone, line)
    documents = [Document(reading.path.name, text)]
    if header is not None and header.source is not None:
        source = _source(reading, read_source, *header.source)
        if source is not None:
            documents.append(Document(header.source[0], source.text))
            reading.trace = Provenance(reading.path.name, _document_name(header.source[0]), source, reading.error)
    blocks = parse_blocks(front.body, first_line=front.body_line)
    before, parts = sections(blocks, level=2)
    for block in before:
        if isinstance(block, Heading) and block.level == 1:
            continue  # the post's own title: the front matter's `title` is the one used
        if isinstance(block, Heading) and block.level >= 3:
            reading.error(block.line, SESSION_BEFORE_DAY)
            continue
        reading.warn(block.line, "ignored: text before the first day or section (`## …`)")
    drafts = Drafts()
    for part in parts:
        name = part.heading.inline.text
        if name.casefold() in RESERVED:
            read_section(reading, name.casefold(), part.heading, part.blocks, drafts)
        else:
            read_day(reading, part.heading, part.blocks, drafts, header)
    if header is None or reading.errors:
        return None
    return assemble(reading, header, drafts, tuple(documents))


def _timezone(reading: Reading, name: str, line: int) -> None:
    """Session times are local to the recap's zone: it must be one the time zone database knows."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        reading.error(line, f"expected `timezone:` to be an IANA time zone such as Europe/Lisbon, got {name!r}")


def _source(reading: Reading, read_source: ReadSource, name: str, line: int) -> SourceText | None:
    if PurePosixPath(name).is_absolute() or ".." in PurePosixPath(name).parts:
        reading.error(line, f"expected `source:` to be a path inside the recap's folder, got {name!r}")
        return None
    try:
        return SourceText(read_source(name))
    except OSError as error:
        reading.error(line, f"the source {name!r} cannot be read: {error.strerror or error}")
    except UnicodeDecodeError:
        reading.error(line, f"the source {name!r} is not UTF-8 text")
    return None


def _document_name(path: str) -> str:
    return PurePosixPath(path).as_posix()
