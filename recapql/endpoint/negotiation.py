"""Which response media type a client accepts (GraphQL over HTTP, "Accept" and "Body"), and whether it is a browser."""

from __future__ import annotations

from functools import lru_cache

from recapql.endpoint.http_problems import GRAPHQL_RESPONSE, JSON

HTML = "text/html"


@lru_cache(maxsize=256)
def negotiate(accept: str | None) -> str | None:
    """`application/graphql-response+json`, `application/json`, or None when the client takes neither.

    No Accept header means a legacy client, answered with `application/json` as the spec
    allows. The new media type is chosen only when a client asks for it at least as much as
    for `application/json`: `*/*` alone (curl, old fetchers) keeps the legacy answer.
    """
    if accept is None or not accept.strip():
        return JSON
    quality = _qualities(accept)
    graphql_response = quality.get(GRAPHQL_RESPONSE, 0.0)
    json = _json_quality(quality)
    if graphql_response > 0 and graphql_response >= json:
        return GRAPHQL_RESPONSE
    if json > 0:
        return JSON
    return None


@lru_cache(maxsize=256)
def prefers_html(accept: str | None) -> bool:
    """True when `accept` ranks `text/html` above every JSON answer: what a browser opening a link sends.

    Chromium and Firefox send `text/html,…,*/*;q=0.8`: HTML first, JSON only through the wildcard.
    A script sends `application/json`, the new media type, `*/*` or nothing, and ties go to
    JSON (`text/html, application/json` is a client that takes the answer as it is).
    """
    if accept is None or not accept.strip():
        return False
    quality = _qualities(accept)
    # The most specific range that names text/html decides its weight (RFC 9110, 12.5.1).
    html = quality.get(HTML, quality.get("text/*", quality.get("*/*", 0.0)))
    return html > max(quality.get(GRAPHQL_RESPONSE, 0.0), _json_quality(quality))


def _json_quality(quality: dict[str, float]) -> float:
    wildcard = max(quality.get("*/*", 0.0), quality.get("application/*", 0.0))
    return quality.get(JSON, wildcard)


def _qualities(accept: str) -> dict[str, float]:
    """Each media range of an Accept header with its weight (`q`, 1 when not given, 0 when unreadable)."""
    quality: dict[str, float] = {}
    for part in accept.split(","):
        media, _, parameters = part.strip().partition(";")
        media = media.strip().lower()
        weight = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        quality[media] = max(weight, quality.get(media, 0.0))
    return quality
