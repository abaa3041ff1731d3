"""Reading a recap written in the recap format (docs/recap-format.md) into store records.

The file is Markdown with YAML front matter: `##` headings are days (or reserved sections),
`###` headings under a day are sessions. Every text keeps where it comes from (see
`seed.provenance`). Every problem is collected with its line; any error means no dataset at
all, so a half-read recap can never reach a store.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TypeVar

from seed.front_matter import FrontMatterError, split_front_matter
from seed.markdown_blocks import Block, Heading, Inline, Item, ListBlock, Other, Paragraph, parse_blocks, sections
from seed.project_names import ProjectNames
from seed.provenance import Provenance
from seed.quotations import SourceText
from seed.recap_header import BAD_SLUG, RecapHeader, as_date, read_header, slugify
from seed.recap_metadata import Metadata, leading_metadata, nested_metadata
from seed.recap_problems import InvalidRecap, RecapProblem
from store import Dataset, check_dataset
from store.records import (
    Day,
    Document,
    Inferred,
    Missing,
    Note,
    Project,
    Recap,
    Recommendation,
    Session,
    SessionTime,
    Source,
    Topic,
    TopThreeMention,
)

SESSION_KINDS = {
    "keynote": "KEYNOTE",
    "talk": "TALK",
    "bof": "BOF",
    "workshop": "WORKSHOP",
    "lightning talks": "LIGHTNING_TALKS",
    "deep dive": "DEEP_DIVE",
}
RECOMMENDATION_KINDS = {
    "watch": "WATCH",
    "read": "READ",
    "explore": "EXPLORE",
    "practice": "PRACTICE",
    "buzzword": "BUZZWORD",
}
PROJECT_CATEGORIES = ("PROJECT", "SPECIFICATION", "TOOL", "SERVICE", "FEATURE")
SESSION_KEYS = ("kind", "time", "speakers", "organizations", "topics", "projects", "verdict", "slug", "missing")
DAY_KEYS = ("date from",)
PROJECT_KEYS = ("slug", "topics", "written as", "missing")
RECOMMENDATION_KEYS = ("slug", "session", "project", "missing")
TOP_THREE_KEYS = ("from", "place")
RESERVED = ("takeaways", "top 3", "projects", "recommendations", "topics")

_DAY_HEADING = re.compile(r"^(?P<title>.*\S)\s*\((?P<date>[^()]*)\)$")
_KIND_PREFIX = re.compile(r"^(?P<key>[A-Za-z][A-Za-z ]{0,23}):\s*")
_SEPARATORS = (" \u2014 ", " \u2013 ", " -- ")  # an em dash, an en dash, or two hyphens
_CATEGORY = re.compile(r"^\((?P<category>[^()]*)\)\s*")
_QUOTED = re.compile(r"[\"\u201c](?P<words>[^\"\u201c\u201d]+)[\"\u201d]")
# A session's `time:`: two times of day, 24-hour, between them an en dash or a hyphen.
_TIME_RANGE = re.compile(r"(?P<start>[0-9]{1,2}:[0-9]{2})\s*[\u2013-]\s*(?P<end>[0-9]{1,2}:[0-9]{2})")
_TIME_FORM = "expected `time:` as `HH:MM\u2013HH:MM` (24-hour local time, e.g. 09:30\u201310:15)"
_SESSION_BEFORE_DAY = "expected a session heading `### <title>` under a day `## <title> (YYYY-MM-DD)`"
# What the recap does not say, said the same way for every recap that does not say it.
NO_SPEAKER = "The recap names no speaker for this session."
DATE_INFERRED = "The recap gives no calendar date for this day: it follows from these words."

ReadSource = Callable[[str], str]
Linked = TypeVar("Linked", Project, Recommendation)


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
    reader = _Reader(path, read_source or _beside(path))
    dataset = reader.read(text.replace("\r\n", "\n"))
    if reader.errors or dataset is None:
        raise InvalidRecap(reader.errors, reader.warnings)
    return ImportedRecap(path, dataset, tuple(reader.warnings))


def _beside(path: Path) -> ReadSource:
    def read(name: str) -> str:
        return (path.parent / name).read_text(encoding="utf-8")

    return read


@dataclass
class _SessionDraft:
    session: Session
    line: int
    project_names: tuple[str, ...]
    project_line: int


@dataclass
class _Drafts:
    """What the reader has found so far, with the line of every key, for problems found later."""

    days: list[Day] = field(default_factory=list)
    sessions: list[_SessionDraft] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    recommendations: list[tuple[Recommendation, bool]] = field(default_factory=list)  # (record, at the root)
    topics: list[Topic] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    top_three: list[tuple[str, int]] | None = None
    mentions: list[tuple[str, int, int | None, Source]] = field(default_factory=list)  # (title, line, place, source)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, key) -> line


class _Reader:
    def __init__(self, path: Path, read_source: ReadSource) -> None:
        self.path = path
        self.read_source = read_source
        self.errors: list[RecapProblem] = []
        self.warnings: list[RecapProblem] = []
        self.trace = Provenance(path.name, None, None, self.error)

    def error(self, line: int, message: str) -> None:
        self.errors.append(RecapProblem(self.path, line, message))

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(RecapProblem(self.path, line, message))

    # The whole file -----------------------------------------------------------------------

    def read(self, text: str) -> Dataset | None:
        try:
            front = split_front_matter(text)
        except FrontMatterError as error:
            self.error(error.line, error.message)
            return None
        header = read_header(front, self.error, self.warn)
        if header is not None and header.timezone is not None:
            line = max(front.line_of("recap", "timezone"), front.line_of("params", "recap", "timezone"))
            self._timezone(header.timezone, line)
        documents = [Document(self.path.name, text)]
        if header is not None and header.source is not None:
            source = self._source(*header.source)
            if source is not None:
                documents.append(Document(header.source[0], source.text))
                self.trace = Provenance(self.path.name, _document_name(header.source[0]), source, self.error)
        blocks = parse_blocks(front.body, first_line=front.body_line)
        before, parts = sections(blocks, level=2)
        for block in before:
            if isinstance(block, Heading) and block.level == 1:
                continue  # the post's own title: the front matter's `title` is the one used
            if isinstance(block, Heading) and block.level >= 3:
                self.error(block.line, _SESSION_BEFORE_DAY)
                continue
            self.warn(block.line, "ignored: text before the first day or section (`## …`)")
        drafts = _Drafts()
        for part in parts:
            name = part.heading.inline.text
            if name.casefold() in RESERVED:
                self._reserved(name.casefold(), part.heading, part.blocks, drafts)
            else:
                self._day(part.heading, part.blocks, drafts, header)
        if header is None or self.errors:
            return None
        return self._dataset(header, drafts, tuple(documents))

    def _timezone(self, name: str, line: int) -> None:
        """Session times are local to the recap's zone: it must be one the time zone database knows."""
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.error(line, f"expected `timezone:` to be an IANA time zone such as Europe/Lisbon, got {name!r}")

    def _source(self, name: str, line: int) -> SourceText | None:
        if PurePosixPath(name).is_absolute() or ".." in PurePosixPath(name).parts:
            self.error(line, f"expected `source:` to be a path inside the recap's folder, got {name!r}")
            return None
        try:
            return SourceText(self.read_source(name))
        except OSError as error:
            self.error(line, f"the source {name!r} cannot be read: {error.strerror or error}")
        except UnicodeDecodeError:
            self.error(line, f"the source {name!r} is not UTF-8 text")
        return None

    # Days and sessions ----------------------------------------------------------------------

    def _day(self, heading: Heading, blocks: Sequence[Block], drafts: _Drafts, header: RecapHeader | None) -> None:
        found = _DAY_HEADING.match(heading.inline.text)
        date = as_date(found.group("date")) if found else None
        if found is None or date is None:
            sections_named = ", ".join(name.title() for name in RESERVED)
            self.error(
                heading.line,
                f"expected a day heading `## <title> (YYYY-MM-DD)` or a reserved section ({sections_named}), "
                f"got `## {heading.inline.text}`",
            )
            return
        if header is not None and not header.start <= date <= header.end:
            self.error(
                heading.line,
                f"the day {date} is outside the event ({header.start} to {header.end}, "
                "the front matter's start and end)",
            )
            return
        if ("day", date.isoformat()) in drafts.lines:
            first = drafts.lines["day", date.isoformat()]
            self.error(heading.line, f"a second day {date}: the first is on line {first}")
            return
        drafts.lines["day", date.isoformat()] = heading.line
        title = found.group("title").strip()
        before, parts = sections(blocks, level=3)
        meta = Metadata()
        if before and isinstance(before[0], ListBlock):
            meta, rest = leading_metadata(before[0], DAY_KEYS, "day", self.error)
            before = (*([ListBlock(False, rest, rest[0].line)] if rest else []), *before[1:])
        inferred: tuple[Inferred, ...] = ()
        source = Source(self.path.name, heading.line, None if self.trace.quotes else title)
        if "date from" in meta:
            value = meta.values["date from"]
            quotes = [found_quote.group("words") for found_quote in _QUOTED.finditer(value.text)]
            if not quotes:
                self.error(value.line, "expected `date from:` to give the words in quotation marks: “…”, “…”")
            sources = tuple(self.trace.text_source(words, value.line, curated=False) for words in quotes)
            inferred = (Inferred("date", DATE_INFERRED, sources),) if sources else ()
            source = sources[0] if sources else source
        drafts.days.append(Day(date=date, title=title, source=source, inferred=inferred))
        for block in before:
            if isinstance(block, Heading) and block.level > 3:
                self.error(block.line, "expected a session heading `### <title>` before this one")
            elif isinstance(block, Heading):
                self.error(block.line, _SESSION_BEFORE_DAY)
            else:
                self.warn(block.line, "ignored: text under a day before its first session (`### …`)")
        for part in parts:
            self._session(part.heading, part.blocks, date, drafts)

    def _session(self, heading: Heading, blocks: Sequence[Block], date: datetime.date, drafts: _Drafts) -> None:
        title = heading.inline.text
        body, subsections = sections(blocks, level=4)
        rest = list(body)
        meta = Metadata()
        notes: list[Note] = []
        if rest and isinstance(rest[0], ListBlock):
            meta, others = leading_metadata(rest[0], SESSION_KEYS, "session", self.error)
            rest = rest[1:]
            # The metadata and the notes may run together into one list (no summary between them).
            notes += [self._item_note(item) for item in others if item.inline is not None]
        summary = None
        if not notes and rest and isinstance(rest[0], Paragraph):
            summary = self._note(rest[0].inline, rest[0].line)
            rest = rest[1:]
        for block in rest:
            if isinstance(block, ListBlock):
                notes += [self._item_note(item) for item in block.items if item.inline is not None]
            else:
                self.warn(block.line, f"ignored: {_describe(block)} after the session's summary and notes")
        kind = "TALK"
        kind_value = meta.get("kind")
        if kind_value is not None:
            if kind_value.text.casefold() not in SESSION_KINDS:
                choices = ", ".join(SESSION_KINDS)
                self.error(kind_value.line, f"expected `kind:` to be one of {choices}, got {kind_value.text!r}")
            else:
                kind = SESSION_KINDS[kind_value.text.casefold()]
        slug = self._slug(meta, title, heading.line)
        if ("session", slug) in drafts.lines:
            first = drafts.lines["session", slug]
            self.error(heading.line, f"a second session with the slug '{slug}': the first is on line {first}")
            return
        drafts.lines["session", slug] = heading.line
        speakers = meta.names("speakers")
        for key in ("speakers", "organizations"):
            for name in meta.names(key):
                self.trace.name_source(name, meta.line(key, heading.line), "the name")
        missing = self._missing(meta, "session")
        if not speakers and not any(item.field == "speakers" for item in missing):
            missing = (*missing, Missing("speakers", NO_SPEAKER))
        verdict_value = meta.get("verdict")
        session = Session(
            slug=slug,
            title=title,
            kind=kind,  # type: ignore[arg-type]  # one of SESSION_KINDS' values
            day=date,
            summary=summary,
            notes=tuple(notes),
            topics=meta.names("topics"),
            projects=(),
            speakers=speakers,
            organizations=meta.names("organizations"),
            verdict=(
                self.trace.note(verdict_value.text, verdict_value.line, curated=verdict_value.curated)
                if verdict_value is not None and verdict_value.text
                else None
            ),
            source=self.trace.name_source(title, heading.line, "the session title"),
            missing=missing,
            time=self._time(meta),
        )
        drafts.sessions.append(
            _SessionDraft(session, heading.line, meta.names("projects"), meta.line("projects", heading.line))
        )
        for part in subsections:
            if part.heading.inline.text.casefold() == "recommendations":
                self._recommendations(part.blocks, drafts, session=slug)
            else:
                heading_text = part.heading.inline.text
                self.warn(part.heading.line, f"ignored: `#### {heading_text}` (only `#### Recommendations`)")

    def _note(self, inline: Inline, line: int) -> Note:
        return self.trace.note(inline.text, line, curated=inline.emphasised)

    def _item_note(self, item: Item) -> Note:
        """A list item's note; nested list items follow on lines of their own (`- …` or `1. …`)."""
        assert item.inline is not None
        lines = [item.inline.text]
        for child in item.children:
            if isinstance(child, ListBlock):
                for number, nested in enumerate(child.items, start=1):
                    if nested.inline is not None:
                        lines.append(f"{number}. {nested.inline.text}" if child.ordered else f"- {nested.inline.text}")
        return self.trace.note("\n".join(lines), item.line, curated=item.inline.emphasised)

    def _time(self, meta: Metadata) -> SessionTime | None:
        """A session's `time: HH:MM-HH:MM` (en dash or hyphen), local to the recap's zone; None if not given."""
        value = meta.get("time")
        if value is None:
            return None
        found = _TIME_RANGE.fullmatch(value.text.strip())
        if found is None:
            self.error(value.line, f"{_TIME_FORM}, got {value.text!r}")
            return None
        times = []
        for which in ("start", "end"):
            hours, minutes = (int(part) for part in found.group(which).split(":"))
            if hours > 23 or minutes > 59:
                self.error(value.line, f"{_TIME_FORM}: {found.group(which)} is not a time of day")
                return None
            times.append(datetime.time(hours, minutes))
        start, end = times
        if end <= start:
            self.error(value.line, f"expected `time:` to end after it starts, on its day, got {value.text!r}")
            return None
        return SessionTime(start, end)

    def _missing(self, meta: Metadata, what: str) -> tuple[Missing, ...]:
        found = []
        for value in meta.all("missing"):
            field_name, reason = _split(value.text)
            if not field_name or not reason:
                self.error(value.line, f"expected a {what}'s `missing:` as `<field> — <reason>`")
                continue
            found.append(Missing(field_name, reason))
        return tuple(found)

    def _slug(self, meta: Metadata, name: str, line: int) -> str:
        value = meta.get("slug")
        if value is not None:
            if not value.text or slugify(value.text) != value.text:
                self.error(value.line, BAD_SLUG.format(slug=value.text))
            return value.text
        slug = slugify(name)
        if not slug:
            self.error(line, f"cannot make a slug from {name!r}: give one with `slug:`")
        return slug

    # Reserved sections ----------------------------------------------------------------------

    def _reserved(self, name: str, heading: Heading, blocks: Sequence[Block], drafts: _Drafts) -> None:
        if ("section", name) in drafts.lines:
            first = drafts.lines["section", name]
            self.error(heading.line, f"a second `## {heading.inline.text}`: the first is on line {first}")
            return
        drafts.lines["section", name] = heading.line
        lists = [block for block in blocks if isinstance(block, ListBlock)]
        for block in blocks:
            if not isinstance(block, ListBlock):
                where = f"`## {heading.inline.text}`"
                self.warn(block.line, f"ignored: {_describe(block)} in {where} (only a list is read)")
        if name == "takeaways":
            drafts.notes += [self._item_note(item) for block in lists for item in block.items if item.inline]
        elif name == "top 3":
            self._top_three(heading, lists, drafts)
        elif name == "projects":
            for block in lists:
                for item in block.items:
                    self._project(item, drafts)
        elif name == "recommendations":
            self._recommendations(blocks, drafts, session=None)
        elif name == "topics":
            for block in lists:
                for item in block.items:
                    self._topic(item, drafts)

    def _top_three(self, heading: Heading, lists: Sequence[ListBlock], drafts: _Drafts) -> None:
        ordered = [
            (item.inline.text, item.line) for block in lists if block.ordered for item in block.items if item.inline
        ]
        drafts.top_three = ordered or None
        for block in lists:
            if block.ordered:
                continue
            for item in block.items:
                # An unordered item: a session the text places in the Top 3, with the words that say so.
                if item.inline is None:
                    continue
                meta = Metadata()
                for child in item.children:
                    found = (
                        nested_metadata(child, TOP_THREE_KEYS, "Top 3", self.error)
                        if isinstance(child, ListBlock)
                        else None
                    )
                    meta = found if found is not None else meta
                words = meta.get("from")
                if words is None:
                    self.error(
                        item.line, "expected a `from: “…”` under a Top 3 entry without a place: the words that say so"
                    )
                    continue
                place_text = meta.text("place")
                place = int(place_text) if place_text and place_text.isdigit() else None
                if place_text and place is None:
                    self.error(meta.line("place", item.line), f"expected `place:` to be 1, 2 or 3, got {place_text!r}")
                quote = _QUOTED.search(words.text)
                source = self.trace.text_source(
                    quote.group("words") if quote else words.text, words.line, curated=False
                )
                drafts.mentions.append((item.inline.text, item.line, place, source))
        if not ordered and not drafts.mentions:
            self.warn(heading.line, "the Top 3 section names no session: the recap's Top 3 is left as not given")

    def _project(self, item: Item, drafts: _Drafts) -> None:
        inline = item.inline
        if inline is None or not inline.strong_prefix:
            self.error(item.line, "expected a project as `**<name>** (<category>) — <description>`")
            return
        name = inline.strong_prefix
        offset = inline.text.find(name) + len(name) if name in inline.text else len(inline.text)
        rest = inline.text[offset:]
        category = "PROJECT"
        matched = _CATEGORY.match(rest.strip())
        if matched is not None:
            given = matched.group("category").strip().upper().replace(" ", "_")
            if given not in PROJECT_CATEGORIES:
                choices = ", ".join(category.lower() for category in PROJECT_CATEGORIES)
                given_text = matched.group("category")
                self.error(item.line, f"expected the category to be one of {choices}, got {given_text!r}")
                return
            category = given
            offset += (len(rest) - len(rest.lstrip())) + matched.end()
        separated, description = self._after_separator(inline, offset, item.line)
        if not separated:
            got = inline.text[offset:]
            self.error(item.line, f"expected ` — ` between the project and its description, got {got!r}")
            return
        meta = self._nested(item, PROJECT_KEYS, "project")
        slug = self._slug(meta, name, item.line)
        if ("project", slug) in drafts.lines:
            first = drafts.lines["project", slug]
            self.error(item.line, f"a second project with the slug '{slug}': the first is on line {first}")
            return
        drafts.lines["project", slug] = item.line
        written_as = meta.text("written as")
        source = self.trace.name_source(written_as or name, meta.line("written as", item.line), "the project")
        drafts.projects.append(
            Project(
                slug=slug,
                name=name,
                category=category,  # type: ignore[arg-type]  # one of PROJECT_CATEGORIES
                description=description,
                topics=meta.names("topics"),
                url=inline.strong_link.url if inline.strong_link else None,
                written_as=written_as,
                source=source,
                missing=self._missing(meta, "project"),
            )
        )

    def _after_separator(self, inline: Inline, offset: int, line: int) -> tuple[bool, Note | None]:
        """Whether ` — ` (or nothing) follows `offset`, and the note after it (None for no text)."""
        text = inline.text[offset:]
        if not text.strip():
            return True, None
        stripped = text.lstrip()
        for separator in (separator.strip() for separator in _SEPARATORS):
            if stripped.startswith(separator):
                start = offset + (len(text) - len(stripped)) + len(separator)
                words = inline.text[start:].strip()
                if not words:
                    return True, None
                return True, self.trace.note(words, line, curated=inline.emphasised_after(start))
        return False, None

    def _topic(self, item: Item, drafts: _Drafts) -> None:
        inline = item.inline
        if inline is None or not inline.strong_prefix:
            self.error(item.line, "expected a topic as `**<name>** — <description>`")
            return
        name = inline.strong_prefix
        offset = inline.text.find(name) + len(name)
        separated, description = self._after_separator(inline, offset, item.line)
        if not separated:
            got = inline.text[offset:]
            self.error(item.line, f"expected ` — ` between the topic and its description, got {got!r}")
            return
        key = name.casefold()
        if ("topic", key) in drafts.lines:
            self.error(item.line, f"a second topic '{name}': the first is on line {drafts.lines['topic', key]}")
            return
        drafts.lines["topic", key] = item.line
        drafts.topics.append(Topic(name=name, description=description))

    def _recommendations(self, blocks: Sequence[Block], drafts: _Drafts, session: str | None) -> None:
        for block in blocks:
            if not isinstance(block, ListBlock):
                self.warn(block.line, f"ignored: {_describe(block)} among the recommendations (only a list is read)")
                continue
            for item in block.items:
                self._recommendation(item, drafts, session)

    def _recommendation(self, item: Item, drafts: _Drafts, session: str | None) -> None:
        inline = item.inline
        matched = _KIND_PREFIX.match(inline.text) if inline is not None else None
        if inline is None or matched is None:
            self.error(item.line, "expected a recommendation as `<kind>: <title> — <reason>`")
            return
        kind_name = matched.group("key").strip().casefold()
        if kind_name not in RECOMMENDATION_KINDS:
            kinds = ", ".join(RECOMMENDATION_KINDS)
            self.error(item.line, f"expected the recommendation's kind to be one of {kinds}, got {kind_name!r}")
            return
        value = inline.text[matched.end() :]
        title, reason = value.strip(), None
        for separator in _SEPARATORS:
            if separator in value:
                title = value.split(separator, 1)[0].strip()
                reason = self._after_separator(inline, matched.end() + value.index(separator), item.line)[1]
                break
        if not title:
            self.error(item.line, "expected the recommendation's title after its kind")
            return
        url = next((link.url for link in inline.links if link.text.strip() == title), None)
        meta = self._nested(item, RECOMMENDATION_KEYS, "recommendation")
        kind = RECOMMENDATION_KINDS[kind_name]
        slug = meta.text("slug") or slugify(f"{kind_name} {title}")
        if "slug" in meta and slugify(slug) != slug:
            self.error(meta.line("slug", item.line), BAD_SLUG.format(slug=slug))
        if ("recommendation", slug) in drafts.lines:
            first = drafts.lines["recommendation", slug]
            self.error(item.line, f"a second recommendation with the slug '{slug}': the first is on line {first}")
            return
        drafts.lines["recommendation", slug] = item.line
        for key in ("session", "project"):
            if key in meta:
                drafts.lines[f"recommendation {key}", slug] = meta.line(key, item.line)
        # A title in *emphasis* is the curator's label for what the recap points at.
        title_start = matched.end() + (len(value) - len(value.lstrip()))
        title_curated = inline.emphasised_between(title_start, title_start + len(title))
        title_source = (
            self.trace.curated(item.line) if title_curated else self.trace.name_source(title, item.line, "the title")
        )
        source = title_source if title_source.quote is not None or reason is None else reason.source
        project = meta.text("project")
        record = Recommendation(
            slug=slug,
            kind=kind,  # type: ignore[arg-type]  # one of RECOMMENDATION_KINDS' values
            title=title,
            reason=reason,
            session=meta.text("session") or session,
            # `project: -` (a lone dash, never a slug) keeps a root recommendation from pointing at
            # the project its title names.
            project=project if project != "-" else None,
            url=url,
            source=source,
            missing=self._missing(meta, "recommendation"),
        )
        drafts.recommendations.append((record, session is None and "project" not in meta))

    def _nested(self, item: Item, keys: Sequence[str], what: str) -> Metadata:
        found = Metadata()
        for child in item.children:
            meta = nested_metadata(child, keys, what, self.error) if isinstance(child, ListBlock) else None
            if meta is None:
                allowed = ", ".join(keys)
                self.warn(
                    child.line, f"ignored: {_describe(child)} under a {what} (only `key: value` items: {allowed})"
                )
                continue
            found.values.update(meta.values)
            for key, values in meta.repeated.items():
                found.repeated.setdefault(key, []).extend(values)
        return found

    # Putting it together ----------------------------------------------------------------------

    def _dataset(self, header: RecapHeader, drafts: _Drafts, documents: tuple[Document, ...]) -> Dataset | None:
        projects = list(drafts.projects)
        by_name = {project.name.casefold(): project for project in projects}
        by_name |= {project.slug: project for project in projects}
        sessions = []
        for draft in drafts.sessions:
            slugs = []
            for name in draft.project_names:
                project = by_name.get(name.casefold())
                if project is None:
                    project = self._named_only(name, draft.project_line)
                    projects.append(project)
                    by_name[name.casefold()] = by_name[project.slug] = project
                    drafts.lines["project", project.slug] = draft.project_line
                slugs.append(project.slug)
            sessions.append(replace(draft.session, projects=tuple(dict.fromkeys(slugs))))
        links_lost = next((item for item in header.missing if item.field == "links"), None)
        if links_lost is not None:
            projects = [_lost_url(project, links_lost) for project in projects]
        topics = list(drafts.topics)
        known_topics = {topic.name.casefold() for topic in topics}
        tagged: list[tuple[str, str, tuple[str, ...]]] = [("session", item.slug, item.topics) for item in sessions]
        tagged += [("project", item.slug, item.topics) for item in projects]
        for kind, slug, topic_names in tagged:
            for name in topic_names:
                if name.casefold() not in known_topics:
                    known_topics.add(name.casefold())
                    topics.append(Topic(name=name, description=None))
                    line = drafts.lines.get((kind, slug), 1)
                    self.warn(line, f"the topic '{name}' is not under `## Topics`: made from its name only")
        names = ProjectNames(projects)
        recommendations = [_point_at_project(record, names, root) for record, root in drafts.recommendations]
        if links_lost is not None:
            recommendations = [_lost_url(item, links_lost) for item in recommendations]
        by_title = {session.title.casefold(): session.slug for session in sessions}
        top_three = self._top_three_slugs(drafts.top_three, by_title)
        mentions = []
        for title, line, place, source in drafts.mentions:
            mentioned = by_title.get(title.casefold())
            if mentioned is None:
                self.error(line, f"the Top 3 entry {title!r} names no session of this recap (give its title exactly)")
                continue
            mentions.append(TopThreeMention(mentioned, place, source))
        verdict = None
        if header.verdict is not None:
            verdict = self.trace.note(header.verdict[0], header.verdict[2], curated=header.verdict[1])
        recap = Recap(
            slug=header.slug,
            title=header.title,
            event=header.event,
            city=header.city,
            country=header.country,
            start_date=header.start,
            end_date=header.end,
            verdict=verdict,
            notes=tuple(drafts.notes),
            top_three=top_three,
            changes=header.changes,
            timezone=header.timezone,
            author=header.author,
            source=self._title_source(header),
            missing=header.missing,
            top_three_mentions=tuple(mentions),
        )
        dataset = Dataset(
            recap=recap,
            topics=tuple(topics),
            days=tuple(drafts.days),
            sessions=tuple(sessions),
            projects=tuple(projects),
            recommendations=tuple(recommendations),
            documents=documents,
        )
        for problem in check_dataset(dataset):
            kind = "recommendation " + problem.field if problem.record_kind == "recommendation" else problem.record_kind
            line = drafts.lines.get((kind, problem.key)) or drafts.lines.get((problem.record_kind, problem.key), 1)
            self.error(line, f"{problem.record_kind} '{problem.key}': {problem.field} {problem.reason}")
        return None if self.errors else dataset

    def _title_source(self, header: RecapHeader) -> Source:
        """The recap's title in its source, when the source has it; else the title as the recap file gives it."""
        source = self.trace.source
        line = source.contains(header.title) if source is not None else None
        if line is None or self.trace.source_document is None:
            return Source(self.path.name, header.title_line, None if self.trace.quotes else header.title)
        return Source(self.trace.source_document, line, header.title)

    def _named_only(self, name: str, line: int) -> Project:
        self.warn(line, f"the project '{name}' is not under `## Projects`: made from its name only")
        return Project(
            slug=slugify(name),
            name=name,
            category="UNSPECIFIED",
            description=None,
            topics=(),
            url=None,
            written_as=None,
            source=self.trace.name_source(name, line, "the project"),
            missing=(),
        )

    def _top_three_slugs(
        self, entries: list[tuple[str, int]] | None, by_title: dict[str, str]
    ) -> tuple[str, ...] | None:
        if entries is None:
            return None
        slugs = []
        for title, line in entries:
            slug = by_title.get(title.casefold())
            if slug is None:
                self.error(line, f"the Top 3 entry {title!r} names no session of this recap (give its title exactly)")
            else:
                slugs.append(slug)
        return tuple(slugs)


