"""Recommendations over HTTP: what to watch, read, explore and practise, and the buzzwords."""

from __future__ import annotations

from tests.support.api import Gql


def test_every_recommendation_is_listed(gql: Gql) -> None:
    data = gql("{ recommendations { slug kind title reason url } }")
    items = data["recommendations"]
    assert len(items) == 34
    assert all(item["url"] is None for item in items)
    assert all(item["reason"] for item in items)


def test_buzzwords_to_sound_smart(gql: Gql) -> None:
    data = gql("{ recommendations(kind: BUZZWORD) { title session { slug } project { slug } } }")
    assert data["recommendations"] == [
        {"title": "serverless / FaaS", "session": {"slug": "serverless-wg-bof"}, "project": None},
        {"title": "service mesh with istio", "session": None, "project": {"slug": "istio"}},
        {"title": "chaos engineering", "session": {"slug": "evening-keynotes"}, "project": None},
        {"title": "security with gVisor", "session": None, "project": {"slug": "gvisor"}},
    ]


def test_talks_to_watch_point_at_their_sessions(gql: Gql) -> None:
    data = gql("{ recommendations(kind: WATCH) { title session { title } } }")
    watch = {item["title"]: item["session"] for item in data["recommendations"]}
    assert watch["Crossing the River by Feeling the Stones"] == {"title": "Crossing the River by Feeling the Stones"}
    assert watch["The post mortem of Monzo's outage"] == {"title": "Evening keynotes"}
    assert watch["All 300+ recordings of the whole event"] is None


def test_books_to_read(gql: Gql) -> None:
    data = gql("{ recommendations(kind: READ) { title } }")
    titles = [item["title"] for item in data["recommendations"]]
    assert "Designing Distributed Systems" in titles
    assert "the SRE book" in titles
