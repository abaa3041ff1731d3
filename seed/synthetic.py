"""Synthetic recaps of any size, for benchmarks and for tests of large stores.

Nothing here is recap data: every title says "Synthetic", and the words come from a fixed
vocabulary so that searches and filters find realistic numbers of matches. The same
`rng_seed` always gives the same recap. Run `python -m seed.synthetic --help`.
"""

from __future__ import annotations

import datetime
import random
from pathlib import Path

import click

from seed.recap_format.vocabulary import NO_SPEAKER
from seed.recap_format.writer import write_recap
from store import Dataset
from store.records import (
    Change,
    Day,
    Missing,
    Note,
    Project,
    ProjectCategory,
    Recap,
    Recommendation,
    RecommendationKind,
    Session,
    SessionKind,
    Source,
    Topic,
)

VOCABULARY = (
    "kubernetes", "cluster", "container", "runtime", "helm", "operator", "service", "mesh", "prometheus",
    "metrics", "tracing", "logging", "security", "policy", "network", "storage", "volume", "scheduler",
    "autoscaling", "serverless", "function", "pipeline", "delivery", "gitops", "federation", "multi",
    "tenancy", "namespace", "controller", "ingress", "gateway", "observability", "debugging", "chaos",
    "resilience", "upgrade", "migration", "edge", "cloud", "native", "community",
)  # fmt: skip
TOPICS = (
    "architecture", "community", "containers", "delivery", "networking", "observability",
    "operations", "security", "serverless", "storage",
)  # fmt: skip
SESSION_KINDS: tuple[SessionKind, ...] = (
    "TALK", "TALK", "TALK", "KEYNOTE", "BOF", "WORKSHOP", "DEEP_DIVE", "LIGHTNING_TALKS",
)  # fmt: skip
CATEGORIES: tuple[ProjectCategory, ...] = ("PROJECT", "PROJECT", "TOOL", "SPECIFICATION", "SERVICE", "FEATURE")
RECOMMENDATION_KINDS: tuple[RecommendationKind, ...] = ("WATCH", "READ", "EXPLORE", "PRACTICE", "BUZZWORD")
START = datetime.date(2030, 1, 7)
DOCUMENT = "synthetic.md"
DAYS = 4


def synthetic_dataset(sessions: int, projects: int, *, rng_seed: int = 0) -> Dataset:
    """A valid recap with `sessions` sessions over four days and `projects` projects."""
    if sessions < 1 or projects < 1:
        raise ValueError("a synthetic recap needs at least one session and one project")
    rng = random.Random(rng_seed)

    def phrase(count: int) -> str:
        return " ".join(rng.choice(VOCABULARY) for _ in range(count))

    # A generated recap is its own source: each text is its own words (lines are not tracked).
    def note(text: str) -> Note:
        return Note(text, Source(DOCUMENT, 1, text))

    def source(words: str) -> Source:
        return Source(DOCUMENT, 1, words)

    project_records = tuple(
        Project(
            slug=f"synthetic-project-{number}",
            name=(project_name := f"Synthetic Project {number} {phrase(2).title()}"),
            category=rng.choice(CATEGORIES),
            description=note(f"A synthetic project about {phrase(8)}."),
            topics=tuple(sorted(rng.sample(TOPICS, 2))),
            url=None,
            written_as=None,
            source=source(project_name),
            missing=(),
        )
        for number in range(projects)
    )
    project_slugs = [record.slug for record in project_records]
    days = tuple(
        Day(
            date=START + datetime.timedelta(days=offset),
            title=f"Synthetic day {offset + 1}",
            source=source(f"Synthetic day {offset + 1}"),
            inferred=(),
        )
        for offset in range(DAYS)
    )
    session_records = tuple(
        Session(
            slug=f"synthetic-session-{number}",
            title=(session_title := f"Synthetic session {number}: {phrase(5).capitalize()}"),
            kind=rng.choice(SESSION_KINDS),
            day=days[number * DAYS // sessions].date,
            summary=note(f"A synthetic session on {phrase(12)}."),
            notes=tuple(note(f"{phrase(10).capitalize()}.") for _ in range(rng.randint(2, 5))),
            topics=tuple(sorted(rng.sample(TOPICS, rng.randint(1, 3)))),
            projects=tuple(sorted(rng.sample(project_slugs, min(len(project_slugs), rng.randint(1, 4))))),
            speakers=(),
            organizations=(),
            verdict=note(f"Synthetic verdict: {phrase(6)}."),
            source=source(session_title),
            missing=(Missing("speakers", NO_SPEAKER),),
        )
        for number in range(sessions)
    )
    recommendations = tuple(
        Recommendation(
            slug=f"synthetic-recommendation-{number}",
            kind=rng.choice(RECOMMENDATION_KINDS),
            title=(item_title := f"Synthetic recommendation {number}: {phrase(3)}"),
            reason=note(f"Synthetic reason: {phrase(8)}."),
            session=session_records[rng.randrange(sessions)].slug if number % 2 == 0 else None,
            project=project_slugs[rng.randrange(projects)] if number % 3 == 0 else None,
            url=None,
            source=source(item_title),
            missing=(),
        )
        for number in range(max(1, sessions // 10))
    )
    end = START + datetime.timedelta(days=DAYS - 1)
    recap = Recap(
        slug=f"synthetic-{sessions}-{projects}-{rng_seed}",
        title=f"Synthetic recap: {sessions} sessions, {projects} projects",
        event="Synthetic Conference",
        city="Nowhere",
        country="Nowhere",
        start_date=START,
        end_date=end,
        verdict=note("Generated for benchmarks and tests; not a real event."),
        notes=(note("Every record here is synthetic."),),
        top_three=None,
        changes=(Change(date=end, description="Generated"),),
        timezone=None,
        author=None,
        source=source(f"Synthetic recap: {sessions} sessions, {projects} projects"),
        missing=(),
        top_three_mentions=(),
    )
    return Dataset(
        recap=recap,
        topics=tuple(Topic(name=name, description=note(f"Synthetic topic {name}.")) for name in TOPICS),
        days=days,
        sessions=session_records,
        projects=project_records,
        recommendations=recommendations,
    )


@click.command()
@click.option("--sessions", type=click.IntRange(1), default=15_000, show_default=True)
@click.option("--projects", type=click.IntRange(1), default=3_000, show_default=True)
@click.option("--rng-seed", type=int, default=0, show_default=True, help="The same seed gives the same document.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True)
def main(sessions: int, projects: int, rng_seed: int, output: Path) -> None:
    """Write a synthetic recap file (for `recapql seed --seed FILE` or `recapql import FILE`)."""
    output.write_text(write_recap(synthetic_dataset(sessions, projects, rng_seed=rng_seed)), encoding="utf-8")
    click.echo(f"wrote {output}: {sessions} sessions, {projects} projects", err=True)


if __name__ == "__main__":
    main()
