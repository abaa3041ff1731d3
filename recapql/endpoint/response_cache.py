"""Whole responses, ready to send, for requests that were answered before, within a memory budget.

The store never changes while it is loaded, so the answer to a document, its variables and
its operation name is fixed: keep its bytes and their ETag, and answer the next identical
request without running GraphQL at all. Only answers without errors are kept.

The key is a 32-byte BLAKE2b digest of the store's version, the normalized document
(whitespace, commas and comments do not matter), the operation that runs, and the values of
the variables that operation declares: graphql-core ignores any other variable, so they are
no part of the key (a flood of requests differing only in unused variables makes one entry).
Being a digest, a key costs the same 32 bytes whatever the request's size.

Everything kept is counted against `max_bytes`, keys and bookkeeping included, with the
per-entry overheads measured with tracemalloc (`tests/api/test_memory.py` checks they still
hold): answers (body, key, ETag, the LRU's entries) and, in an eighth of the budget, what the
cache learned of each document it saw (its digest and the variables of each operation), so
that a repeated document is not parsed again to find its key. With the cache off (0), only
those shapes are kept, in `SHAPES_WHEN_OFF`.

In a sixteenth of the budget it also knows the requests it answered, by their exact POST body or
GET query string and the media type they were answered in, with their answer's key: the
protocol answers a repeat of one of them itself (`recapql.endpoint.early_answers`), without the
ASGI stack, the JSON, the document or its variables. A request whose answer was evicted since
is not answered early: it goes through the app again, which keeps the answer anew.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from cachetools import LRUCache
from graphql import GraphQLError, OperationDefinitionNode, parse, print_ast

from recapql.endpoint.graphql_request import GraphQLParams

Key = bytes
_DIGEST_BYTES = 32
# Beyond the body's own `sys.getsizeof`: the key (65 bytes), the CachedResponse (48) and its
# ETag (83), and the LRU's three dictionaries (cachetools keeps the values, their sizes and the
# order), whose tables grow by doubling: measured at 390-465 bytes an entry, counted as 560.
ANSWER_OVERHEAD = 560
# Beyond the sizes of its operations' and variables' names: the key (65), the DocumentShape and
# its digest (48 + 65), the tuples and the LRU's entries. A document with one named operation
# and one variable measured 640-700 bytes in all; counted, 795 (560 plus the costs below).
SHAPE_OVERHEAD = 560
_OPERATION_OVERHEAD = 120  # an Operation and its tuple of variable names
_NAME_OVERHEAD = 8  # a name's slot in its tuple
# The share of the budget kept for document shapes (1/8): a shape is a few hundred bytes.
SHAPES_SHARE = 8
# The share kept for known requests (1/16): a POST body or GET query string of a few hundred bytes, and a key.
REQUESTS_SHARE = 16
# Beyond the body's own `sys.getsizeof` (and its operation's name): the (method, media type, body)
# tuple (64), the KnownRequest (56) and the LRU's three dictionaries' entries (the answer's key is the
# answer's): measured at 300-360 bytes an entry, counted as 400.
REQUEST_OVERHEAD = 400
# With the cache off, shapes are still kept, in this much: the endpoint names each request's
# operation from its shape, and parsing a document again costs ~0.3 ms (a memo hit, ~1 µs).
SHAPES_WHEN_OFF = 256 * 1024


class CachedResponse:
    """The response body of an answered request and its strong ETag.

    The ETag is computed when first asked for: only GET answers carry one, and hashing a
    17 KB answer was 4 % of executing a query whose POST answer never needed it.
    """

    __slots__ = ("_etag", "body")

    def __init__(self, body: bytes, etag: str | None = None) -> None:
        self.body = body
        self._etag = etag

    @property
    def etag(self) -> str:
        if self._etag is None:
            self._etag = etag_of(self.body)  # the same value whoever computes it first
        return self._etag


@dataclass(frozen=True, slots=True)
class KnownRequest:
    """A request answered from the cache before: its answer's key, and the operation it ran (for the log)."""

    answer: Key
    operation: str | None
    size: int  # the bytes it holds, its payload's included (cachetools sizes values; the payload is the key's)


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of a document: its name (None when anonymous) and the variables it declares."""

    name: str | None
    variables: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DocumentShape:
    """What the cache needs of a document: the digest of its normalized text and its operations.

    A document that does not parse has no operations: no request for it can be cached.
    """

    digest: bytes
    operations: tuple[Operation, ...]

    def operation(self, name: str | None) -> Operation | None:
        """The operation a request naming `name` runs, as graphql-core picks it; None if none would run."""
        if name is None:
            return self.operations[0] if len(self.operations) == 1 else None
        for operation in self.operations:
            if operation.name == name:
                return operation
        return None

    @property
    def size(self) -> int:
        """The bytes this shape holds once memoized (its key and the LRU's entries included)."""
        size = SHAPE_OVERHEAD
        for operation in self.operations:
            size += _OPERATION_OVERHEAD + (sys.getsizeof(operation.name) if operation.name else 0)
            size += sum(sys.getsizeof(name) + _NAME_OVERHEAD for name in operation.variables)
        return size


def shape_of(document: str, max_tokens: int | None = None) -> DocumentShape:
    """`document`'s shape, parsed without locations and never past `max_tokens` (the schema's limit)."""
    try:
        parsed = parse(document, no_location=True, max_tokens=max_tokens)
    except GraphQLError:
        return DocumentShape(b"", ())
    operations = tuple(
        Operation(
            definition.name.value if definition.name else None,
            tuple(variable.variable.name.value for variable in definition.variable_definitions or ()),
        )
        for definition in parsed.definitions
        if isinstance(definition, OperationDefinitionNode)
    )
    digest = hashlib.blake2b(print_ast(parsed).encode(), digest_size=_DIGEST_BYTES).digest()
    return DocumentShape(digest, operations)


def _digest(*parts: bytes) -> bytes:
    hasher = hashlib.blake2b(digest_size=_DIGEST_BYTES)
    for part in parts:
        hasher.update(len(part).to_bytes(8, "big"))  # length-prefixed: no two part lists hash alike
        hasher.update(part)
    return hasher.digest()


def declared_variables(operation: Operation, variables: Mapping[str, Any] | None) -> dict[str, Any]:
    """The values of the variables `operation` declares (graphql-core ignores any other)."""
    if not variables:
        return {}
    return {name: variables[name] for name in operation.variables if name in variables}


class ResponseCache:
    """Responses by (store version, normalized document, operation, declared variables), within `max_bytes`."""

    def __init__(self, max_bytes: int, max_tokens: int | None = None) -> None:
        self.max_bytes = max_bytes
        self.max_tokens = max_tokens
        shapes_bytes = max_bytes // SHAPES_SHARE if max_bytes else SHAPES_WHEN_OFF
        requests_bytes = max_bytes // REQUESTS_SHARE
        self._shapes: LRUCache[Key, DocumentShape] = LRUCache(
            maxsize=max(shapes_bytes, 1), getsizeof=lambda shape: shape.size
        )
        self._requests: LRUCache[tuple[str, str, bytes], KnownRequest] = LRUCache(
            maxsize=max(requests_bytes, 1), getsizeof=_request_size
        )
        self._answers: LRUCache[Key, CachedResponse] = LRUCache(
            maxsize=max(max_bytes - shapes_bytes - requests_bytes, 1), getsizeof=_answer_size
        )

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def shape(self, document: str) -> DocumentShape:
        """`document`'s shape, memoized by the digest of its exact text."""
        text_key = hashlib.blake2b(document.encode("utf-8", "surrogatepass"), digest_size=_DIGEST_BYTES).digest()
        found = self._shapes.get(text_key)
        if found is None:
            found = shape_of(document, self.max_tokens)
            if found.size <= self._shapes.maxsize:
                self._shapes[text_key] = found
        return found

    def key(self, store_version: str, shape: DocumentShape, params: GraphQLParams) -> Key | None:
        """The key of a request for `shape` with `params`, or None when it cannot be cached."""
        operation = shape.operation(params.operation_name)
        if operation is None:
            return None
        variables = orjson.dumps(declared_variables(operation, params.variables), option=orjson.OPT_SORT_KEYS)
        name = b"\x00" if operation.name is None else b"\x01" + operation.name.encode()
        return _digest(store_version.encode(), shape.digest, name, variables)

    def get(self, key: Key | None) -> CachedResponse | None:
        if key is None or not self.enabled:
            return None
        return self._answers.get(key)

    def put(self, key: Key | None, body: bytes) -> CachedResponse:
        """Keep `body` under `key` (when it fits) and return it with its ETag."""
        entry = CachedResponse(body)
        if key is None or not self.enabled or _answer_size(entry) > self._answers.maxsize:
            return entry
        # A right-sized copy: orjson (3.12+) leaves its output in the buffer it grew, at least
        # 4 KiB and up to twice the length, and never shrinks it (ijl/orjson, home-assistant/core
        # #181245): a 600-byte answer kept as is held 8 KiB, and `sys.getsizeof` says 633.
        # Its ETag is computed now, as a kept answer's always was (the overheads above count it).
        body = bytes(memoryview(body))
        kept = CachedResponse(body, etag_of(body))
        self._answers[key] = kept
        return kept

    def remember(self, method: str, media_type: str, payload: bytes, key: Key, operation: str | None) -> None:
        """Know that a request of `payload` (a POST's body, a GET's query string) is answered, in
        `media_type`, by the answer kept under `key`.

        Call it only for a request whose answer depends on nothing else of it: without extensions
        (a persisted query's answer depends on what is persisted at the time).
        """
        if not self.enabled or key not in self._answers:
            return
        size = sys.getsizeof(payload) + (sys.getsizeof(operation) if operation else 0) + REQUEST_OVERHEAD
        if size <= self._requests.maxsize:
            self._requests[(method, media_type, payload)] = KnownRequest(key, operation, size)

    def known(self, method: str, media_type: str, payload: bytes) -> tuple[KnownRequest, CachedResponse] | None:
        """The known request a request of `payload` in `media_type` repeats, and its answer; None if either is gone."""
        entry = self._requests.get((method, media_type, payload))
        if entry is None:
            return None
        answer = self._answers.get(entry.answer)
        return None if answer is None else (entry, answer)

    def __len__(self) -> int:
        """The answers kept."""
        return len(self._answers)

    @property
    def size_bytes(self) -> int:
        """The bytes counted for everything kept: answers, known requests and shapes, at most `max_bytes`
        (or `SHAPES_WHEN_OFF`)."""
        answers = self._answers.currsize + self._requests.currsize if self.enabled else 0
        return int(answers + self._shapes.currsize)


def _answer_size(entry: CachedResponse) -> int:
    return sys.getsizeof(entry.body) + ANSWER_OVERHEAD


def _request_size(entry: KnownRequest) -> int:
    return entry.size
