"""One reading of a recap file in progress: its problems, how its texts are traced, what it has found.

Every part of the reader reports to the same `Reading` and adds to the same `Drafts`; the records
become a `Dataset` only at the end (`assembly.py`), once every problem is known.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from seed.quoting.provenance import Provenance
from seed.recap_format.problems import RecapProblem
from store.records import Day, Note, Project, Recommendation, Session, Source, Topic

Report = Callable[[int, str], None]


class Reading:
    """Where the problems of one recap file go, and how its texts are traced (its source, once read)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[RecapProblem] = []
        self.warnings: list[RecapProblem] = []
        self.trace = Provenance(path.name, None, None, self.error)

    def error(self, line: int, message: str) -> None:
        self.errors.append(RecapProblem(self.path, line, message))

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(RecapProblem(self.path, line, message))


@dataclass
class SessionDraft:
    """A session read but not yet linked: its projects are names until every project is known."""

    session: Session
    line: int
    project_names: tuple[str, ...]
    project_line: int


@dataclass
class Drafts:
    """What the reader has found so far, with the line of every key, for problems found later."""

    days: list[Day] = field(default_factory=list)
    sessions: list[SessionDraft] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    recommendations: list[tuple[Recommendation, bool]] = field(default_factory=list)  # (record, at the root)
    topics: list[Topic] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    top_three: list[tuple[str, int]] | None = None
    mentions: list[tuple[str, int, int | None, Source]] = field(default_factory=list)  # (title, line, place, source)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, key) -> line

    def claim(self, kind: str, key: str, line: int) -> int | None:
        """Keep `line` as where `key` of `kind` is; when it was taken, the line it was first on instead."""
        first = self.lines.get((kind, key))
        if first is None:
            self.lines[kind, key] = line
        return first

    def claim_slug(self, kind: str, slug: str, line: int, report: Report) -> bool:
        """Keep `line` as where the `kind` with `slug` is; False, and an error, when another has it."""
        first = self.claim(kind, slug, line)
        if first is not None:
            report(line, f"a second {kind} with the slug '{slug}': the first is on line {first}")
        return first is None
