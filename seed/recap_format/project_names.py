"""Which project a recommendation's title names: the rule the recap format gives root recommendations.

A title names a project when the project's name appears in it as whole words (case and
punctuation aside): `explore: Kyverno policies` names Kyverno. A title naming several projects
names none. The reader applies the rule; the writer uses it to know when to spell a pointer out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from store.records import Project


def words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z0-9]+", text.casefold()))


class ProjectNames:
    """The projects of one recap by the words of their names."""

    def __init__(self, projects: Iterable[Project]) -> None:
        self._by_words: dict[tuple[str, ...], set[str]] = {}
        for project in projects:
            key = words(project.name)
            if key:
                self._by_words.setdefault(key, set()).add(project.slug)
        self._longest = max((len(key) for key in self._by_words), default=0)

    def named_in(self, title: str) -> str | None:
        """The slug of the one project `title` names, or None (none, or several)."""
        title_words = words(title)
        found: set[str] = set()
        for length in range(1, min(self._longest, len(title_words)) + 1):
            for start in range(len(title_words) - length + 1):
                found |= self._by_words.get(title_words[start : start + length], set())
        return next(iter(found)) if len(found) == 1 else None
