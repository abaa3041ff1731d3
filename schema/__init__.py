"""The GraphQL schema: Strawberry types over store records, and the root Query.

Exposes `schema` and its class `RecapSchema` (from `schema.executable`; one schema per process,
since Strawberry binds the types to it), `Query`, `Context` (what each request carries, its
`Limits` among them), `Limits` and `SDL_PATH` (the committed SDL). The types are in `types/`, what
guards and prices a request in `limits/`, planned execution in `execution/`. Types read records
through `resolvers`; they never open files or import `starlette` or `recapql`.
"""

from __future__ import annotations

from pathlib import Path

from schema.context import Context
from schema.executable import RecapSchema, schema
from schema.limits.enforcement import Limits
from schema.query import Query

SDL_PATH = Path(__file__).with_name("schema.graphql")

__all__ = ["SDL_PATH", "Context", "Limits", "Query", "RecapSchema", "schema"]
