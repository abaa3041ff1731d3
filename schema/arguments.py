"""The arguments the root Query and each Recap share, described once for GraphiQL's docs pane."""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry

from resolvers.pagination import MAX_PAGE_SIZE
from schema.enums import RecommendationKind
from schema.inputs import ProjectFilter, SessionFilter

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
DayDate = Annotated[datetime.date, strawberry.argument(description="The date (yyyy-mm-dd).")]
SessionSlug = Annotated[str, strawberry.argument(description="The session's slug.")]
ProjectSlug = Annotated[str, strawberry.argument(description="The project's slug.")]
TopicName = Annotated[str, strawberry.argument(description="The topic's name.")]
OfKind = Annotated[RecommendationKind | None, strawberry.argument(description="Only recommendations of this kind.")]
SearchWords = Annotated[
    str, strawberry.argument(description="Words to look for; a word also matches longer words it starts.")
]
SearchFirst = Annotated[int | None, strawberry.argument(description=f"How many hits to return, 1 to {MAX_PAGE_SIZE}.")]
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
