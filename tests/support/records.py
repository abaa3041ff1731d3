"""Comparing recaps read from different files: the same data, whatever lines the recap file had.

A fact in the recap file's own words points at its line there; an exported file puts the same
facts on other lines. `without_recap_lines` sets those lines to 0 (a source document's lines are
kept: they are the data) and leaves out the documents themselves.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from store import Dataset
from store.records import Source

T = TypeVar("T")


def without_recap_lines(dataset: Dataset) -> Dataset:
    """`dataset` with every line of its recap file set to 0 and no documents."""
    recap_file = dataset.documents[0].name if dataset.documents else None
    sources = {document.name for document in dataset.documents[1:]}
    stripped: Dataset = _walk(dataclasses.replace(dataset, documents=()), recap_file, sources)
    return stripped


def _walk(value: Any, recap_file: str | None, sources: set[str]) -> Any:
    if isinstance(value, Source):
        in_source = value.document in sources
        return value if in_source else Source("recap", 0, value.quote)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: _walk(getattr(value, field.name), recap_file, sources) for field in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_walk(item, recap_file, sources) for item in value)
    return value
