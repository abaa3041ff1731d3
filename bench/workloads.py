"""What the benchmark asks: each workload's queries, as the request bodies a load generator sends.

Bodies are built from the store they run against (real slugs, real cursors walked in-process,
words the store contains), so every request asks for something that exists and a change in
cursor format or data cannot leave a workload silently answering empty pages.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from schema import Context, schema
from store import Store

NESTED = "{ days { date title sessions { slug title takeaways projects { slug name } } } }"
LOOKUP = "query Lookup($slug: String!) { session(slug: $slug) { slug title summary takeaways projects { slug name } } }"
SEARCH = (
    "query Search($q: String!) { search(query: $q, first: 10) { score node { __typename "
    "... on Session { slug title } ... on Project { slug name } ... on Recommendation { slug title } } } }"
)
PAGE = (
    "query Page($topic: String, $first: Int, $after: String) { sessions(first: $first, after: $after, "
    "filter: {topic: $topic}) { totalCount edges { cursor node { slug title } } pageInfo { endCursor hasNextPage } } }"
)
_CURSORS = (
    "query Walk($topic: String, $after: String) { sessions(first: 100, after: $after, filter: {topic: $topic}) "
    "{ edges { cursor } pageInfo { hasNextPage } } }"
)
# More distinct searches than recapql keeps ranked results for (resolvers/memo.py keeps 128), so a
# "new words" request really ranks again instead of slicing a remembered ranking.
SEARCH_WORDS = 24
MAX_BODIES = 400
_STOPWORDS = frozenset({"with", "from", "your", "what", "does", "that", "this", "into", "about", "their", "whats"})


@dataclass(frozen=True)
class Workload:
    """One line of the table: the bodies sent (cycled, a new one each request when there are several)."""

    name: str  # short and stable: results files are compared by (name, store)
    label: str  # what the table says
    store: str  # "small" or "large"
    bodies: tuple[str, ...]
    misses: bool  # new variables every request: recapql runs with its response cache off

    @property
    def key(self) -> str:
        return f"{self.name.replace(' ', '-')}-{self.store}"

    @property
    def title(self) -> str:
        return f"{self.label} ({self.store})"

    def sample(self, count: int) -> tuple[str, ...]:
        """Up to `count` bodies spread over all of them, the first included."""
        step = max(1, len(self.bodies) // count)
        return self.bodies[::step][:count]


NAMES = ("nested", "nested executed", "lookup", "search", "page", "lookup miss", "search miss", "page miss")


def keys(store: str, *, nested: bool) -> list[str]:
    """The keys `workloads` gives the store called `store` (without building any body)."""
    return [f"{name.replace(' ', '-')}-{store}" for name in NAMES if nested or not name.startswith("nested")]


def workloads(name: str, store: Store, *, nested: bool) -> list[Workload]:
    """Repeated and miss workloads over `store` (called `name`); the nested query only if `nested`.

    Lookups name sessions of the default recap (`session(slug:)` without `recap` looks there);
    searches and pages run over every recap of the store, as those fields do without `recap`.
    """
    slugs = list(store.default.session_by_slug)
    pages = _page_bodies(store)
    searches = _search_bodies(store)
    # The Q1 twice: answered from the response cache, and executed every time (the cache off).
    found = [
        Workload("nested", "nested day → sessions → projects", name, (_body(NESTED),), misses=False),
        Workload("nested executed", "nested, executed each request", name, (_body(NESTED),), misses=True),
    ]
    found = found if nested else []
    found += [
        Workload("lookup", "session(slug:)", name, (_body(LOOKUP, {"slug": slugs[len(slugs) // 2]}),), misses=False),
        Workload("search", "search", name, (_body(SEARCH, {"q": "kubernetes security"}),), misses=False),
        Workload("page", "filtered page", name, (_repeated_page(store),), misses=False),
        Workload("lookup miss", "lookup, new slug each request", name, _spread(_lookups(slugs)), misses=True),
        Workload("search miss", "search, new words each request", name, searches, misses=True),
        Workload("page miss", "page, new cursor each request", name, pages, misses=True),
    ]
    return found


def _body(query: str, variables: dict[str, Any] | None = None) -> str:
    return json.dumps({"query": query, "variables": variables}, separators=(",", ":"))


def _execute(store: Store, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    result = schema.execute_sync(query, variable_values=variables, context_value=Context(store=store))
    if result.errors or result.data is None:
        raise RuntimeError(f"the benchmark's own query failed in-process: {result.errors}")
    return dict(result.data)


def _topic_sizes(store: Store) -> Counter[str]:
    """Sessions per topic, over every recap."""
    sizes: Counter[str] = Counter()
    for recap in store.recaps:
        sizes.update({topic: len(sessions) for topic, sessions in recap.sessions_by_topic.items()})
    return sizes


def _topics_by_size(store: Store) -> list[str]:
    sizes = _topic_sizes(store)
    return sorted(sizes, key=lambda topic: (-sizes[topic], topic))


def _cursors(store: Store, topic: str) -> list[str]:
    """Every edge cursor of the sessions on `topic`, as recapql hands them out."""
    cursors: list[str] = []
    after: str | None = None
    while True:
        page = _execute(store, _CURSORS, {"topic": topic, "after": after})["sessions"]
        cursors += [edge["cursor"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"] or not page["edges"]:
            return cursors
        after = cursors[-1]


def _repeated_page(store: Store) -> str:
    """A page from the middle of the largest topic: a filter and a cursor, with more pages after it."""
    topic = _topics_by_size(store)[0]
    cursors = _cursors(store, topic)
    first = min(10, max(1, len(cursors) // 2))
    after = cursors[max(0, (len(cursors) - first) // 2 - 1)]
    return _body(PAGE, {"topic": topic, "first": first, "after": after})


def _page_bodies(store: Store) -> tuple[str, ...]:
    """Pages of every topic from every cursor that has a page after it, `first` from 1 to 10."""
    bodies: list[str] = []
    for topic in sorted(_topic_sizes(store)):
        starts: list[str | None] = [None, *_cursors(store, topic)[:-1]]
        for after in starts:
            bodies.append(_body(PAGE, {"topic": topic, "first": len(bodies) % 10 + 1, "after": after}))
    return _spread(bodies)


def _lookups(slugs: list[str]) -> list[str]:
    return [_body(LOOKUP, {"slug": slug}) for slug in slugs]


def _search_bodies(store: Store) -> tuple[str, ...]:
    """Two-word searches over words the store's titles, topics and project names use, none too common."""
    texts = [session.title for recap in store.recaps for session in recap.sessions]
    texts += [project.name for recap in store.recaps for project in recap.projects]
    texts += list(_topic_sizes(store))
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({word for word in re.findall(r"[a-z]+", text.lower()) if len(word) >= 4})
    common = len(texts) / 5
    words = [word for word, count in counts.most_common() if count <= common and word not in _STOPWORDS]
    return _spread([_body(SEARCH, {"q": f"{a} {b}"}) for a, b in combinations(words[:SEARCH_WORDS], 2)])


def _spread(bodies: list[str]) -> tuple[str, ...]:
    """At most MAX_BODIES of `bodies`, evenly spread (a Lua table of 15,000 bodies buys nothing)."""
    step = max(1, -(-len(bodies) // MAX_BODIES))
    return tuple(bodies[::step])
