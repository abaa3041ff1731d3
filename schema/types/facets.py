"""Facets: for each field a list can be filtered by, how many of the whole filtered list have each value."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import strawberry

from resolvers import facets, projects, sessions
from resolvers.pagination import MAX_PAGE_SIZE, check_first
from store import RecapIndex

_ORDER = "most frequent first, equal counts by value"
FacetFirst = Annotated[
    int | None,
    strawberry.argument(
        description=(
            f"How many values to return, the most frequent first: 1 to {MAX_PAGE_SIZE}, the default (values past "
            "that many are left out; their items still count in `totalCount`)."
        )
    ),
]


@strawberry.type(
    description="One value of a facet, and how many items of the whole filtered list (every page) have it."
)
class FacetValue:
    value: str = strawberry.field(
        description=(
            "The value, written as the matching filter field takes it: a kind's or category's name (`TALK`), a "
            "date (yyyy-mm-dd), a topic's name, a project's slug."
        )
    )
    count: int = strawberry.field(
        description="How many items of the filtered list have this value (an item with several values counts for each)."
    )

    @classmethod
    def from_counts(cls, counts: facets.FacetCounts, first: int | None) -> list[FacetValue]:
        """The `first` values of `counts` (the most frequent)."""
        size = check_first(first, default=MAX_PAGE_SIZE)
        return [cls(value=value, count=count) for value, count in counts[:size]]


@strawberry.type(
    description=(
        "The sessions' facets: counted over every session the filter lets through, across every page, not only "
        f"this one; each list {_ORDER}."
    )
)
class SessionFacets:
    indexes: strawberry.Private[Sequence[RecapIndex]]
    where: strawberry.Private[sessions.SessionConditions | None]

    @strawberry.field(description="How many sessions are of each kind (values: `SessionKind` names, for `kinds`).")
    def kinds(self, first: FacetFirst = MAX_PAGE_SIZE) -> list[FacetValue]:
        return FacetValue.from_counts(facets.session_facet(self.indexes, self.where, "kinds"), first)

    @strawberry.field(description="How many sessions are on each topic (values: topic names, for `topics`).")
    def topics(self, first: FacetFirst = MAX_PAGE_SIZE) -> list[FacetValue]:
        return FacetValue.from_counts(facets.session_facet(self.indexes, self.where, "topics"), first)

    @strawberry.field(description="How many sessions are on each date (values: yyyy-mm-dd, for `days`).")
    def days(self, first: FacetFirst = MAX_PAGE_SIZE) -> list[FacetValue]:
        return FacetValue.from_counts(facets.session_facet(self.indexes, self.where, "days"), first)

    @strawberry.field(description="How many sessions mention each project (values: project slugs, for `projects`).")
    def projects(self, first: FacetFirst = MAX_PAGE_SIZE) -> list[FacetValue]:
        return FacetValue.from_counts(facets.session_facet(self.indexes, self.where, "projects"), first)


@strawberry.type(
    description=(
        "The projects' facets: counted over every project the filter lets through, across every page, not only "
        f"this one; each list {_ORDER}."
    )
)
class ProjectFacets:
    indexes: strawberry.Private[Sequence[RecapIndex]]
    where: strawberry.Private[projects.ProjectConditions | None]

    @strawberry.field(
        description="How many projects are of each category (values: `ProjectCategory` names, for `categories`)."
    )
    def categories(self, first: FacetFirst = MAX_PAGE_SIZE) -> list[FacetValue]:
        return FacetValue.from_counts(facets.project_facet(self.indexes, self.where, "categories"), first)

    @strawberry.field(description="How many projects are on each topic (values: topic names, for `topics`).")
    def topics(self, first: FacetFirst = MAX_PAGE_SIZE) -> list[FacetValue]:
        return FacetValue.from_counts(facets.project_facet(self.indexes, self.where, "topics"), first)
