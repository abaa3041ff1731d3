"""A recap's calendar at /recaps/<slug>/calendar.ics, over the real app, read back with `icalendar`;
and a session's time from the store to the API."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event
from starlette.testclient import TestClient

from recapql.app import create_app
from recapql.settings import Settings
from seed.recap_format.reader import read_recap
from store import Dataset, write_datasets
from store.records import RecordError, Session, SessionTime, decode, encode
from tests.conftest import EXAMPLE_RECAP
from tests.support.api import Gql

KUBECON = "kubecon-eu-2018"
EXAMPLE = "example-conf-2025"
DAYS_QUERY = """query Days($recap: String) { recap(slug: $recap) { timezone
  days { date sessions { slug title summary notes { text } startTime endTime } } } }"""


@pytest.fixture(scope="module")
def two(two_recaps_path: Path) -> Iterator[TestClient]:
    """A client of the store holding the KubeCon recap and the format's example (which gives times)."""
    with TestClient(create_app(Settings(store_path=two_recaps_path))) as client:
        yield client


def _calendar(client: TestClient, slug: str) -> Calendar:
    response = client.get(f"/recaps/{slug}/calendar.ics")
    assert response.status_code == 200, response.text
    return Calendar.from_ical(response.content)


def _days(client: TestClient, slug: str) -> dict[str, Any]:
    body = client.post("/graphql", json={"query": DAYS_QUERY, "variables": {"recap": slug}}).json()
    assert "errors" not in body, body["errors"]
    recap: dict[str, Any] = body["data"]["recap"]
    return recap


def _by_uid(calendar: Calendar) -> dict[str, Event]:
    return {str(event.uid): event for event in calendar.events}


def test_the_kubecon_calendar_is_an_all_day_event_per_session_on_the_api_s_days(client: TestClient) -> None:
    response = client.get(f"/recaps/{KUBECON}/calendar.ics")
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["content-disposition"] == f'attachment; filename="{KUBECON}.ics"'
    assert response.headers["cache-control"] == "public, max-age=60"
    assert response.headers["x-content-type-options"] == "nosniff"
    calendar = Calendar.from_ical(response.content)
    recap = _days(client, KUBECON)
    sessions = [(day["date"], session) for day in recap["days"] for session in day["sessions"]]
    assert len(sessions) == len(calendar.events) == 24
    assert {day["date"] for day in recap["days"]} == {"2018-05-01", "2018-05-02", "2018-05-03", "2018-05-04"}
    events = _by_uid(calendar)
    for date, session in sessions:
        assert (session["startTime"], session["endTime"]) == (None, None)  # the recap gives no time: none invented
        event = events[f"{session['slug']}@{KUBECON}.recapql"]
        day = datetime.date.fromisoformat(date)
        # All-day: dates, not times; the end is the next day (exclusive).
        assert (type(event.start), event.start, event.end) == (datetime.date, day, day + datetime.timedelta(days=1))
        assert event["SUMMARY"] == session["title"]
        assert event["LOCATION"] == "Copenhagen, Denmark"
        description = str(event.get("DESCRIPTION", ""))
        if session["summary"]:
            assert description.startswith(session["summary"])
        for note in session["notes"]:
            assert f"- {note['text'].split(chr(10))[0]}" in description
    assert [str(event.uid) for event in calendar.events] == [f"{s['slug']}@{KUBECON}.recapql" for _, s in sessions]


def test_the_kubecon_calendar_is_in_copenhagen_s_zone(client: TestClient) -> None:
    calendar = _calendar(client, KUBECON)
    assert _days(client, KUBECON)["timezone"] == "Europe/Copenhagen"
    [zone] = calendar.timezones
    assert zone["TZID"] == "Europe/Copenhagen"
    assert calendar["X-WR-TIMEZONE"] == "Europe/Copenhagen"
    # The zone's real rules: summer time in May 2018 is UTC+2.
    assert zone.to_tz().utcoffset(datetime.datetime(2018, 5, 2, 12)) == datetime.timedelta(hours=2)
    assert calendar.get_missing_tzids() == set()


