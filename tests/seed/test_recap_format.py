"""The recap format: what a recap file becomes, every problem named with its file and line, and
export → import giving back the same records (for the embedded recap, the format's example and
generated recaps)."""

from __future__ import annotations

import datetime
import re
import string
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seed import DEFAULT_SEED
from seed.recap_format.problems import InvalidRecap
from seed.recap_format.reader import ImportedRecap, parse_recap, read_recap, slugify
from seed.recap_format.vocabulary import NO_SPEAKER
from seed.recap_format.writer import escape, write_recap
from store import Dataset, check_dataset
from store.records import (
    Change,
    Day,
    Missing,
    Note,
    Project,
    Recap,
    Recommendation,
    Session,
    SessionTime,
    Source,
    Topic,
)
from tests.support.records import without_recap_lines
from tests.support.repository import ROOT

EXAMPLE = ROOT / "docs" / "examples" / "example-conf-2025.md"
FILE = Path("recaps/test.md")
FRONT = """\
---
title: Test recap
recap:
  event: Test Conf
  city: Lisbon
  country: Portugal
  start: 2025-06-10
  end: 2025-06-11
---
"""


def _read(body: str, front: str = FRONT) -> ImportedRecap:
    return parse_recap(front + textwrap.dedent(body), FILE)


def _errors(body: str, front: str = FRONT) -> list[str]:
    with pytest.raises(InvalidRecap) as caught:
        _read(body, front)
    return [str(error) for error in caught.value.errors]


def test_the_format_s_example_imports_with_every_part() -> None:
    imported = read_recap(EXAMPLE)
    dataset = imported.dataset
    recap = dataset.recap
    assert (recap.slug, recap.event, recap.timezone, recap.author) == (
        "example-conf-2025",
        "Example Conf 2025",
        "Europe/Lisbon",
        "A. Blogger",
    )
    assert [change.description for change in recap.changes] == ["First published", "Added the links to the recordings"]
    assert recap.top_three == ("platforms-as-products", "policy-engines-workshop")
    assert [(day.date.isoformat(), day.title) for day in dataset.days] == [
        ("2025-06-10", "Day 1: talks"),
        ("2025-06-11", "Day 2: workshops"),
    ]
    talk = next(session for session in dataset.sessions if session.slug == "platforms-as-products")
    assert talk.speakers == ("Ada Example", "Lin Example")
    assert talk.projects == ("backstage", "crossplane")
    assert tuple(note.text for note in talk.notes) == (
        "Treat developers as customers:\n- interview them\n- publish a roadmap",
        talk.notes[1].text,
    )
    opa = next(project for project in dataset.projects if project.slug == "opa")
    assert (opa.name, opa.category, opa.topics) == ("Open Policy Agent", "PROJECT", ("security",))
    backstage = next(project for project in dataset.projects if project.slug == "backstage")
    assert backstage.url == "https://backstage.io"
    by_slug = {item.slug: item for item in dataset.recommendations}
    assert by_slug["watch-platforms-as-products"].session == "platforms-as-products"
    assert by_slug["watch-platforms-as-products"].url == "https://example.org/videos/platforms-as-products"
    assert by_slug["explore-kyverno"].project == "kyverno"  # a root recommendation naming a project
    assert by_slug["buzzword-platform-engineering"].session == "birds-of-a-feather-platform-engineering"
    assert [str(warning) for warning in imported.warnings] == [
        f"{EXAMPLE}:22: ignored: text before the first day or section (`## …`)"
    ]


@pytest.mark.parametrize("path", [DEFAULT_SEED, EXAMPLE], ids=["kubecon", "example"])
def test_an_export_imports_back_to_the_same_records(path: Path) -> None:
    dataset = read_recap(path).dataset
    again = parse_recap(write_recap(dataset), path).dataset
    assert without_recap_lines(again) == without_recap_lines(dataset)


def test_a_project_named_only_by_a_session_is_made_with_a_warning() -> None:
    imported = _read(
        """
        ## Day 1 (2025-06-10)

        ### A talk

        - projects: Tekton, tekton

        A summary.
        """
    )
    [project] = imported.dataset.projects
    assert (project.slug, project.name, project.category, project.description) == (
        "tekton",
        "Tekton",
        "UNSPECIFIED",
        None,
    )
    assert imported.dataset.sessions[0].projects == ("tekton",)
    assert [str(warning) for warning in imported.warnings] == [
        f"{FILE}:15: the project 'Tekton' is not under `## Projects`: made from its name only"
    ]


