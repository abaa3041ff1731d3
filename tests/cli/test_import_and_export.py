"""`recapql import` and `export` as a blogger and a community site run them, then a real server over the result."""

from __future__ import annotations

import json
import textwrap
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from seed import DEFAULT_SEED
from seed.recap_format.reader import read_recap
from store import Store
from tests.conftest import EXAMPLE_RECAP
from tests.support.command import recapql
from tests.support.live_server import live_server

# Every test here runs the `recapql` command or a server in a child process.
pytestmark = pytest.mark.slow

NORDIC = """\
---
title: Nordic Notes
recap:
  event: Nordic Cloud Days 2024
  city: Oslo
  country: Norway
  start: 2024-09-03
  end: 2024-09-03
  slug: nordic-2024
---

## The day (2024-09-03)

### Fjords and Failover

- kind: talk
- speakers: Kari Example
- topics: resilience
- projects: Chaos Mesh

What a region outage taught one team.

- Practise failing over before you need to.
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _post(url: str, query: str) -> Any:
    request = urllib.request.Request(
        f"{url}/graphql", data=json.dumps({"query": query}).encode(), headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def test_import_adds_recaps_and_serve_answers_every_one(tmp_path: Path) -> None:
    store = tmp_path / "site" / "store.json"
    nordic = _write(tmp_path, "nordic.md", NORDIC)
    result = recapql("import", str(DEFAULT_SEED), str(EXAMPLE_RECAP), "--store", str(store))
    assert result.returncode == 0, result.stderr
    assert f"{EXAMPLE_RECAP}: adds 'example-conf-2025': 2 days, 4 sessions, 4 projects, 4 recommendations" in (
        result.stdout
    )
    again = recapql("import", str(nordic), "--store", str(store))
    assert again.returncode == 0, again.stderr
    assert "recapql: warning: " in again.stderr
    assert "'Chaos Mesh' is not under `## Projects`" in again.stderr
    assert [index.slug for index in Store.open(store).recaps] == ["kubecon-eu-2018", "example-conf-2025", "nordic-2024"]

    with live_server(env={"RECAPQL_STORE": str(store)}) as server:
        data = _post(
            server.url,
            """{ recaps { totalCount nodes { slug } }
                 recap { slug }
                 nordic: recap(slug: "nordic-2024") {
                   city sessions { nodes { title speakers projects { name category } } } }
                 search(query: "failover") { node { ... on Session { slug recap { slug } } } } }""",
        )["data"]
    assert data["recaps"] == {
        "totalCount": 3,
        "nodes": [{"slug": "example-conf-2025"}, {"slug": "nordic-2024"}, {"slug": "kubecon-eu-2018"}],
    }
    assert data["recap"] == {"slug": "kubecon-eu-2018"}  # the first imported
    assert data["nordic"]["sessions"]["nodes"] == [
        {
            "title": "Fjords and Failover",
            "speakers": ["Kari Example"],
            "projects": [{"name": "Chaos Mesh", "category": "UNSPECIFIED"}],
        }
    ]
    assert data["search"][0]["node"] == {"slug": "fjords-and-failover", "recap": {"slug": "nordic-2024"}}


def test_reimporting_a_recap_replaces_it_and_keeps_the_others(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    nordic = _write(tmp_path, "nordic.md", NORDIC)
    assert recapql("import", str(EXAMPLE_RECAP), str(nordic), "--store", str(store)).returncode == 0
    _write(tmp_path, "nordic.md", NORDIC.replace("city: Oslo", "city: Bergen"))
    result = recapql("import", str(nordic), "--store", str(store))
    assert result.returncode == 0, result.stderr
    assert f"{nordic}: replaces 'nordic-2024'" in result.stdout
    opened = Store.open(store)
    assert [index.slug for index in opened.recaps] == ["example-conf-2025", "nordic-2024"]
    assert opened.by_slug["nordic-2024"].recap.city == "Bergen"


def test_a_dry_run_says_what_it_would_import_and_writes_nothing(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    result = recapql("import", str(EXAMPLE_RECAP), "--dry-run", "--store", str(store))
    assert result.returncode == 0, result.stderr
    counts = "2 days, 4 sessions, 4 projects, 4 recommendations, 1 warnings"
    assert result.stdout == f"{EXAMPLE_RECAP}: would add 'example-conf-2025': {counts}\n"
    assert f"recapql: warning: {EXAMPLE_RECAP}:22: ignored: text before the first day" in result.stderr
    assert not store.exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("## The day (2024-09-03)", "## The day"), "12: expected a day heading `## <title> (YYYY-MM-DD)`"),
        (("(2024-09-03)", "(2024-09-04)"), "12: the day 2024-09-04 is outside the event"),
        (("  city: Oslo\n", ""), "3: the `recap:` map needs `city:`"),
        (("- kind: talk", "- kind: keynote speech"), "16: expected `kind:` to be one of"),
        (("title: Nordic Notes", "title: [Nordic"), "3: the front matter is not valid YAML"),
    ],
)
def test_a_bad_recap_names_file_line_and_problem_and_leaves_the_store(
    tmp_path: Path, store_copy: Path, change: tuple[str, str], expected: str
) -> None:
    before = store_copy.read_bytes()
    bad = _write(tmp_path, "bad.md", NORDIC.replace(*change))
    result = recapql("import", str(EXAMPLE_RECAP), str(bad), "--store", str(store_copy))
    assert result.returncode == 1
    assert f"recapql: error: {bad}:{expected}" in result.stderr, result.stderr
    assert store_copy.read_bytes() == before


def test_a_broken_store_is_refused_not_replaced(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    store.write_text("[]", encoding="utf-8")
    result = recapql("import", str(EXAMPLE_RECAP), "--store", str(store))
    assert result.returncode == 1
    assert (
        result.stderr == f"recapql: error: {store}: not a recapql store: the JSON is a list, not an object of tables\n"
    )
    assert store.read_text(encoding="utf-8") == "[]"


def test_export_writes_a_recap_that_imports_back_the_same(tmp_path: Path, store_copy: Path) -> None:
    exported = tmp_path / "kubecon-eu-2018.md"
    result = recapql("export", "kubecon-eu-2018", "-o", str(exported), "--store", str(store_copy))
    assert result.returncode == 0, result.stderr
    # The embedded recap is written as the writer writes: the export is the same file, with its source.
    assert exported.read_text(encoding="utf-8") == DEFAULT_SEED.read_text(encoding="utf-8")
    source = tmp_path / "sources" / "kubecon-eu-2018-copenhagen-recap.txt"
    assert source.read_bytes() == (DEFAULT_SEED.parent / "sources" / source.name).read_bytes()
    assert read_recap(exported).dataset == read_recap(DEFAULT_SEED).dataset
    printed = recapql("export", "kubecon-eu-2018", "--store", str(store_copy))
    assert printed.stdout == exported.read_text(encoding="utf-8")
    missing = recapql("export", "nowhere", "--store", str(store_copy))
    assert missing.returncode == 1
    assert missing.stderr == f"recapql: error: {store_copy} holds no recap 'nowhere' (it holds: kubecon-eu-2018)\n"
