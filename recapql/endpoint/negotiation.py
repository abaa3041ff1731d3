"""Which response media type a client accepts (GraphQL over HTTP, "Accept" and "Body")."""

from __future__ import annotations

from functools import lru_cache

from recapql.endpoint.http_problems import GRAPHQL_RESPONSE, JSON


@lru_cache(maxsize=256)
def negotiate(accept: str | None) -> str | None:
    """`application/graphql-response+json`, `application/json`, or None when the client takes neither.

    No Accept header means a legacy client, answered with `application/json` as the spec
    allows. The new media type is chosen only when a client asks for it at least as much as
    for `application/json`: `*/*` alone (curl, old fetchers) keeps the legacy answer.
    """
    if accept is None or not accept.strip():
        return JSON
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
    wildcard = max(quality.get("*/*", 0.0), quality.get("application/*", 0.0))
    graphql_response = quality.get(GRAPHQL_RESPONSE, 0.0)
    json = quality.get(JSON, wildcard)
    if graphql_response > 0 and graphql_response >= json:
        return GRAPHQL_RESPONSE
    if json > 0:
        return JSON
    return None
