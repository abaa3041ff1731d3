"""A recap's sessions as a calendar: `/recaps/<slug>/calendar.ics`, iCalendar (RFC 5545) written by `icalendar`.

One VEVENT per session, in the agenda's order. A session with a `time:` runs from its start to
its end on its day, in the recap's `timezone` (each time with its TZID, and the zone's VTIMEZONE
in the file); in a recap that names no zone its times are floating, the wall-clock times the
recap gives, since any zone would be a guess. A session without a time is an all-day event on its
day. Nothing in the file depends on when or how it is asked for: the same store (and time zone
data) gives the same bytes, UIDs (`<session>@<recap>.recapql`) and DTSTAMPs (the recap's last
change) included, so a calendar that imports it again updates its events instead of adding copies.
"""

from __future__ import annotations

import datetime
import hashlib
import zoneinfo
from collections.abc import Iterable

import anyio.to_thread
from cachetools import LRUCache
from icalendar import Calendar, Event, Timezone
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from store import RecapIndex, Store
from store.records import Note, Recap, Session

MEDIA_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//recapql//recap calendar//EN"
# A browser or a calendar may keep the file a minute, as it may the other pages: the store never
# changes while it is loaded, and a restart with another store changes the ETag.
CACHE_CONTROL = "public, max-age=60"
# Built once per recap and store: a recap of thousands of sessions takes a while to write.
_BUILT: LRUCache[str, tuple[bytes, str]] = LRUCache(maxsize=32)


def calendar_routes() -> list[BaseRoute]:
    return [Route("/recaps/{recap}/calendar.ics", calendar, methods=["GET"], name="calendar")]


async def calendar(request: Request) -> Response:
    store: Store = request.state.store
    index = store.by_slug.get(request.path_params["recap"])
    if index is None:
        return PlainTextResponse("There is no such recap here.\n", status_code=404)
    built = _BUILT.get(index.version)
    if built is None:
        body = await anyio.to_thread.run_sync(calendar_of, index)
        built = _BUILT[index.version] = (body, f'"{hashlib.sha256(body).hexdigest()[:32]}"')
    body, etag = built
    headers = {
        "cache-control": CACHE_CONTROL,
        "etag": etag,
        "content-disposition": f'attachment; filename="{index.slug}.ics"',
    }
    tags = _tags(request.headers.get("if-none-match", ""))
    if etag in tags or "*" in tags:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=MEDIA_TYPE, headers=headers)


def _tags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def calendar_of(index: RecapIndex) -> bytes:
    """The recap's calendar, as the bytes of an iCalendar file."""
    recap = index.recap
    zone = _zone(recap.timezone)
    calendar = Calendar.new(
        prodid=PRODID,
        uid=f"{recap.slug}.recapql",
        name=recap.event,
        description=f"The sessions of “{recap.title}”: {recap.event}, {recap.city}, {recap.country}.",
    )
    if zone is not None:
        # The whole years of the event: the zone's real transitions, not a rule made up for a few days.
        first = datetime.date(recap.start_date.year, 1, 1)
        last = datetime.date(recap.end_date.year + 1, 1, 1)
        calendar.add_component(Timezone.from_tzinfo(zone, tzid=zone.key, first_date=first, last_date=last))
        calendar.add("x-wr-timezone", zone.key)  # the calendar's own zone, for clients that show one
    stamp = _stamp(recap)
    location = f"{recap.city}, {recap.country}"
    for session in index.sessions:
        start, end = _when(session, zone)
        calendar.add_component(
            Event.new(
                uid=f"{session.slug}@{recap.slug}.recapql",
                stamp=stamp,
                summary=session.title,
                description=_description(session),
                start=start,
                end=end,
                location=location,
                url=_recording(index, session),
                categories=[session.kind.replace("_", " ").lower()],
            )
        )
    body: bytes = calendar.to_ical()
    return body


def _zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    """The recap's zone; None when it names none (or, in a store imported before zones were checked, an unknown one)."""
    if name is None:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def _when(session: Session, zone: zoneinfo.ZoneInfo | None) -> tuple[datetime.date, datetime.date]:
    """The session's start and end: local times on its day, or its day as an all-day event (the end is exclusive)."""
    if session.time is None:
        return session.day, session.day + datetime.timedelta(days=1)
    start = datetime.datetime.combine(session.day, session.time.start, tzinfo=zone)
    return start, datetime.datetime.combine(session.day, session.time.end, tzinfo=zone)


def _stamp(recap: Recap) -> datetime.datetime:
    """DTSTAMP, when the recap was last revised: its latest change, else its last day (never the request's time)."""
    day = max((change.date for change in recap.changes), default=recap.end_date)
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


def _description(session: Session) -> str | None:
    """The session's summary, then its notes as a list (nested items indented under their note)."""
    parts = [session.summary.text] if session.summary is not None else []
    if session.notes:
        parts.append("\n".join(_bullet(note) for note in session.notes))
    return "\n\n".join(parts) or None


def _bullet(note: Note) -> str:
    first, *nested = note.text.split("\n")
    return "\n".join([f"- {first}", *(f"  {line}" for line in nested)])


def _recording(index: RecapIndex, session: Session) -> str | None:
    """The session's URL: the link of a `watch` recommendation pointing at it, where the recap gives one."""
    watch: Iterable[str | None] = (
        item.url for item in index.recommendations_by_session.get(session.slug, ()) if item.kind == "WATCH"
    )
    return next((url for url in watch if url), None)
