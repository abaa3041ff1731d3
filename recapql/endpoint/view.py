"""The GraphQL endpoint: GraphQL over HTTP (the graphql/graphql-over-http spec) on Strawberry's view.

Strawberry's view still renders GraphiQL and its schema runs every document; what this
subclass adds is what the spec asks and the stock view does not do (media types, status
codes, 405/406/413/415 with GraphQL-shaped bodies), HEAD answered as GET without a body,
answers from the response cache, APQ, ETags, and the request's limits and id in the context.
A client that leaves before its request is read is no error: its outcome is `disconnected`.
"""

from __future__ import annotations

from collections.abc import Mapping

import orjson
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.http import process_result
from strawberry.http.base import BaseRequestProtocol
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from recapql.endpoint.graphql_request import GraphQLParams, read_params
from recapql.endpoint.http_problems import GRAPHQL_RESPONSE, HTTPProblem
from recapql.endpoint.negotiation import negotiate, prefers_html
from recapql.endpoint.persisted_queries import PersistedQueries, PersistedQueryError
from recapql.endpoint.response_cache import CachedResponse, DocumentShape, ResponseCache
from recapql.observability.request_facts import RequestFacts
from recapql.pages.graphiql import GRAPHIQL_CSP, graphiql_page
from recapql.settings import Settings
from schema import Context, Limits, schema
from schema.error_codes import ErrorCode
from schema.limits.enforcement import document_too_long
from store import Store

ALLOW = "GET, HEAD, POST"
# Headers a browser cannot send cross-site without a CORS preflight (Apollo Server's list).
PREFLIGHT_HEADERS = ("apollo-require-preflight", "x-apollo-operation-name")
_SIMPLE_CONTENT_TYPES = ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data")
# A client's `operationName` is logged (escaped) and counted (if a sane name) up to this length.
_LOGGED_NAME_CHARS = 128
_GET_ONLY_QUERIES = frozenset({OperationType.QUERY})
_POST_ANY = frozenset(OperationType)


class RecapGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI view, answering as the GraphQL-over-HTTP spec says, from a cache when it can."""

    def __init__(self, settings: Settings, limits: Limits) -> None:
        super().__init__(schema, graphql_ide="graphiql" if settings.graphiql_enabled else None)
        self.settings = settings
        self.limits = limits
        self.cache = ResponseCache(settings.response_cache_mb * 1024 * 1024, max_tokens=limits.max_tokens)
        self.persisted_queries = PersistedQueries(settings.persisted_queries, limits.max_document_chars)
        self.get_cache_control = f"public, max-age={settings.cache_max_age}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            # recapql has no subscriptions: refuse the WebSocket handshake.
            await WebSocket(scope, receive, send).close(code=1003)
            return
        facts = RequestFacts.of(scope) or RequestFacts("-", scope["method"], scope["path"], None)
        if scope["method"] == "HEAD":
            # Answered as the GET would be (headers, status, ETag, 304), without the body.
            scope = {**scope, "method": "GET"}
            send = _headers_only(send)
        request = Request(scope, receive)
        try:
            try:
                response = await self.answer(request, facts)
            except HTTPProblem as problem:
                facts.outcome = "refused"
                response = problem.response(negotiate(request.headers.get("accept")) or "application/json")
            await response(scope, receive, send)
        except ClientDisconnect:
            # The client left before its request was read (or its answer sent): nobody to answer,
            # and nothing wrong with the server. The access log's line (at info) says so.
            facts.disconnected()
        except Exception:
            facts.outcome = "error"  # a bug of ours: Starlette answers 500, uvicorn logs the traceback
            raise

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        # Strawberry renders GraphiQL only for a GET without `query`, and never for a link to one:
        # `/graphql?query=…` opened in a browser got JSON (or a 406). A GET whose Accept ranks
        # HTML above JSON is a browser, and gets GraphiQL, which reads the query from the address
        # (graphiql-boot.js). Strawberry has no such rule; its open strawberry#2842 adds links to
        # its own page only. A script's GET (JSON, `*/*` or no Accept) still gets the answer.
        if request.method == "GET" and "query" in request.query_params:
            return self.graphql_ide is not None and prefers_html(request.headers.get("accept"))
        # A GET with only a persisted query's hash carries no `query` either, and is no page visit.
        return super().should_render_graphql_ide(request) and "extensions" not in request.query_params

    async def render_graphql_ide(self, request: Request) -> Response:
        # Strawberry's page with every asset served by us (recapql/graphiql.py), under a strict CSP.
        # The same URL answers JSON to scripts: caches must key on Accept. no-cache, as for the
        # agenda: the page names the current static version, which a deploy changes.
        headers = {"content-security-policy": GRAPHIQL_CSP, "vary": "Accept", "cache-control": "no-cache"}
        return HTMLResponse(graphiql_page(), headers=headers)

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        return self.context_of(request)

    def context_of(self, request: Request | WebSocket) -> Context:
        """What the resolvers see: the loaded store, this app's limits and the request's id."""
        facts = RequestFacts.of(request.scope)
        return Context(store=request.state.store, limits=self.limits, request_id=facts.request_id if facts else None)

    async def answer(self, request: Request, facts: RequestFacts) -> Response:
        """The response to one HTTP request on the endpoint."""
        method = request.method
        if method not in ("GET", "POST"):
            raise HTTPProblem(405, f"{method} is not supported: use GET or POST.", code="METHOD_NOT_ALLOWED",
                              headers={"allow": ALLOW})  # fmt: skip
        if method == "GET" and self.should_render_graphql_ide(self.request_adapter_class(request)):
            if self.graphql_ide:
                return await self.render_graphql_ide(request)
            raise HTTPProblem(404, "GraphiQL is not enabled here: send a query.", code="NOT_FOUND")
        media_type = negotiate(request.headers.get("accept"))
        if media_type is None:
            raise HTTPProblem(
                406,
                "Cannot answer in any media type the Accept header allows: "
                "accept application/graphql-response+json or application/json.",
                code="NOT_ACCEPTABLE",
            )
        if self.settings.csrf_prevention:
            _check_preflighted(request)
        params = await read_params(request, self.settings.max_body_bytes)
        try:
            resolved = self.persisted_queries.resolve(params)
        except PersistedQueryError as error:
            facts.outcome = "refused"
            return _request_error(error.message, {"code": error.code}, media_type, self.limits.max_cost)
        params = resolved.params
        # Checked here too, not only by the schema: a cached answer must not skip it (the
        # cache key is the normalized document, and normalizing drops what makes it long),
        # and a document sent to be persisted is refused before anything keeps it.
        too_long = document_too_long(params.query or "", self.limits)
        if too_long is not None:
            facts.outcome = "refused"
            facts.limit = too_long.limit
            return _request_error(too_long.message, too_long.extensions or {}, media_type, self.limits.max_cost)
        shape = self.cache.shape(params.query) if params.query is not None else None
        facts.operation = _operation_name(params.operation_name, shape)
        store: Store = request.state.store
        # With the cache off there is nothing to look up or keep: no key to compute (2 % of a lookup's CPU).
        key = self.cache.key(store.version, shape, params) if shape is not None and self.cache.enabled else None
        cached = self.cache.get(key)
        if key is not None:
            facts.cache = "miss" if cached is None else "hit"
        if cached is not None:
            # Answered before, so it passed every limit: a document sent to be persisted may be kept.
            self._persist(resolved.register_as, params)
            facts.outcome = "cached"
            self._remember(request, params, key, media_type, facts.operation)
            return self._respond(request, facts, cached, media_type)
        result = await self._execute(request, params)
        request_error = _is_request_error(result)
        if request_error:
            facts.limit = _limit_refused(result)
        response_data = process_result(result)
        if request_error:
            del response_data["data"]  # the spec: no `data` when the request failed before execution
        body = orjson.dumps(response_data)
        if not request_error:
            # Parsed, validated and run within every limit of the schema's: now it may be kept.
            self._persist(resolved.register_as, params)
        if result.errors:
            # A bug first: a crash during validation also fails before execution, yet is no refusal.
            facts.outcome = "error" if _has_bug(result) else "refused" if request_error else "invalid"
            status = 400 if request_error and media_type == GRAPHQL_RESPONSE else 200
            return Response(body, status_code=status, headers={"cache-control": "no-store"},
                            media_type=f"{media_type}; charset=utf-8")  # fmt: skip
        facts.outcome = "ok"
        kept = self.cache.put(key, body)
        self._remember(request, params, key, media_type, facts.operation)
        return self._respond(request, facts, kept, media_type)

    def _remember(
        self, request: Request, params: GraphQLParams, key: bytes | None, media_type: str, operation: str | None
    ) -> None:
        # An answer depends on a POST's body or a GET's query string and on Accept alone (which
        # early_answers checks), unless the request has extensions (a persisted query's depends on
        # what is persisted then): its repeats may be answered early. A HEAD's GET answers a GET too.
        if key is None or params.extensions is not None:
            return
        if params.body is not None:
            self.cache.remember("POST", media_type, params.body, key, operation)
        elif request.method == "GET":
            self.cache.remember("GET", media_type, request.scope["query_string"], key, operation)

    def _persist(self, sha256: str | None, params: GraphQLParams) -> None:
        if sha256 is not None and params.query is not None:
            self.persisted_queries.register(sha256, params.query)

    async def _execute(self, request: Request, params: GraphQLParams) -> ExecutionResult:
        context = self.context_of(request)
        allowed = _GET_ONLY_QUERIES if request.method == "GET" else _POST_ANY
        try:
            return await self.schema.execute(
                params.query,
                variable_values=params.variables,
                context_value=context,
                operation_name=params.operation_name,
                allowed_operation_types=allowed,
            )
        except InvalidOperationTypeError as error:
            raise HTTPProblem(
                405,
                f"{error.operation_type.value.capitalize()} operations are not allowed over GET: use POST.",
                code="METHOD_NOT_ALLOWED",
                headers={"allow": "POST"},
            ) from None
        except CannotGetOperationTypeError as error:
            raise HTTPProblem(400, error.as_http_error_reason(), code="BAD_REQUEST") from None
        except MissingQueryError:
            raise HTTPProblem(400, "No GraphQL query found in the request.", code="BAD_REQUEST") from None

    def _respond(self, request: Request, facts: RequestFacts, cached: CachedResponse, media_type: str) -> Response:
        content_type = f"{media_type}; charset=utf-8"
        if request.method != "GET":
            return Response(cached.body, media_type=content_type)
        # GET answers are cacheable by browsers and CDNs; the ETag makes revalidation a 304.
        headers = {"etag": cached.etag, "cache-control": self.get_cache_control, "vary": "Accept"}
        if _etag_matches(request.headers.get("if-none-match"), cached.etag):
            facts.outcome = "not_modified"
            return Response(status_code=304, headers=headers)
        return Response(cached.body, headers=headers, media_type=content_type)


def _operation_name(given: str | None, shape: DocumentShape | None) -> str | None:
    """The operation's name for the log and the metrics: the client's `operationName`, else the document's."""
    if given is not None:
        return given[:_LOGGED_NAME_CHARS]
    operation = shape.operation(None) if shape is not None else None
    return operation.name if operation is not None else None


