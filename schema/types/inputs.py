"""Filter and order inputs; each filter becomes the resolvers' plain filter with `to_filter`."""

from __future__ import annotations

import datetime

import strawberry

from resolvers import projects, sessions
from schema.types.enums import OrderDirection, ProjectCategory, ProjectOrderField, SessionKind, SessionOrderField

_ANY_OF = "any of these will do; an empty list or null: no condition"


@strawberry.input(
    description=(
        "Conditions on sessions; a session must meet every condition given (AND). A list field takes several "
        "values, any of which will do (OR); a single-valued field and its list both apply (`kind: TALK, "
        "kinds: [TALK, BOF]` is TALK)."
    )
)
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
    days: list[datetime.date] | None = strawberry.field(
        default=None, description=f"Only sessions on one of these dates ({_ANY_OF})."
    )
    kinds: list[SessionKind] | None = strawberry.field(
        default=None, description=f"Only sessions of one of these kinds ({_ANY_OF})."
    )
    topics: list[str] | None = strawberry.field(
        default=None, description=f"Only sessions on at least one of these topics, case-insensitive ({_ANY_OF})."
    )
    projects: list[str] | None = strawberry.field(
        default=None,
        description=f"Only sessions mentioning at least one of the projects with these slugs ({_ANY_OF}).",
    )

    def to_filter(self) -> sessions.SessionFilter:
        return sessions.SessionFilter(
            day=self.day,
            kind=self.kind.name if self.kind is not None else None,
            topic=self.topic,
            project=self.project,
            text=self.text,
            days=self.days,
            kinds=None if self.kinds is None else [kind.name for kind in self.kinds],
            topics=self.topics,
            projects=self.projects,
        )


@strawberry.input(
    description=(
        "Conditions on projects; a project must meet every condition given (AND). A list field takes several "
        "values, any of which will do (OR); `topic` and `topics` both apply."
    )
)
class ProjectFilter:
    topic: str | None = strawberry.field(default=None, description="Only projects on this topic (case-insensitive).")
    text: str | None = strawberry.field(
        default=None,
        description="Only projects whose text contains every word given (case-insensitive; prefixes match).",
    )
    categories: list[ProjectCategory] | None = strawberry.field(
        default=None, description=f"Only projects of one of these categories ({_ANY_OF})."
    )
    topics: list[str] | None = strawberry.field(
        default=None, description=f"Only projects on at least one of these topics, case-insensitive ({_ANY_OF})."
    )

    def to_filter(self) -> projects.ProjectFilter:
        return projects.ProjectFilter(
            topic=self.topic,
            text=self.text,
            topics=self.topics,
            categories=None if self.categories is None else [category.name for category in self.categories],
        )


@strawberry.input(description="How to order sessions: by which field, which way.")
class SessionOrder:
    field: SessionOrderField = strawberry.field(description="What to order the sessions by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Which way: ascending (the default) or descending."
    )

    @property
    def words(self) -> str:
        """The order as cursors and messages name it, e.g. `TITLE DESC`."""
        return f"{self.field.name} {self.direction.name}"


@strawberry.input(description="How to order projects: by which field, which way.")
class ProjectOrder:
    field: ProjectOrderField = strawberry.field(description="What to order the projects by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Which way: ascending (the default) or descending."
    )

    @property
    def words(self) -> str:
        """The order as cursors and messages name it, e.g. `SESSION_COUNT DESC`."""
        return f"{self.field.name} {self.direction.name}"


DEFAULT_SESSION_ORDER = SessionOrder(field=SessionOrderField.RECAP, direction=OrderDirection.ASC)
DEFAULT_PROJECT_ORDER = ProjectOrder(field=ProjectOrderField.NAME, direction=OrderDirection.ASC)