def test_metadata_and_takeaways_may_run_together_without_a_summary() -> None:
    [session] = _read(
        """
        ## Day 1 (2025-06-10)

        ### A talk
        - kind: workshop
        - topics: testing
        - The first takeaway.
        - verdict: not metadata, since it follows a takeaway
        """
    ).dataset.sessions
    assert session.kind == "WORKSHOP"
    assert session.summary is None
    assert [note.text for note in session.notes] == [
        "The first takeaway.",
        "verdict: not metadata, since it follows a takeaway",
    ]


def test_hugo_keeps_the_recap_map_under_params() -> None:
    front = FRONT.replace("recap:\n", "params:\n  recap:\n").replace("\n  ", "\n    ").replace("    recap:", "  recap:")
    dataset = _read("## Day 1 (2025-06-10)\n", front=front).dataset
    assert (dataset.recap.event, dataset.recap.slug) == ("Test Conf", "test-conf")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("## Day one\n", "10: expected a day heading `## <title> (YYYY-MM-DD)` or a reserved section"),
        ("## Day 1 (2025-13-01)\n", "10: expected a day heading `## <title> (YYYY-MM-DD)`"),
        ("## Day 3 (2025-06-12)\n", "10: the day 2025-06-12 is outside the event (2025-06-10 to 2025-06-11"),
        ("### Early\n", "10: expected a session heading `### <title>` under a day `## <title> (YYYY-MM-DD)`"),
        ("## D (2025-06-10)\n\n### A\n\n### A\n", "14: a second session with the slug 'a': the first is on line 12"),
        ("## D (2025-06-10)\n\n### A\n\n- kind: party\n", "14: expected `kind:` to be one of keynote, talk, bof"),
        ("## D (2025-06-10)\n\n### A\n\n- kind: talk\n- speaker: Bob\n", "15: unknown session key `speaker:`"),
        ("## Projects\n\n- **X** (gadget) — A thing.\n", "12: expected the category to be one of project,"),
        (
            "## Projects\n\n- X (tool) — A thing.\n",
            "12: expected a project as `**<name>** (<category>) — <description>`",
        ),
        ("## Top 3\n\n1. Nothing like it\n", "12: the Top 3 entry 'Nothing like it' names no session of this recap"),
        ("## Recommendations\n\n- gaze: the stars\n", "12: expected the recommendation's kind to be one of watch,"),
        ("## Recommendations\n\n- read: A book\n  - session: nowhere\n", "13: recommendation 'read-a-book':"),
        ("## D (2025-06-10)\n\n## D again (2025-06-10)\n", "12: a second day 2025-06-10: the first is on line 10"),
    ],
)
def test_every_problem_names_the_file_and_line(body: str, expected: str) -> None:
    errors = _errors(body)
    assert any(error.startswith(f"{FILE}:{expected}") for error in errors), errors


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("title: T\n", "1: expected YAML front matter"),
        ("---\ntitle: T\n", "1: the front matter opened on line 1 is never closed"),
        ("---\ntitle: [unclosed\n---\n", "2: the front matter is not valid YAML"),
        (
            "---\nrecap: {event: E, city: C, country: D, start: 2025-06-10, end: 2025-06-11}\n---\n",
            "1: expected a `title:`",
        ),
        ("---\ntitle: T\n---\n", "1: expected a `recap:` map in the front matter"),
        ("---\ntitle: T\nrecap:\n  event: E\n---\n", "3: the `recap:` map needs `city:`"),
        (
            "---\ntitle: T\nrecap: {event: E, city: C, country: D, start: soon, end: 2025-06-11}\n---\n",
            "3: expected `start:`",
        ),
    ],
)
def test_front_matter_problems_name_their_line(front: str, expected: str) -> None:
    errors = _errors("", front=front)
    assert any(error.startswith(f"{FILE}:{expected}") for error in errors), errors


def test_every_error_is_reported_at_once_and_nothing_is_imported() -> None:
    errors = _errors("## Day one\n\n## Day 9 (2025-07-01)\n")
    assert [error.split(":")[1] for error in errors] == ["10", "12"]


def test_a_file_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.md"
    path.write_bytes(FRONT.encode() + "## Dag én (2025-06-10)\n".encode("latin-1"))
    with pytest.raises(InvalidRecap) as caught:
        read_recap(path)
    assert [str(error) for error in caught.value.errors] == [f"{path}:10: expected UTF-8 text"]


