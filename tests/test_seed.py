"""Seed validation: every rule has a test, and every error names the file, record and field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from seed import DEFAULT_SEED
from seed.loader import InvalidSeed, load_seed

Document = dict[str, Any]
WriteSeed = Callable[[Document], Path]


def _errors(path: Path) -> list[str]:
    with pytest.raises(InvalidSeed) as caught:
        load_seed(path)
    return [str(error) for error in caught.value.errors]


def _session(document: Document, slug: str) -> Document:
    return next(s for day in document["days"] for s in day["sessions"] if s["slug"] == slug)


def test_the_embedded_seed_is_valid() -> None:
    dataset = load_seed(DEFAULT_SEED)
    assert len(dataset.days) == 4
    assert len(dataset.sessions) == 24


def test_duplicate_slug_is_refused(seed_document: Document, write_seed: WriteSeed) -> None:
    seed_document["projects"].append({**seed_document["projects"][0], "name": "Kubernetes again"})
    path = write_seed(seed_document)
    assert _errors(path) == [f"{path}: project 'kubernetes' field 'slug': duplicate slug 'kubernetes'"]


def test_session_referring_to_an_unknown_project_is_refused(seed_document: Document, write_seed: WriteSeed) -> None:
    _session(seed_document, "serverless-wg-bof")["projects"].append("knative")
    path = write_seed(seed_document)
    assert _errors(path) == [f"{path}: session 'serverless-wg-bof' field 'projects': unknown project 'knative'"]


def test_session_referring_to_an_unknown_topic_is_refused(seed_document: Document, write_seed: WriteSeed) -> None:
    _session(seed_document, "lightning-talks")["topics"].append("blockchain")
    path = write_seed(seed_document)
    assert _errors(path) == [f"{path}: session 'lightning-talks' field 'topics': unknown topic 'blockchain'"]


def test_recommendation_referring_to_an_unknown_session_is_refused(
    seed_document: Document, write_seed: WriteSeed
) -> None:
    seed_document["recommendations"][0]["session"] = "no-such-talk"
    path = write_seed(seed_document)
    assert _errors(path) == [
        f"{path}: recommendation 'buzzword-serverless-faas' field 'session': unknown session 'no-such-talk'"
    ]


def test_recommendation_referring_to_an_unknown_project_is_refused(
    seed_document: Document, write_seed: WriteSeed
) -> None:
    seed_document["recommendations"][1]["project"] = "no-such-project"
    path = write_seed(seed_document)
    assert _errors(path) == [
        f"{path}: recommendation 'buzzword-service-mesh-with-istio' field 'project': unknown project 'no-such-project'"
    ]


def test_day_outside_the_event_is_refused(seed_document: Document, write_seed: WriteSeed) -> None:
    seed_document["days"][3]["date"] = "2018-05-09"
    path = write_seed(seed_document)
    assert _errors(path) == [
        f"{path}: day '2018-05-09' field 'date': '2018-05-09' is outside the event (2018-05-01 to 2018-05-04)"
    ]


def test_missing_required_field_is_refused(seed_document: Document, write_seed: WriteSeed) -> None:
    del _session(seed_document, "stories-from-the-playbook")["title"]
    path = write_seed(seed_document)
    assert _errors(path) == [f"{path}: session 'stories-from-the-playbook' field 'title': is required"]


def test_field_of_the_wrong_type_is_refused(seed_document: Document, write_seed: WriteSeed) -> None:
    _session(seed_document, "stories-from-the-playbook")["takeaways"] = "playbooks help"
    path = write_seed(seed_document)
    assert _errors(path) == [
        f"{path}: session 'stories-from-the-playbook' field 'takeaways': expected a list, got a string"
    ]


def test_empty_list_item_is_refused_with_its_position(seed_document: Document, write_seed: WriteSeed) -> None:
    _session(seed_document, "stories-from-the-playbook")["takeaways"][2] = ""
    path = write_seed(seed_document)
    assert _errors(path) == [
        f"{path}: session 'stories-from-the-playbook' field 'takeaways[2]': expected a non-empty string, "
        "got an empty string"
    ]


def test_unknown_kind_is_refused(seed_document: Document, write_seed: WriteSeed) -> None:
    _session(seed_document, "serverless-wg-bof")["kind"] = "PANEL"
    path = write_seed(seed_document)
    assert _errors(path) == [
        f"{path}: session 'serverless-wg-bof' field 'kind': "
        "expected one of KEYNOTE, TALK, BOF, WORKSHOP, LIGHTNING_TALKS, DEEP_DIVE, got 'PANEL'"
    ]


def test_unknown_field_is_refused(seed_document: Document, write_seed: WriteSeed) -> None:
    seed_document["projects"][0]["rating"] = 5
    path = write_seed(seed_document)
    assert _errors(path) == [f"{path}: project 'kubernetes' field 'rating': is not a known field"]


def test_url_must_be_http_or_null(seed_document: Document, write_seed: WriteSeed) -> None:
    seed_document["projects"][0]["url"] = "kubernetes dot io"
    path = write_seed(seed_document)
    assert _errors(path) == [
        f"{path}: project 'kubernetes' field 'url': must be an http(s) URL or null, got 'kubernetes dot io'"
    ]


def test_invalid_date_is_refused(seed_document: Document, write_seed: WriteSeed) -> None:
    seed_document["recap"]["changes"][0]["date"] = "11 May 2018"
    path = write_seed(seed_document)
    assert _errors(path) == [f"{path}: recap field 'changes[0].date': expected a date (yyyy-mm-dd), got '11 May 2018'"]


def test_session_may_not_name_its_own_day(seed_document: Document, write_seed: WriteSeed) -> None:
    _session(seed_document, "lightning-talks")["day"] = "2018-05-02"
    path = write_seed(seed_document)
    assert _errors(path) == [f"{path}: session 'lightning-talks' field 'day': is given by the enclosing day; remove it"]


def test_top_three_must_name_known_sessions(seed_document: Document, write_seed: WriteSeed) -> None:
    seed_document["recap"]["top_three"] = ["lightning-talks", "the-best-talk"]
    path = write_seed(seed_document)
    assert _errors(path) == [
        f"{path}: recap 'The 2018 KubeCon and CloudNativeCon in Copenhagen, Denmark' field 'top_three': "
        "unknown session 'the-best-talk'"
    ]


def test_every_problem_is_reported_at_once(seed_document: Document, write_seed: WriteSeed) -> None:
    seed_document["projects"][0]["name"] = ""
    seed_document["recommendations"][0]["kind"] = "LISTEN"
    path = write_seed(seed_document)
    assert len(_errors(path)) == 2


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "seed.json"
    path.write_text('{\n  "recap": {,\n}', encoding="utf-8")
    assert _errors(path) == [
        f"{path}: file field '(file)': invalid JSON at line 2 column 13: "
        "Expecting property name enclosed in double quotes"
    ]


def test_missing_section_is_refused(seed_document: Document, write_seed: WriteSeed) -> None:
    del seed_document["recommendations"]
    path = write_seed(seed_document)
    assert _errors(path) == [f"{path}: file field 'recommendations': is required"]


def test_missing_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.json"
    assert _errors(path) == [f"{path}: file field '(file)': No such file or directory"]
