"""Generated recaps: valid recaps of any size that write, import and open like the real one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from seed.recap_format.reader import parse_recap, read_recap
from seed.recap_format.writer import write_recap
from seed.synthetic import synthetic_dataset
from store import Dataset, RecapIndex, Store, check_dataset, write_dataset
from tests.support.records import without_recap_lines


@pytest.fixture(scope="module")
def generated() -> Dataset:
    return synthetic_dataset(120, 30, rng_seed=7)


@pytest.fixture(scope="module")
def seeded(generated: Dataset, tmp_path_factory: pytest.TempPathFactory) -> RecapIndex:
    path = tmp_path_factory.mktemp("synthetic") / "store.json"
    write_dataset(path, generated)
    return Store.open(path).default


def test_a_generated_recap_keeps_every_rule(generated: Dataset) -> None:
    assert check_dataset(generated) == []
    assert (len(generated.days), len(generated.sessions), len(generated.projects)) == (4, 120, 30)
    assert len(generated.recommendations) == 12


def test_a_generated_recap_file_imports_back_to_the_same_records(generated: Dataset) -> None:
    imported = parse_recap(write_recap(generated), Path("synthetic.md"))
    assert without_recap_lines(imported.dataset) == without_recap_lines(generated)
    assert imported.warnings == ()


def test_a_generated_store_answers_lookups(seeded: RecapIndex) -> None:
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


def test_the_same_rng_seed_gives_the_same_recap() -> None:
    assert synthetic_dataset(50, 10, rng_seed=3) == synthetic_dataset(50, 10, rng_seed=3)
    assert synthetic_dataset(50, 10, rng_seed=3) != synthetic_dataset(50, 10, rng_seed=4)


def test_every_session_and_project_is_clearly_synthetic(generated: Dataset) -> None:
    assert all(session.title.startswith("Synthetic session ") for session in generated.sessions)
    assert all(project.name.startswith("Synthetic Project ") for project in generated.projects)
    assert generated.recap.verdict is not None
    assert generated.recap.verdict.text == "Generated for benchmarks and tests; not a real event."


def test_text_is_about_as_long_as_the_real_recaps(generated: Dataset) -> None:
    sessions = generated.sessions
    # The real recap: titles 14-96 characters, summaries 57-153, takeaways 13-183, 0-8 projects a session.
    assert all(14 <= len(session.title) <= 96 for session in sessions)
    assert all(57 <= len(session.summary.text if session.summary else "") <= 160 for session in sessions)
    assert all(13 <= len(note.text) <= 183 for session in sessions for note in session.notes)
    assert all(1 <= len(session.projects) <= 8 for session in sessions)


@pytest.mark.slow
def test_the_command_writes_a_recap_that_recapql_seeds(tmp_path: Path) -> None:
    seed, store = tmp_path / "synthetic.md", tmp_path / "store.json"
    generate = [sys.executable, "-m", "seed.synthetic", "--sessions", "40", "--projects", "8", "--output", str(seed)]
    result = subprocess.run(generate, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert without_recap_lines(read_recap(seed).dataset) == without_recap_lines(synthetic_dataset(40, 8))
    result = subprocess.run(
        [sys.executable, "-m", "recapql", "seed", "--seed", str(seed), "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(Store.open(store).default.sessions) == 40


def test_a_recap_needs_a_session_and_a_project() -> None:
    with pytest.raises(ValueError, match="at least one session and one project"):
        synthetic_dataset(0, 5)