def test_ignored_constructs_are_warnings_with_their_lines() -> None:
    imported = _read(
        """
        ## Day 1 (2025-06-10)

        A paragraph under the day.

        ### A talk

        The summary.

        - A takeaway.

        > A quotation after the takeaways.

        #### Links

        - somewhere
        """
    )
    assert [str(warning).split(": ", 1)[0] for warning in imported.warnings] == [
        f"{FILE}:13",
        f"{FILE}:21",
        f"{FILE}:23",
    ]


@pytest.mark.parametrize(
    "text",
    ["*not emphasis*", "a_b_c", "[not a link](x)", "<b>no html</b>", "# not a heading", "1. not a list", "- nor this",
     "> nor a quote", "back\\slash", "`code`", "AT&T &amp; co", "!important", "+ plus", "=== setext"],
)  # fmt: skip
def test_escaped_text_reads_back_as_itself(text: str) -> None:
    imported = _read(f"## Day 1 (2025-06-10)\n\n### Title\n\n{escape(text)}\n")
    summary = imported.dataset.sessions[0].summary
    assert summary is not None
    assert summary.text == text


# Generated recaps: texts with every character Markdown could take for markup.
_WORDS = st.text(
    alphabet=st.sampled_from(string.ascii_letters + string.digits + "*_[]()<>&!#`\\-+.:;?'\"/|~=éü—…"),
    min_size=1,
    max_size=12,
)
_TEXT = st.lists(_WORDS, min_size=1, max_size=6).map(" ".join).filter(lambda text: any(c.isalnum() for c in text))
# A name or title cannot hold the ` — ` that separates it from what follows, nor end at a dash.
_NAME = _TEXT.filter(lambda text: "," not in text and not re.search(r"(^|\s)(—|\u2013|--)($|\s)", text))


def _own(words: str) -> Source:
    """A generated recap is its own source: every text is its own words (the line does not count)."""
    return Source("generated.md", 0, words)


def _note(text: str) -> Note:
    return Note(text, _own(text))


_NOTES = st.none() | _TEXT.map(_note)


def _minutes(start: int, end: int) -> SessionTime:
    return SessionTime(datetime.time(*divmod(start, 60)), datetime.time(*divmod(end, 60)))


# A session's time: any start and end of a day, whole minutes, the end after the start.
_TIMES = st.none() | st.integers(0, 24 * 60 - 2).flatmap(
    lambda start: st.integers(start + 1, 24 * 60 - 1).map(lambda end: _minutes(start, end))
)


@st.composite
def _recaps(draw: st.DrawFn) -> Dataset:
    start = datetime.date(2025, 6, 10)
    day_count = draw(st.integers(1, 3))
    day_titles = [draw(_NAME) for _ in range(day_count)]
    days = tuple(
        Day(start + datetime.timedelta(days=offset), title, _own(title), ()) for offset, title in enumerate(day_titles)
    )
    topic_names = draw(st.lists(_NAME, max_size=3, unique_by=str.casefold))
    topics = tuple(Topic(name, draw(_NOTES)) for name in topic_names)
    project_names = draw(st.lists(_NAME.filter(lambda name: slugify(name) != ""), max_size=4, unique_by=slugify))
    projects = tuple(
        Project(
            slug=slugify(name),
            name=name,
            category=draw(st.sampled_from(["PROJECT", "TOOL", "SPECIFICATION", "SERVICE", "FEATURE"])),
            description=draw(_NOTES),
            topics=tuple(draw(st.lists(st.sampled_from(topic_names), unique=True))) if topic_names else (),
            url=draw(st.none() | st.just(f"https://example.org/{slugify(name)}")),
            written_as=None,
            source=_own(name),
            missing=(),
        )
        for name in project_names
    )
    titles = draw(st.lists(_TEXT.filter(lambda text: slugify(text) != ""), max_size=6, unique_by=slugify))
    sessions = tuple(
        Session(
            slug=slugify(title),
            title=title,
            kind=draw(st.sampled_from(["KEYNOTE", "TALK", "BOF", "WORKSHOP", "LIGHTNING_TALKS", "DEEP_DIVE"])),
            day=days[number % day_count].date,
            summary=draw(_NOTES),
            notes=tuple(_note(text) for text in draw(st.lists(_TEXT, max_size=3))),
            topics=tuple(draw(st.lists(st.sampled_from(topic_names), unique=True))) if topic_names else (),
            projects=tuple(draw(st.lists(st.sampled_from([p.slug for p in projects]), unique=True)))
            if projects
            else (),
            speakers=(speakers := tuple(draw(st.lists(_NAME, max_size=2, unique=True)))),
            organizations=tuple(draw(st.lists(_NAME, max_size=2, unique=True))),
            verdict=draw(_NOTES),
            source=_own(title),
            missing=() if speakers else (Missing("speakers", NO_SPEAKER),),
            time=draw(_TIMES),
        )
        for number, title in enumerate(titles)
    )
    sessions = tuple(sorted(sessions, key=lambda session: session.day))
    recommendations = tuple(
        Recommendation(
            slug=f"pick-{number}",
            kind=draw(st.sampled_from(["WATCH", "READ", "EXPLORE", "BUZZWORD", "PRACTICE"])),
            title=title,
            reason=draw(_NOTES),
            session=draw(st.none() | st.sampled_from([s.slug for s in sessions])) if sessions else None,
            project=draw(st.none() | st.sampled_from([p.slug for p in projects])) if projects else None,
            url=None,
            source=_own(title),
            missing=(),
        )
        for number, title in enumerate(draw(st.lists(_NAME, max_size=3)))
    )
    recap_title = draw(_NAME)
    recap = Recap(
        slug="generated",
        title=recap_title,
        event=draw(_NAME),
        city="Lisbon",
        country="Portugal",
        start_date=start,
        end_date=start + datetime.timedelta(days=2),
        verdict=draw(_NOTES),
        notes=tuple(_note(text) for text in draw(st.lists(_TEXT, max_size=3))),
        top_three=tuple(s.slug for s in sessions[:2]) if draw(st.booleans()) and sessions else None,
        changes=(Change(start + datetime.timedelta(days=5), draw(_TEXT)),) if draw(st.booleans()) else (),
        timezone=draw(st.none() | st.just("Europe/Lisbon")),
        author=draw(st.none() | _NAME),
        source=_own(recap_title),
        missing=(),
        top_three_mentions=(),
    )
    return Dataset(recap, topics, days, sessions, projects, recommendations)


