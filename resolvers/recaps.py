"""Which recaps a question is about: all of a store's, one by slug, or the default one."""

from __future__ import annotations

from collections.abc import Sequence

from store import RecapIndex, Store


def list_recaps(store: Store) -> Sequence[RecapIndex]:
    """Every recap, the newest event first (by start date; then in the order they were imported)."""
    order = {index.slug: position for position, index in enumerate(store.recaps)}
    return sorted(store.recaps, key=lambda index: (-index.recap.start_date.toordinal(), order[index.slug]))


def get_recap(store: Store, slug: str | None) -> RecapIndex | None:
    """The recap with this slug; the default recap when `slug` is None; None when there is none."""
    return store.recap(slug)


def scope(store: Store, slug: str | None) -> Sequence[RecapIndex]:
    """The recaps a root list spans: every one, or only the one named (none when it does not exist)."""
    if slug is None:
        return store.recaps
    found = store.by_slug.get(slug)
    return (found,) if found is not None else ()
