"""One recap's records with every lookup the API needs, built once when its store is opened.

Everything here is immutable and in memory, so one index serves any number of concurrent
requests and no request ever touches the TinyDB file.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

from store.fan_outs import NODE_IDS, FanOuts
from store.records import Dataset, Day, Document, Project, Recap, Recommendation, Session, Topic
from store.search_index import MAX_HIGHLIGHTS, SearchIndex

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class RecapIndex:
    """A read-only recap with its indexes; `version` (its store's version and its slug) changes with the data."""

    version: str
    recap: Recap
    topics: tuple[Topic, ...]
    days: tuple[Day, ...]
    sessions: tuple[Session, ...]
    projects: tuple[Project, ...]
    recommendations: tuple[Recommendation, ...]
    documents: tuple[Document, ...]

    topic_by_name: Mapping[str, Topic]
    day_by_date: Mapping[datetime.date, Day]
    session_by_slug: Mapping[str, Session]
    project_by_slug: Mapping[str, Project]
    recommendation_by_slug: Mapping[str, Recommendation]

    sessions_by_day: Mapping[datetime.date, tuple[Session, ...]]
    sessions_by_kind: Mapping[str, tuple[Session, ...]]
    sessions_by_topic: Mapping[str, tuple[Session, ...]]
    sessions_by_project: Mapping[str, tuple[Session, ...]]
    projects_by_session: Mapping[str, tuple[Project, ...]]
    projects_by_topic: Mapping[str, tuple[Project, ...]]
    recommendations_by_kind: Mapping[str, tuple[Recommendation, ...]]
    recommendations_by_session: Mapping[str, tuple[Recommendation, ...]]
    recommendations_by_project: Mapping[str, tuple[Recommendation, ...]]
    search_index: SearchIndex
    fan_outs: FanOuts

    @property
    def slug(self) -> str:
        return self.recap.slug

    @classmethod
    def build(cls, dataset: Dataset, store_version: str) -> RecapIndex:
        """Index a dataset that `check_dataset` found sound."""
        # Sessions keep recap order (day by day); projects are listed by name.
        days = tuple(sorted(dataset.days, key=lambda day: day.date))
        day_order = {day.date: position for position, day in enumerate(days)}
        sessions = tuple(sorted(dataset.sessions, key=lambda session: day_order[session.day]))
        projects = tuple(sorted(dataset.projects, key=lambda project: (project.name.casefold(), project.slug)))
        project_by_slug = {project.slug: project for project in projects}
        recommendations = dataset.recommendations

        topics = tuple(sorted(dataset.topics, key=lambda topic: topic.name.casefold()))
        sessions_by_day = _group(sessions, lambda session: [session.day])
        sessions_by_topic = _group(sessions, lambda session: [topic.casefold() for topic in session.topics])
        sessions_by_project = _group(sessions, lambda session: session.projects)
        projects_by_session = _frozen(
            {session.slug: tuple(project_by_slug[slug] for slug in session.projects) for session in sessions}
        )
        projects_by_topic = _group(projects, lambda project: [topic.casefold() for topic in project.topics])
        by_kind: Mapping[str, tuple[Recommendation, ...]] = _group(recommendations, lambda item: [item.kind])
        recommendations_by_session = _group(recommendations, lambda item: [item.session] if item.session else [])
        recommendations_by_project = _group(recommendations, lambda item: [item.project] if item.project else [])
        search_index = SearchIndex.build(dataset)
        whole = {
            "days": len(days),
            "topics": len(topics),
            "sessions": len(sessions),
            "projects": len(projects),
            "recommendations": len(recommendations),
            "search_entries": len(search_index.entries),
        }
        fan_outs = FanOuts(
            recaps=1,
            **whole,
            **{f"recap_{name}": count for name, count in whole.items()},
            recap_changes=len(dataset.recap.changes),
            recap_top_three=len(dataset.recap.top_three or ()),
            sessions_by_day=_longest(sessions_by_day),
            sessions_by_topic=_longest(sessions_by_topic),
            sessions_by_project=_longest(sessions_by_project),
            projects_by_session=_longest(projects_by_session),
            projects_by_topic=_longest(projects_by_topic),
            recommendations_by_kind=_longest(by_kind),
            recommendations_by_session=_longest(recommendations_by_session),
            recommendations_by_project=_longest(recommendations_by_project),
            notes_by_session=max((len(session.notes) for session in sessions), default=0),
            recap_notes=len(dataset.recap.notes),
            missing_by_record=max(
                [len(session.missing) for session in sessions]
                + [len(project.missing) for project in projects]
                + [len(item.missing) for item in recommendations],
                default=0,
            ),
            recap_missing=len(dataset.recap.missing),
            recap_top_three_mentions=len(dataset.recap.top_three_mentions),
            recap_documents=len(dataset.documents),
            inferred_by_day=max((len(day.inferred) for day in days), default=0),
            sources_by_inferred=max((len(item.sources) for day in days for item in day.inferred), default=0),
            topics_by_session=max((len(session.topics) for session in sessions), default=0),
            topics_by_project=max((len(project.topics) for project in projects), default=0),
            session_kinds=len({session.kind for session in sessions}),
            project_categories=len({project.category for project in projects}),
            node_ids=NODE_IDS,
            matches_by_hit=search_index.most_fields,
            highlights_by_match=MAX_HIGHLIGHTS,
        )
        return cls(
            version=f"{store_version}/{dataset.recap.slug}",
            recap=dataset.recap,
            topics=topics,
            days=days,
            sessions=sessions,
            projects=projects,
            recommendations=recommendations,
            documents=dataset.documents,
            topic_by_name=_frozen({topic.name.casefold(): topic for topic in dataset.topics}),
            day_by_date=_frozen({day.date: day for day in days}),
            session_by_slug=_frozen({session.slug: session for session in sessions}),
            project_by_slug=_frozen(project_by_slug),
            recommendation_by_slug=_frozen({item.slug: item for item in recommendations}),
            sessions_by_day=sessions_by_day,
            sessions_by_kind=_group(sessions, lambda session: [session.kind]),
            sessions_by_topic=sessions_by_topic,
            sessions_by_project=sessions_by_project,
            projects_by_session=projects_by_session,
            projects_by_topic=projects_by_topic,
            recommendations_by_kind=by_kind,
            recommendations_by_session=recommendations_by_session,
            recommendations_by_project=recommendations_by_project,
            search_index=search_index,
            fan_outs=fan_outs,
        )


def _frozen(mapping: dict[K, V]) -> Mapping[K, V]:
    return MappingProxyType(mapping)


def _group(items: Iterable[V], keys_of: Callable[[V], Iterable[K]]) -> Mapping[K, tuple[V, ...]]:
    groups: defaultdict[K, list[V]] = defaultdict(list)
    for item in items:
        for key in dict.fromkeys(keys_of(item)):
            groups[key].append(item)
    return MappingProxyType({key: tuple(members) for key, members in groups.items()})


def _longest(groups: Mapping[K, tuple[V, ...]]) -> int:
    """The length of the largest group (0 for none)."""
    return max(map(len, groups.values()), default=0)
