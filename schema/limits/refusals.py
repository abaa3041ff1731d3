"""How a limit refuses a document: a GraphQL error carrying its code and the limit's name.

Every rule recapql writes raises `LimitExceeded` itself, so the endpoint, the log and the
metrics read which limit refused a document from the error, never from its message.
"""

from __future__ import annotations

from typing import Literal

from graphql import GraphQLError, Node

from schema.error_codes import ErrorCode

LimitName = Literal["depth", "aliases", "tokens", "directives", "cost", "document_chars"]


def refusal(limit: LimitName) -> dict[str, object]:
    """The `extensions` of a refusal by `limit`."""
    return {"code": ErrorCode.QUERY_LIMIT_EXCEEDED, "limit": limit}


class LimitExceeded(GraphQLError):
    """A document refused by one of the limits; clients read which one from `extensions.limit`."""

    def __init__(self, message: str, limit: LimitName, nodes: Node | None = None) -> None:
        super().__init__(message, nodes, extensions=refusal(limit))
        self.limit: LimitName = limit
