"""Finding recommendations: all, by kind, by slug, and those pointing at a session or project."""

from __future__ import annotations

from collections.abc import Sequence

from store import Store
from store.records import Recommendation


def list_recommendations(store: Store, kind: str | None = None) -> Sequence[Recommendation]:
    """All recommendations in recap order, or only those of `kind`."""
    if kind is None:
        return store.recommendations
    return store.recommendations_by_kind.get(kind, ())


def get_recommendation(store: Store, slug: str) -> Recommendation | None:
    return store.recommendation_by_slug.get(slug)


def recommendations_for_session(store: Store, slug: str) -> Sequence[Recommendation]:
    return store.recommendations_by_session.get(slug, ())


def recommendations_for_project(store: Store, slug: str) -> Sequence[Recommendation]:
    return store.recommendations_by_project.get(slug, ())
