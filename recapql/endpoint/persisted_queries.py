"""Automatic persisted queries (Apollo's APQ protocol): clients send a document's hash, not the document.

A client first sends only `extensions.persistedQuery.sha256Hash`; if the server does not know
it, the answer is the error `PersistedQueryNotFound`, and the client sends the hash with the
document once. After that the hash alone is enough, so GET URLs stay short and cacheable.

A document sent with its hash is kept only once it has passed every limit: its length before
it runs (`document_too_long`), and the schema's own (tokens, depth, aliases, cost …) by running
without a request error; the endpoint then calls `register`. The store keeps at most
`capacity` documents, and at most `capacity * BYTES_PER_DOCUMENT` bytes in all, counted as
they are held (each document's `sys.getsizeof`, its hash and the LRU's entries), so its memory
is bounded by the setting whatever the documents are: long ones, or ones of four-byte
characters, only mean fewer are kept. The least recently used go first.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache

from recapql.endpoint.graphql_request import GraphQLParams

# The average a document may take: any ASCII document within the default length limit
# (RECAPQL_MAX_DOCUMENT_CHARS, 15,000) fits, and a frontend's are a few hundred bytes to a few KiB.
BYTES_PER_DOCUMENT = 16 * 1024
# Beyond the document's own `sys.getsizeof`: its hash (a 64-character str, 113 bytes) and the
# LRU's three dictionaries' entries: measured at 270-350 bytes, counted as 400.
ENTRY_OVERHEAD = 400


class PersistedQueryError(Exception):
    """An APQ request that cannot be answered; `code` is the one Apollo clients look for."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True, slots=True)
class Resolved:
    """A request's parameters with the document filled in, and the hash to register it under if it passes."""

    params: GraphQLParams
    register_as: str | None = None


class PersistedQueries:
    """Documents by their SHA-256: at most `capacity` of them, in at most `capacity` * 16 KiB."""

    def __init__(self, capacity: int, max_document_chars: int) -> None:
        self.capacity = capacity
        self.max_document_chars = max_document_chars
        self.max_bytes = capacity * BYTES_PER_DOCUMENT
        self._documents: LRUCache[str, str] = LRUCache(maxsize=max(self.max_bytes, 1), getsizeof=_entry_size)

    def resolve(self, params: GraphQLParams) -> Resolved:
        """`params` with the document filled in from its hash; a document sent with its hash is checked, not kept."""
        persisted = (params.extensions or {}).get("persistedQuery")
        if persisted is None:
            return Resolved(params)
        sha256 = _hash_of(persisted)
        if self.capacity == 0:
            raise PersistedQueryError("PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED")
        if params.query is None:
            document = self._documents.get(sha256)
            if document is None:
                raise PersistedQueryError("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
            return Resolved(dataclasses.replace(params, query=document))
        if hashlib.sha256(params.query.encode("utf-8", "surrogatepass")).hexdigest() != sha256:
            raise PersistedQueryError("The provided sha256Hash does not match the query.", "BAD_REQUEST")
        return Resolved(params, register_as=None if sha256 in self._documents else sha256)

    def register(self, sha256: str, document: str) -> None:
        """Keep `document` under `sha256`: call it once the document has passed every limit."""
        if self.capacity == 0 or len(document) > self.max_document_chars:
            return
        if _entry_size(document) > self._documents.maxsize:
            return
        while len(self._documents) >= self.capacity and sha256 not in self._documents:
            self._documents.popitem()  # the least recently used
        self._documents[sha256] = document

    def __len__(self) -> int:
        return len(self._documents)

    def __contains__(self, sha256: object) -> bool:
        return sha256 in self._documents

    @property
    def size_bytes(self) -> int:
        """The bytes counted for the documents kept; at most `capacity * BYTES_PER_DOCUMENT`."""
        return int(self._documents.currsize) if self.capacity else 0


def _entry_size(document: str) -> int:
    return sys.getsizeof(document) + ENTRY_OVERHEAD


def _hash_of(persisted: Any) -> str:
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise PersistedQueryError("Unsupported persistedQuery: expected version 1.", "BAD_REQUEST")
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or len(sha256) != 64:
        raise PersistedQueryError("persistedQuery.sha256Hash must be a 64-digit hex SHA-256.", "BAD_REQUEST")
    return sha256.lower()
