"""The seed: the curated recap as a human-editable JSON file, and its loader.

Exposes `DEFAULT_SEED` (the embedded KubeCon EU 2018 recap) and nothing else, so that reading
where the seed is costs nothing; `seed.loader` reads and validates a seed into store records
(`load_seed`, `InvalidSeed`). Builds `store` records; must not import `strawberry`, `starlette`,
`schema`, `resolvers` or `recapql`.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_SEED = Path(__file__).with_name("kubecon-eu-2018.json")

__all__ = ["DEFAULT_SEED"]