def _point_at_project(record: Recommendation, names: ProjectNames, root: bool) -> Recommendation:
    """A root recommendation whose title names exactly one project points at it."""
    named = names.named_in(record.title) if root and record.project is None else None
    return record if named is None else replace(record, project=named)


def _lost_url(record: Linked, lost: Missing) -> Linked:
    """A record without a url, in a recap whose links were lost, says so."""
    if record.url is not None or any(item.field == "url" for item in record.missing):
        return record
    return replace(record, missing=(*record.missing, Missing("url", lost.reason)))


def _document_name(path: str) -> str:
    return PurePosixPath(path).as_posix()


def _split(text: str) -> tuple[str, str]:
    for separator in _SEPARATORS:
        if separator in text:
            head, tail = text.split(separator, 1)
            return head.strip(), tail.strip()
    return text.strip(), ""


def _describe(block: Block) -> str:
    if isinstance(block, Paragraph):
        return "a paragraph"
    if isinstance(block, ListBlock):
        return "a list"
    if isinstance(block, Heading):
        return f"a level-{block.level} heading"
    assert isinstance(block, Other)
    return {"blockquote": "a quotation", "fence": "a code block", "code_block": "a code block", "hr": "a rule"}.get(
        block.kind, f"a {block.kind.replace('_', ' ')}"
    )


__all__ = ["ImportedRecap", "InvalidRecap", "RecapProblem", "parse_recap", "read_recap", "slugify"]
