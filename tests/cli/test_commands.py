"""The `recapql` command: seed, query, export-schema and serve, run as a user runs them.

Serving's own errors (a busy port, a bad host) are in test_serve_binding.py.
"""

from __future__ import annotations

import json
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from recapql import __version__
from schema import SDL_PATH
from seed import DEFAULT_SEED
from tests.support.command import recapql
from tests.support.live_server import free_port, live_server
from tests.support.repository import ROOT

# Every test here runs the `recapql` command or a server in a child process.
pytestmark = pytest.mark.slow

NESTED = "{ days { date sessions { title projects { name } } } }"
EXAMPLES = ROOT / "recapql" / "examples"


def _beside_its_source(path: Path) -> Path:
    """`path`, beside a copy of the original the embedded recap quotes (its `source:`)."""
    shutil.copytree(DEFAULT_SEED.parent / "sources", path.parent / "sources", dirs_exist_ok=True)
    return path


def test_version() -> None:
    result = recapql("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_seed_builds_a_store_and_says_which_folder_it_made(tmp_path: Path) -> None:
    # Building a store is what `seed` is for: it makes missing folders (no --create), and says so.
    store = tmp_path / "nested" / "store.json"
    result = recapql("seed", "--store", str(store))
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(f"recapql: made the folder {store.parent} for the new store\n")
    assert f"seeded {store}" in result.stderr
    assert json.loads(store.read_text(encoding="utf-8"))["meta"]["1"]["format"] == 3
    again = recapql("seed", "--store", str(store))
    assert again.returncode == 0, again.stderr
    assert "made the folder" not in again.stderr


def test_a_bad_seed_is_reported_and_the_store_kept(store_copy: Path, tmp_path: Path) -> None:
    before = store_copy.read_bytes()
    bad_seed = _beside_its_source(tmp_path / "bad.md")
    text = DEFAULT_SEED.read_text(encoding="utf-8").replace("- kind: bof", "- kind: barbecue", 1)
    bad_seed.write_text(text, encoding="utf-8")
    line = text[: text.index("- kind: barbecue")].count("\n") + 1
    result = recapql("seed", "--store", str(store_copy), "--seed", str(bad_seed))
    assert result.returncode == 1
    assert result.stderr == (
        f"recapql: error: {bad_seed}:{line}: expected `kind:` to be one of keynote, talk, bof, workshop, "
        "lightning talks, deep dive, got 'barbecue'\n"
    )
    assert store_copy.read_bytes() == before


def test_query_prints_json(store_copy: Path) -> None:
    result = recapql("query", "{ days { date } }", "--store", str(store_copy))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["data"] == {"days": [{"date": f"2018-05-0{day}"} for day in (1, 2, 3, 4)]}


def test_query_takes_variables_and_standard_input(store_copy: Path) -> None:
    result = recapql(
        "query",
        "-",
        "--variables",
        '{"slug": "serverless-wg-bof"}',
        "--store",
        str(store_copy),
        stdin="query($slug: String!) { session(slug: $slug) { kind } }",
    )
    assert json.loads(result.stdout)["data"] == {"session": {"kind": "BOF"}}


def test_query_reads_a_file(store_copy: Path) -> None:
    example = EXAMPLES / "search.graphql"
    result = recapql("query", str(example), "--store", str(store_copy))
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer == json.loads(
        recapql("query", example.read_text(encoding="utf-8"), "--store", str(store_copy)).stdout
    )
    assert answer["data"]["search"][0]["node"]["__typename"] in ("Session", "Project", "Recommendation")


def test_query_of_a_missing_graphql_file_says_so(store_copy: Path, tmp_path: Path) -> None:
    for missing in (tmp_path / "nowhere.graphql", tmp_path / "nowhere.GQL"):
        result = recapql("query", str(missing), "--store", str(store_copy))
        assert result.returncode == 1
        assert result.stdout == ""
        assert result.stderr == f"recapql: error: no such query file: {missing}\n"


def test_query_of_a_folder_says_so(store_copy: Path) -> None:
    result = recapql("query", str(EXAMPLES), "--store", str(store_copy))
    assert result.returncode == 1
    assert result.stderr == f"recapql: error: {EXAMPLES} is a folder, not a query file\n"


def test_query_with_errors_exits_1(store_copy: Path) -> None:
    result = recapql("query", "{ sessions(first: 1000) { totalCount } }", "--store", str(store_copy))
    assert result.returncode == 1
    assert json.loads(result.stdout)["errors"][0]["message"] == "Argument 'first' must be between 1 and 100, got 1000"


def test_query_rejects_variables_that_are_not_json(store_copy: Path) -> None:
    result = recapql("query", "{ days { date } }", "--variables", "{slug:", "--store", str(store_copy))
    assert result.returncode == 2
    assert "'--variables': not valid JSON" in result.stderr


def test_query_seeds_a_missing_store(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    result = recapql("query", "{ recap { city } }", env={"RECAPQL_STORE": str(store)})
    assert json.loads(result.stdout)["data"] == {"recap": {"city": "Copenhagen"}}
    assert store.is_file()


def _no_store_there(store: Path) -> str:
    return (
        f"recapql: error: no store at {store}, and no folder {store.parent} either: check the path, "
        "or pass --create to make a new store there\n"
    )


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(("query", "{ recap { city } }"), id="query"),
        pytest.param(("export", "kubecon-eu-2018"), id="export"),
        pytest.param(("serve", "--host", "127.0.0.1", "--port", "1"), id="serve"),  # refused before it binds
    ],
)
def test_a_store_under_a_missing_folder_is_refused_without_create(tmp_path: Path, command: tuple[str, ...]) -> None:
    store = tmp_path / "typo" / "store.json"
    named_by: list[tuple[tuple[str, ...], dict[str, str]]] = [
        (("--store", str(store)), {}),
        ((), {"RECAPQL_STORE": str(store)}),
    ]
    for options, environment in named_by:
        result = recapql(*command, *options, env=environment)
        assert result.returncode == 1
        assert result.stdout == ""
        assert result.stderr == _no_store_there(store)
        assert not store.parent.exists()


