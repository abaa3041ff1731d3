"""The projects of a recap file: `**<name>** (<category>) — <description>` under `## Projects`.

A link in the bold name gives the project's URL; a nested list may give its slug, topics,
`written as` (the post's spelling, which must stand in the source) and what is missing.
"""

from __future__ import annotations

import re

from seed.markdown.blocks import Item
from seed.recap_format.reader.drafts import Drafts, Reading
from seed.recap_format.reader.metadata import item_metadata, missing_facts, slug_of
from seed.recap_format.reader.notes import after_separator
from seed.recap_format.vocabulary import PROJECT_CATEGORIES, PROJECT_KEYS
from store.records import Project

_CATEGORY = re.compile(r"^\((?P<category>[^()]*)\)\s*")


def read_project(reading: Reading, item: Item, drafts: Drafts) -> None:
    """One item of `## Projects`."""
    inline = item.inline
    if inline is None or not inline.strong_prefix:
        reading.error(item.line, "expected a project as `**<name>** (<category>) — <description>`")
        return
    name = inline.strong_prefix
    offset = inline.text.find(name) + len(name) if name in inline.text else len(inline.text)
    rest = inline.text[offset:]
    category = "PROJECT"
    matched = _CATEGORY.match(rest.strip())
    if matched is not None:
        given = matched.group("category").strip().upper().replace(" ", "_")
        if given not in PROJECT_CATEGORIES:
            choices = ", ".join(category.lower() for category in PROJECT_CATEGORIES)
            given_text = matched.group("category")
            reading.error(item.line, f"expected the category to be one of {choices}, got {given_text!r}")
            return
        category = given
        offset += (len(rest) - len(rest.lstrip())) + matched.end()
    separated, description = after_separator(reading, inline, offset, item.line)
    if not separated:
        got = inline.text[offset:]
        reading.error(item.line, f"expected ` — ` between the project and its description, got {got!r}")
        return
    meta = item_metadata(item, PROJECT_KEYS, "project", reading.error, reading.warn)
    slug = slug_of(meta, name, item.line, reading.error)
    if not drafts.claim_slug("project", slug, item.line, reading.error):
        return
    written_as = meta.text("written as")
    source = reading.trace.name_source(written_as or name, meta.line("written as", item.line), "the project")
    drafts.projects.append(
        Project(
            slug=slug,
            name=name,
            category=category,  # type: ignore[arg-type]  # one of PROJECT_CATEGORIES
            description=description,
            topics=meta.names("topics"),
            url=inline.strong_link.url if inline.strong_link else None,
            written_as=written_as,
            source=source,
            missing=missing_facts(meta, "project", reading.error),
        )
    )
