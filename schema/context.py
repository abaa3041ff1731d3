"""What every resolver can reach: the loaded store, built once per request."""

from __future__ import annotations

from dataclasses import dataclass

import strawberry

from schema.limits import DEFAULT_LIMITS, Limits
from store import Store


@dataclass(frozen=True, slots=True)
class Context:
    """The per-request context: the store to read, the limits to enforce, and the request's id for logs."""

    store: Store
    limits: Limits = DEFAULT_LIMITS
    request_id: str | None = None


Info = strawberry.Info[Context, None]


def store_of(info: Info) -> Store:
    return info.context.store