def test_create_makes_a_store_under_a_missing_folder(tmp_path: Path) -> None:
    store = tmp_path / "new" / "folder" / "store.json"
    result = recapql("query", "{ recap { city } }", "--store", str(store), "--create")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["data"] == {"recap": {"city": "Copenhagen"}}
    assert store.is_file()
    other = tmp_path / "other" / "store.json"
    exported = recapql("export", "kubecon-eu-2018", "--create", env={"RECAPQL_STORE": str(other)})
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == DEFAULT_SEED.read_text(encoding="utf-8")
    assert other.is_file()


def test_serve_with_create_makes_a_store_under_a_missing_folder(tmp_path: Path) -> None:
    store = tmp_path / "new" / "store.json"
    with (
        live_server("--create", "--store", str(store)) as running,
        urllib.request.urlopen(f"{running.url}/healthz", timeout=10) as response,
    ):
        assert json.load(response)["store"]["sessions"] == 24
    assert store.is_file()


def test_the_default_store_is_made_with_its_folders_without_create(tmp_path: Path) -> None:
    # The embedded default store lives in the user's data folder, which XDG_DATA_HOME moves here.
    data_home = tmp_path / "not" / "there" / "yet"
    result = recapql("query", "{ recap { city } }", env={"XDG_DATA_HOME": str(data_home)})
    assert result.returncode == 0, result.stderr
    assert (data_home / "recapql" / "store.json").is_file()


def test_a_corrupt_store_is_one_clear_line(store_copy: Path) -> None:
    store_copy.write_text('{"meta": {"1": {"format": 1', encoding="utf-8")
    result = recapql("query", "{ days { date } }", "--store", str(store_copy))
    assert result.returncode == 1
    assert result.stderr.startswith(f"recapql: error: {store_copy}: not valid JSON")
    assert len(result.stderr.splitlines()) == 1


def test_a_bad_setting_is_one_clear_line() -> None:
    result = recapql("serve", env={"RECAPQL_PORT": "eighty"})
    assert result.returncode == 1
    assert result.stderr == "recapql: error: RECAPQL_PORT='eighty': expected a port number from 1 to 65535\n"


def test_export_schema_prints_the_committed_sdl() -> None:
    result = recapql("export-schema", "--output", "-")
    assert result.returncode == 0
    assert result.stdout == SDL_PATH.read_text(encoding="utf-8")


def test_export_schema_writes_a_file(tmp_path: Path) -> None:
    target = tmp_path / "schema.graphql"
    assert recapql("export-schema", "-o", str(target)).returncode == 0
    assert target.read_text(encoding="utf-8") == SDL_PATH.read_text(encoding="utf-8")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """`recapql serve` on 127.0.0.1 with a store that does not exist yet; always stopped."""
    with live_server(env={"RECAPQL_STORE": str(tmp_path / "store.json")}) as running:
        yield running.url


def test_serve_seeds_the_store_and_answers_the_nested_query(server: str) -> None:
    request = urllib.request.Request(
        f"{server}/graphql",
        data=json.dumps({"query": NESTED}).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = json.load(response)
    days = body["data"]["days"]
    assert [day["date"] for day in days] == ["2018-05-01", "2018-05-02", "2018-05-03", "2018-05-04"]
    assert sum(len(day["sessions"]) for day in days) == 24


def test_serve_refuses_a_broken_store_in_one_line(store_copy: Path) -> None:
    store_copy.write_text("[]", encoding="utf-8")
    result = recapql("serve", "--port", str(free_port()), "--store", str(store_copy))
    assert result.returncode == 1
    assert result.stderr == (
        f"recapql: error: {store_copy}: not a recapql store: the JSON is a list, not an object of tables\n"
    )


def test_the_default_store_is_seeded_and_kept_in_step_with_the_seed(tmp_path: Path) -> None:
    # The default store lives in the user's data directory, which XDG_DATA_HOME moves here.
    environment = {"XDG_DATA_HOME": str(tmp_path)}
    store = tmp_path / "recapql" / "store.json"
    assert recapql("query", "{ recap { city } }", env=environment).returncode == 0
    fresh = store.read_bytes()

    document = json.loads(fresh)
    document["meta"]["1"]["version"] = "from-an-older-seed"
    store.write_text(json.dumps(document), encoding="utf-8")
    assert recapql("query", "{ recap { city } }", env=environment).returncode == 0
    assert store.read_bytes() == fresh


def test_a_named_store_is_left_as_it_is(tmp_path: Path) -> None:
    # A store built from another seed than the embedded one: query must not rebuild it.
    seed = _beside_its_source(tmp_path / "changed.md")
    seed.write_text(DEFAULT_SEED.read_text(encoding="utf-8").replace("city: Copenhagen", "city: Kopenhagen"), "utf-8")
    store = tmp_path / "named.json"
    assert recapql("seed", "--seed", str(seed), "--store", str(store)).returncode == 0
    result = recapql("query", "{ recap { city } }", "--store", str(store))
    assert json.loads(result.stdout)["data"] == {"recap": {"city": "Kopenhagen"}}
