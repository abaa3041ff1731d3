"""Memory the endpoint keeps: the response cache and the APQ store count what they hold, keys included.

In-process, tracemalloc compares what each counts with what it really holds. Over a real
`recapql serve` (slow), each attack runs against a fresh server with small settings, and the
server's resident memory (VmRSS) must grow by less than those settings plus a fixed margin.
"""

from __future__ import annotations

import gc
import hashlib
import http.client
import json
import os
import sys
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from recapql.endpoint.graphql_request import GraphQLParams
from recapql.endpoint.persisted_queries import BYTES_PER_DOCUMENT, PersistedQueries
from recapql.endpoint.response_cache import ResponseCache, shape_of
from tests.support.live_server import LiveServer, live_server

LOOKUP = "query Lookup($slug: String!) { session(slug: $slug) { title } }"
SEARCH = "query Find($q: String!) { search(query: $q, first: 5) { score node { __typename ... on Session { slug } } } }"


def _traced_growth(work: Callable[[], object]) -> tuple[int, object]:
    """The bytes still allocated after `work()` (its result kept), measured by tracemalloc."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = work()
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before, kept
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("entries", [1_000, 5_500, 11_000])
def test_the_cache_counts_at_least_what_its_answers_and_keys_really_hold(entries: int) -> None:
    # 5,500 and 11,000 are just past the points where the LRU's dictionaries double their tables.
    def fill() -> ResponseCache:
        cache = ResponseCache(1 << 34)
        shape = cache.shape(LOOKUP)
        for number in range(entries):
            params = GraphQLParams(LOOKUP, {"slug": f"session-{number}"}, "Lookup", None)
            body = b'{"data":{"session":{"title":"' + b"x" * 500 + str(number).encode() + b'"}}}'
            cache.put(cache.key("store-version", shape, params), body)
        return cache

    real, cache = _traced_growth(fill)
    assert isinstance(cache, ResponseCache)
    assert len(cache) == entries
    print(f"{entries} answers: counted {cache.size_bytes / entries:.0f} B, held {real / entries:.0f} B each")
    assert real <= cache.size_bytes <= real * 1.5


@pytest.mark.parametrize("entries", [1_000, 5_500])
def test_the_cache_counts_at_least_what_its_known_requests_really_hold(entries: int) -> None:
    cache = ResponseCache(1 << 34)
    shape = cache.shape(LOOKUP)
    keys = []
    for number in range(entries):
        key = cache.key("store-version", shape, GraphQLParams(LOOKUP, {"slug": f"session-{number}"}, "Lookup", None))
        assert key is not None
        cache.put(key, b'{"data":{"session":null}}')
        keys.append(key)
    answers_only = cache.size_bytes

    def remember() -> None:
        # Each body arrives as its own bytes, and the cache is all that keeps it.
        for number, key in enumerate(keys):
            body = json.dumps({"query": LOOKUP, "variables": {"slug": f"session-{number}"}}).encode()
            cache.remember("POST", "application/json", body, key, "Lookup")

    real, _ = _traced_growth(remember)
    counted = cache.size_bytes - answers_only
    last = json.dumps({"query": LOOKUP, "variables": {"slug": f"session-{entries - 1}"}}).encode()
    assert cache.known("POST", "application/json", last) is not None
    print(f"{entries} known requests: counted {counted / entries:.0f} B, held {real / entries:.0f} B each")
    assert real <= counted <= real * 1.5


def test_a_request_whose_answer_was_evicted_is_no_longer_known() -> None:
    cache = ResponseCache(64 * 1024)
    shape = cache.shape(LOOKUP)
    keys = [cache.key("v", shape, GraphQLParams(LOOKUP, {"slug": f"s-{n}"}, None, None)) for n in range(100)]
    first = keys[0]
    assert first is not None
    cache.put(first, b"x" * 1000)
    cache.remember("POST", "application/json", b"the first request", first, None)
    assert cache.known("POST", "application/json", b"the first request") is not None
    assert cache.known("POST", "application/graphql-response+json", b"the first request") is None
    assert cache.known("GET", "application/json", b"the first request") is None
    for key in keys[1:]:
        cache.put(key, b"y" * 1000)  # past the answers' share: the first goes
    assert cache.known("POST", "application/json", b"the first request") is None


def test_the_cache_counts_at_least_what_its_document_shapes_really_hold() -> None:
    documents = [f"query Op{number}($a: Int, $b: String) {{ recap {{ title }} }}" for number in range(3_000)]

    def learn() -> ResponseCache:
        cache = ResponseCache(1 << 34)
        for document in documents:
            cache.shape(document)
        return cache

    real, cache = _traced_growth(learn)
    assert isinstance(cache, ResponseCache)
    print(f"3,000 shapes: counted {cache.size_bytes / 3_000:.0f} B, held {real / 3_000:.0f} B each")
    assert real <= cache.size_bytes <= real * 1.5


def test_the_key_is_the_same_size_whatever_the_request_sends() -> None:
    cache = ResponseCache(1 << 20)
    shape = cache.shape(LOOKUP)
    short = cache.key("v", shape, GraphQLParams(LOOKUP, {"slug": "a"}, None, None))
    long = cache.key("v", shape, GraphQLParams(LOOKUP, {"slug": "a" * 60_000}, None, None))
    assert short is not None
    assert long is not None
    assert len(short) == len(long) == 32
    assert short != long


def test_variables_the_operation_does_not_declare_are_no_part_of_the_key() -> None:
    cache = ResponseCache(1 << 20)
    shape = cache.shape(LOOKUP)
    plain = cache.key("v", shape, GraphQLParams(LOOKUP, {"slug": "a"}, None, None))
    padded = cache.key("v", shape, GraphQLParams(LOOKUP, {"slug": "a", "pad": "x" * 60_000}, None, None))
    assert plain == padded
    # Declared variables still count, a null as much as a value (null is not the default).
    other = cache.key("v", shape, GraphQLParams(LOOKUP, {"slug": "b"}, None, None))
    null = cache.key("v", shape, GraphQLParams(LOOKUP, {"slug": None}, None, None))
    assert len({plain, other, null}) == 3


def test_each_operation_of_a_document_is_keyed_on_its_own_variables() -> None:
    two = "query A($x: Int) { recap { title } } query B($y: Int) { recap { city } }"
    cache = ResponseCache(1 << 20)
    shape = cache.shape(two)
    a = cache.key("v", shape, GraphQLParams(two, {"x": 1, "y": 1}, "A", None))
    a_other_y = cache.key("v", shape, GraphQLParams(two, {"x": 1, "y": 2}, "A", None))
    b = cache.key("v", shape, GraphQLParams(two, {"x": 1, "y": 1}, "B", None))
    assert a == a_other_y
    assert a != b
    # No operation name with two operations: graphql-core runs none, so nothing is cached.
    assert cache.key("v", shape, GraphQLParams(two, None, None, None)) is None


def test_the_cache_stays_within_its_budget() -> None:
    cache = ResponseCache(256 * 1024)
    shape = cache.shape(LOOKUP)
    for number in range(2_000):
        params = GraphQLParams(LOOKUP, {"slug": str(number)}, None, None)
        cache.put(cache.key("v", shape, params), b"x" * 1_000)
    for number in range(2_000):
        cache.shape(f"query Q{number} {{ recap {{ title }} }}")
    assert cache.size_bytes <= cache.max_bytes
    assert 100 < len(cache) < 2_000


def test_a_document_past_the_token_limit_is_not_parsed_to_the_end() -> None:
    many = "{ recap { " + "title " * 2_000 + "} }"
    assert shape_of(many, max_tokens=1_000).operations == ()
    assert len(shape_of(many).operations) == 1


def _document(number: int, chars: int, filler: str = "x") -> str:
    head = f"query Q{number} {{ recap {{ title }} }} #"
    return head + filler * (chars - len(head))


def test_the_apq_store_counts_at_least_what_its_documents_really_hold() -> None:
    documents = [_document(number, 2_000) for number in range(2_000)]
    hashes = [hashlib.sha256(document.encode()).hexdigest() for document in documents]

    def register() -> PersistedQueries:
        store = PersistedQueries(10_000, 15_000)
        for sha256, document in zip(hashes, documents, strict=True):
            store.register(sha256, document)
        return store

    real, store = _traced_growth(register)
    assert isinstance(store, PersistedQueries)
    # The documents and hashes were made before measuring; what registering adds is the LRU's
    # entries; the documents themselves are counted from their own size.
    held = real + sum(map(sys.getsizeof, documents)) + sum(map(sys.getsizeof, hashes))
    print(f"2,000 documents: counted {store.size_bytes / 2_000:.0f} B, held {held / 2_000:.0f} B each")
    assert held <= store.size_bytes <= held * 1.5


@pytest.mark.parametrize("filler", ["x", "\N{GRINNING FACE}"], ids=["ascii", "four-byte"])
def test_the_apq_store_stays_within_its_count_and_its_bytes(filler: str) -> None:
    store = PersistedQueries(10, 15_000)
    for number in range(50):
        document = _document(number, 14_000, filler)
        store.register(hashlib.sha256(document.encode()).hexdigest(), document)
    assert len(store) <= 10
    assert store.size_bytes <= 10 * BYTES_PER_DOCUMENT
    # Four bytes a character: 56 KB a document, so fewer than 10 fit; the newest are kept.
    assert len(store) == (10 if filler == "x" else 2)


def test_the_apq_store_never_keeps_a_document_over_the_length_limit() -> None:
    store = PersistedQueries(10, 100)
    document = _document(1, 101)
    store.register(hashlib.sha256(document.encode()).hexdigest(), document)
    assert len(store) == 0


# Over a real server: the settings made small, so that growth past them would show.

CACHE_MB = 4
APQ_DOCUMENTS = 100  # at most 100 * 16 KiB = 1.6 MB
# What else a busy server holds that no setting here bounds: request and response buffers of
# the concurrent clients, the allocator's slack, the store's search memos (128 results a kind).
MARGIN_MB = 16
# Strawberry's ParserCache and ValidationCache (schema/executable.py): 512 parsed documents
# with their locations; for the 14 KB documents below about 30 KB each.
PARSER_CACHES_MB = 20
CLIENTS = 8


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for process {pid}")


class _Clients:
    """Keep-alive connections to the server's /graphql, one per thread, all closed at the end."""

    def __init__(self, server: LiveServer) -> None:
        self.port = int(server.url.rsplit(":", 1)[1])
        self.local = threading.local()
        self.opened: list[http.client.HTTPConnection] = []

    def __enter__(self) -> _Clients:
        return self

    def __exit__(self, *_: object) -> None:
        for connection in self.opened:
            connection.close()

    def post(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        connection: http.client.HTTPConnection | None = getattr(self.local, "connection", None)
        if connection is None:
            connection = self.local.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.opened.append(connection)  # list.append is atomic: threads may share the list
        connection.request("POST", "/graphql", json.dumps(body), {"content-type": "application/json"})
        response = connection.getresponse()
        answer: dict[str, Any] = json.loads(response.read())
        return response.status, answer


def _attack(server: LiveServer, bodies: Iterable[dict[str, Any]], name: str, bound_mb: float) -> Counter[str]:
    """Send `bodies` from `CLIENTS` threads; assert the server's RSS grew less than `bound_mb`."""
    pid = server.process.pid
    before = _rss_mb(pid)
    started = time.monotonic()
    with _Clients(server) as clients, ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        answers = list(pool.map(clients.post, bodies))
    seconds = time.monotonic() - started
    time.sleep(0.2)
    after = _rss_mb(pid)
    print(
        f"{name}: {len(answers)} requests in {seconds:.1f} s; RSS {before:.0f} -> {after:.0f} MB "
        f"(+{after - before:.1f} MB, bound +{bound_mb:.0f} MB)"
    )
    assert after - before < bound_mb
    return Counter(f"{status} {_outcome(answer)}" for status, answer in answers)


def _outcome(answer: dict[str, Any]) -> str:
    """`ok`, or the name of the limit (else the message) of the answer's first error."""
    if "errors" not in answer:
        return "ok"
    error = answer["errors"][0]
    return str(error.get("extensions", {}).get("limit") or error["message"])


@pytest.fixture
def small_server(store_copy: Path) -> Iterator[LiveServer]:
    environment = {
        "RECAPQL_STORE": str(store_copy),
        "RECAPQL_RESPONSE_CACHE_MB": str(CACHE_MB),
        "RECAPQL_PERSISTED_QUERIES": str(APQ_DOCUMENTS),
    }
    with live_server(env=environment) as server:
        yield server


def _persisted(document: str) -> dict[str, Any]:
    return {
        "query": document,
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(document.encode()).hexdigest()}},
    }


