"""Bugs reach clients as "Unexpected error" with the request id; the log keeps the trace under the same id.

The real schema has no known bug to trigger, so a one-field schema with a failing resolver (or
a failing validation rule) runs through the same extension and the same error logging. A limit
rule that crashes on an invalid document steps aside for standard validation's error.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import pytest
import strawberry
from graphql import FieldNode, ValidationContext, ValidationRule
from starlette.testclient import TestClient
from strawberry.extensions import SchemaExtension

from schema import Context, RecapSchema
from schema.errors import MaskUnexpectedErrors
from schema.limits.rules import LimitRuleCrashed, guarded
from store import Store


@strawberry.type
class Broken:
    @strawberry.field
    def fails(self) -> str | None:
        raise RuntimeError("secret detail: /etc/passwd")

    @strawberry.field
    def works(self) -> str:
        return "fine"


BROKEN = RecapSchema(query=Broken, extensions=[MaskUnexpectedErrors])


def test_a_bug_is_masked_with_the_request_id(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="recapql.graphql"):
        result = BROKEN.execute_sync("{ fails works }", context_value=Context(store=store, request_id="req-7"))
    assert result.data == {"fails": None, "works": "fine"}
    assert result.errors is not None
    error = result.errors[0].formatted
    assert error["message"] == "Unexpected error (request id req-7)."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-7"}
    assert "secret" not in str(error)
    [record] = caplog.records
    assert record.getMessage() == "unexpected error (request id req-7): secret detail: /etc/passwd"
    assert record.exc_info is not None
    assert record.exc_info[0] is RuntimeError


def test_client_mistakes_are_not_masked(store: Store) -> None:
    result = BROKEN.execute_sync("{ nope }", context_value=Context(store=store, request_id="req-8"))
    assert result.errors is not None
    assert result.errors[0].message.startswith("Cannot query field 'nope' on type 'Broken'.")


def _crashing_rule(field: str, *, in_init: bool = False) -> type[ValidationRule]:
    """A validation rule with a bug: it raises KeyError at `field` (or as it starts, like Strawberry's limiters)."""

    class Crashing(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            if in_init:
                raise KeyError(field)
            super().__init__(context)

        def enter_field(self, node: FieldNode, *_: object) -> None:
            if node.name.value == field:
                raise KeyError(field)

    return Crashing


def _schema_with(rule: type[ValidationRule]) -> RecapSchema:
    class AddRule(SchemaExtension):
        def on_operation(self) -> Iterator[None]:
            self.execution_context.validation_rules = (*self.execution_context.validation_rules, rule)
            yield

    return RecapSchema(query=Broken, extensions=[AddRule, MaskUnexpectedErrors])


@pytest.mark.parametrize("in_init", [False, True], ids=["while-visiting", "as-it-starts"])
def test_a_limit_rule_that_crashes_on_an_invalid_document_steps_aside(
    store: Store, caplog: pytest.LogCaptureFixture, in_init: bool
) -> None:
    crashing = _schema_with(guarded(_crashing_rule("works", in_init=in_init)))
    with caplog.at_level(logging.DEBUG, logger="recapql.graphql"):
        result = crashing.execute_sync("{ works nope }", context_value=Context(store=store, request_id="req-9"))
    assert result.errors is not None
    assert [error.formatted for error in result.errors] == [
        {
            "message": "Cannot query field 'nope' on type 'Broken'.",
            "locations": [{"line": 1, "column": 9}],
            "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
        }
    ]
    assert [record for record in caplog.records if record.exc_info or record.levelno >= logging.ERROR] == []


@pytest.mark.parametrize("in_init", [False, True], ids=["while-visiting", "as-it-starts"])
def test_a_limit_rule_that_crashes_on_a_valid_document_is_a_masked_bug(
    store: Store, caplog: pytest.LogCaptureFixture, in_init: bool
) -> None:
    crashing = _schema_with(guarded(_crashing_rule("works", in_init=in_init)))
    with caplog.at_level(logging.ERROR, logger="recapql.graphql"):
        result = crashing.execute_sync("{ works }", context_value=Context(store=store, request_id="req-10"))
    assert result.errors is not None
    [error] = [error.formatted for error in result.errors]
    assert error["message"] == "Unexpected error (request id req-10)."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-10"}
    assert "KeyError" not in str(error)
    [record] = caplog.records
    assert record.getMessage().startswith("unexpected error (request id req-10): Crashing failed on a valid document")
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], LimitRuleCrashed)
    assert isinstance(record.exc_info[1].__cause__, KeyError)  # the traceback logged is the crash's


def test_even_a_crash_escaping_validation_shows_no_python_to_the_client(store: Store) -> None:
    # Unguarded, the crash escapes validation and Strawberry skips the extensions' last steps.
    crashing = _schema_with(_crashing_rule("works"))
    result = asyncio.run(crashing.execute("{ works }", context_value=Context(store=store, request_id="req-11")))
    assert result.errors is not None
    assert [error.formatted for error in result.errors] == [
        {
            "message": "Unexpected error (request id req-11).",
            "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-11"},
        }
    ]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{ days { ...Missing } }", "Unknown fragment 'Missing'."),
        ("{ nope { } }", "Cannot query field 'nope' on type 'Query'. Did you mean 'node' or 'nodes'?"),
        ("{ days { ...F } } fragment F on Nope { }", "Unknown type 'Nope'. Did you mean 'Node' or 'Note'?"),
    ],
)
def test_the_documents_that_crashed_the_depth_limit_get_standard_validation_errors(
    client: TestClient, caplog: pytest.LogCaptureFixture, document: str, message: str
) -> None:
    with caplog.at_level(logging.DEBUG, logger="recapql"):
        body = client.post("/graphql", json={"query": document}).json()
    [error] = body["errors"]
    assert error["message"] == message
    assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}
    assert [record for record in caplog.records if record.exc_info or record.levelno >= logging.ERROR] == []
