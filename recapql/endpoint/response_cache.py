"""Whole responses, ready to send, for requests that were answered before.

The store never changes while it is loaded, so the answer to a document, its variables and
its operation name is fixed: keep its bytes and their ETag, and answer the next identical
request without running GraphQL at all. Documents are normalized first (whitespace, commas
and comments do not matter), and every key holds the store's version, so an entry can never
outlive the data it was read from. Only answers without errors are kept.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

import orjson
from cachetools import LRUCache
from graphql import GraphQLError, parse, print_ast

from recapql.endpoint.graphql_request import GraphQLParams

Key = tuple[str, str, bytes, str | None]
# Keys and bookkeeping cost memory too: a few hundred bytes an entry, counted with the body.
_ENTRY_OVERHEAD = 400


@dataclass(frozen=True, slots=True)
class CachedResponse:
    """The response body of an answered request and its strong ETag."""

    body: bytes
    etag: str


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


@lru_cache(maxsize=1024)
def normalized(document: str) -> str:
    """The document as graphql-core prints it: same meaning, same text."""
    try:
        return print_ast(parse(document, no_location=True))
    except GraphQLError:
        return document  # never cached (it fails), so its exact text is as good a key as any


class ResponseCache:
    """Responses by (store version, normalized document, variables, operation name), within `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: LRUCache[Key, CachedResponse] = LRUCache(
            maxsize=max(max_bytes, 1), getsizeof=lambda entry: len(entry.body) + _ENTRY_OVERHEAD
        )

    @staticmethod
    def key(store_version: str, params: GraphQLParams) -> Key | None:
        """The key of `params`, or None when they cannot be cached (no document)."""
        if params.query is None:
            return None
        variables = orjson.dumps(params.variables, option=orjson.OPT_SORT_KEYS) if params.variables else b""
        return (store_version, normalized(params.query), variables, params.operation_name)

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def get(self, key: Key | None) -> CachedResponse | None:
        if key is None or self.max_bytes == 0:
            return None
        return self._entries.get(key)

    def put(self, key: Key | None, body: bytes) -> CachedResponse:
        """Keep `body` under `key` (when it fits) and return it with its ETag."""
        entry = CachedResponse(body, etag_of(body))
        if key is not None and 0 < len(body) + _ENTRY_OVERHEAD <= self.max_bytes:
            self._entries[key] = entry
        return entry

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size_bytes(self) -> int:
        return int(self._entries.currsize)
