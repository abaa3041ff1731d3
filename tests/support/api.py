"""The types of the shared fixtures in `tests/conftest.py`, for test functions to annotate with, and `gql_over`."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from starlette.testclient import TestClient

# `gql(query, variables)`: the `data` of an answer that must have no errors.
Gql = Callable[..., dict[str, Any]]
# `gql_errors(query, variables)`: the messages of an answer that must have errors.
GqlErrors = Callable[..., list[str]]
# `with client_with(max_depth=3) as client:` a client of an app with some settings changed.
ClientWith = Callable[..., AbstractContextManager[TestClient]]


def gql_over(client: TestClient) -> Gql:
    """`gql` over `client`: run a query over HTTP, and fail the test if the answer is not a 200 without errors."""

    def run(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = client.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    return run
