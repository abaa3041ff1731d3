"""Parsed and validated documents are kept within a byte budget, whatever documents clients send."""

from __future__ import annotations

import gc
import tracemalloc

from starlette.testclient import TestClient

from schema.limits import document_cache
from schema.limits.document_cache import DOCUMENT_CACHE_BYTES


def _large(number: int) -> str:
    # ~500 tokens, and each document new (its alias differs).
    fields = " ".join(["title"] * 495)
    return f"{{ a{number}: recap {{ {fields} }} }}"


def test_what_a_cached_document_weighs_is_at_least_what_it_costs(client: TestClient) -> None:
    documents = [_large(number) for number in range(5)]
    # Emptied first: once earlier tests have filled the budget, each new document evicts old ones.
    document_cache._CACHE.clear()
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        weighed_before = document_cache._CACHE.currsize
        for document in documents:
            assert client.post("/graphql", json={"query": document}).status_code == 200
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    weighed = document_cache._CACHE.currsize - weighed_before
    print(f"5 documents of ~500 tokens: {grown / 1e6:.2f} MB held, {weighed / 1e6:.2f} MB counted")
    assert all(any(key[0] == document for key in document_cache._CACHE) for document in documents)
    # Counted at least as dear as they are (the answers in the response cache are in `grown` too),
    # so the budget bounds real memory; Strawberry's caches counted every document as 1.
    assert grown <= weighed
    assert document_cache._CACHE.currsize <= DOCUMENT_CACHE_BYTES


def test_a_repeated_document_is_parsed_once(client: TestClient) -> None:
    query = "query Once { recap { city } }"
    client.post("/graphql", json={"query": query})
    cached = [key for key in document_cache._CACHE if key[0] == query]
    client.post("/graphql", json={"query": query})
    assert len(cached) == 1
    assert [key for key in document_cache._CACHE if key[0] == query] == cached
