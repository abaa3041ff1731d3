"""Finding sessions: by slug, by day, by project, and filtered lists."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from resolvers.memo import Memo
from resolvers.search import matching_keys
from store import RecapIndex
from store.records import Session


@dataclass(frozen=True, slots=True)
class SessionFilter:
    """Conditions a session must all meet; None means "any"."""

    day: datetime.date | None = None
    kind: str | None = None
    topic: str | None = None
    project: str | None = None
    text: str | None = None


def get_session(index: RecapIndex, slug: str) -> Session | None:
    return index.session_by_slug.get(slug)


def sessions_of_day(index: RecapIndex, date: datetime.date) -> Sequence[Session]:
    return index.sessions_by_day.get(date, ())


def sessions_of_project(index: RecapIndex, slug: str) -> Sequence[Session]:
    return index.sessions_by_project.get(slug, ())


def sessions_of_topic(index: RecapIndex, name: str) -> Sequence[Session]:
    return index.sessions_by_topic.get(name.casefold(), ())


def filter_sessions(index: RecapIndex, where: SessionFilter | None = None) -> Sequence[Session]:
    """Sessions meeting every condition of `where`, in recap order."""
    if where is None:
        return index.sessions
    return _FILTERED.get(index, where, lambda: _filter(index, where))


_FILTERED = Memo()


def _filter(index: RecapIndex, where: SessionFilter) -> Sequence[Session]:
    # Each index answers one condition exactly: start from the narrowest, check the others.
    indexed: list[tuple[str, Sequence[Session]]] = [("all", index.sessions)]
    if where.day is not None:
        indexed.append(("day", index.sessions_by_day.get(where.day, ())))
    if where.kind is not None:
        indexed.append(("kind", index.sessions_by_kind.get(where.kind, ())))
    if where.topic is not None:
        indexed.append(("topic", sessions_of_topic(index, where.topic)))
    if where.project is not None:
        indexed.append(("project", index.sessions_by_project.get(where.project, ())))
    answered, narrowest = min(indexed, key=lambda pair: len(pair[1]))
    slugs = matching_keys(index, where.text, "session") if where.text is not None else None
    day = where.day if answered != "day" else None
    kind = where.kind if answered != "kind" else None
    topic = where.topic.casefold() if where.topic is not None and answered != "topic" else None
    project = where.project if answered != "project" else None
    if day is None and kind is None and topic is None and project is None and slugs is None:
        return narrowest
    return tuple(
        session
        for session in narrowest
        if (day is None or session.day == day)
        and (kind is None or session.kind == kind)
        and (topic is None or topic in (name.casefold() for name in session.topics))
        and (project is None or project in session.projects)
        and (slugs is None or session.slug in slugs)
    )
