"""What a recap answers (days, sessions, projects, …), for one recap or several at once.

`Recap`'s fields ask one recap; the root `Query`'s lists ask every recap of the store (or the
one their `recap:` argument names). Both call these functions, so the two cannot answer
differently. With several recaps, lists run recap after recap (projects and topics: by name).
"""

from __future__ import annotations

import datetime
import heapq
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar, overload

from resolvers import days, projects, recommendations, search, sessions, topics
from resolvers.pagination import paginate
from schema.connections import ProjectConnection, SessionConnection, connection
from schema.enums import RecommendationKind
from schema.inputs import ProjectFilter, SessionFilter
from schema.search import SearchHit
from schema.types import Day, Project, Recommendation, Session, Topic, or_none
from store import RecapIndex

R = TypeVar("R")
Pair = tuple[RecapIndex, Any]


class Across(Sequence[Pair]):
    """Several recaps' lists as one sequence of (recap, record), without copying them."""

    def __init__(self, parts: Sequence[tuple[RecapIndex, Sequence[Any]]]) -> None:
        self.parts = [(index, items) for index, items in parts if items]
        self.length = sum(len(items) for _, items in self.parts)

    def __len__(self) -> int:
        return self.length

    @overload
    def __getitem__(self, position: int) -> Pair: ...
    @overload
    def __getitem__(self, position: slice) -> list[Pair]: ...
    def __getitem__(self, position: int | slice) -> Pair | list[Pair]:
        if isinstance(position, slice):
            return [self[number] for number in range(*position.indices(self.length))]
        if position < 0:
            position += self.length
        for index, items in self.parts:
            if position < len(items):
                return index, items[position]
            position -= len(items)
        raise IndexError(position)

    def __iter__(self) -> Iterator[Pair]:
        for index, items in self.parts:
            for item in items:
                yield index, item


def _by_name(parts: Iterable[tuple[RecapIndex, Sequence[Any]]], name: Callable[[Any], tuple[str, ...]]) -> list[Pair]:
    """Lists each already ordered by `name`, merged into one so ordered (ties: recap order)."""
    streams = [[(name(item), position, index, item) for item in items] for position, (index, items) in enumerate(parts)]
    return [(index, item) for _, _, index, item in heapq.merge(*streams, key=lambda entry: entry[:2])]


def day_list(indexes: Sequence[RecapIndex]) -> list[Day]:
    return [Day.from_record(record, index) for index in indexes for record in days.list_days(index)]


def day_of(index: RecapIndex | None, date: datetime.date) -> Day | None:
    return or_none(Day.from_record, days.get_day(index, date) if index else None, index)


def session_page(
    indexes: Sequence[RecapIndex], filter_: SessionFilter | None, first: int | None, after: str | None
) -> SessionConnection:
    where = filter_.to_filter() if filter_ is not None else None
    found = Across([(index, sessions.filter_sessions(index, where)) for index in indexes])
    page = paginate(found, first=first, after=after)
    return connection(SessionConnection, page, lambda pair: Session.from_record(pair[1], pair[0]))


def session_of(index: RecapIndex | None, slug: str) -> Session | None:
    return or_none(Session.from_record, sessions.get_session(index, slug) if index else None, index)


def project_page(
    indexes: Sequence[RecapIndex], filter_: ProjectFilter | None, first: int | None, after: str | None
) -> ProjectConnection:
    where = filter_.to_filter() if filter_ is not None else None
    parts = [(index, projects.filter_projects(index, where)) for index in indexes]
    found: Sequence[Pair] = (
        Across(parts) if len(parts) <= 1 else _by_name(parts, lambda item: (item.name.casefold(), item.slug))
    )
    page = paginate(found, first=first, after=after)
    return connection(ProjectConnection, page, lambda pair: Project.from_record(pair[1], pair[0]))


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


def search_hits(indexes: Sequence[RecapIndex], query: str, first: int | None) -> list[SearchHit]:
    return [SearchHit.from_hit(hit) for hit in search.search_recaps(indexes, query, first=first)]
