"""Every client error carries `extensions.code` (Apollo Server's names) and says what is wrong in plain words.

One table of bad documents and variables, at every stage (parse, validation, variables, resolvers)
and for every argument type the schema has: Date, ID and global ids, Int, String, enums, input
objects, cursors. None of them may answer in Python's words or leave a traceback in the log.
"""

from __future__ import annotations

import base64
import logging
import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from schema.error_codes import ErrorCode

# What only Python (or a crash in Python) would say: its literals, exception names, date errors.
PYTHON_WORDS = re.compile(
    r"(?<!')\b(None|True|False)\b(?!')|Traceback|[A-Z]\w*Error\b|isoformat|must be in \d|empty sequence|^'\w+'$"
)

NODE = "query Node($id: ID!) { node(id: $id) { id } }"
DAY = "query Day($d: Date!) { day(date: $d) { title } }"
PAGE = "query Page($n: Int) { sessions(first: $n) { totalCount } }"
KIND = "query Kind($k: RecommendationKind) { recommendations(kind: $k) { title } }"
SESSION = "query Session($s: String!) { session(slug: $s) { title } }"
FILTER = "query Filter($f: SessionFilter) { sessions(filter: $f) { totalCount } }"
FOO_ID = base64.b64encode(b"Foo:bar").decode()

