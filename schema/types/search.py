"""Search results: a score, the session, project or recommendation found, and where it matched;
`searchResults`' pages of them, with cursors and counts by type."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from resolvers import search
from resolvers.search import Hit, SearchPage
from resolvers.snippets import SNIPPET_LENGTH
from schema.types.projects import Project, Recommendation
from schema.types.sessions import Session
from store import records
from store.search_index import MAX_HIGHLIGHTS

SearchResult = Annotated[
    Session | Project | Recommendation,
    strawberry.union("SearchResult", description="Anything search can find: a session, a project or a recommendation."),
]


@strawberry.type(
    description=(
        "A matched word in a snippet. Offsets count Unicode code points from 0 (Python string indexes); "
        "JavaScript strings count UTF-16 units, which differ only after a character outside the Basic "
        "Multilingual Plane, such as an emoji (`Array.from(snippet)` indexes code points)."
    )
)
class Highlight:
    start: int = strawberry.field(description="Where the word starts in the snippet, in code points.")
    end: int = strawberry.field(
        description="Where the word ends in the snippet, in code points, exclusive: the snippet from `start` to `end` "
        "is the word."
    )


@strawberry.type(description="A field of a hit that holds words the query matched, with an excerpt of it.")
class SearchMatch:
    field: str = strawberry.field(
        description=(
            "Which field matched: a session's `title`, `topics`, `summary`, `speakers`, `organizations`, `notes` or "
            "`verdict`; a project's `name`, `topics` or `description`; a recommendation's `title` or `reason`."
        )
    )
    snippet: str = strawberry.field(
        description=(
            f"An excerpt of the field's text around the matched words, {SNIPPET_LENGTH} characters at most, cut "
            "between words, with \u201c\u2026\u201d where text was cut; a short text whole. Of `notes`, the note "
            "matching the most query words; of `topics`, `speakers` and `organizations`, the list joined by commas."
        )
    )
    highlights: list[Highlight] = strawberry.field(
        description=f"The matched words in `snippet`, in order (at most {MAX_HIGHLIGHTS})."
    )


@strawberry.type(description="One search result; its node's `recap` says which recap it comes from.")
class SearchHit:
    score: float = strawberry.field(description="How well the result matches; higher is better, hits come best first.")
    node: SearchResult = strawberry.field(description="The session, project or recommendation found.")
    hit: strawberry.Private[Hit]

    @strawberry.field(
        description=(
            "Where the query matched: each field holding a word it matched (its stem, an alias, or a longer word it "
            "starts), in the record's field order, with a snippet and the matched words highlighted."
        )
    )
    def matches(self) -> list[SearchMatch]:
        return [
            SearchMatch(
                field=match.field,
                snippet=match.snippet.text,
                highlights=[Highlight(start=start, end=end) for start, end in match.snippet.highlights],
            )
            for match in search.matches(self.hit)
        ]

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
        return cls(score=hit.score, node=node, hit=hit)


@strawberry.type(description="A search hit on a page of `searchResults`, with its cursor.")
class SearchHitEdge:
    cursor: str = strawberry.field(
        description="Pass as `after` for the hits after this one; it holds only for the same query, types and recap."
    )
    node: SearchHit = strawberry.field(description="The hit.")


@strawberry.type(
    description=(
        "A page of search hits, best first, with cursors to fetch the next one, and how many hits the search has "
        "of each type, across every page."
    )
)
class SearchHitConnection:
    edges: list[SearchHitEdge] = strawberry.field(description="The hits of this page, each with its cursor.")
    nodes: list[SearchHit] = strawberry.field(description="The hits of this page, without their edges.")
    page_info: relay.PageInfo = strawberry.field(description="Where this page stands: cursors and whether more follow.")
    total_count: int = strawberry.field(description="How many hits the search has in all, across every page.")
    session_count: int = strawberry.field(description="How many of the hits are sessions.")
    project_count: int = strawberry.field(description="How many of the hits are projects.")
    recommendation_count: int = strawberry.field(description="How many of the hits are recommendations.")

    @classmethod
    def from_page(cls, page: SearchPage) -> SearchHitConnection:
        nodes = [SearchHit.from_hit(hit) for hit in page.hits]
        return cls(
            edges=[SearchHitEdge(cursor=cursor, node=node) for cursor, node in zip(page.cursors, nodes, strict=True)],
            nodes=nodes,
            page_info=relay.PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
                start_cursor=page.cursors[0] if page.cursors else None,
                end_cursor=page.cursors[-1] if page.cursors else None,
            ),
            total_count=page.total_count,
            session_count=page.counts.get("session", 0),
            project_count=page.counts.get("project", 0),
            recommendation_count=page.counts.get("recommendation", 0),
        )
