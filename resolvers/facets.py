"""Facet counts: how many records of a whole filtered list (every page of it) have each value.

Each facet counts one field, with the values its filter takes: a session's `kinds` (the kind
names), `days` (dates, yyyy-mm-dd), `topics` (topic names, as their recap spells them, the same
name in several recaps counted as one) and `projects` (slugs); a project's `categories` and
`topics`. A record counts once per value it has, so a session on two topics counts for both.
Values come most frequent first, equal counts by value (case-insensitively).

Counts are kept per store version, filter and facet: counting walks the filtered list once
(15,000 sessions: a few milliseconds), and without a filter the store's indexes already hold
every count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any

from cachetools import LRUCache

from resolvers import projects, sessions
from store import RecapIndex
from store.records import Session

FacetCounts = tuple[tuple[str, int], ...]
SESSION_FACETS = ("kinds", "topics", "days", "projects")
PROJECT_FACETS = ("categories", "topics")
ENTRIES = 256


def session_facet(indexes: Sequence[RecapIndex], where: sessions.SessionConditions | None, facet: str) -> FacetCounts:
    """The counts of `facet` (one of SESSION_FACETS) over the sessions of `indexes` meeting `where`."""
    return _memo(indexes, ("sessions", where, facet), lambda: _session_counts(indexes, where, facet))


def project_facet(indexes: Sequence[RecapIndex], where: projects.ProjectConditions | None, facet: str) -> FacetCounts:
    """The counts of `facet` (one of PROJECT_FACETS) over the projects of `indexes` meeting `where`."""
    return _memo(indexes, ("projects", where, facet), lambda: _project_counts(indexes, where, facet))


def _memo(indexes: Sequence[RecapIndex], key: Hashable, compute: Callable[[], FacetCounts]) -> FacetCounts:
    cache_key = (tuple(index.version for index in indexes), key)
    found = _COUNTS.get(cache_key)
    if found is None:
        found = _COUNTS[cache_key] = compute()
    return found


_COUNTS: LRUCache[Hashable, FacetCounts] = LRUCache(maxsize=ENTRIES)


def _session_counts(indexes: Sequence[RecapIndex], where: sessions.SessionConditions | None, facet: str) -> FacetCounts:
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}  # a topic's name by its casefolded form: the first recap's spelling
    for index in indexes:
        if where is None:  # the indexes hold every group already
            counts.update(_group_sizes(index, facet, names))
            continue
        values = _SESSION_VALUES[facet]
        for session in sessions.filter_sessions(index, where):
            counts.update(values(index, session, names))
    return _ranked(counts, names)


def _project_counts(indexes: Sequence[RecapIndex], where: projects.ProjectConditions | None, facet: str) -> FacetCounts:
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for index in indexes:
        if where is None and facet == "topics":
            groups = index.projects_by_topic.items()
            counts.update({_topic_name(index, key, names): len(members) for key, members in groups if members})
            continue
        for project in projects.filter_projects(index, where):
            if facet == "categories":
                counts[project.category] += 1
            else:
                counts.update(_topics(index, project.topics, names))
    return _ranked(counts, names)


def _group_sizes(index: RecapIndex, facet: str, names: dict[str, str]) -> Mapping[str, int]:
    if facet == "kinds":
        return _sizes(index.sessions_by_kind, str)
    if facet == "days":
        return _sizes(index.sessions_by_day, lambda day: day.isoformat())
    if facet == "projects":
        return _sizes(index.sessions_by_project, str)
    groups = index.sessions_by_topic.items()
    return {_topic_name(index, key, names): len(members) for key, members in groups if members}


def _sizes(groups: Mapping[Any, Sequence[object]], value: Callable[[Any], str]) -> dict[str, int]:
    return {value(key): len(members) for key, members in groups.items() if members}


def _topic_name(index: RecapIndex, folded: str, names: dict[str, str]) -> str:
    """The name to show for a casefolded topic: the spelling first met (its recap's topic's name)."""
    if folded not in names:
        topic = index.topic_by_name.get(folded)
        names[folded] = topic.name if topic is not None else folded
    return folded


def _topics(index: RecapIndex, topics: Iterable[str], names: dict[str, str]) -> set[str]:
    """A record's topics, casefolded, once each (a record counts once per topic)."""
    return {_topic_name(index, name.casefold(), names) for name in topics}


_SESSION_VALUES: Mapping[str, Callable[[RecapIndex, Session, dict[str, str]], Iterable[str]]] = {
    "kinds": lambda index, session, names: (session.kind,),
    "days": lambda index, session, names: (session.day.isoformat(),),
    "projects": lambda index, session, names: set(session.projects),
    "topics": lambda index, session, names: _topics(index, session.topics, names),
}


def _ranked(counts: Counter[str], names: Mapping[str, str]) -> FacetCounts:
    """(value, count) pairs, the most frequent first, equal counts by value; topics under their names."""
    shown = [(names.get(key, key), count) for key, count in counts.items() if count]
    return tuple(sorted(shown, key=lambda pair: (-pair[1], pair[0].casefold(), pair[0])))