CASES: list[tuple[str, str, dict[str, Any] | None, str, str]] = [
    # (id, document, variables, code, a fragment of the message)
    ("syntax", "{ days { date", None, "GRAPHQL_PARSE_FAILED", "Syntax Error: Expected Name, found <EOF>."),
    ("unknown-field", "{ dayz { date } }", None, "GRAPHQL_VALIDATION_FAILED", "Cannot query field 'dayz'"),
    ("unknown-fragment", "{ days { ...Missing } }", None, "GRAPHQL_VALIDATION_FAILED", "Unknown fragment 'Missing'."),
    ("empty-selection-on-unknown-field", "{ nope { } }", None,
     "GRAPHQL_VALIDATION_FAILED", "Cannot query field 'nope'"),
    ("fragment-on-unknown-type", "{ days { ...F } } fragment F on Nope { }", None,
     "GRAPHQL_VALIDATION_FAILED", "Unknown type 'Nope'."),
    ("fragment-cycle", "{ days { ...F } } fragment F on Day { ...F }", None,
     "GRAPHQL_VALIDATION_FAILED", "Cannot spread fragment 'F' within itself."),
    ("unused-variable", "query Q($x: Int) { recap { city } }", None, "GRAPHQL_VALIDATION_FAILED", "'$x' is never used"),
    ("missing-argument", "{ session { title } }", None,
     "GRAPHQL_VALIDATION_FAILED", "is required, but it was not provided"),
    ("string-null-literal", "{ session(slug: null) { title } }", None,
     "GRAPHQL_VALIDATION_FAILED", "Expected value of non-null type 'String!' not to be null."),
    ("int-out-of-range-literal", "{ sessions(first: 99999999999) { totalCount } }", None,
     "GRAPHQL_VALIDATION_FAILED", "Int cannot represent non 32-bit signed integer value: 99999999999"),
    ("int-wrong-type-literal", '{ sessions(first: "ten") { totalCount } }', None,
     "GRAPHQL_VALIDATION_FAILED", "Int cannot represent non-integer value"),
    ("enum-literal", "{ recommendations(kind: WATCHH) { title } }", None,
     "GRAPHQL_VALIDATION_FAILED", "Value 'WATCHH' does not exist in 'RecommendationKind' enum."),
    ("input-object-literal", "{ sessions(filter: { nope: 1 }) { totalCount } }", None,
     "GRAPHQL_VALIDATION_FAILED", "not to include unknown field 'nope'"),
    ("id-float-literal", "{ node(id: 5.5) { id } }", None, "GRAPHQL_VALIDATION_FAILED", "ID cannot represent"),
    ("boolean-literal", '{ recap { city @include(if: "yes") } }', None,
     "GRAPHQL_VALIDATION_FAILED", "Boolean cannot represent a non boolean value"),
    ("date-literal", '{ day(date: "2018-13-01") { title } }', None,
     "BAD_USER_INPUT", "Expected a date as yyyy-mm-dd, got '2018-13-01'."),
    ("date-not-a-string-literal", "{ day(date: 20180502) { title } }", None,
     "BAD_USER_INPUT", "Expected a date as yyyy-mm-dd, got 20180502."),
    ("date-in-filter-literal", '{ sessions(filter: { day: "2018-02-30" }) { totalCount } }', None,
     "BAD_USER_INPUT", "Expected a date as yyyy-mm-dd, got '2018-02-30'."),
    ("date-variable", DAY, {"d": "May the 1st"}, "BAD_USER_INPUT",
     "Variable '$d' has invalid value: Expected a date as yyyy-mm-dd, got 'May the 1st'."),
    ("date-variable-null", DAY, {"d": None}, "BAD_USER_INPUT",
     "Variable '$d' has invalid value: Expected value of non-null type 'Date!' not to be null."),
    ("date-variable-missing", DAY, {}, "BAD_USER_INPUT", "Expected a value of non-null type 'Date!' to be provided."),
    ("date-variable-in-filter", FILTER, {"f": {"day": "tomorrow"}}, "BAD_USER_INPUT",
     "Expected a date as yyyy-mm-dd, got 'tomorrow'."),
    ("int-variable-out-of-range", PAGE, {"n": 99999999999}, "BAD_USER_INPUT",
     "Variable '$n' has invalid value: Int cannot represent non 32-bit signed integer value: 99999999999"),
    ("int-variable-wrong-type", PAGE, {"n": True}, "BAD_USER_INPUT", "Int cannot represent non-integer value: true"),
    ("string-variable-wrong-type", SESSION, {"s": False}, "BAD_USER_INPUT",
     "String cannot represent a non string value: false"),
    ("string-variable-null", SESSION, {"s": None}, "BAD_USER_INPUT", "not to be null."),
    ("enum-variable", KIND, {"k": "WATCHH"}, "BAD_USER_INPUT", "Value 'WATCHH' does not exist in 'RecommendationKind'"),
    ("input-object-variable", FILTER, {"f": {"nope": 1}}, "BAD_USER_INPUT", "not to include unknown field 'nope'"),
    ("id-variable-float", NODE, {"id": 5.5}, "BAD_USER_INPUT", "ID cannot represent value: 5.5"),
    ("global-id-not-ours", NODE, {"id": "hello"}, "BAD_USER_INPUT", "GlobalID"),
    ("global-id-of-no-type", NODE, {"id": FOO_ID}, "BAD_USER_INPUT", "received `Foo`"),
    ("first-too-large", "{ sessions(first: 500) { totalCount } }", None,
     "BAD_USER_INPUT", "Argument 'first' must be between 1 and 100, got 500"),
    ("first-too-large-variable", PAGE, {"n": 0}, "BAD_USER_INPUT", "Argument 'first' must be between 1 and 100, got 0"),
    ("search-first", '{ search(query: "helm", first: 101) { score } }', None,
     "BAD_USER_INPUT", "Argument 'first' must be between 1 and 100, got 101"),
    ("cursor", '{ sessions(after: "bad") { totalCount } }', None,
     "BAD_USER_INPUT", "Argument 'after' is not a cursor from this API: 'bad'"),
    ("search-words", '{ search(query: "!!") { score } }', None,
     "BAD_USER_INPUT", "Argument 'query' must contain at least one letter or digit"),
    ("limit", "{ a: recap { city } " + " ".join(f"b{n}: recap {{ city }}" for n in range(15)) + " }", None,
     "QUERY_LIMIT_EXCEEDED", "16 aliases found. Allowed: 15"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("document", "variables", "code", "fragment"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_every_client_error_has_its_code_and_plain_words(
    client: TestClient,
    caplog: pytest.LogCaptureFixture,
    document: str,
    variables: dict[str, Any] | None,
    code: str,
    fragment: str,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="recapql"):
        body = client.post("/graphql", json={"query": document, "variables": variables}).json()
    errors = body["errors"]
    assert fragment in errors[0]["message"], errors
    assert errors[0]["extensions"]["code"] == code
    for error in errors:
        assert error["extensions"]["code"], error  # every error, not only the first
        assert not PYTHON_WORDS.search(error["message"]), error["message"]
    assert [record for record in caplog.records if record.exc_info] == [], "a client error logged a traceback"
    assert all(record.levelno < logging.ERROR for record in caplog.records)


def test_an_empty_selection_set_is_valid_graphql_and_answers(client: TestClient) -> None:
    # graphql-core 3.3 parses and validates empty selection sets (graphql-spec#1227): nothing to refuse.
    assert client.post("/graphql", json={"query": "{ }"}).json()["data"] == {}
    assert client.post("/graphql", json={"query": "{ days { } }"}).json()["data"] == {"days": [{}, {}, {}, {}]}


def test_the_codes_are_apollo_servers_names() -> None:
    assert {code.value for code in ErrorCode} == {
        "GRAPHQL_PARSE_FAILED",
        "GRAPHQL_VALIDATION_FAILED",
        "BAD_USER_INPUT",
        "QUERY_LIMIT_EXCEEDED",
        "INTERNAL_SERVER_ERROR",
    }
    assert all(code.name == code.value for code in ErrorCode)
