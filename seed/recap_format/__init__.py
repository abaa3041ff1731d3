"""The recap format (docs/recap-format.md): `reader/` reads a file into records, `writer.py` writes it back.

`vocabulary.py` (kinds, keys, slugs) and `project_names.py` are the rules both follow; `problems.py`
is what a refused import reports (file, line, what was expected). May import `seed.markdown`,
`seed.quoting` and `store`; never `strawberry`, `starlette`, `schema`, `resolvers` or `recapql`.
"""
