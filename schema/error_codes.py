"""The codes a client reads in `errors[].extensions.code`, so it never has to parse our English.

The names are Apollo Server's (`ApolloServerErrorCode`), which GraphQL clients already know. Each
code is set by the code that decides it; nothing recovers a code from an error's message. The
endpoint's own HTTP refusals (`BAD_REQUEST`, `PERSISTED_QUERY_NOT_FOUND`, …) set theirs there.
"""

from __future__ import annotations

import enum


class ErrorCode(enum.StrEnum):
    """What kind of error an answer carries."""

    # The document is not GraphQL (a syntax error): graphql-core's parser refused it.
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    # The document is GraphQL but not valid against the schema: unknown fields or fragments,
    # literal arguments of the wrong type, unused variables… (graphql-core's validation rules).
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    # A value the API cannot use: a variable that does not coerce to its type, a date that is
    # no date, an id or cursor that is not ours, `first` outside 1..100 (resolvers' InvalidArgument).
    BAD_USER_INPUT = "BAD_USER_INPUT"
    # A document refused by one of recapql's limits; `extensions.limit` says which.
    QUERY_LIMIT_EXCEEDED = "QUERY_LIMIT_EXCEEDED"
    # A bug of ours, masked: the message carries the request id the server log has the trace under.
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
