"""Reading a recap written in the recap format (docs/recap-format.md) into store records.

The file is Markdown with YAML front matter: `##` headings are days (or reserved sections),
`###` headings under a day are sessions. Every problem is collected with its line; any error
means no dataset at all, so a half-read recap can never reach a store.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seed.front_matter import FrontMatter, FrontMatterError, split_front_matter
from seed.markdown_blocks import Block, Heading, Inline, Item, ListBlock, Other, Paragraph, parse_blocks, sections
from seed.project_names import ProjectNames
from seed.recap_problems import InvalidRecap, RecapProblem
from store import Dataset, check_dataset
from store.records import Change, Day, Project, Recap, Recommendation, Session, Topic

SESSION_KINDS = {
    "keynote": "KEYNOTE",
    "talk": "TALK",
    "bof": "BOF",
    "workshop": "WORKSHOP",
    "lightning talks": "LIGHTNING_TALKS",
    "deep dive": "DEEP_DIVE",
}
RECOMMENDATION_KINDS = {
    "watch": "WATCH",
    "read": "READ",
    "explore": "EXPLORE",
    "practice": "PRACTICE",
    "buzzword": "BUZZWORD",
}
PROJECT_CATEGORIES = ("PROJECT", "SPECIFICATION", "TOOL", "SERVICE", "FEATURE")
SESSION_KEYS = ("kind", "speakers", "organizations", "topics", "projects", "verdict", "slug")
PROJECT_KEYS = ("slug", "topics")
RECOMMENDATION_KEYS = ("slug", "session", "project")
RESERVED = ("takeaways", "top 3", "projects", "recommendations", "topics")
REQUIRED_RECAP_KEYS = ("event", "city", "country", "start", "end")
OPTIONAL_RECAP_KEYS = ("slug", "verdict", "timezone", "author", "changes")

_DAY_HEADING = re.compile(r"^(?P<title>.*\S)\s*\((?P<date>[^()]*)\)$")
_META_ITEM = re.compile(r"^(?P<key>[A-Za-z][A-Za-z ]{0,23}):\s*(?P<value>.*)$", re.DOTALL)
_SEPARATORS = (" \u2014 ", " \u2013 ", " -- ")  # an em dash, an en dash, or two hyphens
_SESSION_BEFORE_DAY = "expected a session heading `### <title>` under a day `## <title> (YYYY-MM-DD)`"
_BAD_SLUG = "expected `slug:` of lowercase letters, digits and dashes, got {slug!r}"
_CATEGORY = re.compile(r"^\((?P<category>[^()]*)\)\s*")


def slugify(text: str) -> str:
    """A URL-friendly key: `What Does “Production Ready” Mean?` → `what-does-production-ready-mean`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass(frozen=True, slots=True)
class ImportedRecap:
    """A recap read whole: its records, the file it came from, and what was ignored on the way."""

    path: Path
    dataset: Dataset
    warnings: tuple[RecapProblem, ...]


