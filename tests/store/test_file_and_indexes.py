"""The store file: written atomically, read with checks, indexed once."""

from __future__ import annotations

import dataclasses
import datetime
import json
import resource
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pytest

from recapql.seeding import seed_store
from seed.recap_format.problems import InvalidRecap
from store import (
    Dataset,
    RecapIndex,
    Store,
    StoreError,
    dataset_version,
    datasets_version,
    write_dataset,
    write_datasets,
)


def test_a_seeded_store_holds_the_whole_seed(store: Store, dataset: Dataset) -> None:
    assert store.version == dataset_version(dataset)
    [index] = store.recaps
    assert store.default is index
    assert index.recap == dataset.recap
    assert len(index.sessions) == len(dataset.sessions) == 24
    assert set(index.projects) == set(dataset.projects)
    assert index.recommendations == dataset.recommendations


def test_a_store_holds_several_recaps_in_their_order(tmp_path: Path, dataset: Dataset) -> None:
    other = dataclasses.replace(dataset, recap=dataclasses.replace(dataset.recap, slug="other", city="Aarhus"))
    path = tmp_path / "store.json"
    version = write_datasets(path, (dataset, other))
    store = Store.open(path)
    assert store.version == version == datasets_version((dataset, other))
    assert [index.slug for index in store.recaps] == ["kubecon-eu-2018", "other"]
    assert store.default.slug == "kubecon-eu-2018"
    assert store.by_slug["other"].recap.city == "Aarhus"
    assert store.by_slug["other"].sessions == store.default.sessions
    assert Store.open(path, default_recap="other").default.slug == "other"
    with pytest.raises(StoreError) as caught:
        Store.open(path, default_recap="nowhere")
    assert (
        str(caught.value) == f"{path}: holds no recap 'nowhere' to answer by default (it holds: kubecon-eu-2018, other)"
    )


def test_sessions_are_indexed_by_day_in_recap_order(index: RecapIndex) -> None:
    day_1 = index.sessions_by_day[datetime.date(2018, 5, 2)]
    assert [session.slug for session in day_1][:2] == [
        "day-1-keynotes",
        "whats-up-with-all-the-different-container-runtimes",
    ]
    assert [session.slug for session in day_1][-1] == "evening-keynotes"


def test_relations_are_indexed_both_ways(index: RecapIndex) -> None:
    for session in index.sessions:
        for project in index.projects_by_session[session.slug]:
            assert session in index.sessions_by_project[project.slug]
    for item in index.recommendations:
        if item.session:
            assert item in index.recommendations_by_session[item.session]
        if item.project:
            assert item in index.recommendations_by_project[item.project]


def test_the_store_measures_the_longest_list_behind_each_relation(store: Store, index: RecapIndex) -> None:
    # Counted by hand from the records, relation by relation.
    def longest(counts: Iterable[int]) -> int:
        return max(counts, default=0)

    fan_outs = store.fan_outs
    assert fan_outs.sessions_by_day == longest(Counter(session.day for session in index.sessions).values()) == 8
    assert fan_outs.projects_by_session == longest(len(session.projects) for session in index.sessions) == 8
    assert fan_outs.sessions_by_project == longest(
        sum(project.slug in session.projects for session in index.sessions) for project in index.projects
    )
    assert fan_outs.sessions_by_topic == longest(
        sum(topic.name.casefold() in {t.casefold() for t in session.topics} for session in index.sessions)
        for topic in index.topics
    )
    assert fan_outs.recommendations_by_kind == longest(Counter(item.kind for item in index.recommendations).values())
    assert fan_outs == index.fan_outs  # one recap: the store's lists are its lists
    assert dataclasses.asdict(fan_outs) == {
        "recaps": 1,
        "days": 4,
        "topics": 35,
        "sessions": 24,
        "projects": 44,
        "recommendations": 34,
        "search_entries": 24 + 44 + 34,
        "recap_days": 4,
        "recap_topics": 35,
        "recap_sessions": 24,
        "recap_projects": 44,
        "recap_recommendations": 34,
        "recap_search_entries": 24 + 44 + 34,
        "recap_changes": 1,
        "recap_top_three": 0,
        "sessions_by_day": 8,
        "sessions_by_topic": 4,
        "sessions_by_project": 9,
        "projects_by_session": 8,
        "projects_by_topic": 10,
        "recommendations_by_kind": 9,
        "recommendations_by_session": 4,
        "recommendations_by_project": 2,
        "notes_by_session": 10,
        "recap_notes": 8,
        "missing_by_record": 2,
        "recap_missing": 4,
        "recap_top_three_mentions": 1,
        "recap_documents": 2,
        "inferred_by_day": 1,
        "sources_by_inferred": 3,
        "topics_by_session": longest(len(session.topics) for session in index.sessions),
        "topics_by_project": longest(len(project.topics) for project in index.projects),
        "session_kinds": 6,
        "project_categories": 5,
        "node_ids": 100,
        # A session with all seven searchable fields (title, topics, summary, speakers,
        # organizations, notes, verdict); a snippet highlights 10 words at most.
        "matches_by_hit": 7,
        "highlights_by_match": 10,
    }
    assert hash(fan_outs) == hash(dataclasses.replace(fan_outs))  # a cache key, like the numbers themselves


def test_indexes_cannot_be_changed(index: RecapIndex) -> None:
    with pytest.raises(TypeError):
        index.session_by_slug["new"] = index.sessions[0]  # type: ignore[index]


