"""The root Query type: every way into the store's recaps.

The lists here (`days`, `sessions`, `projects`, `recommendations`, `topics`, `search`,
`searchResults`) span every recap, or the one their `recap:` argument names; the lookups (`day`, `session`, `project`,
`topic`) look in one recap, the default one unless `recap:` names another. With one recap in the
store, both answer as that recap's own fields do.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from resolvers import recaps
from schema.context import Info, store_of
from schema.types import surface
from schema.types.arguments import (
    SEARCH_DESCRIPTION,
    SEARCH_RESULTS_DESCRIPTION,
    After,
    DayDate,
    First,
    FromRecap,
    InRecap,
    OfKind,
    ProjectConditions,
    ProjectOrdering,
    ProjectSlug,
    SearchAfter,
    SearchFirst,
    SearchTypes,
    SearchWords,
    SessionConditions,
    SessionOrdering,
    SessionSlug,
    TopicName,
)
from schema.types.connections import ProjectConnection, SessionConnection
from schema.types.inputs import DEFAULT_PROJECT_ORDER, DEFAULT_SESSION_ORDER
from schema.types.nodes import NodeIds, nodes_of
from schema.types.projects import Project, Recommendation, Topic
from schema.types.recap import Recap, RecapConnection, recap_page
from schema.types.search import SearchHit, SearchHitConnection
from schema.types.sessions import Day, Session
from store import RecapIndex
from store.fan_outs import NODE_IDS


def _scope(info: Info, recap: str | None) -> list[RecapIndex]:
    return list(recaps.scope(store_of(info), recap))


def _one(info: Info, recap: str | None) -> RecapIndex | None:
    return recaps.get_recap(store_of(info), recap)


@strawberry.type(description="The root of every query: the recaps, their days, sessions, projects and recommendations.")
class Query:
    node: relay.Node | None = relay.node(
        description=(
            "Refetch any object by its global `id` (a Recap, Day, Session, Project, Recommendation or Topic, of any "
            "recap); null if none."
        )
    )

    @strawberry.field(
        description=(
            f"Refetch up to {NODE_IDS} objects by their global ids, in the order of `ids`: each a Recap, Day, "
            "Session, Project, Recommendation or Topic of any recap, or null where an id names nothing."
        )
    )
    def nodes(self, info: Info, ids: NodeIds) -> list[relay.Node | None]:
        return nodes_of(info, ids)

    @strawberry.field(description="Every recap in the store, the newest event first, one page at a time.")
    def recaps(self, info: Info, first: First = 20, after: After = None) -> RecapConnection:
        return recap_page(info, first, after)

    @strawberry.field(
        description=(
            "A recap: the event, where and when, and the author's overall verdict. Without `slug`, the default recap "
            "(the first imported, unless the server names another); null for a slug the store does not hold."
        )
    )
    def recap(
        self,
        info: Info,
        slug: Annotated[
            str | None, strawberry.argument(description="The recap's slug; the default recap when null.")
        ] = None,
    ) -> Recap | None:
        index = _one(info, slug)
        return None if index is None else Recap.from_index(index)

    @strawberry.field(description="Every day of every recap (or of the one named), ordered by date within each recap.")
    def days(self, info: Info, recap: InRecap = None) -> list[Day]:
        return surface.day_list(_scope(info, recap))

    @strawberry.field(description="The day with this date in the default recap (or the one named), or null.")
    def day(self, info: Info, date: DayDate, recap: FromRecap = None) -> Day | None:
        return surface.day_of(_one(info, recap), date)

    @strawberry.field(
        description="Sessions in recap order (or `orderBy`'s, across recaps), optionally filtered, one page at a time."
    )
    def sessions(
        self,
        info: Info,
        filter_: SessionConditions = None,
        first: First = 20,
        after: After = None,
        recap: InRecap = None,
        order_by: SessionOrdering = DEFAULT_SESSION_ORDER,
    ) -> SessionConnection:
        return surface.session_page(_scope(info, recap), filter_, first, after, order_by)

    @strawberry.field(description="The session with this slug in the default recap (or the one named), or null.")
    def session(self, info: Info, slug: SessionSlug, recap: FromRecap = None) -> Session | None:
        return surface.session_of(_one(info, recap), slug)

    @strawberry.field(
        description="Projects by name (or as `orderBy` says, across recaps), optionally filtered, one page at a time."
    )
    def projects(
        self,
        info: Info,
        filter_: ProjectConditions = None,
        first: First = 20,
        after: After = None,
        recap: InRecap = None,
        order_by: ProjectOrdering = DEFAULT_PROJECT_ORDER,
    ) -> ProjectConnection:
        return surface.project_page(_scope(info, recap), filter_, first, after, order_by)

    @strawberry.field(description="The project with this slug in the default recap (or the one named), or null.")
    def project(self, info: Info, slug: ProjectSlug, recap: FromRecap = None) -> Project | None:
        return surface.project_of(_one(info, recap), slug)

    @strawberry.field(description="The recaps' recommendations in recap order, optionally of one kind.")
    def recommendations(self, info: Info, kind: OfKind = None, recap: InRecap = None) -> list[Recommendation]:
        return surface.recommendation_list(_scope(info, recap), kind)

    @strawberry.field(description=SEARCH_DESCRIPTION + " Across every recap unless `recap` names one.")
    def search(
        self,
        info: Info,
        query: SearchWords,
        first: SearchFirst = 10,
        recap: InRecap = None,
        types: SearchTypes = None,
    ) -> list[SearchHit]:
        return surface.search_hits(_scope(info, recap), query, first, types)

    @strawberry.field(description=SEARCH_RESULTS_DESCRIPTION + " Across every recap unless `recap` names one.")
    def search_results(
        self,
        info: Info,
        query: SearchWords,
        types: SearchTypes = None,
        recap: InRecap = None,
        first: SearchFirst = 10,
        after: SearchAfter = None,
    ) -> SearchHitConnection:
        return surface.search_results(_scope(info, recap), query, types, first, after)

    @strawberry.field(description="Every topic, ordered by name, with its sessions and projects.")
    def topics(self, info: Info, recap: InRecap = None) -> list[Topic]:
        return surface.topic_list(_scope(info, recap))

    @strawberry.field(
        description="The topic with this name (case-insensitive) in the default recap (or the one named), or null."
    )
    def topic(self, info: Info, name: TopicName, recap: FromRecap = None) -> Topic | None:
        return surface.topic_of(_one(info, recap), name)
