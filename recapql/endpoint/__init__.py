"""The GraphQL endpoint at `/graphql`: GraphQL over HTTP on Strawberry's ASGI view.

Holds the view, content negotiation, request parameters, HTTP refusals, the response cache,
the early answers (repeats of cached requests, answered by the server's protocol) and automatic
persisted queries. May import `schema`, `store`, `recapql.settings`,
`recapql.observability` (to fill in what it learned about a request) and `recapql.pages`
(GraphiQL's page); never `recapql.app` or `recapql.cli`.
"""
