"""The embedded recaps, written in the recap format, and the code that reads and writes that format.

Exposes `DEFAULT_SEED` (the embedded KubeCon EU 2018 recap, `recaps/kubecon-eu-2018.md`) and
nothing else, so that reading where the seed is costs nothing. `seed.recap_format.reader` reads a
recap file into store records (`read_recap`, `InvalidRecap`), `seed.recap_format.writer` writes one
back, over `seed.markdown` (Markdown and YAML with lines) and `seed.quoting` (whose words a text
is); `seed.synthetic` generates recaps of any size. Builds `store` records; must not import
`strawberry`, `starlette`, `schema`, `resolvers` or `recapql`.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_SEED = Path(__file__).parent / "recaps" / "kubecon-eu-2018.md"

__all__ = ["DEFAULT_SEED"]
