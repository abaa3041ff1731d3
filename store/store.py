"""The loaded store: every recap of a store file, indexed, and the one the API answers by default.

Opened once at start-up and never changed: `version` is the file's content hash, so caches
keyed by it can never serve another store's data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from store.fan_outs import FanOuts
from store.integrity import check_dataset
from store.layout import StoreError
from store.reader import read_datasets
from store.recap_index import RecapIndex
from store.records import Dataset


@dataclass(frozen=True, slots=True)
class Store:
    """Every recap of one store, in the order they were imported; `version` changes whenever the data does."""

    version: str
    recaps: tuple[RecapIndex, ...]
    by_slug: Mapping[str, RecapIndex]
    default: RecapIndex
    # The longest list behind each relation, measured here so that query costs are known, not guessed.
    fan_outs: FanOuts

    @classmethod
    def open(cls, path: Path, default_recap: str | None = None) -> Store:
        """Read, check and index the store at `path`; `StoreError` says what is wrong.

        `default_recap` names the recap that lookups without a recap answer from (the first one
        imported when None); a slug the store does not hold is an error.
        """
        datasets, version = read_datasets(path)
        for dataset in datasets:
            problems = check_dataset(dataset)
            if problems:
                more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
                where = f"recap '{dataset.recap.slug}': " if len(datasets) > 1 else ""
                raise StoreError(path, f"{where}{problems[0]}{more}")
        store = cls.build(datasets, version, default_recap)
        if default_recap is not None and default_recap not in store.by_slug:
            held = ", ".join(store.by_slug)
            raise StoreError(path, f"holds no recap '{default_recap}' to answer by default (it holds: {held})")
        return store

    @classmethod
    def build(cls, datasets: Sequence[Dataset], version: str, default_recap: str | None = None) -> Store:
        """Index recaps that `check_dataset` found sound."""
        recaps = tuple(RecapIndex.build(dataset, version) for dataset in datasets)
        by_slug = MappingProxyType({recap.slug: recap for recap in recaps})
        default = by_slug.get(default_recap, recaps[0]) if default_recap is not None else recaps[0]
        fan_outs = FanOuts.of_store([recap.fan_outs for recap in recaps])
        return cls(version=version, recaps=recaps, by_slug=by_slug, default=default, fan_outs=fan_outs)

    def recap(self, slug: str | None) -> RecapIndex | None:
        """The recap with this slug (None: the default one); None when the store holds no such recap."""
        return self.default if slug is None else self.by_slug.get(slug)

    @property
    def sessions_count(self) -> int:
        return sum(len(recap.sessions) for recap in self.recaps)

    @property
    def projects_count(self) -> int:
        return sum(len(recap.projects) for recap in self.recaps)
