"""The seed holds the recap faithfully: everything it names is there, nothing is invented.

These tests hold the recap file against the recap's own text (seed/recaps/sources/), so a session
title, a speaker or an organisation that the recap does not give cannot slip in.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter

import pytest

from seed import DEFAULT_SEED
from store import Dataset
from tests.support.repository import ROOT

RECAP_TEXT = (DEFAULT_SEED.parent / "sources" / "kubecon-eu-2018-copenhagen-recap.txt").read_text(encoding="utf-8")

# Projects whose name the recap writes differently (a typo or a shorter form), and how it writes them.
AS_WRITTEN = {
    "oci": "Open Container Initiave (OCI)",
    "operator-framework": "operator framwork",
    "taints-and-tolerations": "tains and tolerations",
    "kubernetes-conformance-test-suite": "conformance test suite",
    "serverless-event-format-spec": "harmonization of an event format",
    "kubeflow": "KubeFlow",
    "cri-o": "cri-o",
    "kata": "kata",
    "github": "Github",
}
# Recommendations that point at the event as a whole rather than at a session or project.
EVENT_WIDE = {"watch-all-recordings", "explore-all-sessions"}


def test_the_recap_is_the_copenhagen_event(dataset: Dataset) -> None:
    recap = dataset.recap
    assert recap.title == "The 2018 KubeCon and CloudNativeCon in Copenhagen, Denmark"
    assert recap.title in RECAP_TEXT
    assert (recap.city, recap.country) == ("Copenhagen", "Denmark")
    assert (recap.start_date, recap.end_date) == (datetime.date(2018, 5, 1), datetime.date(2018, 5, 4))
    assert [(change.date.isoformat(), change.description) for change in recap.changes] == [
        ("2018-05-11", "The first release")
    ]


def test_the_empty_top_three_stays_unknown(dataset: Dataset) -> None:
    assert "watch only these three videos" in RECAP_TEXT
    assert dataset.recap.top_three is None


def test_four_days_with_their_sessions_in_recap_order(dataset: Dataset) -> None:
    by_day = Counter(session.day.isoformat() for session in dataset.sessions)
    assert [day.date.isoformat() for day in dataset.days] == ["2018-05-01", "2018-05-02", "2018-05-03", "2018-05-04"]
    assert by_day == {"2018-05-01": 1, "2018-05-02": 8, "2018-05-03": 7, "2018-05-04": 8}
    positions = [RECAP_TEXT.index(session.title) for session in dataset.sessions]
    assert positions == sorted(positions)


def test_every_session_title_is_kept_as_the_recap_writes_it(dataset: Dataset) -> None:
    assert [session.title for session in dataset.sessions if session.title not in RECAP_TEXT] == []


def test_every_day_has_its_keynotes(dataset: Dataset) -> None:
    keynotes = [session.title for session in dataset.sessions if session.kind == "KEYNOTE"]
    assert keynotes == [
        "Day 1 Keynotes",
        "Evening keynotes",
        "Day 2 Keynotes",
        "Day 3 Keynotes",
        "Crossing the River by Feeling the Stones",
    ]


def test_every_session_has_a_summary_and_notes(dataset: Dataset) -> None:
    assert [s.slug for s in dataset.sessions if not s.summary or not s.notes] == []


def test_at_least_thirty_projects_each_named_in_the_recap(dataset: Dataset) -> None:
    assert len(dataset.projects) >= 30
    missing = [project.slug for project in dataset.projects if (project.written_as or project.name) not in RECAP_TEXT]
    assert missing == []
    written = {project.slug: project.written_as for project in dataset.projects if project.written_as}
    assert {slug: written.get(slug) for slug in AS_WRITTEN} == AS_WRITTEN


def test_the_projects_the_issue_lists_are_all_there(dataset: Dataset) -> None:
    slugs = {project.slug for project in dataset.projects}
    expected = {
        *("containerd", "rkt", "cri-o", "lxc", "kata", "docker", "cri", "oci", "linkerd", "conduit", "istio"),
        *("gvisor", "prometheus", "brigade", "openfaas", "jsonnet", "ksonnet", "kubeflow", "etcd", "ginkgo"),
        *("cluster-lifecycle-manager", "cluster-registry", "federation", "operator-framework", "csi"),
        "openstack-cinder",
    }
    assert expected - slugs == set()


def test_every_project_is_linked_to_a_session(dataset: Dataset) -> None:
    mentioned = {slug for session in dataset.sessions for slug in session.projects}
    assert [project.slug for project in dataset.projects if project.slug not in mentioned] == []


def test_the_four_buzzwords_are_kept_verbatim(dataset: Dataset) -> None:
    buzzwords = [item.title for item in dataset.recommendations if item.kind == "BUZZWORD"]
    assert buzzwords == ["serverless / FaaS", "service mesh with istio", "chaos engineering", "security with gVisor"]
    assert all(f"• {buzzword}\n" in RECAP_TEXT for buzzword in buzzwords)


def test_every_recommendation_points_at_what_it_recommends(dataset: Dataset) -> None:
    unlinked = [item.slug for item in dataset.recommendations if item.session is None and item.project is None]
    assert set(unlinked) == EVENT_WIDE


def test_every_kind_of_recommendation_is_there(dataset: Dataset) -> None:
    kinds = Counter(item.kind for item in dataset.recommendations)
    assert set(kinds) == {"WATCH", "READ", "EXPLORE", "BUZZWORD", "PRACTICE"}


def test_the_named_book_is_a_read_recommendation(dataset: Dataset) -> None:
    reads = {item.title for item in dataset.recommendations if item.kind == "READ"}
    assert {"Designing Distributed Systems", "the SRE book"} <= reads
    assert "Designing Distributed Systems" in RECAP_TEXT


def test_no_url_is_invented(dataset: Dataset) -> None:
    text = DEFAULT_SEED.read_text(encoding="utf-8")
    assert re.search(r"https?:|www\.", text) is None
    assert {project.url for project in dataset.projects} | {item.url for item in dataset.recommendations} == {None}


def test_speakers_and_organisations_come_from_the_recap(dataset: Dataset) -> None:
    named = {name for session in dataset.sessions for name in (*session.speakers, *session.organizations)}
    assert [name for name in named if name not in RECAP_TEXT] == []
    assert {name for session in dataset.sessions for name in session.speakers} == {"Liz"}


def test_every_topic_is_used(dataset: Dataset) -> None:
    used = {topic for session in dataset.sessions for topic in session.topics}
    used |= {topic for project in dataset.projects for topic in project.topics}
    assert [topic.name for topic in dataset.topics if topic.name not in used] == []


def test_the_kept_source_text_is_the_shared_recap() -> None:
    shared = ROOT.parent / "shared" / "recap" / "kubecon-eu-2018-copenhagen-recap.txt"
    if not shared.is_file():
        pytest.skip(f"no shared recap at {shared} to compare with")
    assert shared.read_text(encoding="utf-8") == RECAP_TEXT
