"""A recap's days and the sessions on them: the `Day` and `Session` types.

Each is built from a store record and the recap it belongs to by `from_record`; relation fields
are thin methods that ask a resolver for records of the same recap and map them. What a session
points at (projects, recommendations, topics) is in `projects.py`, which reaches back here
lazily (`links.py`); so does every type's `recap`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import strawberry
from strawberry import relay

from resolvers import days, projects, recommendations, sessions, topics
from schema.context import Info, index_of, node_key, node_object, split_node_key
from schema.types.enums import SessionKind
from schema.types.links import RecapOfNode, recap_of
from schema.types.object_cache import built
from schema.types.projects import TOPIC_NODES, Project, Recommendation, Topic
from schema.types.provenance import (
    Inferred,
    Missing,
    Note,
    Source,
    note_source,
    note_text,
    record_missing,
    record_source,
)
from store import RecapIndex
from store.records import Day as DayRecord
from store.records import Session as SessionRecord

# Provenance (sources, notes, what is missing or inferred) is built when a query asks for it, from
# the record each object keeps: it was most of what building an object cost (a session's notes and
# sources took 16 of the 18 µs `Session.from_record` did), and most queries never select it.


def _day_source(root: Day) -> Source:
    return Source.from_record(root.record.source, root.recap_slug)


def _day_inferred(root: Day) -> list[Inferred]:
    return Inferred.from_records(root.record.inferred, root.recap_slug)


def _session_summary_source(root: Session) -> Source | None:
    return Source.maybe(note_source(root.record.summary), root.recap_slug)


def _session_notes(root: Session) -> list[Note]:
    return [Note.from_record(note, root.recap_slug) for note in root.record.notes]


def _session_verdict_source(root: Session) -> Source | None:
    return Source.maybe(note_source(root.record.verdict), root.recap_slug)


@strawberry.type(description="One day of the event, with its sessions in the order the recap tells them.")
class Day(relay.Node):
    date: datetime.date = strawberry.field(description="The calendar date (yyyy-mm-dd).")
    title: str = strawberry.field(description='How the recap names the day, e.g. "Day 1".')
    source: Source = strawberry.field(
        resolver=_day_source,
        description="The words the day rests on: what dates it, when its date is inferred (see `inferred`).",
    )
    inferred: list[Inferred] = strawberry.field(
        resolver=_day_inferred,
        description="What of the day the recap implies without stating it (its date, for the KubeCon recap's days).",
    )
    record: strawberry.Private[DayRecord]
    recap_slug: strawberry.Private[str]

    @strawberry.field(description="The day's sessions, keynote blocks included, in recap order.")
    def sessions(self, info: Info) -> list[Session]:
        index = index_of(info, self.recap_slug)
        return Session.from_records(sessions.sessions_of_day(index, self.date), index)

    @strawberry.field(description="The recap this day belongs to.")
    def recap(self, info: Info) -> RecapOfNode:
        return recap_of(info, self.recap_slug)

    @classmethod
    def from_record(cls, record: DayRecord, index: RecapIndex) -> Day:
        return built(record, index, cls._build)

    @classmethod
    def _build(cls, record: DayRecord, index: RecapIndex) -> Day:
        return cls(
            date=record.date,
            title=record.title,
            record=record,
            recap_slug=index.slug,
        )

    @classmethod
    def resolve_id(cls, root: Day, *, info: Info) -> str:
        return node_key(info, root.recap_slug, root.date.isoformat())

    @classmethod
    def resolve_nodes(  # type: ignore[override]  # one signature for Node's overloads
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Day | None]:
        found = []
        for node_id in node_ids:
            index, key = split_node_key(info, node_id)
            try:
                record = days.get_day(index, datetime.date.fromisoformat(key)) if index is not None else None
            except ValueError:
                record = None
            found.append(None if record is None or index is None else cls.from_record(record, index))
        return found


@strawberry.type(description="A session the recap names: a talk, a keynote (block), a BOF, a workshop…")
class Session(relay.Node):
    slug: str = strawberry.field(
        description="A stable, URL-friendly key, e.g. `serverless-wg-bof`; unique within its recap."
    )
    title: str = strawberry.field(description="The session's title, exactly as the recap gives it.")
    kind: SessionKind = strawberry.field(description="What kind of session it is.")
    start_time: str | None = strawberry.field(
        description="When the session started on its day, `HH:MM` (24-hour) local time in the recap's `timezone` "
        "(no zone: as the recap gives it); null when the recap gives no time, as the embedded KubeCon recap does."
    )
    end_time: str | None = strawberry.field(
        description="When the session ended on its day, `HH:MM` (24-hour) local time, after `startTime`; null when "
        "the recap gives no time."
    )
    summary: str | None = strawberry.field(description="What the session was about, in one or two sentences.")
    summary_source: Source | None = strawberry.field(
        resolver=_session_summary_source,
        description="Where the summary comes from (`quote` null: the curator's words); null without a summary.",
    )
    notes: list[Note] = strawberry.field(
        resolver=_session_notes,
        description="The recap's notes on the session, in recap order, each with where it comes from.",
    )
    takeaways: list[str] = strawberry.field(
        description="The recap's notes on the session, one fact each, in recap order.",
        deprecation_reason="Use `notes`, which says where each note comes from; `takeaways` is their text alone.",
    )
    topics: list[str] = strawberry.field(
        description="Topic names the session covers (see `Query.topics`; `topicNodes` gives the topics themselves)."
    )
    speakers: list[str] = strawberry.field(
        description="Speakers the recap names. It names almost none, so this is usually empty: never guessed."
    )
    organizations: list[str] = strawberry.field(
        description="Organisations the recap ties to the session, e.g. the speakers' employer."
    )
    verdict: str | None = strawberry.field(
        description="The author's verdict (a highlight, worth watching, left unclear…); null when the recap gives none."
    )
    verdict_source: Source | None = strawberry.field(
        resolver=_session_verdict_source,
        description="Where the verdict comes from (`quote` null: the curator's words); null without a verdict.",
    )
    source: Source = strawberry.field(
        resolver=record_source, description="Where the session is in the recap: its title's line and words."
    )
    missing: list[Missing] = strawberry.field(
        resolver=record_missing,
        description="What the recap lost or never gave about the session (e.g. its speakers), as data.",
    )
    date: strawberry.Private[datetime.date]
    record: strawberry.Private[SessionRecord]
    recap_slug: strawberry.Private[str]

    @strawberry.field(description="The day the session took place.")
    def day(self, info: Info) -> Day:
        index = index_of(info, self.recap_slug)
        record = days.get_day(index, self.date)
        assert record is not None  # the store checks every session's day exists
        return Day.from_record(record, index)

    @strawberry.field(description="The projects, tools and specifications the session mentions.")
    def projects(self, info: Info) -> list[Project]:
        index = index_of(info, self.recap_slug)
        return Project.from_records(projects.projects_of_session(index, self.slug), index)

    @strawberry.field(description="The recap's recommendations that point at this session.")
    def recommendations(self, info: Info) -> list[Recommendation]:
        index = index_of(info, self.recap_slug)
        return Recommendation.from_records(recommendations.recommendations_for_session(index, self.slug), index)

    @strawberry.field(description=TOPIC_NODES.format(what="session"))
    def topic_nodes(self, info: Info) -> list[Topic]:
        index = index_of(info, self.recap_slug)
        return Topic.from_records(topics.topics_named(index, self.topics), index)

    @strawberry.field(description="The recap this session belongs to.")
    def recap(self, info: Info) -> RecapOfNode:
        return recap_of(info, self.recap_slug)

    @classmethod
    def from_record(cls, record: SessionRecord, index: RecapIndex) -> Session:
        return built(record, index, cls._build)

    @classmethod
    def _build(cls, record: SessionRecord, index: RecapIndex) -> Session:
        return cls(
            slug=record.slug,
            title=record.title,
            kind=SessionKind(record.kind),
            start_time=record.time.start.isoformat("minutes") if record.time is not None else None,
            end_time=record.time.end.isoformat("minutes") if record.time is not None else None,
            summary=note_text(record.summary),
            takeaways=[note.text for note in record.notes],
            topics=list(record.topics),
            speakers=list(record.speakers),
            organizations=list(record.organizations),
            verdict=note_text(record.verdict),
            date=record.day,
            record=record,
            recap_slug=index.slug,
        )

    @classmethod
    def from_records(cls, found: Iterable[SessionRecord], index: RecapIndex) -> list[Session]:
        return [cls.from_record(record, index) for record in found]

    @classmethod
    def resolve_id(cls, root: Session, *, info: Info) -> str:
        return node_key(info, root.recap_slug, root.slug)

    @classmethod
    def resolve_nodes(  # type: ignore[override]  # one signature for Node's overloads
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Session | None]:
        return [node_object(info, node_id, sessions.get_session, cls.from_record) for node_id in node_ids]
