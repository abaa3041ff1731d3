"""A GraphQL-over-HTTP request's parameters, read from a GET query string or a JSON POST body.

Every way a request can be malformed is refused here with its own status (413, 415, 400),
before any GraphQL work, and the body is never read past the size limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request

from recapql.endpoint.http_problems import HTTPProblem

_JSON_TYPES = ("application/json", "application/graphql-response+json")


@dataclass(frozen=True, slots=True)
class GraphQLParams:
    """What one request asks: the document (None when only a persisted-query hash is sent) and the rest."""

    query: str | None
    variables: dict[str, Any] | None
    operation_name: str | None
    extensions: dict[str, Any] | None
    body: bytes | None = None  # a POST's body as it arrived (None for a GET): what repeats of it are known by


async def read_params(request: Request, max_body_bytes: int) -> GraphQLParams:
    """The request's parameters; an HTTPProblem when they cannot be read."""
    if request.method == "GET":
        query_params = request.query_params
        return _params(
            {
                "query": query_params.get("query"),
                "variables": _json_param(query_params.get("variables"), "variables"),
                "operationName": query_params.get("operationName"),
                "extensions": _json_param(query_params.get("extensions"), "extensions"),
            }
        )
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type not in _JSON_TYPES:
        raise HTTPProblem(
            415,
            f"Unsupported content type {media_type or '(none)'!r}: send the request as application/json.",
            code="UNSUPPORTED_MEDIA_TYPE",
            headers={"accept-post": "application/json"},
        )
    body = await _read_body(request, max_body_bytes)
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise HTTPProblem(400, f"The request body is not valid JSON: {error}.", code="BAD_REQUEST") from None
    if isinstance(document, list):
        raise HTTPProblem(
            400, "Batched requests are not supported: send one operation per request.", code="BAD_REQUEST"
        )
    if not isinstance(document, dict):
        raise HTTPProblem(400, "The request body must be a JSON object.", code="BAD_REQUEST")
    return _params(document, body)


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    # Chunked bodies declare no length: count while reading, and stop at the limit.
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> HTTPProblem:
    return HTTPProblem(413, f"The request body is larger than the maximum of {limit} bytes.", code="PAYLOAD_TOO_LARGE")


def _json_param(raw: str | None, name: str) -> Any:
    if raw is None or raw == "":
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise HTTPProblem(400, f"The '{name}' parameter is not valid JSON.", code="BAD_REQUEST") from None


def _params(document: dict[str, Any], body: bytes | None = None) -> GraphQLParams:
    query = document.get("query")
    variables = document.get("variables")
    operation_name = document.get("operationName")
    extensions = document.get("extensions")
    for name, value, kind in (
        ("query", query, str),
        ("operationName", operation_name, str),
        ("variables", variables, dict),
        ("extensions", extensions, dict),
    ):
        if value is not None and not isinstance(value, kind):
            expected = "a string" if kind is str else "an object"
            raise HTTPProblem(400, f"'{name}' must be {expected} or null.", code="BAD_REQUEST")
    return GraphQLParams(query, variables, operation_name, extensions, body)
