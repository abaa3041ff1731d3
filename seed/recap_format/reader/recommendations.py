"""The recommendations of a recap file: `<kind>: <title> — <reason>`, under `## Recommendations`
or under a session's `#### Recommendations` (which points them at that session).

A nested list may give the slug, the session, the project (`-` for none) and what is missing;
which project a root recommendation's title names is settled once every project is known.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from seed.markdown.blocks import Block, Item, ListBlock, describe
from seed.recap_format.reader.drafts import Drafts, Reading
from seed.recap_format.reader.metadata import item_metadata, missing_facts
from seed.recap_format.reader.notes import after_separator
from seed.recap_format.vocabulary import BAD_SLUG, RECOMMENDATION_KEYS, RECOMMENDATION_KINDS, SEPARATORS, slugify
from store.records import Recommendation

_KIND_PREFIX = re.compile(r"^(?P<key>[A-Za-z][A-Za-z ]{0,23}):\s*")


def read_recommendations(reading: Reading, blocks: Sequence[Block], drafts: Drafts, session: str | None) -> None:
    """Each item of the lists in `blocks`; `session` is the slug they point at (None at the root)."""
    for block in blocks:
        if not isinstance(block, ListBlock):
            reading.warn(block.line, f"ignored: {describe(block)} among the recommendations (only a list is read)")
            continue
        for item in block.items:
            _recommendation(reading, item, drafts, session)


def _recommendation(reading: Reading, item: Item, drafts: Drafts, session: str | None) -> None:
    inline = item.inline
    matched = _KIND_PREFIX.match(inline.text) if inline is not None else None
    if inline is None or matched is None:
        reading.error(item.line, "expected a recommendation as `<kind>: <title> — <reason>`")
        return
    kind_name = matched.group("key").strip().casefold()
    if kind_name not in RECOMMENDATION_KINDS:
        kinds = ", ".join(RECOMMENDATION_KINDS)
        reading.error(item.line, f"expected the recommendation's kind to be one of {kinds}, got {kind_name!r}")
        return
    value = inline.text[matched.end() :]
    title, reason = value.strip(), None
    for separator in SEPARATORS:
        if separator in value:
            title = value.split(separator, 1)[0].strip()
            reason = after_separator(reading, inline, matched.end() + value.index(separator), item.line)[1]
            break
    if not title:
        reading.error(item.line, "expected the recommendation's title after its kind")
        return
    url = next((link.url for link in inline.links if link.text.strip() == title), None)
    meta = item_metadata(item, RECOMMENDATION_KEYS, "recommendation", reading.error, reading.warn)
    kind = RECOMMENDATION_KINDS[kind_name]
    slug = meta.text("slug") or slugify(f"{kind_name} {title}")
    if "slug" in meta and slugify(slug) != slug:
        reading.error(meta.line("slug", item.line), BAD_SLUG.format(slug=slug))
    if not drafts.claim_slug("recommendation", slug, item.line, reading.error):
        return
    for key in ("session", "project"):
        if key in meta:
            drafts.lines[f"recommendation {key}", slug] = meta.line(key, item.line)
    # A title in *emphasis* is the curator's label for what the recap points at.
    title_start = matched.end() + (len(value) - len(value.lstrip()))
    title_curated = inline.emphasised_between(title_start, title_start + len(title))
    title_source = (
        reading.trace.curated(item.line) if title_curated else reading.trace.name_source(title, item.line, "the title")
    )
    source = title_source if title_source.quote is not None or reason is None else reason.source
    project = meta.text("project")
    record = Recommendation(
        slug=slug,
        kind=kind,  # type: ignore[arg-type]  # one of RECOMMENDATION_KINDS' values
        title=title,
        reason=reason,
        session=meta.text("session") or session,
        # `project: -` (a lone dash, never a slug) keeps a root recommendation from pointing at
        # the project its title names.
        project=project if project != "-" else None,
        url=url,
        source=source,
        missing=missing_facts(meta, "recommendation", reading.error),
    )
    drafts.recommendations.append((record, session is None and "project" not in meta))
