"""The GraphQL schema: Strawberry types over store records, and the root Query.

Exposes `schema` (the executable schema), `Context` (what each request carries)
and `SDL_PATH` (the committed SDL). Types read records through `resolvers`; they
never open files or import `starlette` or `recapql`.
"""

from __future__ import annotations

from pathlib import Path

from schema.context import Context
from schema.errors import RecapSchema, mask_unexpected_errors
from schema.query import Query

SDL_PATH = Path(__file__).with_name("schema.graphql")

schema = RecapSchema(query=Query, extensions=[mask_unexpected_errors])

__all__ = ["SDL_PATH", "Context", "Query", "schema"]
