"""Queries run from plans answer exactly as graphql-core's execution does: data, errors, null propagation, cost.

Each query runs three ways (`tests/support/execution.py`): graphql-core's execution, a plan's first
run and a kept plan's, and the three answers must be the same bytes: the data, every error's
message, locations, path and extensions (codes, limits, masked bugs' request ids), and
`extensions.cost`. The queries are every example, the agenda's, the benchmark's and the fuzz
tests' seeds, the introspection query, the error cases below, and a hundred queries
hypothesis-graphql generates from the schema (thousands more in the slow
`tests/schema/test_execution_generated.py`), on the embedded store and on a generated one.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import orjson
import pytest
import strawberry
from graphql import get_introspection_query
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries

from schema import Context, Limits, RecapSchema, schema
from schema.errors import MaskUnexpectedErrors
from schema.execution import PLANS, PlanOperations
from schema.limits.cost_report import ReportCost
from schema.limits.document_cache import DocumentCache
from schema.limits.enforcement import EnforceLimits
from seed.synthetic import synthetic_dataset
from store import Store, write_dataset
from tests.support.api import ClientWith
from tests.support.execution import answered, graphql_core_only, run_three_ways
from tests.support.repository import ROOT

EXAMPLES = {
    path.name: path.read_text(encoding="utf-8") for path in sorted((ROOT / "recapql" / "examples").glob("*.graphql"))
}
LOOKUP = "query Lookup($slug: String!) { session(slug: $slug) { slug title summary takeaways projects { slug name } } }"
SEARCH = (
    "query Search($q: String!) { search(query: $q, first: 10) { score node { __typename "
    "... on Session { slug title } ... on Project { slug name } ... on Recommendation { slug title } } } }"
)
PAGE = (
    "query Page($topic: String, $first: Int, $after: String) { sessions(first: $first, after: $after, "
    "filter: {topic: $topic}) { totalCount edges { cursor node { slug title } } pageInfo { endCursor hasNextPage } } }"
)
# The benchmark's queries (bench/workloads.py) and the fuzz tests' seeds, with their variables.
GOLDEN: list[tuple[str, dict[str, Any] | None]] = [
    ("{ days { date title sessions { slug title takeaways projects { slug name } } } }", None),
    (LOOKUP, {"slug": "serverless-wg-bof"}),
    (LOOKUP, {"slug": "no-such-session"}),
    (SEARCH, {"q": "kubernetes security"}),
    (PAGE, {"topic": "security", "first": 2, "after": None}),
    (
        "query($s: String!) { session(slug: $s) { title projects { name sessions { slug } } } }",
        {"s": "serverless-wg-bof"},
    ),
    ('{ search(query: "helm", first: 5) { score node { __typename ... on Session { title } } } }', None),
    (
        '{ sessions(first: 3, filter: {topic: "security"}) '
        "{ edges { cursor node { slug } } pageInfo { hasNextPage } } }",
        None,
    ),
    (get_introspection_query(descriptions=True), None),
]
# Errors where the fields are, and where they go (null propagation, paths into lists, codes).
ERRORS: list[tuple[str, dict[str, Any] | None]] = [
    ('{ node(id: "bad") { id } days { date } }', None),
    ('{ nodes(ids: ["bad", "U2Vzc2lvbjpzZXJ2ZXJsZXNzLXdnLWJvZg=="]) { id } }', None),
    ("{ a: sessions(first: 2) { totalCount } b: sessions(first: -3) { totalCount } }", None),
    ('{ sessions(first: 3, after: "nope") { totalCount } }', None),
    ('{ search(query: "", first: 3) { score } recap { title } }', None),
    ('{ recap { title search(query: "helm", first: 1000) { score } days { date } } }', None),
    ("query($d: Date!) { day(date: $d) { title } }", {"d": "2018-99-01"}),
    ("query($s: String!) { session(slug: $s) { title } }", {"s": 5}),
    ("query($s: String!) { session(slug: $s) { title } }", {}),
    ("query($n: Int) { sessions(first: $n) { totalCount } }", {"n": 10**12}),
]
# Fragments, aliases, merging, __typename, literal and variable directives, named operations.
SHAPES: list[tuple[str, dict[str, Any] | None, str | None]] = [
    (
        "fragment S on Session { slug t: title } { days { sessions { ...S ...S slug ... on Session { t: title } } } }",
        None,
        None,
    ),
    ("{ days { sessions { slug } sessions { title projects { __typename name } } } }", None, None),
    ("{ __typename recap { __typename days { __typename } } }", None, None),
    ("{ days { date @skip(if: true) title @include(if: false) sessions { slug @include(if: true) } } }", None, None),
    ("query($x: Boolean!) { days { date @include(if: $x) title } }", {"x": False}, None),
    ("query A { days { date } } query B { recap { title } }", None, "B"),
    ("query A { days { date } } query B { recap { title } }", None, "A"),
    ("query A { days { date } } query B { recap { title } }", None, None),
    ("{ recap { topThree { title } missing { field reason } } }", None, None),
    (
        '{ node(id: "U2Vzc2lvbjpzZXJ2ZXJsZXNzLXdnLWJvZg==") { id ... on Session { notes { text source { url } } } } }',
        None,
        None,
    ),
]


def _agenda() -> str:
    """The agenda's query, as recapql/pages/static/agenda/agenda.js sends it."""
    script = (ROOT / "recapql" / "pages" / "static" / "agenda" / "agenda.js").read_text(encoding="utf-8")
    [lines] = re.findall(r"var AGENDA = \[(.*?)\]\.join\(\"\\n\"\);", script, flags=re.DOTALL)
    return "\n".join(json.loads(f"[{lines.strip().rstrip(',')}]"))


