"""How long each list of a store can be, measured when it is built, so query costs are known.

Each number is the most records one step along a relation can give: `sessions_by_day` is the
number of sessions of the busiest day, `projects_by_session` the most projects one session
mentions. Lists of one recap (`recap_*`, and every relation) take the largest recap's; the
root's lists, which span every recap, take the sum. Plain numbers named after the store's own
lists and indexes, frozen and hashable, so what is derived from them can be cached by them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

# The most ids one `nodes(ids:)` lookup takes (the API refuses more): kept here, beside the
# fan-out that prices it, since the store cannot import the API's own limits.
NODE_IDS = 100


@dataclass(frozen=True, slots=True)
class FanOuts:
    """The longest list behind each relation of one recap, or of a whole store."""

    recaps: int
    days: int
    topics: int
    sessions: int
    projects: int
    recommendations: int
    search_entries: int
    recap_days: int
    recap_topics: int
    recap_sessions: int
    recap_projects: int
    recap_recommendations: int
    recap_search_entries: int
    recap_changes: int
    recap_top_three: int
    sessions_by_day: int
    sessions_by_topic: int
    sessions_by_project: int
    projects_by_session: int
    projects_by_topic: int
    recommendations_by_kind: int
    recommendations_by_session: int
    recommendations_by_project: int
    # The provenance lists: a record's notes, missing facts and inferred values, and their sources.
    notes_by_session: int
    recap_notes: int
    missing_by_record: int
    recap_missing: int
    recap_top_three_mentions: int
    recap_documents: int
    inferred_by_day: int
    sources_by_inferred: int
    # Topic objects: the most topics one session or project has.
    topics_by_session: int
    topics_by_project: int
    # Facets: the distinct session kinds and project categories (the other facets' values are the
    # recap's days, topics and projects, whose counts are above); summed for a store.
    session_kinds: int
    project_categories: int
    # The most objects one `nodes(ids:)` can return (see NODE_IDS): the same id may repeat, so
    # every store that holds an object can fill it.
    node_ids: int
    # Search: the most fields one hit can match (a record's fields holding text), and the most
    # words one match's snippet highlights (store/search_index.py's MAX_HIGHLIGHTS).
    matches_by_hit: int
    highlights_by_match: int

    @classmethod
    def of_store(cls, recaps: Sequence[FanOuts]) -> FanOuts:
        """A store's: the root's lists summed over its recaps, every other list the longest of any recap."""
        summed = {"recaps", "days", "topics", "sessions", "projects", "recommendations", "search_entries"}
        summed |= {"session_kinds", "project_categories"}
        values = {
            field.name: (sum if field.name in summed else max)(getattr(item, field.name) for item in recaps)
            for field in dataclasses.fields(cls)
        }
        return cls(**values)
