"""The store: recap records, the TinyDB file that keeps them, and in-memory indexes.

Exposes `Store` (open a store file: every recap in it, each a `RecapIndex` of lookups),
`write_datasets` / `write_dataset` (atomic writes of one or more recaps), `datasets_version` /
`dataset_version`, `check_dataset` and its `Problem`s, `Dataset` and `RecordError`, `StoreError`;
the record types are in `store.records`. It knows nothing of GraphQL or HTTP: it must not import
`strawberry`, `starlette`, `schema`, `resolvers` or `recapql`.
"""

from __future__ import annotations

from store.integrity import Problem, check_dataset
from store.layout import StoreError, dataset_version, datasets_version
from store.recap_index import RecapIndex
from store.records import Dataset, RecordError
from store.store import Store
from store.writer import write_dataset, write_datasets

__all__ = [
    "Dataset",
    "Problem",
    "RecapIndex",
    "RecordError",
    "Store",
    "StoreError",
    "check_dataset",
    "dataset_version",
    "datasets_version",
    "write_dataset",
    "write_datasets",
]