@pytest.mark.slow
def test_unused_variables_do_not_grow_a_live_servers_memory(small_server: LiveServer) -> None:
    padding = os.urandom(30_000).hex()  # 60 KB a request
    bodies = ({"query": "{ recap { title } }", "variables": {"pad": f"{n}{padding}"}} for n in range(3_000))
    # Each answer is the same cached entry: only the margin may be used.
    outcomes = _attack(small_server, bodies, "3,000 POSTs with distinct unused 60 KB variables", MARGIN_MB)
    assert outcomes == {"200 ok": 3_000}


@pytest.mark.slow
def test_distinct_searches_keep_a_live_servers_memory_within_the_cache_setting(small_server: LiveServer) -> None:
    bodies = ({"query": SEARCH, "variables": {"q": f"kubernetes {n}"}} for n in range(3_000))
    outcomes = _attack(small_server, bodies, "3,000 distinct searches", CACHE_MB + MARGIN_MB)
    assert outcomes == {"200 ok": 3_000}


@pytest.mark.slow
def test_apq_registrations_keep_a_live_servers_memory_within_the_settings(small_server: LiveServer) -> None:
    # 800 distinct 14 KB documents: past the APQ store's 100, and past Strawberry's 512 parsed ones.
    bodies = (_persisted(_document(n, 14_000)) for n in range(800))
    apq_mb = APQ_DOCUMENTS * BYTES_PER_DOCUMENT / 1e6
    bound = CACHE_MB + apq_mb + PARSER_CACHES_MB + MARGIN_MB
    outcomes = _attack(small_server, bodies, "800 APQ registrations of distinct 14 KB documents", bound)
    assert outcomes == {"200 ok": 800}
    # The newest are kept, the oldest evicted.
    newest, oldest = _persisted(_document(799, 14_000)), _persisted(_document(0, 14_000))
    with _Clients(small_server) as clients:
        assert _outcome(clients.post({"extensions": newest["extensions"]})[1]) == "ok"
        assert _outcome(clients.post({"extensions": oldest["extensions"]})[1]) == "PersistedQueryNotFound"


@pytest.mark.slow
def test_documents_over_the_length_limit_are_never_persisted(small_server: LiveServer) -> None:
    bodies = (_persisted(_document(n, 20_000)) for n in range(1_500))
    outcomes = _attack(small_server, bodies, "1,500 over-long documents sent to be persisted", MARGIN_MB)
    assert outcomes == {"200 document_chars": 1_500}
    hash_only = {"extensions": _persisted(_document(0, 20_000))["extensions"]}
    with _Clients(small_server) as clients:
        assert _outcome(clients.post(hash_only)[1]) == "PersistedQueryNotFound"
