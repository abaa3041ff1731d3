"""Finding sessions: by slug, by day, by project, and filtered lists."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from resolvers.search import matching_keys
from store import Store
from store.records import Session


@dataclass(frozen=True, slots=True)
class SessionFilter:
    """Conditions a session must all meet; None means "any"."""

    day: datetime.date | None = None
    kind: str | None = None
    topic: str | None = None
    project: str | None = None
    text: str | None = None


def get_session(store: Store, slug: str) -> Session | None:
    return store.session_by_slug.get(slug)


def sessions_of_day(store: Store, date: datetime.date) -> Sequence[Session]:
    return store.sessions_by_day.get(date, ())


def sessions_of_project(store: Store, slug: str) -> Sequence[Session]:
    return store.sessions_by_project.get(slug, ())


def sessions_of_topic(store: Store, name: str) -> Sequence[Session]:
    return store.sessions_by_topic.get(name.casefold(), ())


def filter_sessions(store: Store, where: SessionFilter | None = None) -> Sequence[Session]:
    """Sessions meeting every condition of `where`, in recap order."""
    if where is None:
        return store.sessions
    # Start from the narrowest index, then check the remaining conditions on each record.
    candidates: list[Sequence[Session]] = [store.sessions]
    if where.day is not None:
        candidates.append(store.sessions_by_day.get(where.day, ()))
    if where.kind is not None:
        candidates.append(store.sessions_by_kind.get(where.kind, ()))
    if where.topic is not None:
        candidates.append(sessions_of_topic(store, where.topic))
    if where.project is not None:
        candidates.append(store.sessions_by_project.get(where.project, ()))
    narrowest = min(candidates, key=len)
    slugs = matching_keys(store, where.text, "session") if where.text is not None else None
    topic = where.topic.casefold() if where.topic is not None else None
    return [
        session
        for session in narrowest
        if (where.day is None or session.day == where.day)
        and (where.kind is None or session.kind == where.kind)
        and (topic is None or topic in (name.casefold() for name in session.topics))
        and (where.project is None or where.project in session.projects)
        and (slugs is None or session.slug in slugs)
    ]
