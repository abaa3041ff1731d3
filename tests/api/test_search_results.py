"""Search over HTTP, as users expect it: snippets with highlights, `types`, `searchResults` pages
past the first hundred with counts by type, English word forms and aliases.

Checked on the KubeCon recap, and on a store holding it beside a small recap written here (with
a long note, and an emoji before a matched word: offsets count code points).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import snowballstemmer  # type: ignore[import-untyped]
from starlette.testclient import TestClient

from recapql.app import create_app
from recapql.settings import Settings
from seed.recap_format.reader import read_recap
from store import Dataset, write_datasets
from tests.support.api import Gql, GqlErrors, gql_over

ENGLISH = snowballstemmer.stemmer("english")
# Aliases as docs/api.md lists them: what each stands for.
ALIASES = {"k8s": ["kubernetes"], "sre": ["site", "reliability", "engineering"]}

SMALL = "search-test-conf-2026"
LONG_NOTE = (
    "The speakers spent the first half hour on history, on cgroups, on namespaces and on the many "
    "companies that built schedulers before anyone said cloud native; only then, after a short "
    "break, did they 🚀 compare the runtimes people run today, and which of them a cluster should pick "
    "for workloads it does not trust, which for speed, and which for the least memory per pod, with "
    "numbers from their own test rig and a warning that every one of those numbers will change."
)
SMALL_RECAP = f"""---
title: "Notes from Search Test Conf 2026"
recap:
  event: Search Test Conf 2026
  city: Oslo
  country: Norway
  start: 2026-03-02
  end: 2026-03-02
  slug: {SMALL}
---

# Notes from Search Test Conf 2026

## Day 1: talks (2026-03-02)

### Three Runtimes Side by Side

- kind: talk
- topics: containers

Every container runtime we could find, on one K8s cluster.

- {LONG_NOTE}

### What an SRE Does All Day

- kind: talk
- topics: operations

Pager duty, budgets for errors, and very little engineering of new features.

## Projects

- **gVisor** (project) — A sandboxed container runtime.
- **Firecracker** (project) — A micro VM for a container or a function.
- **Kata Containers** (project) — A container runtime of light VMs.
- **youki** (project) — A container runtime in Rust.
- **crun** (project) — A fast container runtime in C.
"""

SNIPPETS = """
query Snippets($query: String!, $recap: String, $first: Int = 10) {
  search(query: $query, recap: $recap, first: $first) {
    node {
      __typename
      ... on Session { slug }
      ... on Project { slug }
      ... on Recommendation { slug }
    }
    matches { field snippet highlights { start end } }
  }
}
"""

RESULTS = """
query Results($query: String!, $types: [SearchType!], $recap: String, $first: Int = 10, $after: String) {
  searchResults(query: $query, types: $types, recap: $recap, first: $first, after: $after) {
    totalCount
    sessionCount
    projectCount
    recommendationCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges {
      cursor
      node { score node { __typename ... on Session { slug } ... on Project { slug } ... on Recommendation { slug } } }
    }
    nodes { node { __typename ... on Session { slug } ... on Project { slug } ... on Recommendation { slug } } }
  }
}
"""


@pytest.fixture(scope="module")
def with_small_path(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> Path:
    """A store of the KubeCon recap (the default) and the small recap above."""
    folder = tmp_path_factory.mktemp("search-recaps")
    recap = folder / f"{SMALL}.md"
    recap.write_text(SMALL_RECAP, encoding="utf-8")
    write_datasets(folder / "store.json", (dataset, read_recap(recap).dataset))
    return folder / "store.json"


@pytest.fixture(scope="module")
def with_small(with_small_path: Path) -> Iterator[Gql]:
    with TestClient(create_app(Settings(store_path=with_small_path))) as client:
        yield gql_over(client)


def _slug(hit: dict[str, Any]) -> tuple[str, str]:
    return hit["node"]["__typename"], hit["node"]["slug"]


def _expected_words(query: str) -> list[str]:
    """The query's words, aliases expanded, case-folded."""
    return [word for found in query.casefold().split() for word in ALIASES.get(found, [found])]