# Derandomized: the same examples every run, so the fast lane cannot pass one day and fail the next.
@settings(max_examples=60, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(dataset=_recaps())
def test_any_generated_recap_exports_and_imports_back_unchanged(dataset: Dataset) -> None:
    assert check_dataset(dataset) == []
    text = write_recap(dataset)
    again = parse_recap(text, Path("generated.md"))
    assert without_recap_lines(again.dataset) == without_recap_lines(dataset)
    # Written again from what it read, the file is the same: the records it reads carry their lines.
    assert write_recap(again.dataset) == text
    assert parse_recap(text, Path("generated.md")).dataset == again.dataset


ORIGINAL_POST = """My notes from Test Conf

Day one was long. The keynote was quite good and entertaining, to be honest.
I guess it\u2019s fine to keep going with what works.
"""
QUOTING_FRONT = FRONT.replace("  end: 2025-06-11\n", "  end: 2025-06-11\n  source: sources/post.txt\n")


def _quoting(body: str) -> ImportedRecap:
    def read_source(name: str) -> str:
        assert name == "sources/post.txt"
        return ORIGINAL_POST

    return parse_recap(QUOTING_FRONT + textwrap.dedent(body), FILE, read_source)


def test_a_recap_that_names_its_source_quotes_it_with_lines() -> None:
    [session] = _quoting(
        """
        ## Day one (2025-06-10)

        ### The keynote

        The keynote was … good and entertaining[, he said].

        - I guess it's fine to keep going with what works.
        - *The curator's own summary of the rest.*
        """
    ).dataset.sessions
    assert session.summary is not None
    assert session.summary.source == Source(
        "sources/post.txt", 3, "The keynote was … good and entertaining[, he said]."
    )
    guess, curated = session.notes
    # Typographic quotes do not count: the post's typographic apostrophe is the note's plain one.
    assert (guess.source.document, guess.source.line) == ("sources/post.txt", 4)
    assert curated.text == "The curator's own summary of the rest."
    assert curated.source == Source("test.md", 19, None)


def test_a_false_quotation_is_refused_with_its_file_line_and_words() -> None:
    with pytest.raises(InvalidRecap) as caught:
        _quoting(
            """
            ## Day one (2025-06-10)

            ### The keynote

            - The keynote was … brilliant.
            """
        )
    [error] = [str(error) for error in caught.value.errors]
    assert error.startswith(
        f"{FILE}:16: the quotation “The keynote was … brilliant.” is not in sources/post.txt: “brilliant.” is not there"
    )


def test_a_source_that_cannot_be_read_names_its_line() -> None:
    def missing(name: str) -> str:
        raise FileNotFoundError(2, "No such file or directory")

    with pytest.raises(InvalidRecap) as caught:
        parse_recap(QUOTING_FRONT + "## Day one (2025-06-10)\n", FILE, missing)
    assert [str(error) for error in caught.value.errors] == [
        f"{FILE}:9: the source 'sources/post.txt' cannot be read: No such file or directory"
    ]


# A session's time ---------------------------------------------------------------------------------


def test_a_session_s_time_is_read_with_an_en_dash_or_a_hyphen() -> None:
    imported = _read(
        """
        ## Day 1 (2025-06-10)

        ### Early

        - time: 09:00\u201309:45

        ### Late

        - kind: talk
        - time: 9:05 - 17:30

        ### Whenever
        """
    )
    times = {session.slug: session.time for session in imported.dataset.sessions}
    assert times == {
        "early": SessionTime(datetime.time(9, 0), datetime.time(9, 45)),
        "late": SessionTime(datetime.time(9, 5), datetime.time(17, 30)),
        "whenever": None,
    }
    assert "- time: 09:05\u201317:30\n" in write_recap(imported.dataset)  # written back the one way


def test_the_format_s_example_gives_times_for_three_sessions() -> None:
    times = {session.slug: session.time for session in read_recap(EXAMPLE).dataset.sessions}
    assert times == {
        "opening-keynote": SessionTime(datetime.time(9, 0), datetime.time(9, 45)),
        "platforms-as-products": SessionTime(datetime.time(10, 0), datetime.time(10, 45)),
        "policy-engines-workshop": SessionTime(datetime.time(14, 0), datetime.time(16, 0)),
        "birds-of-a-feather-platform-engineering": None,
    }


_TIME_FORM = "expected `time:` as `HH:MM\u2013HH:MM` (24-hour local time, e.g. 09:30\u201310:15)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10:00\u201309:00", "expected `time:` to end after it starts, on its day, got '10:00\u201309:00'"),
        ("10:00-10:00", "expected `time:` to end after it starts, on its day, got '10:00-10:00'"),
        ("23:30-00:30", "expected `time:` to end after it starts, on its day, got '23:30-00:30'"),
        ("9.30-10.15", f"{_TIME_FORM}, got '9.30-10.15'"),
        ("09:30", f"{_TIME_FORM}, got '09:30'"),
        ("morning", f"{_TIME_FORM}, got 'morning'"),
        ("", f"{_TIME_FORM}, got ''"),
        ("09:30 to 10:15", f"{_TIME_FORM}, got '09:30 to 10:15'"),
        ("25:00-26:00", f"{_TIME_FORM}: 25:00 is not a time of day"),
        ("09:00-09:60", f"{_TIME_FORM}: 09:60 is not a time of day"),
    ],
)
def test_a_bad_time_is_an_error_naming_the_file_and_line(value: str, expected: str) -> None:
    errors = _errors(f"## Day 1 (2025-06-10)\n\n### A talk\n\n- kind: talk\n- time: {value}\n")
    assert errors == [f"{FILE}:15: {expected}"]


