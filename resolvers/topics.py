"""Finding topics, the tags that sessions and projects share."""

from __future__ import annotations

from collections.abc import Sequence

from store import RecapIndex
from store.records import Topic


def list_topics(index: RecapIndex) -> Sequence[Topic]:
    """Every topic, ordered by name."""
    return index.topics


def get_topic(index: RecapIndex, name: str) -> Topic | None:
    """The topic called `name`, compared case-insensitively."""
    return index.topic_by_name.get(name.casefold())
