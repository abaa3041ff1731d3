"""The codes a client reads in `errors[].extensions.code`, so it never has to parse our English.

The names are Apollo Server's (`ApolloServerErrorCode`), which GraphQL clients already know. Each
code is set by the code that decides it; nothing recovers a code from an error's message.
"""

from __future__ import annotations

import enum


class ErrorCode(enum.StrEnum):
    """What kind of error an answer carries."""

    # A document refused by one of recapql's limits; `extensions.limit` says which.
    QUERY_LIMIT_EXCEEDED = "QUERY_LIMIT_EXCEEDED"
    # A bug of ours, masked: the message carries the request id the server log has the trace under.
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
