"""The README's examples are the files in recapql/examples/, and every one of them runs."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from recapql.settings import Settings
from tests.support.api import Gql

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
QUERIES = sorted((ROOT / "recapql" / "examples").glob("*.graphql"))


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def test_every_graphql_example_in_the_readme_is_a_query_file() -> None:
    files = {path.read_text(encoding="utf-8") for path in QUERIES}
    assert set(_blocks("graphql")) == files
    for path in QUERIES:
        assert f"`{path.name}`" in README, f"README does not name {path.name}"


@pytest.mark.parametrize("path", QUERIES, ids=lambda path: path.stem)
def test_every_example_query_runs(gql: Gql, path: Path) -> None:
    data = gql(path.read_text(encoding="utf-8"))
    assert data
    assert all(value is not None for key, value in data.items() if key != "recap")


def test_the_curl_examples_work(client: TestClient) -> None:
    [post] = re.findall(r"-d '(\{.*?\})'", README)
    assert client.post("/graphql", json=json.loads(post)).json()["data"]["days"]
    [get_file] = re.findall(r"--data-urlencode query@(\S+)", README)
    query = (ROOT / get_file).read_text(encoding="utf-8")
    assert client.get("/graphql", params={"query": query}, headers={"accept": "*/*"}).json()["data"]["days"]


def test_the_readme_gives_the_two_commands_and_ci_runs_the_test_one() -> None:
    commands = [block.strip() for block in _blocks("sh")]
    assert "./scripts/serve" in commands
    assert "./scripts/test" in commands
    assert "./scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_environment_variable_is_documented() -> None:
    variables = {setting.metadata["variable"] for setting in dataclasses.fields(Settings)}
    assert {variable for variable in variables if f"`{variable}`" not in README} == set()
