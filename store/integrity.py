"""The rules a whole dataset must keep: unique keys, resolvable references, dates in the event.

Both the seed loader (before writing a store) and the store (before serving one) run
them, so a dataset that breaks a rule never reaches a client.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from store.records import Dataset

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL = re.compile(r"^https?://\S+$")


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule: which record (kind and key), which field, and why."""

    record_kind: str
    key: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.record_kind} '{self.key}' field '{self.field}': {self.reason}"


def check_dataset(dataset: Dataset) -> list[Problem]:
    """Every rule the dataset breaks, in file order; empty when it is sound."""
    problems: list[Problem] = []
    recap = dataset.recap
    if recap.end_date < recap.start_date:
        problems.append(Problem("recap", recap.title, "end_date", "is before start_date"))

    problems += _unique("topic", "name", (topic.name.casefold() for topic in dataset.topics))
    problems += _unique("day", "date", (day.date.isoformat() for day in dataset.days))
    problems += _unique("session", "slug", (session.slug for session in dataset.sessions))
    problems += _unique("project", "slug", (project.slug for project in dataset.projects))
    problems += _unique("recommendation", "slug", (item.slug for item in dataset.recommendations))

    for day in dataset.days:
        if not recap.start_date <= day.date <= recap.end_date:
            reason = f"'{day.key}' is outside the event ({recap.start_date} to {recap.end_date})"
            problems.append(Problem("day", day.key, "date", reason))

    topics = {topic.name.casefold() for topic in dataset.topics}
    days = {day.date for day in dataset.days}
    sessions = {session.slug for session in dataset.sessions}
    projects = {project.slug for project in dataset.projects}

    for change in recap.changes:
        if change.date < recap.start_date:
            problems.append(Problem("recap", recap.title, "changes.date", "is before the event started"))
    for slug in recap.top_three or ():
        if slug not in sessions:
            problems.append(Problem("recap", recap.title, "top_three", f"unknown session '{slug}'"))
    for session in dataset.sessions:
        problems += _slug("session", session.slug)
        if session.day not in days:
            problems.append(Problem("session", session.slug, "day", f"unknown day '{session.day}'"))
        problems += _references("session", session.slug, "topics", session.topics, topics, casefold=True)
        problems += _references("session", session.slug, "projects", session.projects, projects)
    for project in dataset.projects:
        problems += _slug("project", project.slug)
        problems += _references("project", project.slug, "topics", project.topics, topics, casefold=True)
        problems += _url("project", project.slug, project.url)
    for item in dataset.recommendations:
        problems += _slug("recommendation", item.slug)
        if item.session is not None and item.session not in sessions:
            problems.append(Problem("recommendation", item.slug, "session", f"unknown session '{item.session}'"))
        if item.project is not None and item.project not in projects:
            problems.append(Problem("recommendation", item.slug, "project", f"unknown project '{item.project}'"))
        problems += _url("recommendation", item.slug, item.url)
    return problems


def _unique(kind: str, field: str, keys: Iterable[str]) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for key in keys:
        if key in seen:
            problems.append(Problem(kind, key, field, f"duplicate {field} '{key}'"))
        seen.add(key)
    return problems


def _references(
    kind: str, key: str, field: str, values: Iterable[str], known: set[str], *, casefold: bool = False
) -> list[Problem]:
    problems = []
    target = field.rstrip("s")
    for value in values:
        if (value.casefold() if casefold else value) not in known:
            problems.append(Problem(kind, key, field, f"unknown {target} '{value}'"))
    return problems


def _slug(kind: str, slug: str) -> list[Problem]:
    if _SLUG.fullmatch(slug):
        return []
    return [Problem(kind, slug, "slug", "must be lower-case words joined by hyphens")]


def _url(kind: str, key: str, url: str | None) -> list[Problem]:
    if url is None or _URL.fullmatch(url):
        return []
    return [Problem(kind, key, "url", f"must be an http(s) URL or null, got '{url}'")]