def test_a_second_time_is_an_error_naming_both_lines() -> None:
    errors = _errors("## Day 1 (2025-06-10)\n\n### A talk\n\n- time: 09:00-10:00\n- time: 11:00-12:00\n")
    assert errors == [f"{FILE}:15: a second `time:`: the first is on line 14"]


def test_the_time_zone_must_be_one_the_time_zone_database_knows() -> None:
    front = FRONT.replace("  end: 2025-06-11\n", "  end: 2025-06-11\n  timezone: Europe/Atlantis\n")
    errors = _errors("## Day 1 (2025-06-10)\n", front=front)
    assert errors == [
        f"{FILE}:9: expected `timezone:` to be an IANA time zone such as Europe/Lisbon, got 'Europe/Atlantis'"
    ]
    hugo = front.replace("recap:\n", "params:\n  recap:\n").replace("\n  ", "\n    ").replace("    recap:", "  recap:")
    assert _errors("## Day 1 (2025-06-10)\n", front=hugo) == [errors[0].replace(":9:", ":10:")]
    lisbon = FRONT.replace("  end: 2025-06-11\n", "  end: 2025-06-11\n  timezone: Europe/Lisbon\n")
    assert _read("## Day 1 (2025-06-10)\n", front=lisbon).dataset.recap.timezone == "Europe/Lisbon"
