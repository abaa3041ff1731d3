"""The texts of a recap file as notes: a paragraph, a list item with its nested items, the words after ` — `.

Each note is traced where it is read (`Reading.trace`): the recap's own words, the curator's
(`*emphasis*`), or a quotation of the source, which a problem names when it is not there.
"""

from __future__ import annotations

from seed.markdown.blocks import Inline, Item, ListBlock
from seed.recap_format.reader.drafts import Reading
from seed.recap_format.vocabulary import SEPARATORS
from store.records import Note


def note(reading: Reading, inline: Inline, line: int) -> Note:
    return reading.trace.note(inline.text, line, curated=inline.emphasised)


def item_note(reading: Reading, item: Item) -> Note:
    """A list item's note; nested list items follow on lines of their own (`- …` or `1. …`)."""
    assert item.inline is not None
    lines = [item.inline.text]
    for child in item.children:
        if isinstance(child, ListBlock):
            for number, nested in enumerate(child.items, start=1):
                if nested.inline is not None:
                    lines.append(f"{number}. {nested.inline.text}" if child.ordered else f"- {nested.inline.text}")
    return reading.trace.note("\n".join(lines), item.line, curated=item.inline.emphasised)


def after_separator(reading: Reading, inline: Inline, offset: int, line: int) -> tuple[bool, Note | None]:
    """Whether ` — ` (or nothing) follows `offset`, and the note after it (None for no text)."""
    text = inline.text[offset:]
    if not text.strip():
        return True, None
    stripped = text.lstrip()
    for separator in (separator.strip() for separator in SEPARATORS):
        if stripped.startswith(separator):
            start = offset + (len(text) - len(stripped)) + len(separator)
            words = inline.text[start:].strip()
            if not words:
                return True, None
            return True, reading.trace.note(words, line, curated=inline.emphasised_after(start))
    return False, None
