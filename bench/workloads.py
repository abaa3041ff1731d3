"""What the benchmark asks: each workload's queries, as the request bodies a load generator sends."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

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
SEARCH_WORDS = ("kubernetes", "security", "helm", "prometheus", "storage", "network", "serverless", "community")
TOPICS = ("security", "operations", "observability", "storage", "community", "serverless")


@dataclass(frozen=True)
class Workload:
    """One line of the table: the bodies sent (cycled), and on which store and cache setting."""

    name: str
    store: str  # "small" or "large"
    bodies: tuple[str, ...]
    misses: bool  # new variables every request: run recapql with its response cache off

    @property
    def first_body(self) -> dict[str, Any]:
        return dict(json.loads(self.bodies[0]))


def _body(query: str, variables: dict[str, Any] | None = None) -> str:
    return json.dumps({"query": query, "variables": variables})


def _cursor(offset: int) -> str:
    import base64

    return base64.b64encode(f"arrayconnection:{offset}".encode()).decode()


def workloads(small_slugs: list[str], large_slugs: list[str], *, large: bool) -> list[Workload]:
    """The workloads; `*_slugs` are every session slug of each store, in order."""
    found = [
        Workload("nested", "small", (_body(NESTED),), misses=False),
        Workload("lookup", "small", (_body(LOOKUP, {"slug": small_slugs[len(small_slugs) // 2]}),), misses=False),
        Workload("search", "small", (_body(SEARCH, {"q": "kubernetes security"}),), misses=False),
        Workload("page", "small", (_body(PAGE, {"topic": "security", "first": 5}),), misses=False),
        Workload("lookup miss", "small", tuple(_body(LOOKUP, {"slug": slug}) for slug in small_slugs), misses=True),
        Workload("search miss", "small", _search_bodies(), misses=True),
        Workload("page miss", "small", _page_bodies(len(small_slugs)), misses=True),
    ]
    if large:
        middle = large_slugs[len(large_slugs) // 2]
        found += [
            Workload("lookup", "large", (_body(LOOKUP, {"slug": middle}),), misses=False),
            Workload("search", "large", (_body(SEARCH, {"q": "kubernetes security"}),), misses=False),
            Workload("page", "large", (_body(PAGE, {"topic": "security", "first": 5, "after": _cursor(999)}),), False),
            Workload(
                "lookup miss", "large", tuple(_body(LOOKUP, {"slug": slug}) for slug in large_slugs[::7]), misses=True
            ),
            Workload("search miss", "large", _search_bodies(), misses=True),
            Workload("page miss", "large", _page_bodies(len(large_slugs)), misses=True),
        ]
    return found


def _search_bodies() -> tuple[str, ...]:
    return tuple(_body(SEARCH, {"q": f"{first} {second}"}) for first in SEARCH_WORDS for second in SEARCH_WORDS)


def _page_bodies(sessions: int) -> tuple[str, ...]:
    step = max(1, sessions // 400)
    return tuple(
        _body(PAGE, {"topic": TOPICS[index % len(TOPICS)], "first": 5, "after": _cursor(offset)})
        for index, offset in enumerate(range(0, sessions, step))
    )
