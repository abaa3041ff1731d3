"""Reading a store file, trusting nothing in it.

Reading checks the file, its JSON, TinyDB's layout, our format, every record and the content
hash, and a `StoreError` names the file and the first thing that is wrong, in one line.
"""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tinydb.storages import JSONStorage

from store.layout import META, REBUILD, RECAP_KEY, STORE_FORMAT, TABLES, StoreError, content_version
from store.records import Dataset, Recap, RecordError, decode, json_type

# What can be left after the error position when JSON was cut off inside a number or a literal.
_CUT_SHORT = re.compile(r"^(?:[-+.eE0-9]*|t(?:r(?:ue?)?)?|f(?:a(?:l(?:se?)?)?)?|n(?:u(?:ll?)?)?)$")


def read_datasets(path: Path) -> tuple[tuple[Dataset, ...], str]:
    """Read and check a store file; return its recaps (in store order) and its version."""
    document = _read_json(path)
    # No advice to rebuild a file that is not a store: it may be someone's other file.
    if not isinstance(document, dict):
        raise StoreError(path, f"not a recapql store: the JSON is {json_type(document)}, not an object of tables")
    if META not in document and {"recap", "days"} <= document.keys():
        raise StoreError(path, "not a recapql store but a seed file; build a store from it with `recapql seed --seed`")
    if META not in document:
        raise StoreError(path, f"not a recapql store: it has no '{META}' table")
    version = _check_meta(path, _records(path, META, document[META]))
    for name in document:
        if name not in TABLES and name != META:
            raise StoreError(path, f"unknown table '{name}'; {REBUILD}")
    tables: dict[str, list[Any]] = {}
    for name in TABLES:
        if name not in document:
            raise StoreError(path, f"table '{name}' is missing; {REBUILD}")
        tables[name] = _records(path, name, document[name])
    recaps = tuple(_decode(path, "recap", Recap, record) for record in tables["recap"])
    if not recaps:
        raise StoreError(path, f"table 'recap' holds no recap; {REBUILD}")
    slugs = [recap.slug for recap in recaps]
    if len(set(slugs)) != len(slugs):
        raise StoreError(path, f"table 'recap' holds the recap '{_first_repeat(slugs)}' twice; {REBUILD}")
    grouped: dict[str, dict[str, list[Any]]] = {slug: {name: [] for name in TABLES} for slug in slugs}
    for name, record_type in TABLES.items():
        if name == "recap":
            continue
        for record in tables[name]:
            slug, decoded = _decode_owned(path, name, record_type, record)
            if slug not in grouped:
                raise StoreError(path, f"table '{name}', record #{record[0]}: unknown recap {slug!r}; {REBUILD}")
            grouped[slug][name].append(decoded)
    # Valid JSON of the right shape can still be a store edited by hand or damaged in a way
    # JSON does not show; the content hash written with it tells. Hashing the documents as read
    # gives what the writer hashed (JSON round-trips them) without encoding every record again.
    if content_version({name: [document for _, document in table] for name, table in tables.items()}) != version:
        raise StoreError(path, f"the content does not match its version {version} (edited or damaged); {REBUILD}")
    datasets = tuple(
        Dataset(
            recap=recap,
            topics=tuple(grouped[recap.slug]["topics"]),
            days=tuple(grouped[recap.slug]["days"]),
            sessions=tuple(grouped[recap.slug]["sessions"]),
            projects=tuple(grouped[recap.slug]["projects"]),
            recommendations=tuple(grouped[recap.slug]["recommendations"]),
            documents=tuple(grouped[recap.slug]["documents"]),
        )
        for recap in recaps
    )
    return datasets, version


def _first_repeat(slugs: list[str]) -> str:
    seen: set[str] = set()
    for slug in slugs:
        if slug in seen:
            return slug
        seen.add(slug)
    return ""


def _decode_owned(path: Path, table: str, record_type: type[Any], record: tuple[int, Any]) -> tuple[str, Any]:
    """The slug of the recap a record belongs to, and the record."""
    number, document = record
    if not isinstance(document, Mapping):
        raise StoreError(path, f"table '{table}', record #{number}: expected an object, got {json_type(document)}")
    slug = document.get(RECAP_KEY)
    if not isinstance(slug, str) or not slug:
        raise StoreError(path, f"table '{table}', record #{number}: field '{RECAP_KEY}' must name its recap; {REBUILD}")
    fields = {key: value for key, value in document.items() if key != RECAP_KEY}
    return slug, _decode(path, table, record_type, (number, fields))


