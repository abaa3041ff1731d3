"""What every resolver can reach: the loaded store, built once per request."""

from __future__ import annotations

from dataclasses import dataclass

import strawberry

from store import Store


@dataclass(frozen=True, slots=True)
class Context:
    """The per-request context: the store the answer is read from."""

    store: Store


Info = strawberry.Info[Context, None]


def store_of(info: Info) -> Store:
    return info.context.store
