"""Finding topics, the tags that sessions and projects share."""

from __future__ import annotations

from collections.abc import Sequence

from store import Store
from store.records import Topic


def list_topics(store: Store) -> Sequence[Topic]:
    """Every topic, ordered by name."""
    return store.topics


def get_topic(store: Store, name: str) -> Topic | None:
    """The topic called `name`, compared case-insensitively."""
    return store.topic_by_name.get(name.casefold())
