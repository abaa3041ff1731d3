"""Days over HTTP: the frontend's day → session pages come from one nested query."""

from __future__ import annotations

from tests.support.api import Gql, GqlErrors


def test_days_come_in_date_order_with_their_titles(gql: Gql) -> None:
    data = gql("{ days { date title } }")
    assert data["days"] == [
        {"date": "2018-05-01", "title": "Tuesday evening: lightning talks"},
        {"date": "2018-05-02", "title": "Day 1"},
        {"date": "2018-05-03", "title": "Day 2"},
        {"date": "2018-05-04", "title": "Day 3"},
    ]


def test_one_nested_query_gives_every_day_its_sessions_and_projects(gql: Gql) -> None:
    data = gql("{ days { date sessions { title projects { name } } } }")
    assert [len(day["sessions"]) for day in data["days"]] == [1, 8, 7, 8]
    day_3 = data["days"][3]["sessions"]
    assert day_3[0]["title"] == "Day 3 Keynotes"
    assert {"name": "Kubeflow"} in day_3[0]["projects"]


def test_a_day_is_found_by_date(gql: Gql) -> None:
    data = gql('{ day(date: "2018-05-03") { title sessions { slug } } }')
    assert data["day"]["title"] == "Day 2"
    assert data["day"]["sessions"][0] == {"slug": "day-2-keynotes"}


def test_a_date_without_a_day_gives_null(gql: Gql) -> None:
    assert gql('{ day(date: "2018-05-05") { title } }') == {"day": None}


def test_a_malformed_date_is_an_error_in_plain_words(gql_errors: GqlErrors) -> None:
    assert gql_errors('{ day(date: "May 3rd") { title } }') == ["Expected a date as yyyy-mm-dd, got 'May 3rd'."]
    assert gql_errors('{ day(date: "2018-13-01") { title } }') == ["Expected a date as yyyy-mm-dd, got '2018-13-01'."]


def test_each_session_knows_its_day(gql: Gql) -> None:
    data = gql("{ days { date sessions { day { date } } } }")
    for day in data["days"]:
        assert {session["day"]["date"] for session in day["sessions"]} == {day["date"]}
