"""Filter inputs; each becomes the resolvers' plain filter with `to_filter`."""

from __future__ import annotations

import datetime

import strawberry

from resolvers import projects, sessions
from schema.enums import SessionKind


@strawberry.input(description="Conditions on sessions; a session must meet every condition given.")
class SessionFilter:
    day: datetime.date | None = strawberry.field(default=None, description="Only sessions on this date.")
    kind: SessionKind | None = strawberry.field(default=None, description="Only sessions of this kind.")
    topic: str | None = strawberry.field(default=None, description="Only sessions on this topic (case-insensitive).")
    project: str | None = strawberry.field(
        default=None, description="Only sessions mentioning the project with this slug."
    )
    text: str | None = strawberry.field(
        default=None,
        description="Only sessions whose text contains every word given (case-insensitive; prefixes match).",
    )

    def to_filter(self) -> sessions.SessionFilter:
        return sessions.SessionFilter(
            day=self.day,
            kind=self.kind.name if self.kind is not None else None,
            topic=self.topic,
            project=self.project,
            text=self.text,
        )


@strawberry.input(description="Conditions on projects; a project must meet every condition given.")
class ProjectFilter:
    topic: str | None = strawberry.field(default=None, description="Only projects on this topic (case-insensitive).")
    text: str | None = strawberry.field(
        default=None,
        description="Only projects whose text contains every word given (case-insensitive; prefixes match).",
    )

    def to_filter(self) -> projects.ProjectFilter:
        return projects.ProjectFilter(topic=self.topic, text=self.text)