def _is_matched(word: str, query: str) -> bool:
    """A highlighted word (or a word its alias stands for) is a query word's form: it starts with
    the word or with the word's stem."""
    forms = [word.casefold(), *ALIASES.get(word.casefold(), [])]
    return any(
        form.startswith(expected) or form.startswith(ENGLISH.stemWord(expected))
        for form in forms
        for expected in _expected_words(query)
    )


def _highlighted(match: dict[str, Any]) -> list[str]:
    return [match["snippet"][highlight["start"] : highlight["end"]] for highlight in match["highlights"]]


@pytest.mark.parametrize(
    "query", ["container runtimes", "kubernetes security", "k8s", "sre", "service mesh", "prometheus"]
)
def test_every_hit_says_where_it_matched_and_its_highlights_are_the_query_s_words(gql: Gql, query: str) -> None:
    hits = gql(SNIPPETS, {"query": query, "first": 30})["search"]
    assert hits
    for hit in hits:
        assert hit["matches"], hit
        for match in hit["matches"]:
            assert len(match["snippet"]) <= 160
            assert match["highlights"], match
            for word in _highlighted(match):
                assert _is_matched(word, query), (word, match)


def test_a_long_note_is_cut_between_words_around_its_match_with_code_point_offsets(with_small: Gql) -> None:
    hits = with_small(SNIPPETS, {"query": "runtimes", "recap": SMALL})["search"]
    [session] = [hit for hit in hits if _slug(hit) == ("Session", "three-runtimes-side-by-side")]
    matches = {match["field"]: match for match in session["matches"]}
    assert set(matches) == {"title", "summary", "notes"}
    note = matches["notes"]
    assert note["snippet"].startswith("…")
    assert note["snippet"].endswith("…")
    assert 100 < len(note["snippet"]) <= 160
    inner = note["snippet"].strip("…")
    assert inner in LONG_NOTE
    assert LONG_NOTE[LONG_NOTE.index(inner) - 1] == " "  # cut between words
    # The emoji stands before the word: one code point (two UTF-16 units in JavaScript).
    assert "🚀" in note["snippet"]
    assert _highlighted(note) == ["runtimes"]
    assert _highlighted(matches["title"]) == ["Runtimes"]
    assert _highlighted(matches["summary"]) == ["runtime"]


def test_a_stem_finds_every_form_of_the_word(gql: Gql) -> None:
    runtimes = {_slug(hit) for hit in gql(SNIPPETS, {"query": "runtimes", "first": 100})["search"]}
    runtime = {_slug(hit) for hit in gql(SNIPPETS, {"query": "runtime", "first": 100})["search"]}
    assert runtimes == runtime
    assert ("Session", "whats-up-with-all-the-different-container-runtimes") in runtimes
    assert ("Project", "cri") in runtimes


def test_an_alias_finds_what_it_stands_for(gql: Gql, with_small: Gql) -> None:
    k8s = [_slug(hit) for hit in gql(SNIPPETS, {"query": "k8s", "first": 100})["search"]]
    assert k8s == [_slug(hit) for hit in gql(SNIPPETS, {"query": "kubernetes", "first": 100})["search"]]
    assert k8s[0] == ("Project", "kubernetes")
    # And the other way round: "kubernetes" finds the recap that only ever writes "K8s".
    found = with_small(SNIPPETS, {"query": "kubernetes", "recap": SMALL})["search"]
    [summary] = [match for match in found[0]["matches"] if match["field"] == "summary"]
    assert _highlighted(summary) == ["K8s"]
    sre = with_small(SNIPPETS, {"query": "SRE", "recap": SMALL})["search"]
    assert _slug(sre[0]) == ("Session", "what-an-sre-does-all-day")
    assert ("Session", "stories-from-the-playbook") in {_slug(hit) for hit in gql(SNIPPETS, {"query": "sre"})["search"]}