def test_timed_sessions_are_at_their_local_times_in_the_recap_s_zone(two: TestClient) -> None:
    calendar = _calendar(two, EXAMPLE)
    recap = _days(two, EXAMPLE)
    assert recap["timezone"] == "Europe/Lisbon"
    given = {s["slug"]: (s["startTime"], s["endTime"]) for day in recap["days"] for s in day["sessions"]}
    assert given == {
        "opening-keynote": ("09:00", "09:45"),
        "platforms-as-products": ("10:00", "10:45"),
        "policy-engines-workshop": ("14:00", "16:00"),
        "birds-of-a-feather-platform-engineering": (None, None),
    }
    events = _by_uid(calendar)
    lisbon = ZoneInfo("Europe/Lisbon")
    keynote = events[f"opening-keynote@{EXAMPLE}.recapql"]
    assert keynote.start == datetime.datetime(2025, 6, 10, 9, 0, tzinfo=lisbon)
    assert keynote.end == datetime.datetime(2025, 6, 10, 9, 45, tzinfo=lisbon)
    assert isinstance(keynote.start, datetime.datetime)
    assert str(keynote.start.tzinfo) == "Europe/Lisbon"
    assert keynote.start.astimezone(datetime.UTC).hour == 8  # Lisbon in June is UTC+1
    assert "TZID=Europe/Lisbon:20250610T090000" in two.get(f"/recaps/{EXAMPLE}/calendar.ics").text
    workshop = events[f"policy-engines-workshop@{EXAMPLE}.recapql"]
    assert (workshop.start, workshop.end) == (
        datetime.datetime(2025, 6, 11, 14, 0, tzinfo=lisbon),
        datetime.datetime(2025, 6, 11, 16, 0, tzinfo=lisbon),
    )
    bof = events[f"birds-of-a-feather-platform-engineering@{EXAMPLE}.recapql"]
    assert (bof.start, bof.end) == (datetime.date(2025, 6, 11), datetime.date(2025, 6, 12))
    [zone] = calendar.timezones
    assert zone["TZID"] == "Europe/Lisbon"
    talk = events[f"platforms-as-products@{EXAMPLE}.recapql"]
    # The recap links the talk's recording (a `watch:` recommendation under it): the event's URL.
    assert talk["URL"] == "https://example.org/videos/platforms-as-products"
    assert "URL" not in keynote
    assert str(talk["DESCRIPTION"]).startswith("How one company runs its internal platform like a product")
    assert "- Treat developers as customers:\n  - interview them\n  - publish a roadmap\n" in str(talk["DESCRIPTION"])
    assert talk["LOCATION"] == "Lisbon, Portugal"


def test_a_calendar_is_the_same_every_time_the_store_is_the_same(
    client: TestClient, store_path: Path, two: TestClient
) -> None:
    first = client.get(f"/recaps/{KUBECON}/calendar.ics")
    again = client.get(f"/recaps/{KUBECON}/calendar.ics")
    assert first.content == again.content
    with TestClient(create_app(Settings(store_path=store_path))) as restarted:
        assert restarted.get(f"/recaps/{KUBECON}/calendar.ics").content == first.content
    # The same recap in another store: the same events, the same UIDs.
    assert two.get(f"/recaps/{KUBECON}/calendar.ics").content == first.content
    uids = [str(event.uid) for event in Calendar.from_ical(first.content).events]
    assert len(set(uids)) == len(uids) == 24
    stamps = {event.DTSTAMP for event in Calendar.from_ical(first.content).events}
    assert stamps == {datetime.datetime(2018, 5, 11, tzinfo=datetime.UTC)}  # the recap's last change
    # A calendar that asks again with its ETag is told nothing changed.
    etag = first.headers["etag"]
    unchanged = client.get(f"/recaps/{KUBECON}/calendar.ics", headers={"if-none-match": etag})
    assert (unchanged.status_code, unchanged.content, unchanged.headers["etag"]) == (304, b"", etag)
    assert two.get(f"/recaps/{EXAMPLE}/calendar.ics").headers["etag"] != etag


