"""Topic slugs: the URL-friendly key of each topic in its recap, made one way for the API and the pages."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from store.records import Topic


def slugify(name: str) -> str:
    """`Chaos Engineering` → `chaos-engineering`; `topic` for a name without a letter or digit of ASCII."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "topic"


class TopicSlugs:
    """A recap's topic slugs both ways: a name that would repeat another's slug gets `-2`, `-3`… in name order."""

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