@pytest.mark.parametrize(
    ("types", "typenames"),
    [
        (["SESSION"], {"Session"}),
        (["PROJECT"], {"Project"}),
        (["RECOMMENDATION"], {"Recommendation"}),
        (["SESSION", "PROJECT"], {"Session", "Project"}),
        (None, {"Session", "Project", "Recommendation"}),
    ],
)
def test_types_limit_what_search_returns(gql: Gql, types: list[str] | None, typenames: set[str]) -> None:
    every = [_slug(hit) for hit in gql(SNIPPETS, {"query": "service mesh", "first": 100})["search"]]
    limited = gql(
        """query Limited($types: [SearchType!]) {
             search(query: "service mesh", first: 100, types: $types) { node { __typename
               ... on Session { slug } ... on Project { slug } ... on Recommendation { slug } } }
             recap { search(query: "service mesh", first: 100, types: $types) { node { __typename } } }
           }""",
        {"types": types},
    )
    found = [_slug(hit) for hit in limited["search"]]
    assert found == [hit for hit in every if hit[0] in typenames]
    assert {hit["node"]["__typename"] for hit in limited["recap"]["search"]} == typenames


def _every_page(run: Gql, variables: dict[str, Any], first: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every page of searchResults, following endCursor; the pages and their hits."""
    pages, hits, after = [], [], None
    while True:
        page = run(RESULTS, {**variables, "first": first, "after": after})["searchResults"]
        pages.append(page)
        hits += page["edges"]
        assert [edge["node"]["node"] for edge in page["edges"]] == [hit["node"] for hit in page["nodes"]]
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            return pages, hits
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize(("query", "first"), [("kubernetes", 7), ("the", 10), ("a the", 100)])
def test_search_results_page_through_every_hit_with_counts_by_type(gql: Gql, query: str, first: int) -> None:
    pages, hits = _every_page(gql, {"query": query}, first)
    typenames = [edge["node"]["node"]["__typename"] for edge in hits]
    counted = {name: typenames.count(name) for name in ("Session", "Project", "Recommendation")}
    for page in pages:
        assert page["totalCount"] == len(hits)
        assert (page["sessionCount"], page["projectCount"], page["recommendationCount"]) == tuple(counted.values())
    scores = [edge["node"]["score"] for edge in hits]
    assert scores == sorted(scores, reverse=True)
    assert len({edge["cursor"] for edge in hits}) == len(hits)
    # The first hundred are search's own.
    first_hundred = gql(SNIPPETS, {"query": query, "first": 100})["search"]
    assert [edge["node"]["node"] for edge in hits[:100]] == [hit["node"] for hit in first_hundred]


def test_search_results_across_two_recaps_page_past_one_hundred(with_small: Gql) -> None:
    # Words nearly every record holds: more hits than one page of 100 can take.
    pages, hits = _every_page(with_small, {"query": "the a and of"}, 30)
    assert len(hits) > 100
    per_recap = [
        with_small(RESULTS, {"query": "the a and of", "recap": recap, "first": 1})["searchResults"]
        for recap in ("kubecon-eu-2018", SMALL)
    ]
    assert pages[0]["totalCount"] == len(hits) == sum(page["totalCount"] for page in per_recap)
    for count in ("sessionCount", "projectCount", "recommendationCount"):
        assert pages[0][count] == sum(page[count] for page in per_recap)
    scores = [edge["node"]["score"] for edge in hits]
    assert scores == sorted(scores, reverse=True)
    limited = _every_page(with_small, {"query": "the a and of", "types": ["SESSION", "PROJECT"]}, 30)[1]
    # Limited to two types, the same hits less the third type's (cursors differ: another search).
    kept = [edge["node"] for edge in hits if edge["node"]["node"]["__typename"] != "Recommendation"]
    assert [edge["node"] for edge in limited] == kept


@pytest.fixture(scope="module")
def two_client(two_recaps_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store_path=two_recaps_path))) as client:
        yield client


def _refusal(client: TestClient, variables: dict[str, Any]) -> dict[str, Any]:
    body = client.post("/graphql", json={"query": RESULTS, "variables": variables}).json()
    [error] = body["errors"]
    assert body["data"] is None
    return dict(error)


@pytest.mark.parametrize(
    "other",
    [
        {"query": "kubernetes"},
        {"query": "security", "types": ["SESSION"]},
        {"query": "security", "recap": "kubecon-eu-2018"},
    ],
    ids=["query", "types", "recap"],
)
def test_a_cursor_of_another_search_is_refused_with_its_reason(
    client: TestClient, two_client: TestClient, other: dict[str, Any]
) -> None:
    # On a store of two recaps: a cursor of "security" across both.
    page = two_client.post("/graphql", json={"query": RESULTS, "variables": {"query": "security", "first": 2}}).json()
    cursor = page["data"]["searchResults"]["pageInfo"]["endCursor"]
    refusals = [
        _refusal(two_client, {**other, "after": cursor}),
        # The same words on a store of one recap search other recaps: another search too.
        _refusal(client, {"query": "security", "after": cursor}),
    ]
    for error in refusals:
        assert error["message"] == (
            "Argument 'after' is a cursor of another search: a cursor holds only for the query, types and recap of "
            "the search it came from"
        )
        assert error["extensions"]["code"] == "BAD_USER_INPUT"


def test_the_same_search_takes_its_cursor_on_the_recap_and_at_the_root(gql: Gql) -> None:
    root = gql(RESULTS, {"query": "Security", "first": 3})["searchResults"]
    cursor = root["pageInfo"]["endCursor"]
    [next_root, next_recap] = [
        gql(
            """query Next($after: String) { recap { searchResults(query: "security", first: 3, after: $after) {
                 edges { cursor } } } }""",
            {"after": cursor},
        )["recap"]["searchResults"],
        gql(RESULTS, {"query": "security", "first": 3, "after": cursor})["searchResults"],
    ]
    assert next_root["edges"] == [{"cursor": edge["cursor"]} for edge in next_recap["edges"]]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"query": "istio", "after": "bm9wZQ=="}, "Argument 'after' is not a cursor of searchResults: 'bm9wZQ=='"),
        (
            {"query": "istio", "after": base64.b64encode(b"arrayconnection:3").decode()},
            "Argument 'after' is not a cursor of searchResults: 'YXJyYXljb25uZWN0aW9uOjM='",
        ),
        ({"query": "istio", "types": []}, "Argument 'types' must name at least one type, or be null for every type"),
        ({"query": "istio", "first": 101}, "Argument 'first' must be between 1 and 100, got 101"),
        ({"query": " - "}, "Argument 'query' must contain at least one letter or digit"),
    ],
    ids=["not-base64-of-ours", "another-list", "no-types", "first", "no-words"],
)
def test_bad_search_results_arguments_are_errors(
    gql_errors: GqlErrors, variables: dict[str, Any], message: str
) -> None:
    assert gql_errors(RESULTS, variables) == [message]


def test_a_page_past_the_last_hit_is_empty(gql: Gql) -> None:
    last = gql(RESULTS, {"query": "jsonnet", "first": 100})["searchResults"]
    assert not last["pageInfo"]["hasNextPage"]
    after = gql(RESULTS, {"query": "jsonnet", "after": last["pageInfo"]["endCursor"]})["searchResults"]
    assert after["edges"] == []
    assert after["pageInfo"] == {"hasNextPage": False, "hasPreviousPage": True, "startCursor": None, "endCursor": None}
    assert after["totalCount"] == last["totalCount"] == len(last["edges"])
