"""The types of the shared fixtures in `tests/conftest.py`, for test functions to annotate with."""

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
