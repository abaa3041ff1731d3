"""Where each text of a recap comes from: its own words, the curator's, or a quotation of its source.

A recap without a `source:` is its own source: every text is the recap's own words, at its line
of the recap file. A recap that names a source (the original post it was curated from) quotes
it: each text must stand in the source (see `seed.quoting.quotations`), and its `Source` gives the
source's line; a text wholly in `*emphasis*` is the curator's own words, with no quotation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from seed.quoting.quotations import Found, SourceText
from store.records import Note, Source

Report = Callable[[int, str], None]
# A nested item's mark as the recap format writes it (`- ` or `1. `): the source has its own.
_ITEM_MARK = re.compile(r"^(?:- |\d+\. )")


@dataclass(frozen=True, slots=True)
class Provenance:
    """How the texts of one recap file are traced: its file's name, and the source it quotes, if any."""

    recap_document: str
    source_document: str | None
    source: SourceText | None
    report: Report

    @property
    def quotes(self) -> bool:
        """True when texts are quotations of a source (not the recap's own words)."""
        return self.source is not None

    def note(self, text: str, line: int, *, curated: bool) -> Note:
        """`text`, written on `line` of the recap file: a quotation unless `curated` (the curator's words)."""
        return Note(text, self.text_source(text, line, curated=curated))

    def text_source(self, text: str, line: int, *, curated: bool) -> Source:
        if self.source is None:
            return Source(self.recap_document, line, text)
        if curated:
            return Source(self.recap_document, line, None)
        # A note with nested items: each line is quoted on its own (the source's bullets differ).
        first_line: int | None = None
        for part in text.split("\n"):
            words = _ITEM_MARK.sub("", part)
            found = self.source.find(words)
            if not isinstance(found, Found):
                self.report(
                    line,
                    f"the quotation {_short(words)} is not in {self.source_document}: {_short(found.words)} "
                    "is not there (quote the source's own words, with … for words left out and [ ] for "
                    "words put in, or mark the curator's own words with *emphasis*)",
                )
                return Source(self.recap_document, line, None)
            first_line = found.line if first_line is None else first_line
        assert first_line is not None
        assert self.source_document is not None
        return Source(self.source_document, first_line, text)

    def name_source(self, words: str, line: int, what: str) -> Source:
        """Where a name (a title, a project, a speaker) stands in the source, case aside."""
        if self.source is None:
            return Source(self.recap_document, line, words)
        found = self.source.contains(words)
        if found is None:
            self.report(line, f"{what} {_short(words)} is not in {self.source_document}")
            return Source(self.recap_document, line, None)
        assert self.source_document is not None
        return Source(self.source_document, found, words)

    def curated(self, line: int) -> Source:
        """The curator's own words at `line` of the recap file (the recap's own, without a source)."""
        return Source(self.recap_document, line, None)


def _short(text: str, limit: int = 80) -> str:
    return f"“{text}”" if len(text) <= limit else f"“{text[: limit - 1]}…”"
