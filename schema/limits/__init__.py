"""Whatever guards and prices a request before it runs: the limits, their rules, the cost, the document cache.

`enforcement.py` holds `Limits` and the extension applying them; `rules.py` the depth, alias and
directive rules, `cost.py` the cost rule, `refusals.py` the error every limit raises. May import
`schema.error_codes`, graphql-core, Strawberry, `resolvers` and `store`; nothing else of `schema`.
"""