def test_the_version_changes_with_the_data(dataset: Dataset) -> None:
    changed = dataclasses.replace(dataset, recap=dataclasses.replace(dataset.recap, city="Kopenhagen"))
    assert dataset_version(changed) != dataset_version(dataset)
    assert datasets_version((dataset, changed)) != datasets_version((changed, dataset))


def test_writing_replaces_the_store_and_leaves_no_temporary_file(store_copy: Path, dataset: Dataset) -> None:
    version = write_dataset(store_copy, dataset)
    assert Store.open(store_copy).version == version
    assert sorted(path.name for path in store_copy.parent.iterdir()) == ["store.json"]


def test_a_failing_seed_leaves_the_old_store_intact(store_copy: Path, tmp_path: Path, dataset: Dataset) -> None:
    before = store_copy.read_bytes()
    broken = tmp_path / "broken.md"
    broken.write_text("---\ntitle: Broken\nrecap: {event: E, city: C, country: D, start: 2018-05-01}\n---\n", "utf-8")
    with pytest.raises(InvalidRecap):
        seed_store(broken, store_copy)
    assert store_copy.read_bytes() == before
    assert Store.open(store_copy).version == dataset_version(dataset)


def _open_error(path: Path) -> str:
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    return str(caught.value)


def test_a_missing_store_says_how_to_create_it(tmp_path: Path) -> None:
    path = tmp_path / "missing.json"
    assert _open_error(path) == f"{path}: no store file here; run `recapql seed` to create it"


def test_an_empty_store_is_refused(store_copy: Path) -> None:
    store_copy.write_bytes(b"")
    assert _open_error(store_copy) == f"{store_copy}: the store file is empty; run `recapql seed` to rebuild it"


def test_a_truncated_store_is_refused(store_copy: Path) -> None:
    store_copy.write_bytes(store_copy.read_bytes()[:1000])
    assert _open_error(store_copy).startswith(f"{store_copy}: not valid JSON (")


def test_a_wrong_shaped_store_is_refused(store_copy: Path) -> None:
    store_copy.write_text("[1, 2, 3]", encoding="utf-8")
    assert _open_error(store_copy) == f"{store_copy}: not a recapql store: the JSON is a list, not an object of tables"


def test_a_store_of_another_format_is_refused(store_copy: Path) -> None:
    document = json.loads(store_copy.read_text(encoding="utf-8"))
    document["meta"]["1"]["format"] = 99
    store_copy.write_text(json.dumps(document), encoding="utf-8")
    assert _open_error(store_copy) == (
        f"{store_copy}: store format 99, but this recapql reads format 3; run `recapql seed` to rebuild it"
    )


def test_a_bad_record_is_named_with_its_table_and_field(store_copy: Path) -> None:
    document = json.loads(store_copy.read_text(encoding="utf-8"))
    del document["sessions"]["3"]["notes"]
    store_copy.write_text(json.dumps(document), encoding="utf-8")
    assert _open_error(store_copy) == (
        f"{store_copy}: table 'sessions', record 'whats-up-with-all-the-different-container-runtimes': "
        "field 'notes': is required"
    )


def test_a_broken_reference_in_a_store_is_refused(tmp_path: Path, dataset: Dataset) -> None:
    # Written through the store's own writer, so its version matches: only integrity speaks.
    broken = dataclasses.replace(dataset.sessions[0], projects=("nothing",))
    path = tmp_path / "store.json"
    write_dataset(path, dataclasses.replace(dataset, sessions=(broken, *dataset.sessions[1:])))
    assert _open_error(path) == f"{path}: session 'lightning-talks' field 'projects': unknown project 'nothing'"


def test_a_store_edited_by_hand_is_refused(store_copy: Path) -> None:
    document = json.loads(store_copy.read_text(encoding="utf-8"))
    document["recap"]["1"]["city"] = "Kopenhagen"
    store_copy.write_text(json.dumps(document), encoding="utf-8")
    assert _open_error(store_copy).startswith(f"{store_copy}: the content does not match its version ")


@pytest.mark.slow
def test_a_write_that_fails_midway_leaves_the_old_store_intact(store_copy: Path) -> None:
    before = store_copy.read_bytes()
    # The child may write at most 4 KiB per file, so the store write fails part-way (EFBIG).
    result = subprocess.run(
        [sys.executable, "-m", "recapql", "seed", "--store", str(store_copy)],
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096)),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == f"recapql: error: {store_copy}: cannot write the store: File too large\n"
    assert store_copy.read_bytes() == before
    assert sorted(path.name for path in store_copy.parent.iterdir()) == ["store.json"]


def test_a_store_that_cannot_be_written_is_a_clear_error(tmp_path: Path, dataset: Dataset) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    path = blocker / "store.json"
    with pytest.raises(StoreError) as caught:
        write_dataset(path, dataset)
    assert str(caught.value).startswith(f"{path}: cannot write the store: ")


def test_a_store_of_several_recaps_sums_the_root_s_lists_and_keeps_the_longest_of_the_others(
    tmp_path: Path, dataset: Dataset
) -> None:
    other = dataclasses.replace(dataset, recap=dataclasses.replace(dataset.recap, slug="other"))
    path = tmp_path / "store.json"
    write_datasets(path, (dataset, other))
    fan_outs = Store.open(path).fan_outs
    assert (fan_outs.recaps, fan_outs.sessions, fan_outs.recap_sessions) == (2, 24 + 24, 24)
    assert fan_outs.sessions_by_day == 8