def _read_json(path: Path) -> Any:
    """The file's JSON, read once; every way a file can fail to be JSON is a `StoreError`."""
    try:
        status = path.stat()
    except FileNotFoundError:
        raise StoreError(path, "no store file here; run `recapql seed` to create it") from None
    except OSError as error:
        raise StoreError(path, f"cannot read the store: {error.strerror or error}") from None
    if stat.S_ISDIR(status.st_mode):
        raise StoreError(path, "is a folder, not a store file")
    if not stat.S_ISREG(status.st_mode):  # reading a pipe or a device could block or never end
        raise StoreError(path, "is not a regular file (a device, pipe or socket)")
    if status.st_size == 0:
        raise StoreError(path, f"the store file is empty; {REBUILD}")
    try:
        # Opened read-only ("r"): TinyDB creates or writes files only in its writing modes.
        storage = JSONStorage(str(path), access_mode="r", encoding="utf-8")
        try:
            return storage.read()
        finally:
            storage.close()
    except OSError as error:
        raise StoreError(path, f"cannot read the store: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data":  # cut inside a character that takes several bytes
            problem = f"truncated: it stops in the middle of a character at byte {error.start}"
        else:
            problem = f"byte {error.start} is not UTF-8: binary data?"
        raise StoreError(path, f"not valid JSON ({problem}); {REBUILD}") from None
    except json.JSONDecodeError as error:
        if error.doc.lstrip().startswith("---"):
            raise StoreError(path, "not a recapql store but a recap file; import it with `recapql import`") from None
        raise StoreError(path, f"not valid JSON ({_json_problem(error)}); {REBUILD}") from None
    except RecursionError:
        raise StoreError(path, "not a recapql store: its JSON is nested too deeply to read") from None


def _json_problem(error: json.JSONDecodeError) -> str:
    text = error.doc
    if not text.strip("\x00"):
        return "only zero bytes: damaged, perhaps by a crash"
    if not text.strip():
        return "only white space"
    rest = text[error.pos :].strip()
    cut_short = error.msg.startswith("Expecting") and _CUT_SHORT.fullmatch(rest) is not None
    if error.msg.startswith("Unterminated string") or cut_short:
        end = len(text.rstrip())  # where the data stops: the error itself may point at an unclosed string
        line, column = text.count("\n", 0, end) + 1, end - text.rfind("\n", 0, end)
        return f"truncated: it stops at line {line} column {column}, in the middle of the data"
    return f"{error.msg} at line {error.lineno} column {error.colno}"


def _records(path: Path, table: str, documents: Any) -> list[tuple[int, Any]]:
    """A table's (id, document) pairs in id order: TinyDB's insertion order, our recap order."""
    if not isinstance(documents, dict):
        raise StoreError(path, f"table '{table}' is {json_type(documents)}, not an object of records; {REBUILD}")
    records = []
    for key, document in documents.items():
        if not (key.isascii() and key.isdigit()):
            raise StoreError(path, f"table '{table}': record id {key!r} is not a number; {REBUILD}")
        records.append((int(key), document))
    return sorted(records, key=lambda record: record[0])


def _check_meta(path: Path, meta: list[tuple[int, Any]]) -> str:
    """The store's version, once the meta record shows a store of our format."""
    if len(meta) != 1 or not isinstance(meta[0][1], dict):
        raise StoreError(path, f"table '{META}' must hold one object, the store's format and version; {REBUILD}")
    info = meta[0][1]
    if "format" not in info:
        raise StoreError(path, f"table '{META}' does not give the store format; {REBUILD}")
    if info["format"] != STORE_FORMAT or isinstance(info["format"], bool):
        written = json.dumps(info["format"])
        raise StoreError(path, f"store format {written}, but this recapql reads format {STORE_FORMAT}; {REBUILD}")
    version = info.get("version")
    if not isinstance(version, str) or not version.strip():
        raise StoreError(path, f"table '{META}' does not give the store version; {REBUILD}")
    return version


def _decode(path: Path, table: str, record_type: type[Any], record: tuple[int, Any]) -> Any:
    number, document = record
    if not isinstance(document, Mapping):
        raise StoreError(path, f"table '{table}', record #{number}: expected an object, got {json_type(document)}")
    try:
        return decode(record_type, document)
    except RecordError as error:
        keys = [document.get(field) for field in ("slug", "name", "date")]
        key = next((f"'{key}'" for key in keys if isinstance(key, str) and key), f"#{number}")
        raise StoreError(path, f"table '{table}', record {key}: {error}") from None
