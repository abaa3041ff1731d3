"""Finding projects: by slug, of a session, of a topic, and filtered lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from resolvers.memo import Memo
from resolvers.search import matching_keys
from store import RecapIndex
from store.records import Project


@dataclass(frozen=True, slots=True)
class ProjectFilter:
    """Conditions a project must all meet; None means "any"."""

    topic: str | None = None
    text: str | None = None


def get_project(index: RecapIndex, slug: str) -> Project | None:
    return index.project_by_slug.get(slug)


def projects_of_session(index: RecapIndex, slug: str) -> Sequence[Project]:
    return index.projects_by_session.get(slug, ())


def projects_of_topic(index: RecapIndex, name: str) -> Sequence[Project]:
    return index.projects_by_topic.get(name.casefold(), ())


def filter_projects(index: RecapIndex, where: ProjectFilter | None = None) -> Sequence[Project]:
    """Projects meeting every condition of `where`, ordered by name."""
    if where is None:
        return index.projects
    projects = projects_of_topic(index, where.topic) if where.topic is not None else index.projects
    if where.text is None:
        return projects
    text = where.text

    def matching() -> Sequence[Project]:
        slugs = matching_keys(index, text, "project")
        return tuple(project for project in projects if project.slug in slugs)

    return _FILTERED.get(index, where, matching)


_FILTERED = Memo()
