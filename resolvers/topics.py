"""Finding topics, the tags that sessions and projects share, by name or by slug."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from resolvers.memo import Memo
from store import RecapIndex
from store.records import Topic
from store.topic_slugs import TopicSlugs


def list_topics(index: RecapIndex) -> Sequence[Topic]:
    """Every topic, ordered by name."""
    return index.topics


def get_topic(index: RecapIndex, name: str) -> Topic | None:
    """The topic called `name`, compared case-insensitively."""
    return index.topic_by_name.get(name.casefold())


def get_topic_by_slug(index: RecapIndex, slug: str) -> Topic | None:
    """The topic whose slug (see `topic_slug`) is `slug`."""
    return _slugs(index).by_slug.get(slug)


def topic_slug(index: RecapIndex, topic: Topic) -> str:
    """The topic's URL-friendly key in its recap: its name in lower-case ASCII words joined by dashes
    (`service mesh` → `service-mesh`); a name that would repeat another's gets `-2`, `-3`… in name order."""
    return _slugs(index).by_name[topic.name.casefold()]


def topics_named(index: RecapIndex, names: Iterable[str]) -> list[Topic]:
    """The topics of these names (a session's or project's `topics`), in their order, once each."""
    found = (index.topic_by_name.get(name.casefold()) for name in names)
    return list({id(topic): topic for topic in found if topic is not None}.values())


def _slugs(index: RecapIndex) -> TopicSlugs:
    return _SLUGS.get(index, "slugs", lambda: TopicSlugs(index.topics))


_SLUGS = Memo()