@pytest.fixture(scope="module")
def context(store: Store) -> Context:
    return Context(store=store, request_id="req-1")


@pytest.fixture(scope="module")
def large_context(tmp_path_factory: pytest.TempPathFactory) -> Context:
    path = tmp_path_factory.mktemp("large") / "store.json"
    write_dataset(path, synthetic_dataset(2000, 400))
    return Context(store=Store.open(path), request_id="req-2")


def _assert_same(query: str, variables: dict[str, Any] | None, context: Context, name: str | None = None) -> bool:
    """The three answers are the same bytes, in sync and async execution; whether a plan ran.

    Every query that executes (not refused before: syntax, validation, limits) must run from a plan.
    """
    for asynchronous in (False, True):
        answers = run_three_ways(query, variables, context, name, asynchronous=asynchronous)
        assert answers.first == answers.reference, query
        assert answers.kept == answers.reference, query
    return answers.planned


def _executed(answer: bytes) -> bool:
    body = orjson.loads(answer)
    return body["data"] is not None or any("path" in error for error in body.get("errors", ()))


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_answers_from_its_plan_as_graphql_core_does(name: str, context: Context) -> None:
    assert _assert_same(EXAMPLES[name], None, context)


def test_the_agenda_query_answers_from_its_plan_as_graphql_core_does(context: Context) -> None:
    assert _assert_same(_agenda(), {"recap": None}, context)
    assert _assert_same(_agenda(), {"recap": "kubecon-eu-2018"}, context)


@pytest.mark.parametrize(("query", "variables"), GOLDEN)
def test_the_benchmark_fuzz_and_introspection_queries_answer_as_graphql_core_does(
    query: str, variables: dict[str, Any] | None, context: Context
) -> None:
    assert _assert_same(query, variables, context)


@pytest.mark.parametrize(("query", "variables"), ERRORS)
def test_field_and_variable_errors_are_graphql_cores_to_the_byte(
    query: str, variables: dict[str, Any] | None, context: Context
) -> None:
    assert _assert_same(query, variables, context)
    body = orjson.loads(run_three_ways(query, variables, context).kept)
    assert body["errors"]  # each case really fails somewhere


@pytest.mark.parametrize(("query", "variables", "name"), SHAPES)
def test_fragments_aliases_directives_and_operation_names_answer_as_graphql_core_does(
    query: str, variables: dict[str, Any] | None, name: str | None, context: Context
) -> None:
    planned = _assert_same(query, variables, context, name)
    # Directives on variables choose fields per request: no plan. (Without a name, Strawberry runs the first operation.)
    assert planned is ("$x" not in query)


@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_on_a_generated_store_of_2000_sessions_answer_as_graphql_core_does(
    name: str, large_context: Context
) -> None:
    planned = _assert_same(EXAMPLES[name], None, large_context)
    assert planned is _executed(run_three_ways(EXAMPLES[name], None, large_context).reference)


def test_the_benchmark_queries_on_a_generated_store_answer_as_graphql_core_does(large_context: Context) -> None:
    slug = next(iter(large_context.store.default.session_by_slug))
    cases = [
        *GOLDEN[:1],
        (LOOKUP, {"slug": slug}),
        (SEARCH, {"q": "kubernetes"}),
        (PAGE, {"first": 5}),
        (_agenda(), None),
    ]
    for query, variables in cases:
        planned = _assert_same(query, variables, large_context)
        # The nested query and the agenda's cost more than the limit on this store: refused, not planned.
        assert planned is _executed(run_three_ways(query, variables, large_context).reference)
    assert _assert_same(LOOKUP, {"slug": slug}, large_context)