def _headers_only(send: Send) -> Send:
    """`send` for a HEAD request: the response's start as it is, its body left out."""

    async def send_headers(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {"type": "http.response.body", "body": b"", "more_body": message.get("more_body", False)}
        await send(message)

    return send_headers


def _is_request_error(result: ExecutionResult) -> bool:
    """True when the request failed before execution (syntax, validation, variables): no `data` at all."""
    errors = result.errors
    return bool(errors) and result.data is None and all(error.path is None for error in errors or ())


def _has_bug(result: ExecutionResult) -> bool:
    """True when an error is a masked bug, not a mistake in the request (a bad argument, say)."""
    return any((error.extensions or {}).get("code") == ErrorCode.INTERNAL_SERVER_ERROR for error in result.errors or ())


def _limit_refused(result: ExecutionResult) -> str | None:
    for error in result.errors or ():
        if (error.extensions or {}).get("code") == ErrorCode.QUERY_LIMIT_EXCEEDED:
            return str(error.extensions["limit"])  # type: ignore[index]  # just checked
    return None


def _request_error(message: str, extensions: Mapping[str, object], media_type: str, max_cost: int) -> Response:
    """A GraphQL request error: no `data`, 400 for graphql-response+json clients, 200 for legacy ones.

    Refused before GraphQL ran, so nothing was priced: `extensions.cost` estimates 0 (schema/limits/cost_report.py).
    """
    cost = {"cost": {"estimated": 0, "maximum": max_cost}}
    body = orjson.dumps({"errors": [{"message": message, "extensions": extensions}], "extensions": cost})
    status = 400 if media_type == GRAPHQL_RESPONSE else 200
    return Response(body, status_code=status, headers={"cache-control": "no-store"},
                    media_type=f"{media_type}; charset=utf-8")  # fmt: skip


def _etag_matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    candidates = {candidate.strip().removeprefix("W/") for candidate in if_none_match.split(",")}
    return etag in candidates or "*" in candidates


def _check_preflighted(request: Request) -> None:
    """Refuse requests a cross-site page could send without a CORS preflight (opt-in CSRF prevention)."""
    content_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    simple = request.method == "GET" or content_type in _SIMPLE_CONTENT_TYPES or not content_type
    if simple and not any(request.headers.get(name) for name in PREFLIGHT_HEADERS):
        raise HTTPProblem(
            400,
            "This request could have come from another site: send it with an 'Apollo-Require-Preflight: true' "
            "header (or as application/json over POST).",
            code="CSRF_PREVENTION",
        )
