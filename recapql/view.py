"""The GraphQL endpoint: Strawberry's ASGI view, with our per-request context."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from schema import Context


class RecapGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI view, with our per-request context."""

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        return Context(store=request.state.store)
