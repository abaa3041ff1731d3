"""Automatic persisted queries (Apollo's APQ protocol): clients send a document's hash, not the document.

A client first sends only `extensions.persistedQuery.sha256Hash`; if the server does not know
it, the answer is the error `PersistedQueryNotFound`, and the client sends the hash with the
document once. After that the hash alone is enough, so GET URLs stay short and cacheable.
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

from cachetools import LRUCache

from recapql.endpoint.graphql_request import GraphQLParams


class PersistedQueryError(Exception):
    """An APQ request that cannot be answered; `code` is the one Apollo clients look for."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class PersistedQueries:
    """Documents by their SHA-256, at most `capacity` of them (least recently used go first)."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._documents: LRUCache[str, str] = LRUCache(maxsize=max(capacity, 1))

    def resolve(self, params: GraphQLParams) -> GraphQLParams:
        """`params` with the document filled in from its hash; registers a document sent with its hash."""
        persisted = (params.extensions or {}).get("persistedQuery")
        if persisted is None:
            return params
        sha256 = _hash_of(persisted)
        if self.capacity == 0:
            raise PersistedQueryError("PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED")
        if params.query is None:
            document = self._documents.get(sha256)
            if document is None:
                raise PersistedQueryError("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
            return dataclasses.replace(params, query=document)
        if hashlib.sha256(params.query.encode()).hexdigest() != sha256:
            raise PersistedQueryError("The provided sha256Hash does not match the query.", "BAD_REQUEST")
        self._documents[sha256] = params.query
        return params


def _hash_of(persisted: Any) -> str:
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise PersistedQueryError("Unsupported persistedQuery: expected version 1.", "BAD_REQUEST")
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or len(sha256) != 64:
        raise PersistedQueryError("persistedQuery.sha256Hash must be a 64-digit hex SHA-256.", "BAD_REQUEST")
    return sha256.lower()
