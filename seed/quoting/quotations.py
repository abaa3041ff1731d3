"""Finding a recap's quotations in its source text, as a reader checking a quotation would.

A quotation may leave words out ("…" or "...") and put words in ([brackets]), as quotations do;
what is left must stand in the source in that order. Whitespace and typographic quotes do not
count (a line break in the source is a space; “ and " are the same mark). A found quotation
gives the 1-based line of the source where it starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
_INSERTION = re.compile(r"\[[^\[\]]*\]")
_ELISION = re.compile(r"\u2026|\.\.\.")


def normalized(text: str) -> str:
    """`text` with typographic quotes made plain and every run of white space one space."""
    return " ".join(text.translate(_MARKS).split())


def segments(quotation: str) -> list[str]:
    """The runs of a quotation's own words: insertions dropped, split where words were left out."""
    without_insertions = _INSERTION.sub("\u2026", quotation)
    return [part for part in (normalized(piece) for piece in _ELISION.split(without_insertions)) if part]


@dataclass(frozen=True, slots=True)
class Found:
    """Where a quotation stands: the line it starts on."""

    line: int


@dataclass(frozen=True, slots=True)
class Missing:
    """A quotation that is not in the source: its first run of words that could not be found."""

    words: str


class SourceText:
    """A source document, searchable for quotations."""

    def __init__(self, text: str) -> None:
        self.text = text
        characters: list[str] = []
        lines: list[int] = []
        line = 1
        pending_space = False
        for character in text.translate(_MARKS):
            if character.isspace():
                pending_space = bool(characters)
            else:
                if pending_space:
                    characters.append(" ")
                    lines.append(line)
                    pending_space = False
                characters.append(character)
                lines.append(line)
            if character == "\n":
                line += 1
        self._flat = "".join(characters)
        self._lines = lines

    def find(self, quotation: str) -> Found | Missing:
        """Where `quotation` starts in the text, or its first run of words that is not there."""
        parts = segments(quotation)
        if not parts:
            return Missing(quotation)
        start = None
        position = 0
        for part in parts:
            found = self._flat.find(part, position)
            if found < 0:
                return Missing(part)
            if start is None:
                start = found
            position = found + len(part)
        assert start is not None
        return Found(self._lines[start])

    def contains(self, words: str) -> int | None:
        """The line where `words` first stand (case aside), or None."""
        found = self._flat.casefold().find(normalized(words).casefold())
        return self._lines[found] if found >= 0 else None
