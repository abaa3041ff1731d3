"""Building store files from recap files, and making sure the server has one to open.

`seed_store` builds a store from one recap (the embedded one by default); `import_recaps`
adds or replaces recaps in a store, keeping the others. Both check every file whole before
anything is written, and write atomically: a failed or killed import leaves the old store.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from recapql.settings import Settings
from seed.recap_format.problems import InvalidRecap, RecapProblem
from seed.recap_format.reader import ImportedRecap, read_recap
from store import Dataset, StoreError, datasets_version, write_datasets
from store.reader import read_datasets

logger = logging.getLogger("recapql.seeding")


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What an import will write (or, with --dry-run, would): every recap of the store, and what changed."""

    datasets: tuple[Dataset, ...]
    imported: tuple[ImportedRecap, ...]
    replaced: tuple[str, ...]  # slugs of recaps the store held before, now replaced

    @property
    def warnings(self) -> tuple[RecapProblem, ...]:
        return tuple(warning for recap in self.imported for warning in recap.warnings)


def seed_store(seed_path: Path, store_path: Path) -> str:
    """Build the store from the recap at `seed_path`, replacing the whole store; return its version.

    Raises `InvalidRecap` before anything is written when the recap is bad.
    """
    return write_datasets(store_path, (read_recap(seed_path).dataset,))


def plan_import(paths: Sequence[Path], store_path: Path) -> ImportPlan:
    """Read every recap file and the store; raise `InvalidRecap` with every file's errors, or `StoreError`."""
    imported: list[ImportedRecap] = []
    errors: list[RecapProblem] = []
    warnings: list[RecapProblem] = []
    for path in paths:
        try:
            imported.append(read_recap(path))
        except InvalidRecap as invalid:
            errors += invalid.errors
            warnings += invalid.warnings
    seen: dict[str, Path] = {}
    for recap in imported:
        slug = recap.dataset.recap.slug
        if slug in seen:
            errors.append(
                RecapProblem(recap.path, 1, f"the recap '{slug}' is also in {seen[slug]}: give one a `slug:`")
            )
        seen[slug] = recap.path
    if errors:
        raise InvalidRecap(errors, warnings)
    existing: tuple[Dataset, ...] = ()
    if store_path.exists():
        # A store that cannot be read is refused, never replaced: it may hold recaps that exist nowhere else.
        existing, _ = read_datasets(store_path)
    incoming = {recap.dataset.recap.slug: recap.dataset for recap in imported}
    replaced = tuple(dataset.recap.slug for dataset in existing if dataset.recap.slug in incoming)
    kept = [incoming.pop(dataset.recap.slug, dataset) for dataset in existing]
    return ImportPlan((*kept, *incoming.values()), tuple(imported), replaced)


def import_recaps(plan: ImportPlan, store_path: Path) -> str:
    """Write the planned store atomically; return its version."""
    return write_datasets(store_path, plan.datasets)


def ensure_store(settings: Settings) -> None:
    """Seed the store if it is missing; keep the embedded recap in the default store in step with its seed."""
    path = settings.store_path
    if not path.exists():
        version = seed_store(settings.seed_path, path)
        logger.info("seeded %s from %s (version %s)", path, settings.seed_path, version)
        return
    if not settings.uses_default_store:
        return
    # The default store caches the embedded recap: refresh that recap when the seed moved on,
    # keeping any other recap imported into it.
    seeded = read_recap(settings.seed_path).dataset
    try:
        current, version = read_datasets(path)
    except StoreError as error:
        logger.warning("rebuilding the default store: %s", error.reason)
        current, version = (), ""
    slugs = [dataset.recap.slug for dataset in current]
    if seeded.recap.slug in slugs:
        wanted = tuple(seeded if dataset.recap.slug == seeded.recap.slug else dataset for dataset in current)
    else:
        wanted = (seeded, *current)
    if datasets_version(wanted) != version:
        written = write_datasets(path, wanted)
        logger.info("reseeded %s from %s (version %s)", path, settings.seed_path, written)
