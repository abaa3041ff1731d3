"""Building store files from seeds, and making sure the server has one to open."""

from __future__ import annotations

import logging
from pathlib import Path

from recapql.settings import Settings
from seed.loader import load_seed
from store import StoreError, dataset_version, write_dataset
from store.reader import read_dataset

logger = logging.getLogger("recapql.seeding")


def seed_store(seed_path: Path, store_path: Path) -> str:
    """Validate the seed, then atomically replace the store; return the store version.

    Raises `seed.InvalidSeed` before anything is written when the seed is bad.
    """
    return write_dataset(store_path, load_seed(seed_path))


def ensure_store(settings: Settings) -> None:
    """Seed the store if it is missing; keep the embedded default store in step with its seed."""
    path = settings.store_path
    if not path.exists():
        version = seed_store(settings.seed_path, path)
        logger.info("seeded %s from %s (version %s)", path, settings.seed_path, version)
        return
    if not settings.uses_default_store:
        return
    # The default store is only a cache of the embedded seed: rebuild it when the seed moved on.
    dataset = load_seed(settings.seed_path)
    try:
        _, current = read_dataset(path)
    except StoreError as error:
        logger.warning("rebuilding the default store: %s", error.reason)
        current = None
    if current != dataset_version(dataset):
        version = write_dataset(path, dataset)
        logger.info("reseeded %s from %s (version %s)", path, settings.seed_path, version)
