"""Every fact of the embedded recap points at the words it rests on, and those words are the recap's.

The quotations are checked here again, independently of the importer: each run of a quotation's
own words (between "…" and outside [brackets]) must stand in the original text, in order. A text
without a quotation is the curator's, and the recap file marks it so (in *emphasis*).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from seed import DEFAULT_SEED
from seed.recap_format.writer import write_recap
from store import Dataset
from store.records import Note, Source

SOURCE_NAME = "sources/kubecon-eu-2018-copenhagen-recap.txt"
ORIGINAL = (DEFAULT_SEED.parent / SOURCE_NAME).read_text(encoding="utf-8")
RECAP_FILE = DEFAULT_SEED.read_text(encoding="utf-8")


def _plain(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"').split())


FLAT_ORIGINAL = _plain(ORIGINAL)


def _notes(dataset: Dataset) -> list[tuple[str, Note]]:
    """Every text of the recap with where it comes from, named for the failure message."""
    found: list[tuple[str, Note]] = [(f"recap note {n}", note) for n, note in enumerate(dataset.recap.notes)]
    found += [("recap verdict", dataset.recap.verdict)] if dataset.recap.verdict else []
    for session in dataset.sessions:
        found += [(f"{session.slug} note {n}", note) for n, note in enumerate(session.notes)]
        found += [
            (f"{session.slug} {name}", note)
            for name, note in (("summary", session.summary), ("verdict", session.verdict))
            if note
        ]
    found += [(f"project {item.slug}", item.description) for item in dataset.projects if item.description]
    found += [(f"recommendation {item.slug}", item.reason) for item in dataset.recommendations if item.reason]
    found += [(f"topic {item.name}", item.description) for item in dataset.topics if item.description]
    return found


def _sources(dataset: Dataset) -> list[tuple[str, Source]]:
    found = [(name, note.source) for name, note in _notes(dataset)]
    found += [("recap", dataset.recap.source)]
    found += [(f"day {day.date}", day.source) for day in dataset.days]
    found += [
        (f"day {day.date} inferred", source) for day in dataset.days for item in day.inferred for source in item.sources
    ]
    found += [(f"session {session.slug}", session.source) for session in dataset.sessions]
    found += [(f"project {project.slug}", project.source) for project in dataset.projects]
    found += [(f"recommendation {item.slug}", item.source) for item in dataset.recommendations]
    found += [("top three", mention.source) for mention in dataset.recap.top_three_mentions]
    return found


def _runs(quote: str) -> list[str]:
    """The quotation's own words, run by run: without insertions, nested items' marks or elisions."""
    lines = [re.sub(r"^(?:- |\d+\. )", "", line) for line in quote.split("\n")]
    # Each nested item is a run of its own: the original marks its items its own way (•, 1.).
    parts = re.split(r"\u2026|\.\.\.", re.sub(r"\[[^\]]*\]", "\u2026", "\u2026".join(lines)))
    return [run for run in (_plain(part) for part in parts) if run]


def _stands_in_the_original(quote: str, case_aside: bool) -> bool:
    text = FLAT_ORIGINAL.casefold() if case_aside else FLAT_ORIGINAL
    position = 0
    for run in _runs(quote):
        found = text.find(run.casefold() if case_aside else run, position)
        if found < 0:
            return False
        position = found + len(run)
    return True


def test_every_quotation_stands_in_the_original_text(dataset: Dataset) -> None:
    quoted = [(name, source) for name, source in _sources(dataset) if source.quote is not None]
    # Names (titles, projects) are found case aside; texts exactly.
    names = {name for name, _ in quoted if name.startswith(("session ", "project ", "recommendation ", "recap"))}
    missing = [
        name for name, source in quoted if not _stands_in_the_original(source.quote or "", case_aside=name in names)
    ]
    assert missing == []
    assert {source.document for _, source in quoted} == {SOURCE_NAME}


def test_each_quotation_names_the_line_it_starts_on(dataset: Dataset) -> None:
    lines = ORIGINAL.split("\n")
    wrong = []
    for name, source in _sources(dataset):
        if source.quote is None:
            continue
        first_run = _runs(source.quote.split("\n")[0])[0]
        if first_run.casefold() not in _plain(" ".join(lines[source.line - 1 : source.line + 1])).casefold():
            wrong.append(f"{name}: line {source.line}")
    assert wrong == []


def test_every_text_without_a_quotation_is_marked_as_the_curator_s_in_the_recap_file(dataset: Dataset) -> None:
    recap_lines = RECAP_FILE.split("\n")
    unmarked = []
    for name, note in _notes(dataset):
        if note.source.quote is not None:
            continue
        line = recap_lines[note.source.line - 1]
        if note.source.document != DEFAULT_SEED.name or f"*{note.text}*" not in line:
            unmarked.append(name)
    assert unmarked == []


def test_the_counts_of_quotations_and_the_curator_s_words(dataset: Dataset) -> None:
    notes = _notes(dataset)
    kinds = Counter("quotation" if note.source.quote is not None else "curator" for _, note in notes)
    # Most texts are the recap's own sentences; the curator wrote only labels and a few descriptions.
    assert kinds["quotation"] >= 200
    assert kinds["curator"] <= 50
    assert kinds["quotation"] > 4 * kinds["curator"]


def test_what_the_recap_lost_is_said_as_data(dataset: Dataset) -> None:
    recap_missing = {item.field for item in dataset.recap.missing}
    assert {"links", "topThree", "pictures", "author"} <= recap_missing
    without_speaker = [session.slug for session in dataset.sessions if not session.speakers]
    said = [session.slug for session in dataset.sessions if any(item.field == "speakers" for item in session.missing)]
    assert said == without_speaker
    assert len(without_speaker) == 23
    for records in (dataset.projects, dataset.recommendations):
        without_url = [record.slug for record in records if record.url is None]
        said_lost = [record.slug for record in records if any(item.field == "url" for item in record.missing)]
        assert said_lost == without_url


def test_every_day_s_date_is_inferred_from_the_recap_s_words(dataset: Dataset) -> None:
    for day in dataset.days:
        [inferred] = day.inferred
        assert inferred.field == "date"
        quotes = [source.quote for source in inferred.sources]
        assert "from May 1-4, 2018" in quotes
    assert "On Tuesday evening, there were some lighting talks." in [
        s.quote for s in dataset.days[0].inferred[0].sources
    ]


def test_the_top_three_is_lost_but_its_best_talk_is_known(dataset: Dataset) -> None:
    assert dataset.recap.top_three is None
    [mention] = dataset.recap.top_three_mentions
    assert mention.session == "crossing-the-river-by-feeling-the-stones"
    assert mention.place is None
    assert mention.source.quote is not None
    assert "the best talk for me was the one named Crossing the River by Feeling the Stones" in mention.source.quote


def test_the_hedges_and_the_speaker_s_words_are_kept(dataset: Dataset) -> None:
    texts = [note.text for _, note in _notes(dataset)]
    assert "I\u2019ll probably take a closer look at Linkerd in a separate post." in texts
    assert any(text.startswith("I\u2019ve probably need to invest some time") for text in texts)
    assert any("I guess it\u2019s safe to keep on going with Docker as a runtime" in text for text in texts)
    slugs = {item.slug for item in dataset.recommendations}
    # An aside is not advice, and nothing the recap does not name is a book.
    assert "practice-keep-docker-as-runtime" not in slugs
    assert "read-managing-kubernetes-book" not in slugs
    assert not any(
        "book" in item.title.casefold()
        for item in dataset.recommendations
        if item.slug == "read-managing-kubernetes-write-up"
    )


def test_the_embedded_recap_file_is_as_the_writer_writes_it() -> None:
    # So `recapql export` of the embedded recap gives this very file back: same text, same lines.
    from seed.recap_format.reader import read_recap

    assert write_recap(read_recap(Path(DEFAULT_SEED)).dataset) == RECAP_FILE
