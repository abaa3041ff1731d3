"""The drafts of a recap file put together into a checked `Dataset`, once everything is read.

Sessions' project names become slugs (a name with no `## Projects` entry makes a project of its
own), tags with no `## Topics` entry make topics, root recommendations point at the project
their title names, the Top 3 names sessions by title, and `store.check_dataset` has the last word.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from seed.recap_format.project_names import ProjectNames
from seed.recap_format.reader.drafts import Drafts, Reading
from seed.recap_format.reader.header import RecapHeader
from seed.recap_format.vocabulary import slugify
from store import Dataset, check_dataset
from store.records import Document, Missing, Project, Recap, Recommendation, Source, Topic, TopThreeMention

Linked = TypeVar("Linked", Project, Recommendation)


def assemble(reading: Reading, header: RecapHeader, drafts: Drafts, documents: tuple[Document, ...]) -> Dataset | None:
    """The recap's dataset, or None when it, or anything read before, has an error."""
    projects = list(drafts.projects)
    by_name = {project.name.casefold(): project for project in projects}
    by_name |= {project.slug: project for project in projects}
    sessions = []
    for draft in drafts.sessions:
        slugs = []
        for name in draft.project_names:
            project = by_name.get(name.casefold())
            if project is None:
                project = _named_only(reading, name, draft.project_line)
                projects.append(project)
                by_name[name.casefold()] = by_name[project.slug] = project
                drafts.lines["project", project.slug] = draft.project_line
            slugs.append(project.slug)
        sessions.append(replace(draft.session, projects=tuple(dict.fromkeys(slugs))))
    links_lost = next((item for item in header.missing if item.field == "links"), None)
    if links_lost is not None:
        projects = [_lost_url(project, links_lost) for project in projects]
    topics = list(drafts.topics)
    known_topics = {topic.name.casefold() for topic in topics}
    tagged: list[tuple[str, str, tuple[str, ...]]] = [("session", item.slug, item.topics) for item in sessions]
    tagged += [("project", item.slug, item.topics) for item in projects]
    for kind, slug, topic_names in tagged:
        for name in topic_names:
            if name.casefold() not in known_topics:
                known_topics.add(name.casefold())
                topics.append(Topic(name=name, description=None))
                line = drafts.lines.get((kind, slug), 1)
                reading.warn(line, f"the topic '{name}' is not under `## Topics`: made from its name only")
    names = ProjectNames(projects)
    recommendations = [_point_at_project(record, names, root) for record, root in drafts.recommendations]
    if links_lost is not None:
        recommendations = [_lost_url(item, links_lost) for item in recommendations]
    by_title = {session.title.casefold(): session.slug for session in sessions}
    top_three = _top_three_slugs(reading, drafts.top_three, by_title)
    mentions = []
    for title, line, place, source in drafts.mentions:
        mentioned = by_title.get(title.casefold())
        if mentioned is None:
            reading.error(line, f"the Top 3 entry {title!r} names no session of this recap (give its title exactly)")
            continue
        mentions.append(TopThreeMention(mentioned, place, source))
    verdict = None
    if header.verdict is not None:
        verdict = reading.trace.note(header.verdict[0], header.verdict[2], curated=header.verdict[1])
    recap = Recap(
        slug=header.slug,
        title=header.title,
        event=header.event,
        city=header.city,
        country=header.country,
        start_date=header.start,
        end_date=header.end,
        verdict=verdict,
        notes=tuple(drafts.notes),
        top_three=top_three,
        changes=header.changes,
        timezone=header.timezone,
        author=header.author,
        source=_title_source(reading, header),
        missing=header.missing,
        top_three_mentions=tuple(mentions),
    )
    dataset = Dataset(
        recap=recap,
        topics=tuple(topics),
        days=tuple(drafts.days),
        sessions=tuple(sessions),
        projects=tuple(projects),
        recommendations=tuple(recommendations),
        documents=documents,
    )
    for problem in check_dataset(dataset):
        kind = "recommendation " + problem.field if problem.record_kind == "recommendation" else problem.record_kind
        line = drafts.lines.get((kind, problem.key)) or drafts.lines.get((problem.record_kind, problem.key), 1)
        reading.error(line, f"{problem.record_kind} '{problem.key}': {problem.field} {problem.reason}")
    return None if reading.errors else dataset


def _title_source(reading: Reading, header: RecapHeader) -> Source:
    """The recap's title in its source, when the source has it; else the title as the recap file gives it."""
    source = reading.trace.source
    line = source.contains(header.title) if source is not None else None
    if line is None or reading.trace.source_document is None:
        return Source(reading.path.name, header.title_line, None if reading.trace.quotes else header.title)
    return Source(reading.trace.source_document, line, header.title)


def _named_only(reading: Reading, name: str, line: int) -> Project:
    reading.warn(line, f"the project '{name}' is not under `## Projects`: made from its name only")
    return Project(
        slug=slugify(name),
        name=name,
        category="UNSPECIFIED",
        description=None,
        topics=(),
        url=None,
        written_as=None,
        source=reading.trace.name_source(name, line, "the project"),
        missing=(),
    )


def _top_three_slugs(
    reading: Reading, entries: list[tuple[str, int]] | None, by_title: dict[str, str]
) -> tuple[str, ...] | None:
    if entries is None:
        return None
    slugs = []
    for title, line in entries:
        slug = by_title.get(title.casefold())
        if slug is None:
            reading.error(line, f"the Top 3 entry {title!r} names no session of this recap (give its title exactly)")
        else:
            slugs.append(slug)
    return tuple(slugs)


def _point_at_project(record: Recommendation, names: ProjectNames, root: bool) -> Recommendation:
    """A root recommendation whose title names exactly one project points at it."""
    named = names.named_in(record.title) if root and record.project is None else None
    return record if named is None else replace(record, project=named)


def _lost_url(record: Linked, lost: Missing) -> Linked:
    """A record without a url, in a recap whose links were lost, says so."""
    if record.url is not None or any(item.field == "url" for item in record.missing):
        return record
    return replace(record, missing=(*record.missing, Missing("url", lost.reason)))
