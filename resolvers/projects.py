"""Finding projects: by slug, of a session, of a topic, and filtered lists."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from resolvers.memo import Memo
from resolvers.search import matching_keys
from resolvers.sessions import any_of, folded, plain_text
from store import RecapIndex
from store.records import Project


@dataclass(frozen=True, slots=True)
class ProjectFilter:
    """Conditions a project must all meet; None means "any".

    `topic` and the lists (`topics`, `categories`: any of their values will do; an empty list is
    no condition) combine with AND.
    """

    topic: str | None = None
    text: str | None = None
    topics: Iterable[str] | None = None
    categories: Iterable[str] | None = None

    def conditions(self) -> ProjectConditions | None:
        """The filter in its canonical form (None: no condition at all), so that equal filters are equal."""
        found = ProjectConditions(
            topics=folded(self.topic, self.topics), categories=any_of(None, self.categories), text=plain_text(self.text)
        )
        return None if found == ProjectConditions() else found


@dataclass(frozen=True, slots=True)
class ProjectConditions:
    """A project filter reduced to one set of acceptable values per field (None: any; empty: none)."""

    topics: frozenset[str] | None = None  # casefolded
    categories: frozenset[str] | None = None
    text: str | None = None

    def canonical(self) -> tuple[object, ...]:
        """The conditions as sorted tuples: the same in every process (sets have no stable order)."""
        topics = None if self.topics is None else tuple(sorted(self.topics))
        categories = None if self.categories is None else tuple(sorted(self.categories))
        return ("projects", topics, categories, self.text)


def get_project(index: RecapIndex, slug: str) -> Project | None:
    return index.project_by_slug.get(slug)


def projects_of_session(index: RecapIndex, slug: str) -> Sequence[Project]:
    return index.projects_by_session.get(slug, ())


def projects_of_topic(index: RecapIndex, name: str) -> Sequence[Project]:
    return index.projects_by_topic.get(name.casefold(), ())


def session_count(index: RecapIndex, project: Project) -> int:
    """How many of its recap's sessions mention `project`."""
    return len(index.sessions_by_project.get(project.slug, ()))


def filter_projects(index: RecapIndex, where: ProjectFilter | ProjectConditions | None = None) -> Sequence[Project]:
    """Projects meeting every condition of `where`, ordered by name."""
    conditions = where.conditions() if isinstance(where, ProjectFilter) else where
    if conditions is None:
        return index.projects
    return _FILTERED.get(index, conditions, lambda: _filter(index, conditions))


_FILTERED = Memo()
_POSITIONS = Memo()


def _filter(index: RecapIndex, where: ProjectConditions) -> Sequence[Project]:
    found: Sequence[Project] = index.projects
    if where.topics is not None:
        lists = [items for topic in where.topics if (items := index.projects_by_topic.get(topic, ()))]
        found = lists[0] if len(lists) == 1 else _in_name_order(index, lists)
    checks: list[Callable[[Project], bool]] = []
    if where.categories is not None:
        categories = where.categories
        checks.append(lambda project: project.category in categories)
    if where.text is not None:
        slugs = matching_keys(index, where.text, "project")
        checks.append(lambda project: project.slug in slugs)
    if not checks:
        return found
    return tuple(project for project in found if all(check(project) for check in checks))


def _in_name_order(index: RecapIndex, lists: Sequence[Sequence[Project]]) -> Sequence[Project]:
    """The projects of any of `lists` (each ordered by name), once each, ordered by name."""
    # By slug, not id(): two indexes of equal data share a version, and ids are reused after collection.
    positions = _POSITIONS.get(index, "projects", lambda: {item.slug: at for at, item in enumerate(index.projects)})
    union = {item.slug: item for items in lists for item in items}
    return tuple(sorted(union.values(), key=lambda item: positions[item.slug]))
