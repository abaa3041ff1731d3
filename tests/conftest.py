"""Shared fixtures: one real store seeded from the real seed, and the real app over HTTP."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from recapql.app import create_app
from recapql.seeding import seed_store
from recapql.settings import Settings
from seed import DEFAULT_SEED
from store import Store
from tests.support.api import ClientWith, Gql, GqlErrors


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "store.json"
    seed_store(DEFAULT_SEED, path)
    return path


@pytest.fixture(scope="session")
def store(store_path: Path) -> Store:
    return Store.open(store_path)


@pytest.fixture(scope="session")
def client(store_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store_path=store_path))) as client:
        yield client


@pytest.fixture(scope="session")
def client_with(store_path: Path) -> ClientWith:
    """A client of an app with some settings changed: `with client_with(max_depth=3) as client:`."""

    @contextmanager
    def open_client(**changes: Any) -> Iterator[TestClient]:
        with TestClient(create_app(Settings(store_path=store_path, **changes))) as client:
            yield client

    return open_client


@pytest.fixture(scope="session")
def gql(client: TestClient) -> Gql:
    """Run a query over HTTP; fail the test if the answer has errors."""

    def run(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = client.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    return run


@pytest.fixture(scope="session")
def gql_errors(client: TestClient) -> GqlErrors:
    """Run a query over HTTP that must fail; return its error messages."""

    def run(query: str, variables: dict[str, Any] | None = None) -> list[str]:
        response = client.post("/graphql", json={"query": query, "variables": variables})
        body = response.json()
        assert body.get("errors"), f"expected errors, got {body}"
        return [error["message"] for error in body["errors"]]

    return run


@pytest.fixture
def seed_document() -> dict[str, Any]:
    """A fresh, editable copy of the real seed's JSON."""
    return json.loads(DEFAULT_SEED.read_text(encoding="utf-8"))


@pytest.fixture
def write_seed(tmp_path: Path) -> Callable[[dict[str, Any]], Path]:
    """Write a (changed) seed document to a file and return its path."""

    def write(document: dict[str, Any]) -> Path:
        path = tmp_path / "seed.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        return path

    return write


@pytest.fixture
def store_copy(store_path: Path, tmp_path: Path) -> Path:
    """A private copy of the seeded store that a test may break or replace."""
    path = tmp_path / "store.json"
    shutil.copyfile(store_path, path)
    return path