def read_recap(path: Path) -> ImportedRecap:
    """Read and check the recap file at `path`; `InvalidRecap` lists every error with its line."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InvalidRecap([RecapProblem(path, 1, f"cannot be read: {error.strerror or error}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InvalidRecap([RecapProblem(path, line, "expected UTF-8 text")]) from None
    return parse_recap(text, path)


def parse_recap(text: str, path: Path) -> ImportedRecap:
    """Read the recap in `text` (named `path` in every problem)."""
    reader = _Reader(path)
    dataset = reader.read(text.replace("\r\n", "\n"))
    if reader.errors or dataset is None:
        raise InvalidRecap(reader.errors, reader.warnings)
    return ImportedRecap(path, dataset, tuple(reader.warnings))


@dataclass
class _SessionDraft:
    session: Session
    line: int
    project_names: tuple[str, ...]
    project_lines: int


@dataclass
class _Drafts:
    """What the reader has found so far, with the line of every key, for problems found later."""

    days: list[Day] = field(default_factory=list)
    sessions: list[_SessionDraft] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    recommendations: list[tuple[Recommendation, int, bool]] = field(default_factory=list)  # (record, line, root)
    topics: list[Topic] = field(default_factory=list)
    takeaways: list[str] = field(default_factory=list)
    top_three: list[tuple[str, int]] | None = None
    lines: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, key) -> line


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[RecapProblem] = []
        self.warnings: list[RecapProblem] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append(RecapProblem(self.path, line, message))

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(RecapProblem(self.path, line, message))

    # The whole file -----------------------------------------------------------------------

    def read(self, text: str) -> Dataset | None:
        try:
            front = split_front_matter(text)
        except FrontMatterError as error:
            self.error(error.line, error.message)
            return None
        header = self._front_matter(front)
        blocks = parse_blocks(front.body, first_line=front.body_line)
        before, parts = sections(blocks, level=2)
        for block in before:
            if isinstance(block, Heading) and block.level == 1:
                continue  # the post's own title: the front matter's `title` is the one used
            if isinstance(block, Heading) and block.level >= 3:
                self.error(block.line, _SESSION_BEFORE_DAY)
                continue
            self.warn(block.line, "ignored: text before the first day or section (`## …`)")
        drafts = _Drafts()
        day_range = (header["start"], header["end"]) if header else None
        for part in parts:
            name = part.heading.inline.text
            if name.casefold() in RESERVED:
                self._reserved(name.casefold(), part.heading, part.blocks, drafts)
            else:
                self._day(part.heading, part.blocks, drafts, day_range)
        if header is None or self.errors:
            return None
        return self._dataset(header, drafts)

    def _front_matter(self, front: FrontMatter) -> dict[str, Any] | None:
        values = front.values
        title = values.get("title")
        recap = values.get("recap")
        path: tuple[str, ...] = ("recap",)
        if recap is None and isinstance(values.get("params"), dict) and "recap" in values["params"]:
            recap, path = values["params"]["recap"], ("params", "recap")  # Hugo keeps its own keys under params
        ok = True
        if not isinstance(title, str) or not title.strip():
            self.error(front.line_of("title"), "expected a `title:` in the front matter (the recap's title)")
            ok = False
        if not isinstance(recap, dict):
            self.error(
                front.line_of(*path),
                "expected a `recap:` map in the front matter with event, city, country, start and end",
            )
            return None
        header: dict[str, Any] = {"title": title}
        for key in REQUIRED_RECAP_KEYS:
            if key not in recap:
                self.error(front.line_of(*path), f"the `recap:` map needs `{key}:`")
                ok = False
        for key in recap:
            if key not in REQUIRED_RECAP_KEYS and key not in OPTIONAL_RECAP_KEYS:
                known = ", ".join(REQUIRED_RECAP_KEYS + OPTIONAL_RECAP_KEYS)
                self.warn(front.line_of(*path, str(key)), f"ignored: unknown key `{key}` in `recap:` (known: {known})")
        for key in ("event", "city", "country", "slug", "verdict", "timezone", "author"):
            if key in recap:
                value = recap[key]
                if not isinstance(value, str) or not value.strip():
                    self.error(front.line_of(*path, key), f"expected `{key}:` to be text")
                    ok = False
                else:
                    header[key] = value.strip()
        for key in ("start", "end"):
            if key in recap:
                date = _date(recap[key])
                if date is None:
                    self.error(front.line_of(*path, key), f"expected `{key}:` to be a date (YYYY-MM-DD)")
                    ok = False
                header[key] = date
        if ok and header["end"] < header["start"]:
            self.error(front.line_of(*path, "end"), "expected `end:` on or after `start:`")
            ok = False
        header["changes"] = self._changes(recap.get("changes", []), front, (*path, "changes"))
        slug = header.get("slug") or slugify(header.get("event", ""))
        if "slug" in header and slugify(slug) != slug:
            self.error(front.line_of(*path, "slug"), _BAD_SLUG.format(slug=slug))
        header["slug"] = slug
        return header if ok else None

    def _changes(self, changes: Any, front: FrontMatter, path: tuple[str, ...]) -> tuple[Change, ...]:
        if not isinstance(changes, list):
            self.error(front.line_of(*path), "expected `changes:` to be a list of {date, description}")
            return ()
        found = []
        for index, change in enumerate(changes):
            line = front.line_of(*path, str(index))
            date = _date(change.get("date")) if isinstance(change, dict) else None
            description = change.get("description") if isinstance(change, dict) else None
            if date is None or not isinstance(description, str) or not description.strip():
                self.error(line, "expected each change as `- date: YYYY-MM-DD` with a `description:`")
                continue
            found.append(Change(date=date, description=description.strip()))
        return tuple(found)

    # Days and sessions ----------------------------------------------------------------------

    def _day(
        self,
        heading: Heading,
        blocks: Sequence[Block],
        drafts: _Drafts,
        day_range: tuple[datetime.date, datetime.date] | None,
    ) -> None:
        found = _DAY_HEADING.match(heading.inline.text)
        date = _date(found.group("date")) if found else None
        if found is None or date is None:
            self.error(
                heading.line,
                f"expected a day heading `## <title> (YYYY-MM-DD)` or a reserved section "
                f"({', '.join(name.title() for name in RESERVED)}), got `## {heading.inline.text}`",
            )
            return
        assert found is not None
        if day_range is not None and not day_range[0] <= date <= day_range[1]:
            self.error(
                heading.line,
                f"the day {date} is outside the event ({day_range[0]} to {day_range[1]}, "
                "the front matter's start and end)",
            )
            return
        if ("day", date.isoformat()) in drafts.lines:
            self.error(
                heading.line, f"a second day {date}: the first is on line {drafts.lines['day', date.isoformat()]}"
            )
            return
        drafts.lines["day", date.isoformat()] = heading.line
        drafts.days.append(Day(date=date, title=found.group("title").strip()))
        before, parts = sections(blocks, level=3)
        for block in before:
            if isinstance(block, Heading) and block.level > 3:
                self.error(block.line, "expected a session heading `### <title>` before this one")
            elif isinstance(block, Heading):
                self.error(block.line, _SESSION_BEFORE_DAY)
            else:
                self.warn(block.line, "ignored: text under a day before its first session (`### …`)")
        for part in parts:
            self._session(part.heading, part.blocks, date, drafts)

    def _session(self, heading: Heading, blocks: Sequence[Block], date: datetime.date, drafts: _Drafts) -> None:
        title = heading.inline.text
        body, subsections = sections(blocks, level=4)
        rest = list(body)
        meta: dict[str, tuple[str, int]] = {}
        takeaways: list[str] = []
        if rest and isinstance(rest[0], ListBlock):
            meta, others = self._leading_metadata(rest[0], SESSION_KEYS, "session")
            rest = rest[1:]
            if others:
                # The metadata and the takeaways ran together into one list (no summary between them).
                takeaways += [_item_text(item) for item in others if item.inline is not None]
        summary = None
        if not takeaways and rest and isinstance(rest[0], Paragraph):
            summary = rest[0].inline.text
            rest = rest[1:]
        for block in rest:
            if isinstance(block, ListBlock):
                takeaways += [_item_text(item) for item in block.items if item.inline is not None]
            else:
                self.warn(block.line, f"ignored: {_describe(block)} after the session's summary and takeaways")
        kind = "TALK"
        if "kind" in meta:
            value, line = meta["kind"]
            if value.casefold() not in SESSION_KINDS:
                self.error(line, f"expected `kind:` to be one of {', '.join(SESSION_KINDS)}, got {value!r}")
            else:
                kind = SESSION_KINDS[value.casefold()]
        slug = self._slug(meta, title, heading.line)
        if ("session", slug) in drafts.lines:
            first = drafts.lines["session", slug]
            self.error(heading.line, f"a second session with the slug '{slug}': the first is on line {first}")
            return
        drafts.lines["session", slug] = heading.line
        session = Session(
            slug=slug,
            title=title,
            kind=kind,  # type: ignore[arg-type]  # one of SESSION_KINDS' values
            day=date,
            summary=summary,
            takeaways=tuple(takeaways),
            topics=_names(meta, "topics"),
            projects=(),
            speakers=_names(meta, "speakers"),
            organizations=_names(meta, "organizations"),
            verdict=meta["verdict"][0] if "verdict" in meta and meta["verdict"][0] else None,
        )
        projects_line = meta["projects"][1] if "projects" in meta else heading.line
        drafts.sessions.append(_SessionDraft(session, heading.line, _names(meta, "projects"), projects_line))
        for part in subsections:
            if part.heading.inline.text.casefold() == "recommendations":
                self._recommendations(part.blocks, drafts, session=slug)
            else:
                self.warn(
                    part.heading.line, f"ignored: `#### {part.heading.inline.text}` (only `#### Recommendations`)"
                )

    def _leading_metadata(
        self, block: ListBlock, keys: Sequence[str], what: str
    ) -> tuple[dict[str, tuple[str, int]], tuple[Item, ...]]:
        """The list's leading `key: value` items with known keys as metadata, and the items after them.

        An unknown key after a known one is an error (a typo would otherwise become a takeaway).
        """
        found: dict[str, tuple[str, int]] = {}
        for position, item in enumerate(block.items):
            matched = _META_ITEM.match(item.inline.text) if item.inline is not None and not item.children else None
            key = matched.group("key").strip().casefold() if matched else None
            if block.ordered or matched is None or key is None or (key not in keys and not found):
                return found, block.items[position:]
            if key not in keys:
                self.error(item.line, f"unknown {what} key `{key}:` (known: {', '.join(keys)})")
            elif key in found:
                self.error(item.line, f"a second `{key}:`: the first is on line {found[key][1]}")
            else:
                found[key] = (matched.group("value").strip(), item.line)
        return found, ()

    def _metadata(self, block: ListBlock, keys: Sequence[str], what: str) -> dict[str, tuple[str, int]] | None:
        """The list as `key: value` metadata, or None when it is not one (then it is content)."""
        if block.ordered or not block.items:
            return None
        pairs = []
        for item in block.items:
            matched = _META_ITEM.match(item.inline.text) if item.inline is not None else None
            if matched is None or item.children:
                return None
            pairs.append((matched.group("key").strip().casefold(), matched.group("value").strip(), item.line))
        if not any(key in keys for key, _, _ in pairs):
            return None
        found: dict[str, tuple[str, int]] = {}
        for key, value, line in pairs:
            if key not in keys:
                self.error(line, f"unknown {what} key `{key}:` (known: {', '.join(keys)})")
            elif key in found:
                self.error(line, f"a second `{key}:`: the first is on line {found[key][1]}")
            else:
                found[key] = (value, line)
        return found

    def _slug(self, meta: dict[str, tuple[str, int]], name: str, line: int) -> str:
        if "slug" in meta:
            value, slug_line = meta["slug"]
            if not value or slugify(value) != value:
                self.error(slug_line, _BAD_SLUG.format(slug=value))
            return value
        slug = slugify(name)
        if not slug:
            self.error(line, f"cannot make a slug from {name!r}: give one with `slug:`")
        return slug

    # Reserved sections ----------------------------------------------------------------------

    def _reserved(self, name: str, heading: Heading, blocks: Sequence[Block], drafts: _Drafts) -> None:
        if ("section", name) in drafts.lines:
            self.error(
                heading.line,
                f"a second `## {heading.inline.text}`: the first is on line {drafts.lines['section', name]}",
            )
            return
        drafts.lines["section", name] = heading.line
        lists = [block for block in blocks if isinstance(block, ListBlock)]
        for block in blocks:
            if not isinstance(block, ListBlock):
                self.warn(
                    block.line, f"ignored: {_describe(block)} in `## {heading.inline.text}` (only a list is read)"
                )
        if name == "takeaways":
            drafts.takeaways += [_item_text(item) for block in lists for item in block.items if item.inline]
        elif name == "top 3":
            drafts.top_three = [(item.inline.text, item.line) for block in lists for item in block.items if item.inline]
            if not drafts.top_three:
                drafts.top_three = None
                self.warn(heading.line, "the Top 3 section names no session: the recap's Top 3 is left as not given")
        elif name == "projects":
            for block in lists:
                for item in block.items:
                    self._project(item, drafts)
        elif name == "recommendations":
            self._recommendations(blocks, drafts, session=None)
        elif name == "topics":
            for block in lists:
                for item in block.items:
                    self._topic(item, drafts)

    def _project(self, item: Item, drafts: _Drafts) -> None:
        inline = item.inline
        if inline is None or not inline.strong_prefix:
            self.error(item.line, "expected a project as `**<name>** (<category>) — <description>`")
            return
        name = inline.strong_prefix
        rest = inline.text[inline.text.find(name) + len(name) :].strip() if name in inline.text else ""
        category = "PROJECT"
        matched = _CATEGORY.match(rest)
        if matched is not None:
            given = matched.group("category").strip().upper().replace(" ", "_")
            if given not in PROJECT_CATEGORIES:
                choices = ", ".join(category.lower() for category in PROJECT_CATEGORIES)
                self.error(
                    item.line, f"expected the category to be one of {choices}, got {matched.group('category')!r}"
                )
                return
            category = given
            rest = rest[matched.end() :]
        description = _after_separator(rest)
        if rest and description is None:
            self.error(item.line, f"expected ` — ` between the project and its description, got {rest!r}")
            return
        meta = self._nested_metadata(item, PROJECT_KEYS, "project")
        slug = self._slug(meta, name, item.line)
        if ("project", slug) in drafts.lines:
            self.error(
                item.line,
                f"a second project with the slug '{slug}': the first is on line {drafts.lines['project', slug]}",
            )
            return
        drafts.lines["project", slug] = item.line
        drafts.projects.append(
            Project(
                slug=slug,
                name=name,
                category=category,  # type: ignore[arg-type]  # one of PROJECT_CATEGORIES
                description=description or None,
                topics=_names(meta, "topics"),
                url=inline.strong_link.url if inline.strong_link else None,
            )
        )

    def _topic(self, item: Item, drafts: _Drafts) -> None:
        inline = item.inline
        if inline is None or not inline.strong_prefix:
            self.error(item.line, "expected a topic as `**<name>** — <description>`")
            return
        name = inline.strong_prefix
        rest = inline.text[inline.text.find(name) + len(name) :].strip()
        description = _after_separator(rest)
        if rest and description is None:
            self.error(item.line, f"expected ` — ` between the topic and its description, got {rest!r}")
            return
        key = name.casefold()
        if ("topic", key) in drafts.lines:
            self.error(item.line, f"a second topic '{name}': the first is on line {drafts.lines['topic', key]}")
            return
        drafts.lines["topic", key] = item.line
        drafts.topics.append(Topic(name=name, description=description or None))

    def _recommendations(self, blocks: Sequence[Block], drafts: _Drafts, session: str | None) -> None:
        for block in blocks:
            if not isinstance(block, ListBlock):
                self.warn(block.line, f"ignored: {_describe(block)} among the recommendations (only a list is read)")
                continue
            for item in block.items:
                self._recommendation(item, drafts, session)

    def _recommendation(self, item: Item, drafts: _Drafts, session: str | None) -> None:
        inline = item.inline
        matched = _META_ITEM.match(inline.text) if inline is not None else None
        if inline is None or matched is None:
            self.error(item.line, "expected a recommendation as `<kind>: <title> — <reason>`")
            return
        kind_name = matched.group("key").strip().casefold()
        if kind_name not in RECOMMENDATION_KINDS:
            kinds = ", ".join(RECOMMENDATION_KINDS)
            self.error(item.line, f"expected the recommendation's kind to be one of {kinds}, got {kind_name!r}")
            return
        value = matched.group("value").strip()
        title, reason = value, None
        for separator in _SEPARATORS:
            if separator in value:
                title, reason = (part.strip() for part in value.split(separator, 1))
                break
        if not title:
            self.error(item.line, "expected the recommendation's title after its kind")
            return
        url = next((link.url for link in inline.links if link.text.strip() == title), None)
        meta = self._nested_metadata(item, RECOMMENDATION_KEYS, "recommendation")
        kind = RECOMMENDATION_KINDS[kind_name]
        slug = meta["slug"][0] if "slug" in meta else slugify(f"{kind_name} {title}")
        if "slug" in meta and slugify(slug) != slug:
            self.error(meta["slug"][1], _BAD_SLUG.format(slug=slug))
        if ("recommendation", slug) in drafts.lines:
            first = drafts.lines["recommendation", slug]
            self.error(item.line, f"a second recommendation with the slug '{slug}': the first is on line {first}")
            return
        drafts.lines["recommendation", slug] = item.line
        for key in ("session", "project"):
            if key in meta:
                drafts.lines[f"recommendation {key}", slug] = meta[key][1]
        record = Recommendation(
            slug=slug,
            kind=kind,  # type: ignore[arg-type]  # one of RECOMMENDATION_KINDS' values
            title=title,
            reason=reason or None,
            session=meta["session"][0] if "session" in meta else session,
            # `project: -` (a lone dash, never a slug) keeps a root recommendation from pointing at the
            # project its title names.
            project=meta["project"][0] if "project" in meta and meta["project"][0] != "-" else None,
            url=url,
        )
        drafts.recommendations.append((record, item.line, session is None and "project" not in meta))

    def _nested_metadata(self, item: Item, keys: Sequence[str], what: str) -> dict[str, tuple[str, int]]:
        found: dict[str, tuple[str, int]] = {}
        for child in item.children:
            meta = self._metadata(child, keys, what) if isinstance(child, ListBlock) else None
            if meta is None:
                self.warn(
                    child.line,
                    f"ignored: {_describe(child)} under a {what} (only `key: value` items: {', '.join(keys)})",
                )
                continue
            found.update(meta)
        return found

    # Putting it together ----------------------------------------------------------------------

    def _dataset(self, header: dict[str, Any], drafts: _Drafts) -> Dataset | None:
        projects = list(drafts.projects)
        by_name = {project.name.casefold(): project for project in projects} | {
            project.slug: project for project in projects
        }
        sessions = []
        for draft in drafts.sessions:
            slugs = []
            for name in draft.project_names:
                project = by_name.get(name.casefold())
                if project is None:
                    slug = slugify(name)
                    project = Project(
                        slug=slug, name=name, category="UNSPECIFIED", description=None, topics=(), url=None
                    )
                    projects.append(project)
                    by_name[name.casefold()] = by_name[slug] = project
                    drafts.lines["project", slug] = draft.project_lines
                    self.warn(
                        draft.project_lines, f"the project '{name}' is not under `## Projects`: made from its name only"
                    )
                slugs.append(project.slug)
            sessions.append(_replace_projects(draft.session, tuple(dict.fromkeys(slugs))))
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
                    self.warn(line, f"the topic '{name}' is not under `## Topics`: made from its name only")
        names = ProjectNames(projects)
        recommendations = [self._point_at_project(record, names, root) for record, _, root in drafts.recommendations]
        top_three = self._top_three(drafts.top_three, sessions)
        recap = Recap(
            slug=header["slug"],
            title=header["title"].strip(),
            event=header["event"],
            city=header["city"],
            country=header["country"],
            start_date=header["start"],
            end_date=header["end"],
            verdict=header.get("verdict"),
            takeaways=tuple(drafts.takeaways),
            top_three=top_three,
            changes=header["changes"],
            timezone=header.get("timezone"),
            author=header.get("author"),
        )
        dataset = Dataset(
            recap=recap,
            topics=tuple(topics),
            days=tuple(drafts.days),
            sessions=tuple(sessions),
            projects=tuple(projects),
            recommendations=tuple(recommendations),
        )
        for problem in check_dataset(dataset):
            kind = "recommendation " + problem.field if problem.record_kind == "recommendation" else problem.record_kind
            line = drafts.lines.get((kind, problem.key)) or drafts.lines.get((problem.record_kind, problem.key), 1)
            self.error(line, f"{problem.record_kind} '{problem.key}': {problem.field} {problem.reason}")
        return None if self.errors else dataset

    def _point_at_project(self, record: Recommendation, names: ProjectNames, root: bool) -> Recommendation:
        """A root recommendation whose title names exactly one project points at it."""
        named = names.named_in(record.title) if root and record.project is None else None
        if named is None:
            return record
        return Recommendation(
            slug=record.slug,
            kind=record.kind,
            title=record.title,
            reason=record.reason,
            session=record.session,
            project=named,
            url=record.url,
        )

    def _top_three(self, entries: list[tuple[str, int]] | None, sessions: Sequence[Session]) -> tuple[str, ...] | None:
        if entries is None:
            return None
        by_title = {session.title.casefold(): session.slug for session in sessions}
        slugs = []
        for title, line in entries:
            slug = by_title.get(title.casefold())
            if slug is None:
                self.error(line, f"the Top 3 entry {title!r} names no session of this recap (give its title exactly)")
            else:
                slugs.append(slug)
        return tuple(slugs)


def _replace_projects(session: Session, projects: tuple[str, ...]) -> Session:
    return Session(
        slug=session.slug,
        title=session.title,
        kind=session.kind,
        day=session.day,
        summary=session.summary,
        takeaways=session.takeaways,
        topics=session.topics,
        projects=projects,
        speakers=session.speakers,
        organizations=session.organizations,
        verdict=session.verdict,
    )


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return None
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _names(meta: dict[str, tuple[str, int]], key: str) -> tuple[str, ...]:
    if key not in meta:
        return ()
    return tuple(dict.fromkeys(name.strip() for name in meta[key][0].split(",") if name.strip()))


def _after_separator(text: str) -> str | None:
    """The text after a leading ` — ` (an em dash; an en dash or `--` too), '' for no text, None without one."""
    if not text:
        return ""
    for separator in (separator.strip() for separator in _SEPARATORS):
        if text.startswith(separator):
            return text[len(separator) :].strip()
    return None


def _item_text(item: Item) -> str:
    """A list item's text; nested list items follow on lines of their own (`- …` or `1. …`)."""
    assert item.inline is not None
    lines = [item.inline.text]
    for child in item.children:
        if isinstance(child, ListBlock):
            for number, nested in enumerate(child.items, start=1):
                if nested.inline is not None:
                    lines.append(f"{number}. {nested.inline.text}" if child.ordered else f"- {nested.inline.text}")
    return "\n".join(lines)


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.casefold()))


def _describe(block: Block) -> str:
    if isinstance(block, Paragraph):
        return "a paragraph"
    if isinstance(block, ListBlock):
        return "a list"
    if isinstance(block, Heading):
        return f"a level-{block.level} heading"
    assert isinstance(block, Other)
    return {"blockquote": "a quotation", "fence": "a code block", "code_block": "a code block", "hr": "a rule"}.get(
        block.kind, f"a {block.kind.replace('_', ' ')}"
    )


__all__ = ["ImportedRecap", "Inline", "InvalidRecap", "RecapProblem", "parse_recap", "read_recap", "slugify"]
