"""The linked types of a recap: Day, Session, Project, Recommendation and Topic.

Each type is built from a store record and the recap it belongs to by `from_record`;
relation fields are thin methods that ask a resolver for records of the same recap and map
them. All five live in one module because they all point at each other; the `Recap` they
belong to is in `schema.recap` (reached lazily, since it points back at all of them).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Annotated, TypeVar

import strawberry
from strawberry import relay

from resolvers import days, projects, recommendations, sessions, topics
from schema.context import Info, index_of, node_key, split_node_key
from schema.enums import ProjectCategory, RecommendationKind, SessionKind
from schema.provenance import Inferred, Missing, Note, Source
from store import RecapIndex
from store.records import Day as DayRecord
from store.records import Note as NoteRecord
from store.records import Project as ProjectRecord
from store.records import Recommendation as RecommendationRecord
from store.records import Session as SessionRecord
from store.records import Source as SourceRecord
from store.records import Topic as TopicRecord

if TYPE_CHECKING:
    from schema.recap import Recap

R = TypeVar("R")
T = TypeVar("T")

_NOT_GIVEN = "Null when the recap does not give it (the source's links were stripped)."
_TOPIC_NODES = (
    "The topics the {what} covers as `Topic` objects, in the order of `topics` (their names alone): each with its "
    "`id`, description, sessions and projects."
)
RecapOfNode = Annotated["Recap", strawberry.lazy("schema.recap")]


def recap_of(info: Info, slug: str) -> Recap:
    """The `Recap` object of the recap `slug` (imported here: `schema.recap` imports this module)."""
    from schema.recap import Recap

    return Recap.from_index(index_of(info, slug))


# Objects built from records are kept and handed out again: a store never changes, so a record
# always builds the same object, and building one (an enum looked up, times formatted, lists
# copied) was a quarter of executing the nested day → sessions → projects query. Nothing changes
# an object once built (graphql-core and the plans complete every list into a new one). Keyed by
# the record's identity and checked against it (the entry keeps the record alive, so its id cannot
# be reused); emptied when full, so a process that opens many stores (tests) keeps at most this many.
MAX_KEPT_OBJECTS = 100_000
_kept: dict[int, tuple[object, str, object]] = {}


def _built(record: R, index: RecapIndex, build: Callable[[R, RecapIndex], T]) -> T:
    """`build(record, index)`, made once per record and recap and kept."""
    found = _kept.get(id(record))
    if found is not None and found[0] is record and found[1] == index.slug:
        return found[2]  # type: ignore[return-value]  # what `build` made for this very record
    made = build(record, index)
    if len(_kept) >= MAX_KEPT_OBJECTS:
        _kept.clear()
    _kept[id(record)] = (record, index.slug, made)
    return made


# Provenance (sources, notes, what is missing or inferred) is built when a query asks for it, from
# the record each object keeps: it was most of what building an object cost (a session's notes and
# sources took 16 of the 18 µs `Session.from_record` did), and most queries never select it.


def _day_source(root: Day) -> Source:
    return Source.from_record(root.record.source, root.recap_slug)


def _day_inferred(root: Day) -> list[Inferred]:
    return Inferred.from_records(root.record.inferred, root.recap_slug)


def _session_summary_source(root: Session) -> Source | None:
    return Source.maybe(_source(root.record.summary), root.recap_slug)


def _session_notes(root: Session) -> list[Note]:
    return [Note.from_record(note, root.recap_slug) for note in root.record.notes]


def _session_verdict_source(root: Session) -> Source | None:
    return Source.maybe(_source(root.record.verdict), root.recap_slug)


def _record_source(root: Session | Project | Recommendation) -> Source:
    return Source.from_record(root.record.source, root.recap_slug)


def _record_missing(root: Session | Project | Recommendation) -> list[Missing]:
    return Missing.from_records(root.record.missing)


def _description_source(root: Project | Topic) -> Source | None:
    return Source.maybe(_source(root.record.description), root.recap_slug)


def _reason_source(root: Recommendation) -> Source | None:
    return Source.maybe(_source(root.record.reason), root.recap_slug)


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
        return _built(record, index, cls._build)

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
        resolver=_record_source, description="Where the session is in the recap: its title's line and words."
    )
    missing: list[Missing] = strawberry.field(
        resolver=_record_missing,
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

    @strawberry.field(description=_TOPIC_NODES.format(what="session"))
    def topic_nodes(self, info: Info) -> list[Topic]:
        index = index_of(info, self.recap_slug)
        return Topic.from_records(topics.topics_named(index, self.topics), index)

    @strawberry.field(description="The recap this session belongs to.")
    def recap(self, info: Info) -> RecapOfNode:
        return recap_of(info, self.recap_slug)

    @classmethod
    def from_record(cls, record: SessionRecord, index: RecapIndex) -> Session:
        return _built(record, index, cls._build)

    @classmethod
    def _build(cls, record: SessionRecord, index: RecapIndex) -> Session:
        return cls(
            slug=record.slug,
            title=record.title,
            kind=SessionKind(record.kind),
            start_time=record.time.start.isoformat("minutes") if record.time is not None else None,
            end_time=record.time.end.isoformat("minutes") if record.time is not None else None,
            summary=_text(record.summary),
            takeaways=[note.text for note in record.notes],
            topics=list(record.topics),
            speakers=list(record.speakers),
            organizations=list(record.organizations),
            verdict=_text(record.verdict),
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
        return [_node(info, node_id, sessions.get_session, cls.from_record) for node_id in node_ids]


@strawberry.type(description="A project, tool, service, Kubernetes feature or specification the recap mentions.")
class Project(relay.Node):
    slug: str = strawberry.field(description="A stable, URL-friendly key, e.g. `linkerd`; unique within its recap.")
    name: str = strawberry.field(description="The project's name, spelt as the project spells it.")
    written_as: str | None = strawberry.field(
        description="How the recap writes the name, where that differs from `name` (a typo, another form); else null."
    )
    category: ProjectCategory = strawberry.field(description="What sort of thing it is.")
    description: str | None = strawberry.field(description="What it is, in one line, as the recap presents it.")
    description_source: Source | None = strawberry.field(
        resolver=_description_source,
        description="Where the description comes from (`quote` null: the curator's words); null without one.",
    )
    topics: list[str] = strawberry.field(
        description="Topic names the project belongs to (see `Query.topics`; `topicNodes` gives the topics themselves)."
    )
    url: str | None = strawberry.field(description=f"Where to find the project. {_NOT_GIVEN}")
    source: Source = strawberry.field(
        resolver=_record_source, description="Where the recap first names the project, in its own spelling."
    )
    missing: list[Missing] = strawberry.field(
        resolver=_record_missing, description="What the recap lost or never gave about the project."
    )
    record: strawberry.Private[ProjectRecord]
    recap_slug: strawberry.Private[str]

    @strawberry.field(description="The sessions that mention the project, in recap order.")
    def sessions(self, info: Info) -> list[Session]:
        index = index_of(info, self.recap_slug)
        return Session.from_records(sessions.sessions_of_project(index, self.slug), index)

    @strawberry.field(description="The recap's recommendations that point at this project.")
    def recommendations(self, info: Info) -> list[Recommendation]:
        index = index_of(info, self.recap_slug)
        return Recommendation.from_records(recommendations.recommendations_for_project(index, self.slug), index)

    @strawberry.field(description=_TOPIC_NODES.format(what="project"))
    def topic_nodes(self, info: Info) -> list[Topic]:
        index = index_of(info, self.recap_slug)
        return Topic.from_records(topics.topics_named(index, self.topics), index)

    @strawberry.field(description="The recap this project belongs to.")
    def recap(self, info: Info) -> RecapOfNode:
        return recap_of(info, self.recap_slug)

    @classmethod
    def from_record(cls, record: ProjectRecord, index: RecapIndex) -> Project:
        return _built(record, index, cls._build)

    @classmethod
    def _build(cls, record: ProjectRecord, index: RecapIndex) -> Project:
        return cls(
            slug=record.slug,
            name=record.name,
            written_as=record.written_as,
            category=ProjectCategory(record.category),
            description=_text(record.description),
            topics=list(record.topics),
            url=record.url,
            record=record,
            recap_slug=index.slug,
        )

    @classmethod
    def from_records(cls, found: Iterable[ProjectRecord], index: RecapIndex) -> list[Project]:
        return [cls.from_record(record, index) for record in found]

    @classmethod
    def resolve_id(cls, root: Project, *, info: Info) -> str:
        return node_key(info, root.recap_slug, root.slug)

    @classmethod
    def resolve_nodes(  # type: ignore[override]  # one signature for Node's overloads
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Project | None]:
        return [_node(info, node_id, projects.get_project, cls.from_record) for node_id in node_ids]


@strawberry.type(
    description="Something the recap recommends: a talk to watch, a read, a project, a practice, a buzzword."
)
class Recommendation(relay.Node):
    slug: str = strawberry.field(
        description="A stable, URL-friendly key, e.g. `read-sre-book`; unique within its recap."
    )
    kind: RecommendationKind = strawberry.field(description="What the recommendation asks the reader to do.")
    title: str = strawberry.field(description="What is recommended; buzzwords exactly as the recap writes them.")
    reason: str | None = strawberry.field(description="Why the recap recommends it.")
    reason_source: Source | None = strawberry.field(
        resolver=_reason_source,
        description="Where the reason comes from (`quote` null: the curator's words); null without a reason.",
    )
    url: str | None = strawberry.field(description=f"Where to find it. {_NOT_GIVEN}")
    source: Source = strawberry.field(
        resolver=_record_source,
        description=(
            "Where the recap recommends it: its title's words, or its reason's when the title is the curator's."
        ),
    )
    missing: list[Missing] = strawberry.field(
        resolver=_record_missing, description="What the recap lost or never gave about it."
    )
    session_slug: strawberry.Private[str | None]
    project_slug: strawberry.Private[str | None]
    record: strawberry.Private[RecommendationRecord]
    recap_slug: strawberry.Private[str]

    @strawberry.field(description="The session the recommendation points at, if any.")
    def session(self, info: Info) -> Session | None:
        index = index_of(info, self.recap_slug)
        record = sessions.get_session(index, self.session_slug) if self.session_slug else None
        return None if record is None else Session.from_record(record, index)

    @strawberry.field(description="The project the recommendation points at, if any.")
    def project(self, info: Info) -> Project | None:
        index = index_of(info, self.recap_slug)
        record = projects.get_project(index, self.project_slug) if self.project_slug else None
        return None if record is None else Project.from_record(record, index)

    @strawberry.field(description="The recap this recommendation belongs to.")
    def recap(self, info: Info) -> RecapOfNode:
        return recap_of(info, self.recap_slug)

    @classmethod
    def from_record(cls, record: RecommendationRecord, index: RecapIndex) -> Recommendation:
        return cls(
            slug=record.slug,
            kind=RecommendationKind(record.kind),
            title=record.title,
            reason=_text(record.reason),
            url=record.url,
            session_slug=record.session,
            project_slug=record.project,
            record=record,
            recap_slug=index.slug,
        )

    @classmethod
    def from_records(cls, found: Iterable[RecommendationRecord], index: RecapIndex) -> list[Recommendation]:
        return [cls.from_record(record, index) for record in found]

    @classmethod
    def resolve_id(cls, root: Recommendation, *, info: Info) -> str:
        return node_key(info, root.recap_slug, root.slug)

    @classmethod
    def resolve_nodes(  # type: ignore[override]  # one signature for Node's overloads
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Recommendation | None]:
        return [_node(info, node_id, recommendations.get_recommendation, cls.from_record) for node_id in node_ids]


@strawberry.type(description="A subject that sessions and projects are tagged with; `node(id:)` refetches it.")
class Topic(relay.Node):
    slug: str = strawberry.field(
        description=(
            "A URL-friendly key made from the name (`service mesh` → `service-mesh`), unique within its recap; "
            "the topic's `id` is made from it."
        )
    )
    name: str = strawberry.field(
        description='The topic\'s name, e.g. "service mesh"; filters match it case-insensitively.'
    )
    description: str | None = strawberry.field(
        description="What the topic covers; null when the recap names the topic without describing it."
    )
    description_source: Source | None = strawberry.field(
        resolver=_description_source,
        description="Where the description comes from (`quote` null: the curator's words); null without one.",
    )
    record: strawberry.Private[TopicRecord]
    recap_slug: strawberry.Private[str]

    @strawberry.field(description="The sessions on this topic, in recap order.")
    def sessions(self, info: Info) -> list[Session]:
        index = index_of(info, self.recap_slug)
        return Session.from_records(sessions.sessions_of_topic(index, self.name), index)

    @strawberry.field(description="The projects on this topic, ordered by name.")
    def projects(self, info: Info) -> list[Project]:
        index = index_of(info, self.recap_slug)
        return Project.from_records(projects.projects_of_topic(index, self.name), index)

    @strawberry.field(description="The recap this topic belongs to.")
    def recap(self, info: Info) -> RecapOfNode:
        return recap_of(info, self.recap_slug)

    @classmethod
    def from_record(cls, record: TopicRecord, index: RecapIndex) -> Topic:
        return cls(
            slug=topics.topic_slug(index, record),
            name=record.name,
            description=_text(record.description),
            record=record,
            recap_slug=index.slug,
        )

    @classmethod
    def from_records(cls, found: Iterable[TopicRecord], index: RecapIndex) -> list[Topic]:
        return [cls.from_record(record, index) for record in found]

    @classmethod
    def resolve_id(cls, root: Topic, *, info: Info) -> str:
        return node_key(info, root.recap_slug, root.slug)

    @classmethod
    def resolve_nodes(  # type: ignore[override]  # one signature for Node's overloads
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Topic | None]:
        return [_node(info, node_id, topics.get_topic_by_slug, cls.from_record) for node_id in node_ids]


def _node(
    info: Info,
    node_id: str,
    lookup: Callable[[RecapIndex, str], R | None],
    build: Callable[[R, RecapIndex], T],
) -> T | None:
    """The object a node id names (see `node_key`), or None: "not found" is a null."""
    index, key = split_node_key(info, node_id)
    record = lookup(index, key) if index is not None else None
    return None if record is None or index is None else build(record, index)


def _text(note: NoteRecord | None) -> str | None:
    return None if note is None else note.text


def _source(note: NoteRecord | None) -> SourceRecord | None:
    return None if note is None else note.source


def or_none(build: Callable[[R, RecapIndex], T], record: R | None, index: RecapIndex | None) -> T | None:
    """`build(record, index)`, or None when no record (or no recap) was found: "not found" is a null."""
    return None if record is None or index is None else build(record, index)
