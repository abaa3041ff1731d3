"""What a recap answers (days, sessions, projects, …), for one recap or several at once.

`Recap`'s fields ask one recap; the root `Query`'s lists ask every recap of the store (or the
one their `recap:` argument names). Both call these functions, so the two cannot answer
differently. With several recaps, lists run recap after recap (projects and topics: by name), and
`orderBy` orders sessions and projects across all of them (`resolvers.ordering`).
"""

from __future__ import annotations

import datetime
import heapq
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from resolvers import days, ordering, projects, recommendations, search, sessions, topics
from resolvers.pagination import Listing, paginate
from schema.types.connections import ProjectConnection, SessionConnection, connection
from schema.types.enums import OrderDirection, RecommendationKind, SearchType
from schema.types.facets import ProjectFacets, SessionFacets
from schema.types.inputs import (
    DEFAULT_PROJECT_ORDER,
    DEFAULT_SESSION_ORDER,
    ProjectFilter,
    ProjectOrder,
    SessionFilter,
    SessionOrder,
)
from schema.types.projects import Project, Recommendation, Topic
from schema.types.search import SearchHit, SearchHitConnection
from schema.types.sessions import Day, Session
from store import RecapIndex

R = TypeVar("R")
T = TypeVar("T")
Pair = tuple[RecapIndex, Any]


def _by_name(parts: Iterable[tuple[RecapIndex, Sequence[Any]]], name: Callable[[Any], tuple[str, ...]]) -> list[Pair]:
    """Lists each already ordered by `name`, merged into one so ordered (ties: recap order)."""
    streams = [[(name(item), position, index, item) for item in items] for position, (index, items) in enumerate(parts)]
    return [(index, item) for _, _, index, item in heapq.merge(*streams, key=lambda entry: entry[:2])]


def or_none(build: Callable[[R, RecapIndex], T], record: R | None, index: RecapIndex | None) -> T | None:
    """`build(record, index)`, or None when no record (or no recap) was found: "not found" is a null."""
    return None if record is None or index is None else build(record, index)


def day_list(indexes: Sequence[RecapIndex]) -> list[Day]:
    return [Day.from_record(record, index) for index in indexes for record in days.list_days(index)]


def day_of(index: RecapIndex | None, date: datetime.date) -> Day | None:
    return or_none(Day.from_record, days.get_day(index, date) if index else None, index)


def session_page(
    indexes: Sequence[RecapIndex],
    filter_: SessionFilter | None,
    first: int | None,
    after: str | None,
    order: SessionOrder | None = None,
) -> SessionConnection:
    where = filter_.to_filter().conditions() if filter_ is not None else None
    order = order or DEFAULT_SESSION_ORDER
    found = ordering.sessions_in_order(indexes, where, order.field.name, order.direction is OrderDirection.DESC)
    conditions = where.canonical() if where is not None else None
    listing = Listing.of(order.words, conditions, default_order=ordering.DEFAULT_SESSION_ORDER)
    page = paginate(found, first=first, after=after, listing=listing)
    facets = SessionFacets(indexes=indexes, where=where)
    return connection(SessionConnection, page, lambda pair: Session.from_record(pair[1], pair[0]), facets=facets)


def session_of(index: RecapIndex | None, slug: str) -> Session | None:
    return or_none(Session.from_record, sessions.get_session(index, slug) if index else None, index)


def project_page(
    indexes: Sequence[RecapIndex],
    filter_: ProjectFilter | None,
    first: int | None,
    after: str | None,
    order: ProjectOrder | None = None,
) -> ProjectConnection:
    where = filter_.to_filter().conditions() if filter_ is not None else None
    order = order or DEFAULT_PROJECT_ORDER
    found = ordering.projects_in_order(indexes, where, order.field.name, order.direction is OrderDirection.DESC)
    conditions = where.canonical() if where is not None else None
    listing = Listing.of(order.words, conditions, default_order=ordering.DEFAULT_PROJECT_ORDER)
    page = paginate(found, first=first, after=after, listing=listing)
    facets = ProjectFacets(indexes=indexes, where=where)
    return connection(ProjectConnection, page, lambda pair: Project.from_record(pair[1], pair[0]), facets=facets)


def project_of(index: RecapIndex | None, slug: str) -> Project | None:
    return or_none(Project.from_record, projects.get_project(index, slug) if index else None, index)


def recommendation_list(indexes: Sequence[RecapIndex], kind: RecommendationKind | None) -> list[Recommendation]:
    name = kind.name if kind is not None else None
    return [
        Recommendation.from_record(record, index)
        for index in indexes
        for record in recommendations.list_recommendations(index, name)
    ]


def topic_list(indexes: Sequence[RecapIndex]) -> list[Topic]:
    parts = [(index, topics.list_topics(index)) for index in indexes]
    if len(parts) == 1:
        return [Topic.from_record(record, parts[0][0]) for record in parts[0][1]]
    return [Topic.from_record(record, index) for index, record in _by_name(parts, lambda item: (item.name.casefold(),))]


def topic_of(index: RecapIndex | None, name: str) -> Topic | None:
    return or_none(Topic.from_record, topics.get_topic(index, name) if index else None, index)


def search_hits(
    indexes: Sequence[RecapIndex], query: str, first: int | None, types: list[SearchType] | None = None
) -> list[SearchHit]:
    kinds = None if types is None else [kind.name.lower() for kind in types]
    return [SearchHit.from_hit(hit) for hit in search.search_recaps(indexes, query, first=first, kinds=kinds)]


def search_results(
    indexes: Sequence[RecapIndex], query: str, types: list[SearchType] | None, first: int | None, after: str | None
) -> SearchHitConnection:
    kinds = None if types is None else [kind.name.lower() for kind in types]
    page = search.search_page(indexes, query, kinds=kinds, first=first, after=after)
    return SearchHitConnection.from_page(page)
