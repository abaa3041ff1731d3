"""Finding topics, the tags that sessions and projects share, by name or by slug."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

from resolvers.memo import Memo
from store import RecapIndex
from store.records import Topic


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


def slugify(name: str) -> str:
    """`Chaos Engineering` → `chaos-engineering`; `topic` for a name without a letter or digit of ASCII."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "topic"


class _Slugs:
    """A recap's topic slugs both ways."""

    def __init__(self, topics: Sequence[Topic]) -> None:
        by_slug: dict[str, Topic] = {}
        by_name: dict[str, str] = {}
        for topic in topics:
            base = slug = slugify(topic.name)
            number = 1
            while slug in by_slug:
                number += 1
                slug = f"{base}-{number}"
            by_slug[slug] = topic
            by_name[topic.name.casefold()] = slug
        self.by_slug: Mapping[str, Topic] = MappingProxyType(by_slug)
        self.by_name: Mapping[str, str] = MappingProxyType(by_name)


def _slugs(index: RecapIndex) -> _Slugs:
    return _SLUGS.get(index, "slugs", lambda: _Slugs(index.topics))


_SLUGS = Memo()
