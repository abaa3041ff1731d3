"""The seed: the curated recap as a human-editable JSON file, and its loader.

Exposes `DEFAULT_SEED` (the embedded KubeCon EU 2018 recap), `load_seed` (read and
validate a seed into store records) and its errors. Builds `store` records; must not
import `strawberry`, `starlette`, `schema`, `resolvers` or `recapql`.
"""

from __future__ import annotations

from seed.loader import DEFAULT_SEED, InvalidSeed, SeedError, load_seed

__all__ = ["DEFAULT_SEED", "InvalidSeed", "SeedError", "load_seed"]
