"""Bugs reach clients as "Unexpected error" with the request id; the log keeps the trace under the same id.

The real schema has no known bug to trigger, so a one-field schema with a failing resolver
runs through the same extension and the same error logging.
"""

from __future__ import annotations

import logging

import pytest
import strawberry

from schema import Context, RecapSchema
from schema.errors import MaskUnexpectedErrors
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
