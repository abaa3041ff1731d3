"""Finding recommendations: all, by kind, by slug, and those pointing at a session or project."""

from __future__ import annotations

from collections.abc import Sequence

from store import RecapIndex
from store.records import Recommendation


def list_recommendations(index: RecapIndex, kind: str | None = None) -> Sequence[Recommendation]:
    """All recommendations in recap order, or only those of `kind`."""
    if kind is None:
        return index.recommendations
    return index.recommendations_by_kind.get(kind, ())


def get_recommendation(index: RecapIndex, slug: str) -> Recommendation | None:
    return index.recommendation_by_slug.get(slug)


def recommendations_for_session(index: RecapIndex, slug: str) -> Sequence[Recommendation]:
    return index.recommendations_by_session.get(slug, ())


def recommendations_for_project(index: RecapIndex, slug: str) -> Sequence[Recommendation]:
    return index.recommendations_by_project.get(slug, ())
