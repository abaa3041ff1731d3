"""The recap format's fixed words: kinds, categories, keys, reserved sections, separators and slugs.

The body's tables of docs/recap-format.md (the front matter's keys are in `reader/header.py`), as
the reader checks them and the writer writes them; and the sentences every recap gets where it
says nothing (a session without a speaker, a day without a date).
"""

from __future__ import annotations

import re
import unicodedata

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
SESSION_KEYS = ("kind", "time", "speakers", "organizations", "topics", "projects", "verdict", "slug", "missing")
DAY_KEYS = ("date from",)
PROJECT_KEYS = ("slug", "topics", "written as", "missing")
RECOMMENDATION_KEYS = ("slug", "session", "project", "missing")
TOP_THREE_KEYS = ("from", "place")
RESERVED = ("takeaways", "top 3", "projects", "recommendations", "topics")

SEPARATORS = (" \u2014 ", " \u2013 ", " -- ")  # an em dash, an en dash, or two hyphens
# The words a `date from:` or a Top 3 `from:` quotes, in straight or typographic quotation marks.
QUOTED = re.compile(r"[\"\u201c](?P<words>[^\"\u201c\u201d]+)[\"\u201d]")
BAD_SLUG = "expected `slug:` of lowercase letters, digits and dashes, got {slug!r}"

# What the recap does not say, said the same way for every recap that does not say it.
NO_SPEAKER = "The recap names no speaker for this session."
DATE_INFERRED = "The recap gives no calendar date for this day: it follows from these words."


def slugify(text: str) -> str:
    """A URL-friendly key: `What Does “Production Ready” Mean?` → `what-does-production-ready-mean`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
