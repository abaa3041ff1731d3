"""Writing a recap's records as a file in the recap format: what `recapql export` prints.

The output reads as a post and imports back to the same records: every slug, pointer and
name that the reader would not derive by itself is written out as metadata, and text is
escaped wherever Markdown would read it as markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import yaml

from seed.project_names import ProjectNames
from seed.recap_reader import RECOMMENDATION_KINDS, SESSION_KINDS, slugify
from store import Dataset
from store.records import Project, Recommendation, Session, Topic

_KIND_NAMES = {value: name for name, value in SESSION_KINDS.items()}
_RECOMMENDATION_NAMES = {value: name for name, value in RECOMMENDATION_KINDS.items()}
# Every character CommonMark may read as markup inside a line, and what may start a block.
_INLINE_MARKUP = re.compile(r"([\\`*_\[\]<>&!])")
_BLOCK_START = re.compile(r"^(\s*)([-+#>=|~]|\d+(?=[.)]))")


def write_recap(dataset: Dataset) -> str:
    """The recap as Markdown with YAML front matter."""
    recap = dataset.recap
    parts = [_front_matter(dataset), f"# {escape_heading(recap.title)}"]
    if recap.takeaways:
        parts.append("## Takeaways\n\n" + _bullets(recap.takeaways))
    if recap.top_three is not None:
        titles = {session.slug: session.title for session in dataset.sessions}
        parts.append(
            "## Top 3\n\n"
            + "\n".join(f"{number}. {escape(titles[slug])}" for number, slug in enumerate(recap.top_three, 1))
        )
    by_day: dict[object, list[Session]] = {}
    for session in dataset.sessions:
        by_day.setdefault(session.day, []).append(session)
    references = _project_references(dataset.projects)
    names = ProjectNames(dataset.projects)
    under_sessions = _under_sessions(dataset)
    pointing: dict[str, list[Recommendation]] = {}
    for item in dataset.recommendations:
        if item.slug in under_sessions and item.session is not None:
            pointing.setdefault(item.session, []).append(item)
    for day in sorted(dataset.days, key=lambda day: day.date):
        parts.append(f"## {escape_heading(day.title)} ({day.date.isoformat()})")
        for session in by_day.get(day.date, []):
            parts.append(_session(session, references, names, pointing.get(session.slug, [])))
    if dataset.projects:
        parts.append("## Projects\n\n" + "\n".join(_project(project) for project in dataset.projects))
    root = [item for item in dataset.recommendations if item.slug not in under_sessions]
    if root:
        written = (_recommendation(item, names, root=True) for item in root)
        parts.append("## Recommendations\n\n" + "\n".join(written))
    if dataset.topics:
        parts.append("## Topics\n\n" + "\n".join(_topic(topic) for topic in dataset.topics))
    return "\n\n".join(parts) + "\n"


def escape(text: str) -> str:
    """`text` as Markdown that a CommonMark parser reads back as exactly `text`."""
    escaped = _INLINE_MARKUP.sub(r"\\\1", text)
    return _BLOCK_START.sub(lambda found: found.group(1) + _escape_start(found.group(2)), escaped, count=1)


def escape_heading(text: str) -> str:
    """`text` as a heading's text: escaped, and every `#` too (a trailing ` #` would close the heading)."""
    return re.sub(r"(?<!\\)#", r"\\#", escape(text))


def _escape_start(start: str) -> str:
    # "1." or "1)" would open an ordered list: escape the punctuation after the digits.
    if start.isdigit():
        return start + "\\"
    return "\\" + start


