"""The linked types of the recap: Day, Session, Project, Recommendation and Topic.

Each type is built from a store record by `from_record`; relation fields are thin
methods that ask a resolver for records and map them. All five live in one module
because they all point at each other.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import TypeVar

import strawberry
from strawberry import relay

from resolvers import projects, recap, recommendations, sessions
from schema.context import Info, store_of
from schema.enums import ProjectCategory, RecommendationKind, SessionKind
from store import records

R = TypeVar("R")
T = TypeVar("T")

_NOT_GIVEN = "Null when the recap does not give it (the source's links were stripped)."


@strawberry.type(description="One day of the event, with its sessions in the order the recap tells them.")
class Day(relay.Node):
    date: datetime.date = strawberry.field(description="The calendar date (yyyy-mm-dd).")
    title: str = strawberry.field(description='How the recap names the day, e.g. "Day 1".')

    @strawberry.field(description="The day's sessions, keynote blocks included, in recap order.")
    def sessions(self, info: Info) -> list[Session]:
        return Session.from_records(sessions.sessions_of_day(store_of(info), self.date))

    @classmethod
    def from_record(cls, record: records.Day) -> Day:
        return cls(date=record.date, title=record.title)

    @classmethod
    def resolve_id(cls, root: Day, *, info: Info) -> str:
        return root.date.isoformat()

    @classmethod
    def resolve_nodes(  # type: ignore[override]  # one signature for Node's overloads
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Day | None]:
        store = store_of(info)
        found = []
        for node_id in node_ids:
            try:
                record = recap.get_day(store, datetime.date.fromisoformat(node_id))
            except ValueError:
                record = None
            found.append(or_none(cls.from_record, record))
        return found


@strawberry.type(description="A session the recap names: a talk, a keynote (block), a BOF, a workshop…")
class Session(relay.Node):
    slug: str = strawberry.field(description="A stable, URL-friendly key, e.g. `serverless-wg-bof`.")
    title: str = strawberry.field(description="The session's title, exactly as the recap gives it.")
    kind: SessionKind = strawberry.field(description="What kind of session it is.")
    summary: str | None = strawberry.field(description="What the session was about, in one or two sentences.")
    takeaways: list[str] = strawberry.field(
        description="The recap's notes on the session, one fact each, in recap order."
    )
    topics: list[str] = strawberry.field(description="Topic names the session covers (see `Query.topics`).")
    speakers: list[str] = strawberry.field(
        description="Speakers the recap names. It names almost none, so this is usually empty: never guessed."
    )
    organizations: list[str] = strawberry.field(
        description="Organisations the recap ties to the session, e.g. the speakers' employer."
    )
    verdict: str | None = strawberry.field(
        description="The author's verdict (a highlight, worth watching, left unclear…); null when the recap gives none."
    )
    date: strawberry.Private[datetime.date]

    @strawberry.field(description="The day the session took place.")
    def day(self, info: Info) -> Day:
        record = recap.get_day(store_of(info), self.date)
        assert record is not None  # the store checks every session's day exists
        return Day.from_record(record)

    @strawberry.field(description="The projects, tools and specifications the session mentions.")
    def projects(self, info: Info) -> list[Project]:
        return Project.from_records(projects.projects_of_session(store_of(info), self.slug))

    @strawberry.field(description="The recap's recommendations that point at this session.")
    def recommendations(self, info: Info) -> list[Recommendation]:
        return Recommendation.from_records(recommendations.recommendations_for_session(store_of(info), self.slug))

    @classmethod
    def from_record(cls, record: records.Session) -> Session:
        return cls(
            slug=record.slug,
            title=record.title,
            kind=SessionKind(record.kind),
            summary=record.summary,
            takeaways=list(record.takeaways),
            topics=list(record.topics),
            speakers=list(record.speakers),
            organizations=list(record.organizations),
            verdict=record.verdict,
            date=record.day,
        )

    @classmethod
    def from_records(cls, found: Iterable[records.Session]) -> list[Session]:
        return [cls.from_record(record) for record in found]

    @classmethod
    def resolve_id(cls, root: Session, *, info: Info) -> str:
        return root.slug

    @classmethod
    def resolve_nodes(  # type: ignore[override]  # one signature for Node's overloads
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Session | None]:
        return [or_none(cls.from_record, sessions.get_session(store_of(info), node_id)) for node_id in node_ids]


@strawberry.type(description="A project, tool, service, Kubernetes feature or specification the recap mentions.")
class Project(relay.Node):
    slug: str = strawberry.field(description="A stable, URL-friendly key, e.g. `linkerd`.")
    name: str = strawberry.field(description="The project's name.")
    category: ProjectCategory = strawberry.field(description="What sort of thing it is.")
    description: str | None = strawberry.field(description="What it is, in one line, as the recap presents it.")
    topics: list[str] = strawberry.field(description="Topic names the project belongs to (see `Query.topics`).")
    url: str | None = strawberry.field(description=f"Where to find the project. {_NOT_GIVEN}")

    @strawberry.field(description="The sessions that mention the project, in recap order.")
    def sessions(self, info: Info) -> list[Session]:
        return Session.from_records(sessions.sessions_of_project(store_of(info), self.slug))

    @strawberry.field(description="The recap's recommendations that point at this project.")
    def recommendations(self, info: Info) -> list[Recommendation]:
        return Recommendation.from_records(recommendations.recommendations_for_project(store_of(info), self.slug))

    @classmethod
    def from_record(cls, record: records.Project) -> Project:
        return cls(
            slug=record.slug,
            name=record.name,
            category=ProjectCategory(record.category),
            description=record.description,
            topics=list(record.topics),
            url=record.url,
        )

    @classmethod
    def from_records(cls, found: Iterable[records.Project]) -> list[Project]:
        return [cls.from_record(record) for record in found]

    @classmethod
    def resolve_id(cls, root: Project, *, info: Info) -> str:
        return root.slug

    @classmethod
    def resolve_nodes(  # type: ignore[override]  # one signature for Node's overloads
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Project | None]:
        return [or_none(cls.from_record, projects.get_project(store_of(info), node_id)) for node_id in node_ids]


@strawberry.type(
    description="Something the recap recommends: a talk to watch, a read, a project, a practice, a buzzword."
)
class Recommendation(relay.Node):
    slug: str = strawberry.field(description="A stable, URL-friendly key, e.g. `read-sre-book`.")
    kind: RecommendationKind = strawberry.field(description="What the recommendation asks the reader to do.")
    title: str = strawberry.field(description="What is recommended; buzzwords exactly as the recap writes them.")
    reason: str | None = strawberry.field(description="Why the recap recommends it.")
    url: str | None = strawberry.field(description=f"Where to find it. {_NOT_GIVEN}")
    session_slug: strawberry.Private[str | None]
    project_slug: strawberry.Private[str | None]

    @strawberry.field(description="The session the recommendation points at, if any.")
    def session(self, info: Info) -> Session | None:
        record = sessions.get_session(store_of(info), self.session_slug) if self.session_slug else None
        return or_none(Session.from_record, record)

    @strawberry.field(description="The project the recommendation points at, if any.")
    def project(self, info: Info) -> Project | None:
        record = projects.get_project(store_of(info), self.project_slug) if self.project_slug else None
        return or_none(Project.from_record, record)

    @classmethod
    def from_record(cls, record: records.Recommendation) -> Recommendation:
        return cls(
            slug=record.slug,
            kind=RecommendationKind(record.kind),
            title=record.title,
            reason=record.reason,
            url=record.url,
            session_slug=record.session,
            project_slug=record.project,
        )

    @classmethod
    def from_records(cls, found: Iterable[records.Recommendation]) -> list[Recommendation]:
        return [cls.from_record(record) for record in found]

    @classmethod
    def resolve_id(cls, root: Recommendation, *, info: Info) -> str:
        return root.slug

    @classmethod
    def resolve_nodes(  # type: ignore[override]  # one signature for Node's overloads
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Recommendation | None]:
        return [
            or_none(cls.from_record, recommendations.get_recommendation(store_of(info), node_id))
            for node_id in node_ids
        ]


@strawberry.type(description="A subject that sessions and projects are tagged with.")
class Topic:
    name: str = strawberry.field(
        description='The topic\'s name, e.g. "service mesh"; filters match it case-insensitively.'
    )
    description: str = strawberry.field(description="What the topic covers.")

    @strawberry.field(description="The sessions on this topic, in recap order.")
    def sessions(self, info: Info) -> list[Session]:
        return Session.from_records(sessions.sessions_of_topic(store_of(info), self.name))

    @strawberry.field(description="The projects on this topic, ordered by name.")
    def projects(self, info: Info) -> list[Project]:
        return Project.from_records(projects.projects_of_topic(store_of(info), self.name))

    @classmethod
    def from_record(cls, record: records.Topic) -> Topic:
        return cls(name=record.name, description=record.description)


def or_none(build: Callable[[R], T], record: R | None) -> T | None:
    """`build(record)`, or None when no record was found: "not found" is a null."""
    return None if record is None else build(record)
