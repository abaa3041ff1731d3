"""The days of a recap file (`## <title> (YYYY-MM-DD)`) and the sessions under them (`### <title>`).

A day's date lies within the event, or says from which quoted words it was inferred; a session
has its metadata list, a summary, takeaways, and its own `#### Recommendations`. Nothing is
guessed: a session without speakers says so, and without a `time:` it lasts its whole day.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence

from seed.markdown.blocks import Block, Heading, ListBlock, Paragraph, describe, sections
from seed.recap_format.reader.drafts import Drafts, Reading, SessionDraft
from seed.recap_format.reader.header import RecapHeader, as_date
from seed.recap_format.reader.metadata import Metadata, leading_metadata, missing_facts, slug_of
from seed.recap_format.reader.notes import item_note, note
from seed.recap_format.reader.recommendations import read_recommendations
from seed.recap_format.vocabulary import (
    DATE_INFERRED,
    DAY_KEYS,
    NO_SPEAKER,
    QUOTED,
    RESERVED,
    SESSION_KEYS,
    SESSION_KINDS,
)
from store.records import Day, Inferred, Missing, Note, Session, SessionTime, Source

_DAY_HEADING = re.compile(r"^(?P<title>.*\S)\s*\((?P<date>[^()]*)\)$")
# A session's `time:`: two times of day, 24-hour, between them an en dash or a hyphen.
_TIME_RANGE = re.compile(r"(?P<start>[0-9]{1,2}:[0-9]{2})\s*[\u2013-]\s*(?P<end>[0-9]{1,2}:[0-9]{2})")
_TIME_FORM = "expected `time:` as `HH:MM\u2013HH:MM` (24-hour local time, e.g. 09:30\u201310:15)"
SESSION_BEFORE_DAY = "expected a session heading `### <title>` under a day `## <title> (YYYY-MM-DD)`"


def read_day(
    reading: Reading, heading: Heading, blocks: Sequence[Block], drafts: Drafts, header: RecapHeader | None
) -> None:
    """A `## <title> (YYYY-MM-DD)` section: the day, then each session under it."""
    found = _DAY_HEADING.match(heading.inline.text)
    date = as_date(found.group("date")) if found else None
    if found is None or date is None:
        sections_named = ", ".join(name.title() for name in RESERVED)
        reading.error(
            heading.line,
            f"expected a day heading `## <title> (YYYY-MM-DD)` or a reserved section ({sections_named}), "
            f"got `## {heading.inline.text}`",
        )
        return
    if header is not None and not header.start <= date <= header.end:
        reading.error(
            heading.line,
            f"the day {date} is outside the event ({header.start} to {header.end}, the front matter's start and end)",
        )
        return
    first = drafts.claim("day", date.isoformat(), heading.line)
    if first is not None:
        reading.error(heading.line, f"a second day {date}: the first is on line {first}")
        return
    title = found.group("title").strip()
    before, parts = sections(blocks, level=3)
    meta = Metadata()
    if before and isinstance(before[0], ListBlock):
        meta, rest = leading_metadata(before[0], DAY_KEYS, "day", reading.error)
        before = (*([ListBlock(False, rest, rest[0].line)] if rest else []), *before[1:])
    inferred: tuple[Inferred, ...] = ()
    source = Source(reading.path.name, heading.line, None if reading.trace.quotes else title)
    if "date from" in meta:
        value = meta.values["date from"]
        quotes = [found_quote.group("words") for found_quote in QUOTED.finditer(value.text)]
        if not quotes:
            reading.error(value.line, "expected `date from:` to give the words in quotation marks: “…”, “…”")
        sources = tuple(reading.trace.text_source(words, value.line, curated=False) for words in quotes)
        inferred = (Inferred("date", DATE_INFERRED, sources),) if sources else ()
        source = sources[0] if sources else source
    drafts.days.append(Day(date=date, title=title, source=source, inferred=inferred))
    for block in before:
        if isinstance(block, Heading) and block.level > 3:
            reading.error(block.line, "expected a session heading `### <title>` before this one")
        elif isinstance(block, Heading):
            reading.error(block.line, SESSION_BEFORE_DAY)
        else:
            reading.warn(block.line, "ignored: text under a day before its first session (`### …`)")
    for part in parts:
        _session(reading, part.heading, part.blocks, date, drafts)


def _session(reading: Reading, heading: Heading, blocks: Sequence[Block], date: datetime.date, drafts: Drafts) -> None:
    title = heading.inline.text
    body, subsections = sections(blocks, level=4)
    rest = list(body)
    meta = Metadata()
    notes: list[Note] = []
    if rest and isinstance(rest[0], ListBlock):
        meta, others = leading_metadata(rest[0], SESSION_KEYS, "session", reading.error)
        rest = rest[1:]
        # The metadata and the notes may run together into one list (no summary between them).
        notes += [item_note(reading, item) for item in others if item.inline is not None]
    summary = None
    if not notes and rest and isinstance(rest[0], Paragraph):
        summary = note(reading, rest[0].inline, rest[0].line)
        rest = rest[1:]
    for block in rest:
        if isinstance(block, ListBlock):
            notes += [item_note(reading, item) for item in block.items if item.inline is not None]
        else:
            reading.warn(block.line, f"ignored: {describe(block)} after the session's summary and notes")
    kind = "TALK"
    kind_value = meta.get("kind")
    if kind_value is not None:
        if kind_value.text.casefold() not in SESSION_KINDS:
            choices = ", ".join(SESSION_KINDS)
            reading.error(kind_value.line, f"expected `kind:` to be one of {choices}, got {kind_value.text!r}")
        else:
            kind = SESSION_KINDS[kind_value.text.casefold()]
    slug = slug_of(meta, title, heading.line, reading.error)
    if not drafts.claim_slug("session", slug, heading.line, reading.error):
        return
    speakers = meta.names("speakers")
    for key in ("speakers", "organizations"):
        for name in meta.names(key):
            reading.trace.name_source(name, meta.line(key, heading.line), "the name")
    missing = missing_facts(meta, "session", reading.error)
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
            reading.trace.note(verdict_value.text, verdict_value.line, curated=verdict_value.curated)
            if verdict_value is not None and verdict_value.text
            else None
        ),
        source=reading.trace.name_source(title, heading.line, "the session title"),
        missing=missing,
        time=_time(reading, meta),
    )
    drafts.sessions.append(
        SessionDraft(session, heading.line, meta.names("projects"), meta.line("projects", heading.line))
    )
    for part in subsections:
        if part.heading.inline.text.casefold() == "recommendations":
            read_recommendations(reading, part.blocks, drafts, session=slug)
        else:
            heading_text = part.heading.inline.text
            reading.warn(part.heading.line, f"ignored: `#### {heading_text}` (only `#### Recommendations`)")


def _time(reading: Reading, meta: Metadata) -> SessionTime | None:
    """A session's `time: HH:MM-HH:MM` (en dash or hyphen), local to the recap's zone; None if not given."""
    value = meta.get("time")
    if value is None:
        return None
    found = _TIME_RANGE.fullmatch(value.text.strip())
    if found is None:
        reading.error(value.line, f"{_TIME_FORM}, got {value.text!r}")
        return None
    times = []
    for which in ("start", "end"):
        hours, minutes = (int(part) for part in found.group(which).split(":"))
        if hours > 23 or minutes > 59:
            reading.error(value.line, f"{_TIME_FORM}: {found.group(which)} is not a time of day")
            return None
        times.append(datetime.time(hours, minutes))
    start, end = times
    if end <= start:
        reading.error(value.line, f"expected `time:` to end after it starts, on its day, got {value.text!r}")
        return None
    return SessionTime(start, end)
