"""Refusals before a GraphQL document runs, as GraphQL-shaped JSON errors with the right HTTP status."""

from __future__ import annotations

from collections.abc import Mapping

import orjson
from starlette.responses import Response

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"


class HTTPProblem(Exception):
    """A request refused with `status` (405, 406, 413, 415, 400 …) and a message for the client."""

    def __init__(self, status: int, message: str, *, code: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = dict(headers or {})

    def response(self, media_type: str = JSON) -> Response:
        """The refusal as `{"errors": [{"message": …, "extensions": {"code": …}}]}`."""
        body = orjson.dumps({"errors": [{"message": self.message, "extensions": {"code": self.code}}]})
        headers = {"cache-control": "no-store", **self.headers}
        return Response(body, status_code=self.status, headers=headers, media_type=f"{media_type}; charset=utf-8")
