"""The baseline for cache misses: stock Strawberry's ASGI view over recapql's schema and store.

No response cache, no parser or validation cache, no limits, no error masking: the schema's
extensions are removed (the schema object is one per process, so they cannot be left out when
building it), and the view is Strawberry's own `strawberry.asgi.GraphQL` with only the context
recapql's resolvers need. Run by the benchmark as `uvicorn stock_app:app`, with `BENCH_STORE`.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from schema import Context, schema
from store import Store

schema.extensions = ()
STORE = Store.open(Path(os.environ["BENCH_STORE"]))


class StockGraphQL(GraphQL[Context, None]):
    """Strawberry's view; only the context is ours, because the resolvers read the store from it."""

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        return Context(store=STORE)


app = StockGraphQL(schema)
