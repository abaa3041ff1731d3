"""A recap file's front matter, read into what the recap says about itself.

The `recap:` map (or Hugo's `params.recap`) gives the event, where and when, and optionally the
recap's slug, verdict, time zone, author, change history, the original text it quotes
(`source:`), and what it lost (`missing:`). Each problem is reported with its line.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from seed.markdown.front_matter import FrontMatter
from seed.recap_format.vocabulary import BAD_SLUG, slugify
from store.records import Change, Missing

REQUIRED_RECAP_KEYS = ("event", "city", "country", "start", "end")
OPTIONAL_RECAP_KEYS = ("slug", "verdict", "timezone", "author", "changes", "source", "missing")
# A YAML text wholly in *emphasis* is the curator's own words, as in the Markdown body.
_EMPHASISED = re.compile(r"^\*(?!\s)(?P<text>.*\S)\*$|^_(?!\s)(?P<under>.*\S)_$", re.DOTALL)

Report = Callable[[int, str], None]


def as_date(value: Any) -> datetime.date | None:
    """A YAML date or an ISO date string as a date; None for anything else."""
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


def curated_text(text: str) -> tuple[str, bool]:
    """A YAML text without the `*emphasis*` that marks it as the curator's, and whether it had it."""
    found = _EMPHASISED.match(text.strip())
    if found is None:
        return text.strip(), False
    return (found.group("text") or found.group("under")).strip(), True


@dataclass(frozen=True, slots=True)
class RecapHeader:
    """What the front matter says; `lines` gives each key's line for later problems."""

    title: str
    title_line: int
    slug: str
    event: str
    city: str
    country: str
    start: datetime.date
    end: datetime.date
    verdict: tuple[str, bool, int] | None  # text, curated, line
    timezone: str | None
    author: str | None
    changes: tuple[Change, ...]
    source: tuple[str, int] | None  # the path as written, and its line
    missing: tuple[Missing, ...]


def read_header(front: FrontMatter, report: Report, warn: Report) -> RecapHeader | None:
    """The front matter's recap, or None after reporting what is wrong with it."""
    values = front.values
    title = values.get("title")
    recap = values.get("recap")
    path: tuple[str, ...] = ("recap",)
    if recap is None and isinstance(values.get("params"), dict) and "recap" in values["params"]:
        recap, path = values["params"]["recap"], ("params", "recap")  # Hugo keeps its own keys under params
    ok = True
    if not isinstance(title, str) or not title.strip():
        report(front.line_of("title"), "expected a `title:` in the front matter (the recap's title)")
        ok = False
    if not isinstance(recap, dict):
        report(
            front.line_of(*path), "expected a `recap:` map in the front matter with event, city, country, start and end"
        )
        return None
    found: dict[str, Any] = {}
    for key in REQUIRED_RECAP_KEYS:
        if key not in recap:
            report(front.line_of(*path), f"the `recap:` map needs `{key}:`")
            ok = False
    for key in recap:
        if key not in REQUIRED_RECAP_KEYS and key not in OPTIONAL_RECAP_KEYS:
            known = ", ".join(REQUIRED_RECAP_KEYS + OPTIONAL_RECAP_KEYS)
            warn(front.line_of(*path, str(key)), f"ignored: unknown key `{key}` in `recap:` (known: {known})")
    for key in ("event", "city", "country", "slug", "verdict", "timezone", "author", "source"):
        if key in recap:
            value = recap[key]
            if not isinstance(value, str) or not value.strip():
                report(front.line_of(*path, key), f"expected `{key}:` to be text")
                ok = False
            else:
                found[key] = value.strip()
    for key in ("start", "end"):
        if key in recap:
            date = as_date(recap[key])
            if date is None:
                report(front.line_of(*path, key), f"expected `{key}:` to be a date (YYYY-MM-DD)")
                ok = False
            found[key] = date
    if ok and found["end"] < found["start"]:
        report(front.line_of(*path, "end"), "expected `end:` on or after `start:`")
        ok = False
    changes = _changes(recap.get("changes", []), front, (*path, "changes"), report)
    missing = _missing(recap.get("missing", []), front, (*path, "missing"), report)
    slug = found.get("slug") or slugify(found.get("event", ""))
    if "slug" in found and slugify(slug) != slug:
        report(front.line_of(*path, "slug"), BAD_SLUG.format(slug=slug))
        ok = False
    if not ok:
        return None
    verdict = None
    if "verdict" in found:
        text, curated = curated_text(found["verdict"])
        verdict = (text, curated, front.line_of(*path, "verdict"))
    assert isinstance(title, str)
    return RecapHeader(
        title=title.strip(),
        title_line=front.line_of("title"),
        slug=slug,
        event=found["event"],
        city=found["city"],
        country=found["country"],
        start=found["start"],
        end=found["end"],
        verdict=verdict,
        timezone=found.get("timezone"),
        author=found.get("author"),
        changes=changes,
        source=(found["source"], front.line_of(*path, "source")) if "source" in found else None,
        missing=missing,
    )


def _changes(changes: Any, front: FrontMatter, path: tuple[str, ...], report: Report) -> tuple[Change, ...]:
    if not isinstance(changes, list):
        report(front.line_of(*path), "expected `changes:` to be a list of {date, description}")
        return ()
    found = []
    for index, change in enumerate(changes):
        date = as_date(change.get("date")) if isinstance(change, dict) else None
        description = change.get("description") if isinstance(change, dict) else None
        if date is None or not isinstance(description, str) or not description.strip():
            report(
                front.line_of(*path, str(index)), "expected each change as `- date: YYYY-MM-DD` with a `description:`"
            )
            continue
        found.append(Change(date=date, description=description.strip()))
    return tuple(found)


def _missing(items: Any, front: FrontMatter, path: tuple[str, ...], report: Report) -> tuple[Missing, ...]:
    if not isinstance(items, list):
        report(front.line_of(*path), "expected `missing:` to be a list of {field, reason}")
        return ()
    found = []
    for index, item in enumerate(items):
        field = item.get("field") if isinstance(item, dict) else None
        reason = item.get("reason") if isinstance(item, dict) else None
        if not isinstance(field, str) or not field.strip() or not isinstance(reason, str) or not reason.strip():
            report(front.line_of(*path, str(index)), "expected each missing fact as `- field: …` with a `reason:`")
            continue
        found.append(Missing(field=field.strip(), reason=reason.strip()))
    return tuple(found)