def _front_matter(dataset: Dataset) -> str:
    recap = dataset.recap
    values: dict[str, object] = {
        "slug": recap.slug,
        "event": recap.event,
        "city": recap.city,
        "country": recap.country,
        "start": recap.start_date,
        "end": recap.end_date,
    }
    for key, value in (("timezone", recap.timezone), ("author", recap.author), ("verdict", recap.verdict)):
        if value is not None:
            values[key] = value
    if recap.changes:
        values["changes"] = [{"date": change.date, "description": change.description} for change in recap.changes]
    text = yaml.safe_dump({"title": recap.title, "recap": values}, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{text}---"


def _session(session: Session, references: dict[str, str], names: ProjectNames, pointing: list[Recommendation]) -> str:
    meta = [("kind", _KIND_NAMES[session.kind])]
    for key, values in (
        ("speakers", session.speakers),
        ("organizations", session.organizations),
        ("topics", session.topics),
        ("projects", tuple(references[slug] for slug in session.projects)),
    ):
        if values:
            meta.append((key, ", ".join(values)))
    if session.verdict is not None:
        meta.append(("verdict", session.verdict))
    if session.slug != slugify(session.title):
        meta.append(("slug", session.slug))
    parts = [f"### {escape_heading(session.title)}", "\n".join(f"- {key}: {escape(value)}" for key, value in meta)]
    if session.summary is not None:
        parts.append(escape(session.summary))
    if session.takeaways:
        # Without a summary between them, `*` keeps the takeaways a list of their own.
        parts.append(_bullets(session.takeaways, marker="-" if session.summary is not None else "*"))
    if pointing:
        written = (_recommendation(item, names, root=False) for item in pointing)
        parts.append("#### Recommendations\n\n" + "\n".join(written))
    return "\n\n".join(parts)


def _project_references(projects: Iterable[Project]) -> dict[str, str]:
    """How a session names each project: by its name, unless the name would not find it (then its slug)."""
    projects = list(projects)
    claimed: dict[str, int] = {}
    for project in projects:
        for key in {project.name.casefold(), project.slug}:
            claimed[key] = claimed.get(key, 0) + 1
    return {
        project.slug: project.name
        if "," not in project.name and claimed[project.name.casefold()] == 1
        else project.slug
        for project in projects
    }


def _project(project: Project) -> str:
    name = escape(project.name)
    line = f"- **[{name}]({project.url})**" if project.url else f"- **{name}**"
    line += f" ({project.category.lower()})"
    if project.description is not None:
        line += f" — {escape(project.description)}"
    meta = []
    if project.slug != slugify(project.name):
        meta.append(("slug", project.slug))
    if project.topics:
        meta.append(("topics", ", ".join(project.topics)))
    return line + "".join(f"\n  - {key}: {escape(value)}" for key, value in meta)


def _recommendation(item: Recommendation, names: ProjectNames, *, root: bool) -> str:
    title = escape(item.title)
    line = f"- {_RECOMMENDATION_NAMES[item.kind]}: " + (f"[{title}]({item.url})" if item.url else title)
    if item.reason is not None:
        line += f" — {escape(item.reason)}"
    meta = []
    if item.slug != slugify(f"{_RECOMMENDATION_NAMES[item.kind]} {item.title}"):
        meta.append(("slug", item.slug))
    if root and item.session is not None:
        meta.append(("session", item.session))
    if not root and item.project is not None:
        meta.append(("project", item.project))
    elif root and names.named_in(item.title) != item.project:
        meta.append(("project", item.project or "-"))
    return line + "".join(f"\n  - {key}: {escape(value)}" for key, value in meta)


def _topic(topic: Topic) -> str:
    line = f"- **{escape(topic.name)}**"
    return line + (f" — {escape(topic.description)}" if topic.description is not None else "")


def _under_sessions(dataset: Dataset) -> set[str]:
    """The recommendations written under their session's `#### Recommendations`.

    The reader lists those first, session by session, then the root section's: when that would
    change the recap's order of recommendations, every one is written at the root instead.
    """
    under = {item.slug for item in dataset.recommendations if item.session is not None}
    position = {session.slug: number for number, session in enumerate(dataset.sessions)}
    placed = sorted(
        (item for item in dataset.recommendations if item.slug in under), key=lambda item: position[item.session or ""]
    )
    read_back = [*placed, *(item for item in dataset.recommendations if item.slug not in under)]
    return under if read_back == list(dataset.recommendations) else set()


def _bullets(texts: Iterable[str], marker: str = "-") -> str:
    lines = []
    for text in texts:
        first, *nested = text.split("\n")
        lines.append(f"{marker} {escape(first)}")
        lines += [f"  {_nested(line)}" for line in nested]
    return "\n".join(lines)


def _nested(line: str) -> str:
    """A nested item as the reader wrote it (`- …` or `1. …`), its text escaped."""
    ordered = re.match(r"^(\d+)\. (.*)$", line)
    if ordered:
        return f"{ordered.group(1)}. {escape(ordered.group(2))}"
    return f"- {escape(line.removeprefix('- '))}"
