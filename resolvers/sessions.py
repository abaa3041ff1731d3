"""Finding sessions: by slug, by day, by project, and filtered lists."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from resolvers.memo import Memo
from resolvers.search import matching_keys
from store import RecapIndex
from store.records import Session

V = TypeVar("V", bound=Hashable)


@dataclass(frozen=True, slots=True)
class SessionFilter:
    """Conditions a session must all meet; None means "any".

    The single values (`day`, `kind`, `topic`, `project`) and the lists (`days`, `kinds`, `topics`,
    `projects`: any of their values will do; an empty list is no condition) combine with AND.
    """

    day: datetime.date | None = None
    kind: str | None = None
    topic: str | None = None
    project: str | None = None
    text: str | None = None
    days: Iterable[datetime.date] | None = None
    kinds: Iterable[str] | None = None
    topics: Iterable[str] | None = None
    projects: Iterable[str] | None = None

    def conditions(self) -> SessionConditions | None:
        """The filter in its canonical form (None: no condition at all), so that equal filters are equal."""
        found = SessionConditions(
            days=any_of(self.day, self.days),
            kinds=any_of(self.kind, self.kinds),
            topics=folded(self.topic, self.topics),
            projects=any_of(self.project, self.projects),
            text=plain_text(self.text),
        )
        return None if found == SessionConditions() else found


@dataclass(frozen=True, slots=True)
class SessionConditions:
    """A session filter reduced to one set of acceptable values per field (None: any; empty: none)."""

    days: frozenset[datetime.date] | None = None
    kinds: frozenset[str] | None = None
    topics: frozenset[str] | None = None  # casefolded
    projects: frozenset[str] | None = None
    text: str | None = None

    def canonical(self) -> tuple[object, ...]:
        """The conditions as sorted tuples: the same in every process (sets have no stable order)."""
        days = None if self.days is None else tuple(sorted(day.isoformat() for day in self.days))
        return ("sessions", days, _sorted(self.kinds), _sorted(self.topics), _sorted(self.projects), self.text)


def any_of(one: V | None, many: Iterable[V] | None) -> frozenset[V] | None:
    """The values a field may take: any of `many` (None or empty: any at all), and only `one` if given."""
    found = frozenset(many) if many is not None else None
    if not found:
        found = None
    if one is not None:
        found = frozenset({one}) if found is None else found & {one}
    return found


def folded(one: str | None, many: Iterable[str] | None) -> frozenset[str] | None:
    """`any_of` for names compared case-insensitively (topics)."""
    return any_of(one.casefold() if one is not None else None, None if many is None else map(str.casefold, many))


def plain_text(text: str | None) -> str | None:
    """A `text` condition as the search reads it (case-folded words), so that equal conditions are equal."""
    return None if text is None else " ".join(text.casefold().split())


def _sorted(values: frozenset[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(sorted(values))


def get_session(index: RecapIndex, slug: str) -> Session | None:
    return index.session_by_slug.get(slug)


def sessions_of_day(index: RecapIndex, date: datetime.date) -> Sequence[Session]:
    return index.sessions_by_day.get(date, ())


def sessions_of_project(index: RecapIndex, slug: str) -> Sequence[Session]:
    return index.sessions_by_project.get(slug, ())


def sessions_of_topic(index: RecapIndex, name: str) -> Sequence[Session]:
    return index.sessions_by_topic.get(name.casefold(), ())


def filter_sessions(index: RecapIndex, where: SessionFilter | SessionConditions | None = None) -> Sequence[Session]:
    """Sessions meeting every condition of `where`, in recap order."""
    conditions = where.conditions() if isinstance(where, SessionFilter) else where
    if conditions is None:
        return index.sessions
    return _FILTERED.get(index, conditions, lambda: _filter(index, conditions))


_FILTERED = Memo()
_POSITIONS = Memo()


def _filter(index: RecapIndex, where: SessionConditions) -> Sequence[Session]:
    # Each index answers one condition exactly: start from the narrowest, check the others.
    indexed: list[tuple[str, list[Sequence[Session]]]] = []
    if where.days is not None:
        indexed.append(("days", [index.sessions_by_day.get(day, ()) for day in where.days]))
    if where.kinds is not None:
        indexed.append(("kinds", [index.sessions_by_kind.get(kind, ()) for kind in where.kinds]))
    if where.topics is not None:
        indexed.append(("topics", [index.sessions_by_topic.get(topic, ()) for topic in where.topics]))
    if where.projects is not None:
        indexed.append(("projects", [index.sessions_by_project.get(slug, ()) for slug in where.projects]))
    answered: str | None = None
    narrowest: Sequence[Session] = index.sessions
    if indexed:
        answered, lists = min(indexed, key=lambda pair: sum(map(len, pair[1])))
        narrowest = _in_recap_order(index, lists)
    checks: list[Callable[[Session], bool]] = []
    if where.days is not None and answered != "days":
        days = where.days
        checks.append(lambda session: session.day in days)
    if where.kinds is not None and answered != "kinds":
        kinds = where.kinds
        checks.append(lambda session: session.kind in kinds)
    if where.topics is not None and answered != "topics":
        topics = where.topics
        checks.append(lambda session: any(name.casefold() in topics for name in session.topics))
    if where.projects is not None and answered != "projects":
        projects = where.projects
        checks.append(lambda session: any(slug in projects for slug in session.projects))
    if where.text is not None:
        slugs = matching_keys(index, where.text, "session")
        checks.append(lambda session: session.slug in slugs)
    if not checks:
        return narrowest
    return tuple(session for session in narrowest if all(check(session) for check in checks))


def _in_recap_order(index: RecapIndex, lists: list[Sequence[Session]]) -> Sequence[Session]:
    """The sessions of any of `lists` (each in recap order), once each, in recap order."""
    found = [items for items in lists if items]
    if len(found) <= 1:
        return found[0] if found else ()
    # By slug, not id(): two indexes of equal data share a version, and ids are reused after collection.
    positions = _POSITIONS.get(index, "sessions", lambda: {item.slug: at for at, item in enumerate(index.sessions)})
    union = {item.slug: item for items in found for item in items}
    return tuple(sorted(union.values(), key=lambda item: positions[item.slug]))
