"""Generated seeds: valid seed files of any size that load, seed and open like the real one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from recapql.seeding import seed_store
from seed.loader import load_seed
from seed.synthetic import synthetic_document
from store import Store, check_dataset


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return synthetic_document(120, 30, rng_seed=7)


@pytest.fixture(scope="module")
def seeded(document: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("synthetic")
    seed = folder / "seed.json"
    seed.write_text(json.dumps(document), encoding="utf-8")
    seed_store(seed, folder / "store.json")
    return Store.open(folder / "store.json")


def _sessions(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [session for day in document["days"] for session in day["sessions"]]


def test_a_generated_seed_loads_and_keeps_every_rule(document: dict[str, Any], tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps(document), encoding="utf-8")
    dataset = load_seed(seed)
    assert check_dataset(dataset) == []
    assert (len(dataset.days), len(dataset.sessions), len(dataset.projects)) == (4, 120, 30)
    assert len(dataset.recommendations) == 12


def test_a_generated_store_answers_lookups(seeded: Store, document: dict[str, Any]) -> None:
    session = seeded.session_by_slug["synthetic-session-42"]
    assert session.title.startswith("Synthetic session 42: ")
    assert seeded.sessions_by_day[session.day][0].slug == "synthetic-session-30"  # the second day starts at 30
    for slug in session.projects:
        assert session in seeded.sessions_by_project[slug]
    assert seeded.project_by_slug["synthetic-project-0"].name.startswith("Synthetic Project 0 ")
    assert seeded.recap.event == "Synthetic Conference"
    assert seeded.recommendation_by_slug["synthetic-recommendation-0"].session in seeded.session_by_slug
    # Words come from a small vocabulary, so a search finds many sessions, as on the real recap.
    assert (seeded.search_index.match("kubernetes") > 0).sum() > 10


def test_the_same_rng_seed_gives_the_same_document() -> None:
    assert synthetic_document(50, 10, rng_seed=3) == synthetic_document(50, 10, rng_seed=3)
    assert synthetic_document(50, 10, rng_seed=3) != synthetic_document(50, 10, rng_seed=4)


def test_every_session_and_project_is_clearly_synthetic(document: dict[str, Any]) -> None:
    assert all(session["title"].startswith("Synthetic session ") for session in _sessions(document))
    assert all(project["name"].startswith("Synthetic Project ") for project in document["projects"])
    assert document["recap"]["verdict"] == "Generated for benchmarks and tests; not a real event."


def test_text_is_about_as_long_as_the_real_recaps(document: dict[str, Any]) -> None:
    sessions = _sessions(document)
    # The real seed: titles 14-96 characters, summaries 57-153, takeaways 13-183, 0-8 projects a session.
    assert all(14 <= len(session["title"]) <= 96 for session in sessions)
    assert all(57 <= len(session["summary"]) <= 160 for session in sessions)
    assert all(13 <= len(takeaway) <= 183 for session in sessions for takeaway in session["takeaways"])
    assert all(1 <= len(session["projects"]) <= 8 for session in sessions)


@pytest.mark.slow
def test_the_command_writes_a_seed_that_recapql_seeds(tmp_path: Path) -> None:
    seed, store = tmp_path / "seed.json", tmp_path / "store.json"
    generate = [sys.executable, "-m", "seed.synthetic", "--sessions", "40", "--projects", "8", "--output", str(seed)]
    result = subprocess.run(generate, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(seed.read_text(encoding="utf-8")) == synthetic_document(40, 8)
    result = subprocess.run(
        [sys.executable, "-m", "recapql", "seed", "--seed", str(seed), "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(Store.open(store).sessions) == 40


def test_a_recap_needs_a_session_and_a_project() -> None:
    with pytest.raises(ValueError, match="at least one session and one project"):
        synthetic_document(0, 5)
