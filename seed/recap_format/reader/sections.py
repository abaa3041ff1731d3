"""The reserved sections of a recap file: `## Takeaways`, `## Top 3`, `## Projects`,
`## Recommendations` and `## Topics` (any case), each a list; each may be given once.

The Top 3 is an ordered list of session titles, or, where the post lost it, unordered items
naming sessions with the words that place them (`from: “…”`), linked to sessions at the end.
"""

from __future__ import annotations

from collections.abc import Sequence

from seed.markdown.blocks import Block, Heading, Item, ListBlock, describe
from seed.recap_format.reader.drafts import Drafts, Reading
from seed.recap_format.reader.metadata import Metadata, nested_metadata
from seed.recap_format.reader.notes import after_separator, item_note
from seed.recap_format.reader.projects import read_project
from seed.recap_format.reader.recommendations import read_recommendations
from seed.recap_format.vocabulary import QUOTED, TOP_THREE_KEYS
from store.records import Topic


def read_section(reading: Reading, name: str, heading: Heading, blocks: Sequence[Block], drafts: Drafts) -> None:
    """The reserved section `name` (one of `RESERVED`, casefolded) under `heading`."""
    first = drafts.claim("section", name, heading.line)
    if first is not None:
        reading.error(heading.line, f"a second `## {heading.inline.text}`: the first is on line {first}")
        return
    lists = [block for block in blocks if isinstance(block, ListBlock)]
    for block in blocks:
        if not isinstance(block, ListBlock):
            where = f"`## {heading.inline.text}`"
            reading.warn(block.line, f"ignored: {describe(block)} in {where} (only a list is read)")
    if name == "takeaways":
        drafts.notes += [item_note(reading, item) for block in lists for item in block.items if item.inline]
    elif name == "top 3":
        _top_three(reading, heading, lists, drafts)
    elif name == "projects":
        for block in lists:
            for item in block.items:
                read_project(reading, item, drafts)
    elif name == "recommendations":
        read_recommendations(reading, blocks, drafts, session=None)
    elif name == "topics":
        for block in lists:
            for item in block.items:
                _topic(reading, item, drafts)


def _top_three(reading: Reading, heading: Heading, lists: Sequence[ListBlock], drafts: Drafts) -> None:
    ordered = [(item.inline.text, item.line) for block in lists if block.ordered for item in block.items if item.inline]
    drafts.top_three = ordered or None
    for block in lists:
        if block.ordered:
            continue
        for item in block.items:
            # An unordered item: a session the text places in the Top 3, with the words that say so.
            if item.inline is None:
                continue
            meta = Metadata()
            for child in item.children:
                found = (
                    nested_metadata(child, TOP_THREE_KEYS, "Top 3", reading.error)
                    if isinstance(child, ListBlock)
                    else None
                )
                meta = found if found is not None else meta
            words = meta.get("from")
            if words is None:
                reading.error(
                    item.line, "expected a `from: “…”` under a Top 3 entry without a place: the words that say so"
                )
                continue
            place_text = meta.text("place")
            place = int(place_text) if place_text and place_text.isdigit() else None
            if place_text and place is None:
                reading.error(meta.line("place", item.line), f"expected `place:` to be 1, 2 or 3, got {place_text!r}")
            quote = QUOTED.search(words.text)
            source = reading.trace.text_source(quote.group("words") if quote else words.text, words.line, curated=False)
            drafts.mentions.append((item.inline.text, item.line, place, source))
    if not ordered and not drafts.mentions:
        reading.warn(heading.line, "the Top 3 section names no session: the recap's Top 3 is left as not given")


def _topic(reading: Reading, item: Item, drafts: Drafts) -> None:
    inline = item.inline
    if inline is None or not inline.strong_prefix:
        reading.error(item.line, "expected a topic as `**<name>** — <description>`")
        return
    name = inline.strong_prefix
    offset = inline.text.find(name) + len(name)
    separated, description = after_separator(reading, inline, offset, item.line)
    if not separated:
        got = inline.text[offset:]
        reading.error(item.line, f"expected ` — ` between the topic and its description, got {got!r}")
        return
    first = drafts.claim("topic", name.casefold(), item.line)
    if first is not None:
        reading.error(item.line, f"a second topic '{name}': the first is on line {first}")
        return
    drafts.topics.append(Topic(name=name, description=description))
