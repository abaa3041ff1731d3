"""Shared fixtures: one real store seeded from the real seed, and the real app over HTTP."""

from __future__ import annotations

import shutil
import sys
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
from seed.recap_format.reader import read_recap
from seed.recap_format.writer import write_recap
from store import Dataset, RecapIndex, Store, write_datasets
from tests.support.api import ClientWith, Gql, GqlErrors, gql_over

# The recap format's own example: a second recap for every test of a store with several.
EXAMPLE_RECAP = Path(__file__).resolve().parent.parent / "docs" / "examples" / "example-conf-2025.md"


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "store.json"
    seed_store(DEFAULT_SEED, path)
    return path


@pytest.fixture(scope="session")
def store(store_path: Path) -> Store:
    return Store.open(store_path)


@pytest.fixture(scope="session")
def two_recaps_path(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> Path:
    """A store holding the embedded recap (imported first: the default) and the format's example recap."""
    path = tmp_path_factory.mktemp("two-recaps") / "store.json"
    write_datasets(path, (dataset, read_recap(EXAMPLE_RECAP).dataset))
    return path


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
    return gql_over(client)


@pytest.fixture(scope="session")
def two_client(two_recaps_path: Path) -> Iterator[TestClient]:
    """A client of the app over the store of two recaps."""
    with TestClient(create_app(Settings(store_path=two_recaps_path))) as client:
        yield client


@pytest.fixture(scope="session")
def two(two_client: TestClient) -> Gql:
    """`gql` over the store of two recaps."""
    return gql_over(two_client)


@pytest.fixture(scope="session")
def gql_errors(client: TestClient) -> GqlErrors:
    """Run a query over HTTP that must fail; return its error messages."""

    def run(query: str, variables: dict[str, Any] | None = None) -> list[str]:
        response = client.post("/graphql", json={"query": query, "variables": variables})
        body = response.json()
        assert body.get("errors"), f"expected errors, got {body}"
        return [error["message"] for error in body["errors"]]

    return run


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """The embedded recap's records, read from its recap file (records are immutable: share them)."""
    return read_recap(DEFAULT_SEED).dataset


@pytest.fixture(scope="session")
def index(store: Store) -> RecapIndex:
    """The embedded recap's indexes, as the resolvers see them."""
    return store.default


@pytest.fixture
def write_recap_file(tmp_path: Path) -> Callable[[Dataset], Path]:
    """Write a (changed) recap as a recap file and return its path."""

    def write(changed: Dataset) -> Path:
        path = tmp_path / f"{changed.recap.slug}.md"
        path.write_text(write_recap(changed), encoding="utf-8")
        return path

    return write


@pytest.fixture
def store_copy(store_path: Path, tmp_path: Path) -> Path:
    """A private copy of the seeded store that a test may break or replace."""
    path = tmp_path / "store.json"
    shutil.copyfile(store_path, path)
    return path


# The fast lane (`./scripts/test --fast`, `-m "not slow"`) must stay fast: a test that starts a
# process (a server, a seed, pip, Chromium) is marked `slow`, and an audit hook notes any unmarked
# test that does, which then fails, so the marker cannot be forgotten. (Raising from the hook
# itself would break code that is not ours half-way through.)
_SPAWNS = frozenset({"subprocess.Popen", "os.posix_spawn", "os.system", "os.exec"})
_unmarked_spawns: list[str] = []
_checking: list[bool] = [False]


def _note_unmarked_processes(event: str, args: tuple[object, ...]) -> None:
    if _checking[0] and event in _SPAWNS:
        _unmarked_spawns.append(event)


sys.addaudithook(_note_unmarked_processes)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    # Set for the whole test, so that fixtures of any scope it sets up are checked too.
    _checking[0] = item.get_closest_marker("slow") is None
    _unmarked_spawns.clear()
    try:
        return (yield)
    finally:
        _checking[0] = False


@pytest.fixture(autouse=True)
def _slow_tests_are_marked() -> Iterator[None]:
    yield
    if _unmarked_spawns:
        pytest.fail(f"this test starts a process ({_unmarked_spawns[0]}): mark it @pytest.mark.slow")
