"""The README and docs/: the examples are recapql/examples/ and run, every link resolves, the README stays short."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from recapql.settings import Settings
from tests.support.api import Gql
from tests.support.repository import ROOT

DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text(encoding="utf-8")
# The page holding the example queries and the curl examples, and the one with the variable table.
API = (DOCS / "api.md").read_text(encoding="utf-8")
CONFIGURATION = (DOCS / "configuration.md").read_text(encoding="utf-8")
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md")), ROOT / "bench" / "README.md"]
QUERIES = sorted((ROOT / "recapql" / "examples").glob("*.graphql"))
README_MAX_LINES = 120

# `[text](target)` and `![alt](target)`, with an optional "title" after the target.
_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def _blocks(language: str, text: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


def _prose(text: str) -> str:
    """The Markdown without fenced code blocks and inline code spans, where links are not links."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.DOTALL | re.MULTILINE)
    return re.sub(r"`[^`\n]*`", "", text)


def _relative_links(page: Path) -> list[str]:
    targets = _LINK.findall(_prose(page.read_text(encoding="utf-8")))
    return [target for target in targets if not re.match(r"(https?:|mailto:|#)", target)]


def test_every_graphql_example_in_the_docs_is_a_query_file() -> None:
    files = {path.read_text(encoding="utf-8") for path in QUERIES}
    assert set(_blocks("graphql", API)) == files
    for path in QUERIES:
        assert f"`{path.name}`" in API, f"docs/api.md does not name {path.name}"


@pytest.mark.parametrize("path", QUERIES, ids=lambda path: path.stem)
def test_every_example_query_runs(gql: Gql, path: Path) -> None:
    data = gql(path.read_text(encoding="utf-8"))
    assert data
    assert all(value is not None for key, value in data.items() if key != "recap")


def test_the_curl_examples_work(client: TestClient) -> None:
    [post] = re.findall(r"-d '(\{.*?\})'", API)
    assert client.post("/graphql", json=json.loads(post)).json()["data"]["days"]
    [get_file] = re.findall(r"--data-urlencode query@(\S+)", API)
    query = (ROOT / get_file).read_text(encoding="utf-8")
    assert client.get("/graphql", params={"query": query}, headers={"accept": "*/*"}).json()["data"]["days"]


def test_the_readme_query_answers_what_the_readme_shows(gql: Gql) -> None:
    [query] = re.findall(r"recapql query '(.+)'$", README, flags=re.MULTILINE)
    [answer] = _blocks("json", README)
    assert {"data": gql(query)} == json.loads(answer)


def test_the_readme_gives_the_two_commands_and_ci_runs_the_test_one() -> None:
    commands = [block.strip() for block in _blocks("sh", README)]
    assert "./scripts/serve" in commands
    assert "./scripts/test" in commands
    assert "./scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_environment_variable_is_documented() -> None:
    variables = {setting.metadata["variable"] for setting in dataclasses.fields(Settings)}
    assert {variable for variable in variables if f"`{variable}`" not in CONFIGURATION} == set()


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_relative_link_points_at_a_file_that_exists(page: Path) -> None:
    broken = [target for target in _relative_links(page) if not (page.parent / target.split("#")[0]).resolve().exists()]
    assert broken == [], f"{page.relative_to(ROOT)} links to missing files"


def test_the_readme_links_every_docs_page_and_each_has_a_title_and_an_intro() -> None:
    linked = {(ROOT / target.split("#")[0]).resolve() for target in _relative_links(ROOT / "README.md")}
    for page in sorted(DOCS.glob("*.md")):
        assert page.resolve() in linked, f"the README does not link {page.relative_to(ROOT)}"
        title, blank, intro = page.read_text(encoding="utf-8").splitlines()[:3]
        assert title.startswith("# "), f"{page.name} does not start with a title"
        assert blank == "", f"{page.name}: no blank line after the title"
        assert intro.strip(), f"{page.name} has no intro under its title"


def test_the_readme_shows_the_pictures_and_they_exist() -> None:
    pictures = re.findall(r"!\[[^\]]+\]\(([^)]+\.png)\)", README)
    assert pictures == ["docs/images/agenda.png", "docs/images/pictures.png", "docs/images/graphiql.png"]
    assert all((ROOT / picture).stat().st_size > 0 for picture in pictures)


def test_the_readme_is_short() -> None:
    lines = len(README.splitlines())
    assert lines < README_MAX_LINES, f"README.md has {lines} lines: move detail to docs/"
