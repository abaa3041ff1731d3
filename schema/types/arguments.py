"""The arguments the root Query and each Recap share, described once for GraphiQL's docs pane."""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry

from resolvers.pagination import MAX_PAGE_SIZE
from schema.types.enums import RecommendationKind, SearchType
from schema.types.inputs import ProjectFilter, ProjectOrder, SessionFilter, SessionOrder

First = Annotated[int | None, strawberry.argument(description=f"How many items to return, 1 to {MAX_PAGE_SIZE}.")]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Return the items after this cursor (an `endCursor` or edge `cursor` from an earlier page)."
    ),
]
SessionConditions = Annotated[
    SessionFilter | None, strawberry.argument(name="filter", description="Conditions the sessions must meet.")
]
ProjectConditions = Annotated[
    ProjectFilter | None, strawberry.argument(name="filter", description="Conditions the projects must meet.")
]
SessionOrdering = Annotated[
    SessionOrder | None,
    strawberry.argument(
        description=(
            "The order of the sessions (null: the default, the recap's own). A cursor holds only for the order and "
            "filter it was made with."
        )
    ),
]
ProjectOrdering = Annotated[
    ProjectOrder | None,
    strawberry.argument(
        description=(
            "The order of the projects (null: the default, by name). A cursor holds only for the order and filter "
            "it was made with."
        )
    ),
]
DayDate = Annotated[datetime.date, strawberry.argument(description="The date (yyyy-mm-dd).")]
SessionSlug = Annotated[str, strawberry.argument(description="The session's slug.")]
ProjectSlug = Annotated[str, strawberry.argument(description="The project's slug.")]
TopicName = Annotated[str, strawberry.argument(description="The topic's name.")]
OfKind = Annotated[RecommendationKind | None, strawberry.argument(description="Only recommendations of this kind.")]
SearchWords = Annotated[
    str,
    strawberry.argument(
        description=(
            "Words to look for, case-insensitive; a word also matches its other English forms (its stem: "
            "`runtimes` finds `runtime`), an alias (`k8s` is `kubernetes`) and the longer words it starts."
        )
    ),
]
SearchFirst = Annotated[int | None, strawberry.argument(description=f"How many hits to return, 1 to {MAX_PAGE_SIZE}.")]
SearchTypes = Annotated[
    list[SearchType] | None,
    strawberry.argument(description="Only hits of these types (at least one); every type when null."),
]
SearchAfter = Annotated[
    str | None,
    strawberry.argument(
        description=(
            "Return the hits after this cursor (an `endCursor` or edge `cursor` of an earlier page of the same search: "
            "a cursor holds only for the query, types and recap it came from)."
        )
    ),
]
InRecap = Annotated[
    str | None,
    strawberry.argument(
        name="recap", description="Only the recap with this slug (see `recaps`); every recap of the store when null."
    ),
]
FromRecap = Annotated[
    str | None,
    strawberry.argument(
        name="recap", description="The slug of the recap to look in; the default recap (see `recap`) when null."
    ),
]

SEARCH_DESCRIPTION = (
    "Ranked search across session titles, summaries, takeaways and topics, project names and "
    "descriptions, and recommendations; case-insensitive, best match first."
)
SEARCH_RESULTS_DESCRIPTION = (
    "Search as `search` ranks it, one page at a time (`first` hits after the cursor `after`, as deep as the hits "
    "go), with the hits counted in all and by type."
)
