"""The GraphQL schema: Strawberry types over store records, and the root Query.

Exposes `schema` (the executable schema; one per process, since Strawberry binds the
types to it), `Context` (what each request carries, its `Limits` among them), `Limits` and
`SDL_PATH` (the committed SDL). Types read records through `resolvers`; they never open files or import
`starlette` or `recapql`.
"""

from __future__ import annotations

from pathlib import Path

from strawberry.extensions import ParserCache, ValidationCache

from schema.context import Context
from schema.errors import MaskUnexpectedErrors, RecapSchema
from schema.limits import EnforceLimits, Limits
from schema.query import Query

SDL_PATH = Path(__file__).with_name("schema.graphql")

# Distinct documents kept parsed and validated; a frontend sends a handful, so this is plenty,
# and a flood of new documents only evicts, never grows memory.
DOCUMENT_CACHE_SIZE = 512


schema = RecapSchema(
    query=Query,
    extensions=[
        # First: the limits set the parse options and validation rules the caches below key on.
        EnforceLimits,
        lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
        lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
        MaskUnexpectedErrors,
    ],
)

__all__ = ["SDL_PATH", "Context", "Limits", "Query", "schema"]