@strawberry.type
class Part:
    name: str

    @strawberry.field
    def broken(self) -> str:
        raise RuntimeError("secret detail: /etc/passwd")

    @strawberry.field
    def maybe(self) -> str | None:
        raise ValueError("another secret")


@strawberry.type
class Faulty:
    @strawberry.field
    def parts(self) -> list[Part]:
        return [Part(name="a"), Part(name="b")]

    @strawberry.field
    def optional_parts(self) -> list[Part | None]:
        return [Part(name="c"), None]

    @strawberry.field
    def missing(self) -> str:
        return None  # type: ignore[return-value]  # a bug on purpose: null for a non-null field


FAULTY = RecapSchema(
    query=Faulty, extensions=[EnforceLimits, DocumentCache, MaskUnexpectedErrors, ReportCost, PlanOperations]
)
BUGS = [
    "{ parts { name maybe } }",
    "{ parts { name broken } }",
    "{ optionalParts { name broken } parts { name } }",
    "{ missing }",
    "{ optionalParts { name } missing }",
]


@pytest.mark.parametrize("query", BUGS)
def test_bugs_are_masked_and_logged_once_as_with_graphql_core(
    query: str, context: Context, caplog: pytest.LogCaptureFixture
) -> None:
    def logged_answer() -> tuple[bytes, list[str]]:
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="recapql.graphql"):
            answer = answered(FAULTY.execute_sync(query, context_value=context))
        return answer, [record.getMessage() for record in caplog.records]

    with graphql_core_only(FAULTY):
        reference = logged_answer()
    PLANS.clear()
    first, kept = logged_answer(), logged_answer()
    assert first == reference
    assert kept == reference
    answer, messages = kept
    assert b"secret" not in answer
    assert b"Unexpected error (request id req-1)." in answer
    assert len(messages) == len(orjson.loads(answer)["errors"])  # each bug logged once, with what it was


def test_queries_over_http_run_from_their_plans_with_graphql_cores_answers(client_with: ClientWith) -> None:
    body = {"query": LOOKUP, "variables": {"slug": "serverless-wg-bof"}, "operationName": "Lookup"}
    with client_with(response_cache_mb=0) as client:
        with graphql_core_only():
            reference = client.post("/graphql", json=body)
        PLANS.clear()
        first, kept = client.post("/graphql", json=body), client.post("/graphql", json=body)
        assert {key[:2] for key in PLANS} == {(LOOKUP, "Lookup"), (LOOKUP, None)}
    assert first.content == kept.content == reference.content
    assert first.headers["content-type"] == reference.headers["content-type"]


def test_plans_stay_within_their_memory_budget(context: Context) -> None:
    budget = PLANS.budget
    PLANS.clear()
    PLANS.budget = 1_000_000
    try:
        for size in range(1, 120):
            schema.execute_sync(f"{{ sessions(first: {size}) {{ totalCount }} }}", context_value=context)
        assert 900_000 < PLANS.weight <= 1_000_000
        kept = [key[0] for key in PLANS]
        assert "{ sessions(first: 119) { totalCount } }" in kept  # the newest stays, the oldest went
        assert "{ sessions(first: 1) { totalCount } }" not in kept
    finally:
        PLANS.budget = budget
        PLANS.clear()


GENERATED = queries(
    schema._schema, custom_scalars={"Date": st.dates().map(lambda day: nodes.String(day.isoformat()))}, allow_x00=False
)


@settings(max_examples=100, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
@given(query=GENERATED)
def test_queries_generated_from_the_schema_answer_as_graphql_core_does(query: str, context: Context) -> None:
    answers = run_three_ways(query, None, context)
    assert answers.first == answers.reference
    assert answers.kept == answers.reference
    assert answers.planned is _executed(answers.reference)  # every query that executes runs from a plan


def test_limits_refuse_before_any_plan_is_made(context: Context) -> None:
    tight = Context(store=context.store, limits=Limits(max_depth=2), request_id="req-3")
    query = "{ days { sessions { projects { name } } } }"
    answers = run_three_ways(query, None, tight)
    assert answers.first == answers.kept == answers.reference
    assert not answers.planned
    assert orjson.loads(answers.kept)["errors"][0]["extensions"]["limit"] == "depth"
