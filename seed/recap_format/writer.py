"""Writing a recap's records as a file in the recap format: what `recapql export` prints.

The output reads as a post and imports back to the same records: every slug, pointer, name,
source and missing fact that the reader would not derive by itself is written out, the
curator's own words are in `*emphasis*`, and text is escaped wherever Markdown would read it as
markup. Written from the records it wrote, the file comes out the same, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import yaml

from seed.recap_format.project_names import ProjectNames
from seed.recap_format.vocabulary import NO_SPEAKER, RECOMMENDATION_KINDS, SESSION_KINDS, slugify
from store import Dataset
from store.records import Day, Missing, Note, Project, Recommendation, Session, Topic

_KIND_NAMES = {value: name for name, value in SESSION_KINDS.items()}
_RECOMMENDATION_NAMES = {value: name for name, value in RECOMMENDATION_KINDS.items()}
# Every character CommonMark may read as markup inside a line, and what may start a block.
_INLINE_MARKUP = re.compile(r"([\\`*_\[\]<&]|!(?=\[))")
_BLOCK_START = re.compile(r"^(\s*)([-+#>=|~]|\d+(?=[.)]))")


def write_recap(dataset: Dataset) -> str:
    """The recap as Markdown with YAML front matter."""
    writer = _Writer(dataset)
    return writer.write()


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


class _Writer:
    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        recap_file = dataset.documents[0].name if dataset.documents else None
        self.source_name = next((doc.name for doc in dataset.documents if doc.name != recap_file), None)
        self.references = _project_references(dataset.projects)
        self.names = ProjectNames(dataset.projects)
        self.links_lost = next((item for item in dataset.recap.missing if item.field == "links"), None)

    def text(self, note: Note) -> str:
        """A note's text, in *emphasis* when it is the curator's own words in a recap that quotes a source."""
        escaped = escape(note.text)
        return f"*{escaped}*" if self.source_name is not None and note.source.quote is None else escaped

    def write(self) -> str:
        dataset = self.dataset
        recap = dataset.recap
        parts = [self._front_matter(), f"# {escape_heading(recap.title)}"]
        if recap.notes:
            parts.append("## Takeaways\n\n" + self._bullets(recap.notes))
        top_three = self._top_three()
        if top_three:
            parts.append(top_three)
        by_day: dict[object, list[Session]] = {}
        for session in dataset.sessions:
            by_day.setdefault(session.day, []).append(session)
        under_sessions = _under_sessions(dataset)
        pointing: dict[str, list[Recommendation]] = {}
        for item in dataset.recommendations:
            if item.slug in under_sessions and item.session is not None:
                pointing.setdefault(item.session, []).append(item)
        for day in sorted(dataset.days, key=lambda day: day.date):
            parts.append(self._day(day))
            for session in by_day.get(day.date, []):
                parts.append(self._session(session, pointing.get(session.slug, [])))
        if dataset.projects:
            parts.append("## Projects\n\n" + "\n".join(self._project(project) for project in dataset.projects))
        root = [item for item in dataset.recommendations if item.slug not in under_sessions]
        if root:
            written = (self._recommendation(item, root=True) for item in root)
            parts.append("## Recommendations\n\n" + "\n".join(written))
        if dataset.topics:
            parts.append("## Topics\n\n" + "\n".join(self._topic(topic) for topic in dataset.topics))
        return "\n\n".join(parts) + "\n"

    def _front_matter(self) -> str:
        recap = self.dataset.recap
        values: dict[str, object] = {
            "slug": recap.slug,
            "event": recap.event,
            "city": recap.city,
            "country": recap.country,
            "start": recap.start_date,
            "end": recap.end_date,
        }
        for key, value in (("timezone", recap.timezone), ("author", recap.author)):
            if value is not None:
                values[key] = value
        if recap.verdict is not None:
            curated = self.source_name is not None and recap.verdict.source.quote is None
            values["verdict"] = f"*{recap.verdict.text}*" if curated else recap.verdict.text
        if recap.changes:
            values["changes"] = [{"date": change.date, "description": change.description} for change in recap.changes]
        if self.source_name is not None:
            values["source"] = self.source_name
        if recap.missing:
            values["missing"] = [{"field": item.field, "reason": item.reason} for item in recap.missing]
        text = yaml.safe_dump({"title": recap.title, "recap": values}, sort_keys=False, allow_unicode=True, width=100)
        return f"---\n{text}---"

    def _top_three(self) -> str:
        recap = self.dataset.recap
        if recap.top_three is None and not recap.top_three_mentions:
            return ""
        titles = {session.slug: session.title for session in self.dataset.sessions}
        lines = [f"{number}. {escape(titles[slug])}" for number, slug in enumerate(recap.top_three or (), 1)]
        if lines and recap.top_three_mentions:
            lines.append("")  # an ordered and an unordered list, apart
        for mention in recap.top_three_mentions:
            lines.append(f"- {escape(titles[mention.session])}")
            lines.append(f"  - from: “{escape(mention.source.quote or '')}”")
            if mention.place is not None:
                lines.append(f"  - place: {mention.place}")
        return "## Top 3\n\n" + "\n".join(lines)

    def _day(self, day: Day) -> str:
        heading = f"## {escape_heading(day.title)} ({day.date.isoformat()})"
        quotes = [source.quote for item in day.inferred if item.field == "date" for source in item.sources]
        if not quotes:
            return heading
        return heading + "\n\n- date from: " + ", ".join(f"“{escape(quote or '')}”" for quote in quotes)

    def _session(self, session: Session, pointing: list[Recommendation]) -> str:
        meta = [("kind", escape(_KIND_NAMES[session.kind]))]
        if session.time is not None:
            meta.append(("time", f"{session.time.start:%H:%M}\u2013{session.time.end:%H:%M}"))
        for key, values in (
            ("speakers", session.speakers),
            ("organizations", session.organizations),
            ("topics", session.topics),
            ("projects", tuple(self.references[slug] for slug in session.projects)),
        ):
            if values:
                meta.append((key, escape(", ".join(values))))
        if session.verdict is not None:
            meta.append(("verdict", self.text(session.verdict)))
        if session.slug != slugify(session.title):
            meta.append(("slug", escape(session.slug)))
        meta += self._missing(
            session.missing, automatic=Missing("speakers", NO_SPEAKER) if not session.speakers else None
        )
        parts = [f"### {escape_heading(session.title)}", "\n".join(f"- {key}: {value}" for key, value in meta)]
        if session.summary is not None:
            parts.append(self.text(session.summary))
        if session.notes:
            # Without a summary between them, `*` keeps the notes a list of their own.
            parts.append(self._bullets(session.notes, marker="-" if session.summary is not None else "*"))
        if pointing:
            written = (self._recommendation(item, root=False) for item in pointing)
            parts.append("#### Recommendations\n\n" + "\n".join(written))
        return "\n\n".join(parts)

    def _missing(self, missing: Iterable[Missing], automatic: Missing | None) -> list[tuple[str, str]]:
        """`missing:` items for what the reader would not add by itself."""
        return [
            ("missing", f"{escape(item.field)} — {escape(item.reason)}")
            for item in missing
            if item != automatic
            and not (self.links_lost is not None and item == Missing("url", self.links_lost.reason))
        ]

    def _project(self, project: Project) -> str:
        name = escape(project.name)
        line = f"- **[{name}]({project.url})**" if project.url else f"- **{name}**"
        line += f" ({project.category.lower()})"
        if project.description is not None:
            line += f" — {self.text(project.description)}"
        meta = []
        if project.slug != slugify(project.name):
            meta.append(("slug", escape(project.slug)))
        if project.written_as is not None:
            meta.append(("written as", escape(project.written_as)))
        if project.topics:
            meta.append(("topics", escape(", ".join(project.topics))))
        meta += self._missing(project.missing, automatic=None)
        return line + "".join(f"\n  - {key}: {value}" for key, value in meta)

    def _recommendation(self, item: Recommendation, *, root: bool) -> str:
        title = escape(item.title)
        if self.source_name is not None and item.source.quote != item.title:
            title = f"*{title}*"  # the curator's label for what the recap points at
        line = f"- {_RECOMMENDATION_NAMES[item.kind]}: " + (f"[{title}]({item.url})" if item.url else title)
        if item.reason is not None:
            line += f" — {self.text(item.reason)}"
        meta = []
        if item.slug != slugify(f"{_RECOMMENDATION_NAMES[item.kind]} {item.title}"):
            meta.append(("slug", escape(item.slug)))
        if root and item.session is not None:
            meta.append(("session", escape(item.session)))
        if not root and item.project is not None:
            meta.append(("project", escape(item.project)))
        elif root and self.names.named_in(item.title) != item.project:
            meta.append(("project", escape(item.project or "-")))
        meta += self._missing(item.missing, automatic=None)
        return line + "".join(f"\n  - {key}: {value}" for key, value in meta)

    def _topic(self, topic: Topic) -> str:
        line = f"- **{escape(topic.name)}**"
        return line + (f" — {self.text(topic.description)}" if topic.description is not None else "")

    def _bullets(self, notes: Iterable[Note], marker: str = "-") -> str:
        lines = []
        for note in notes:
            first, *nested = note.text.split("\n")
            curated = self.source_name is not None and note.source.quote is None
            if curated and nested:
                raise ValueError("a curated note cannot hold nested items")  # the reader never makes one
            lines.append(f"{marker} {self.text(Note(first, note.source))}")
            lines += [f"  {_nested(line)}" for line in nested]
        return "\n".join(lines)


def _project_references(projects: Iterable[Project]) -> dict[str, str]:
    """How a session names each project: by its name, unless the name would not find it (then its slug)."""
    projects = list(projects)
    claimed: dict[str, int] = {}
    for project in projects:
        for key in {project.name.casefold(), project.slug}:
            claimed[key] = claimed.get(key, 0) + 1
    usable = {project.slug for project in projects if "," not in project.name and claimed[project.name.casefold()] == 1}
    return {project.slug: project.name if project.slug in usable else project.slug for project in projects}


def _under_sessions(dataset: Dataset) -> set[str]:
    """The recommendations written under their session's `#### Recommendations`.

    The reader lists those first, session by session, then the root section's: the leading run
    of recommendations that point at sessions in session order goes under them; the rest, at the
    root, name their session with `session:`. The recap's order of recommendations is kept.
    """
    position = {session.slug: number for number, session in enumerate(dataset.sessions)}
    under: set[str] = set()
    last = -1
    for item in dataset.recommendations:
        if item.session is None or position[item.session] < last:
            break
        under.add(item.slug)
        last = position[item.session]
    return under


def _nested(line: str) -> str:
    """A nested item as the reader wrote it (`- …` or `1. …`), its text escaped."""
    ordered = re.match(r"^(\d+)\. (.*)$", line)
    if ordered:
        return f"{ordered.group(1)}. {escape(ordered.group(2))}"
    return f"- {escape(line.removeprefix('- '))}"