def test_an_unknown_recap_has_no_calendar(client: TestClient) -> None:
    response = client.get("/recaps/nowhere/calendar.ics")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/plain")
    assert client.get(f"/recaps/{KUBECON}/calendar.txt").status_code == 404


def test_without_a_zone_a_recap_s_times_are_floating(tmp_path: Path) -> None:
    dataset = read_recap(EXAMPLE_RECAP).dataset
    zoneless = dataclasses.replace(dataset, recap=dataclasses.replace(dataset.recap, timezone=None))
    path = tmp_path / "store.json"
    write_datasets(path, (zoneless,))
    with TestClient(create_app(Settings(store_path=path))) as client:
        response = client.get(f"/recaps/{EXAMPLE}/calendar.ics")
        calendar = Calendar.from_ical(response.content)
    assert calendar.timezones == []
    assert "X-WR-TIMEZONE" not in calendar
    keynote = _by_uid(calendar)[f"opening-keynote@{EXAMPLE}.recapql"]
    assert keynote.start == datetime.datetime(2025, 6, 10, 9, 0)  # no zone: the wall-clock time the recap gives
    assert isinstance(keynote.start, datetime.datetime)
    assert keynote.start.tzinfo is None
    assert "DTSTART:20250610T090000\r\n" in response.text


# A session's time in the store -----------------------------------------------------------------


def _session(dataset: Dataset, slug: str) -> Session:
    return next(session for session in dataset.sessions if session.slug == slug)


def test_a_session_s_time_is_kept_as_hh_mm_and_left_out_when_not_given() -> None:
    dataset = read_recap(EXAMPLE_RECAP).dataset
    timed = _session(dataset, "opening-keynote")
    assert timed.time == SessionTime(datetime.time(9, 0), datetime.time(9, 45))
    document = encode(timed)
    assert document["time"] == {"start": "09:00", "end": "09:45"}
    assert decode(Session, document) == timed
    # A session without a time has the document it had before times existed: a store written
    # before reads the same, and keeps its version.
    untimed = _session(dataset, "birds-of-a-feather-platform-engineering")
    assert "time" not in encode(untimed)
    assert decode(Session, encode(untimed)).time is None
    assert decode(Session, {**encode(untimed), "time": None}).time is None


@pytest.mark.parametrize(
    ("time", "expected"),
    [
        ({"start": "9:00", "end": "09:45"}, "field 'time.start': expected a time of day (hh:mm, 24-hour), got '9:00'"),
        ({"start": "09:00", "end": "24:00"}, "field 'time.end': expected a time of day (hh:mm, 24-hour), got '24:00'"),
        ({"start": "09:00", "end": 945}, "field 'time.end': expected a time of day (hh:mm, 24-hour), got a number"),
        ({"start": "09:00"}, "field 'time.end': is required"),
        ("09:00-09:45", "field 'time.(record)': expected an object, got a string"),
    ],
)
def test_a_stored_time_of_the_wrong_shape_is_refused_with_its_field(time: object, expected: str) -> None:
    document = encode(_session(read_recap(EXAMPLE_RECAP).dataset, "opening-keynote"))
    with pytest.raises(RecordError) as caught:
        decode(Session, {**document, "time": time})
    assert str(caught.value) == expected


def test_the_api_gives_no_time_for_the_kubecon_sessions(gql: Gql) -> None:
    sessions = gql("{ recap { days { sessions { startTime endTime } } } }")["recap"]["days"]
    assert {(s["startTime"], s["endTime"]) for day in sessions for s in day["sessions"]} == {(None, None)}
