"""Reading a recap file into store records, every problem with its file and line.

Exposes `read_recap`, `parse_recap` and `ImportedRecap` (from `recap_file.py`, which reads the whole
file), and for their callers `InvalidRecap`, `RecapProblem` and `slugify`. `header.py` reads the front
matter; `days.py`, `sections.py`, `projects.py` and `recommendations.py` the body's parts, into
`drafts.py`'s drafts; `assembly.py` puts them together. May import `seed.markdown`, `seed.quoting`,
the rest of `seed.recap_format`, and `store`.
"""

from __future__ import annotations

from seed.recap_format.problems import InvalidRecap, RecapProblem
from seed.recap_format.reader.recap_file import ImportedRecap, parse_recap, read_recap
from seed.recap_format.vocabulary import slugify

__all__ = ["ImportedRecap", "InvalidRecap", "RecapProblem", "parse_recap", "read_recap", "slugify"]
