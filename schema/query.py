"""The root Query type: every way into the recap."""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from resolvers import projects, recap, recommendations, search, sessions, topics
from resolvers.pagination import MAX_PAGE_SIZE, paginate
from schema.connections import ProjectConnection, SessionConnection, connection
from schema.context import Info, store_of
from schema.enums import RecommendationKind
from schema.inputs import ProjectFilter, SessionFilter
from schema.recap import Recap
from schema.search import SearchHit
from schema.types import Day, Project, Recommendation, Session, Topic, or_none

_FIRST = f"How many items to return, 1 to {MAX_PAGE_SIZE}."
_AFTER = "Return the items after this cursor (an `endCursor` or edge `cursor` from an earlier page)."


@strawberry.type(description="The root of every query: the recap, its days, sessions, projects and recommendations.")
class Query:
    node: relay.Node | None = relay.node(
        description="Refetch any object by its global `id` (a Day, Session, Project or Recommendation); null if none."
    )

    @strawberry.field(description="The recap itself: the event, where and when, and the author's overall verdict.")
    def recap(self, info: Info) -> Recap:
        return Recap.from_record(recap.get_recap(store_of(info)))

    @strawberry.field(description="Every day of the event, ordered by date, each with its sessions.")
    def days(self, info: Info) -> list[Day]:
        return [Day.from_record(record) for record in recap.list_days(store_of(info))]

    @strawberry.field(description="The day with this date, or null if the event had none.")
    def day(
        self, info: Info, date: Annotated[datetime.date, strawberry.argument(description="The date (yyyy-mm-dd).")]
    ) -> Day | None:
        record = recap.get_day(store_of(info), date)
        return or_none(Day.from_record, record)

    @strawberry.field(description="Sessions in recap order, optionally filtered, one page at a time.")
    def sessions(
        self,
        info: Info,
        filter_: Annotated[
            SessionFilter | None, strawberry.argument(name="filter", description="Conditions the sessions must meet.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=_FIRST)] = 20,
        after: Annotated[str | None, strawberry.argument(description=_AFTER)] = None,
    ) -> SessionConnection:
        where = filter_.to_filter() if filter_ is not None else None
        page = paginate(sessions.filter_sessions(store_of(info), where), first=first, after=after)
        return connection(SessionConnection, page, Session.from_record)

    @strawberry.field(description="The session with this slug, or null if there is none.")
    def session(
        self, info: Info, slug: Annotated[str, strawberry.argument(description="The session's slug.")]
    ) -> Session | None:
        record = sessions.get_session(store_of(info), slug)
        return or_none(Session.from_record, record)

    @strawberry.field(description="Projects ordered by name, optionally filtered, one page at a time.")
    def projects(
        self,
        info: Info,
        filter_: Annotated[
            ProjectFilter | None, strawberry.argument(name="filter", description="Conditions the projects must meet.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=_FIRST)] = 20,
        after: Annotated[str | None, strawberry.argument(description=_AFTER)] = None,
    ) -> ProjectConnection:
        where = filter_.to_filter() if filter_ is not None else None
        page = paginate(projects.filter_projects(store_of(info), where), first=first, after=after)
        return connection(ProjectConnection, page, Project.from_record)

    @strawberry.field(description="The project with this slug, or null if there is none.")
    def project(
        self, info: Info, slug: Annotated[str, strawberry.argument(description="The project's slug.")]
    ) -> Project | None:
        record = projects.get_project(store_of(info), slug)
        return or_none(Project.from_record, record)

    @strawberry.field(description="The recap's recommendations in recap order, optionally of one kind.")
    def recommendations(
        self,
        info: Info,
        kind: Annotated[
            RecommendationKind | None, strawberry.argument(description="Only recommendations of this kind.")
        ] = None,
    ) -> list[Recommendation]:
        found = recommendations.list_recommendations(store_of(info), kind.name if kind is not None else None)
        return Recommendation.from_records(found)

    @strawberry.field(
        description=(
            "Ranked search across session titles, summaries, takeaways and topics, project names and "
            "descriptions, and recommendations; case-insensitive, best match first."
        )
    )
    def search(
        self,
        info: Info,
        query: Annotated[
            str, strawberry.argument(description="Words to look for; a word also matches longer words it starts.")
        ],
        first: Annotated[
            int | None, strawberry.argument(description=f"How many hits to return, 1 to {MAX_PAGE_SIZE}.")
        ] = 10,
    ) -> list[SearchHit]:
        return [SearchHit.from_hit(hit) for hit in search.search(store_of(info), query, first=first)]

    @strawberry.field(description="Every topic, ordered by name, with its sessions and projects.")
    def topics(self, info: Info) -> list[Topic]:
        return [Topic.from_record(record) for record in topics.list_topics(store_of(info))]

    @strawberry.field(description="The topic with this name (case-insensitive), or null if there is none.")
    def topic(
        self, info: Info, name: Annotated[str, strawberry.argument(description="The topic's name.")]
    ) -> Topic | None:
        record = topics.get_topic(store_of(info), name)
        return or_none(Topic.from_record, record)
