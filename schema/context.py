"""What every resolver can reach: the loaded store, built once per request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import strawberry

from schema.limits.enforcement import DEFAULT_LIMITS, Limits
from store import RecapIndex, Store

R = TypeVar("R")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Context:
    """The per-request context: the store to read, the limits to enforce, and the request's id for logs."""

    store: Store
    limits: Limits = DEFAULT_LIMITS
    request_id: str | None = None


Info = strawberry.Info[Context, None]


def store_of(info: Info) -> Store:
    return info.context.store


def index_of(info: Info, slug: str) -> RecapIndex:
    """The recap an object of the API belongs to: it was read from it, so it is in the store."""
    return info.context.store.by_slug[slug]


def node_key(info: Info, recap: str, key: str) -> str:
    """A record's node id: its key for the default recap's records (as before there were several
    recaps), `<recap>/<key>` for the others', so `node(id:)` finds anything in any recap."""
    return key if recap == info.context.store.default.slug else f"{recap}/{key}"


def split_node_key(info: Info, node_id: str) -> tuple[RecapIndex | None, str]:
    """The recap and key a node id names (see `node_key`); no recap when the store holds none of that slug."""
    store = info.context.store
    recap, slash, key = node_id.partition("/")
    if not slash:
        return store.default, node_id
    return store.by_slug.get(recap), key


def node_object(
    info: Info,
    node_id: str,
    lookup: Callable[[RecapIndex, str], R | None],
    build: Callable[[R, RecapIndex], T],
) -> T | None:
    """The object a node id names (see `node_key`), or None: "not found" is a null."""
    index, key = split_node_key(info, node_id)
    record = lookup(index, key) if index is not None else None
    return None if record is None or index is None else build(record, index)
