"""Query logic over a loaded `index.RecapIndex`: lookups, filters, pagination and search.

Each function takes the store and plain arguments and returns store records (or
None when nothing matches). It must not import `strawberry`, `starlette`, `schema`
or `recapql`: the GraphQL layer maps records to types, this layer only finds them.
"""
