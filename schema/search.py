"""Search results: a score and the session, project or recommendation found."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.search import Hit
from schema.types import Project, Recommendation, Session
from store import records

SearchResult = Annotated[
    Session | Project | Recommendation,
    strawberry.union("SearchResult", description="Anything search can find: a session, a project or a recommendation."),
]


@strawberry.type(description="One search result; its node's `recap` says which recap it comes from.")
class SearchHit:
    score: float = strawberry.field(description="How well the result matches; higher is better, hits come best first.")
    node: SearchResult = strawberry.field(description="The session, project or recommendation found.")

    @classmethod
    def from_hit(cls, hit: Hit) -> SearchHit:
        record = hit.record
        node: Session | Project | Recommendation
        if isinstance(record, records.Session):
            node = Session.from_record(record, hit.recap)
        elif isinstance(record, records.Project):
            node = Project.from_record(record, hit.recap)
        else:
            node = Recommendation.from_record(record, hit.recap)
        return cls(score=hit.score, node=node)
