"""recapql: a GraphQL API over a conference recap.

Exposes `create_app` (the Starlette application factory) and `Settings`. The
command line lives in `recapql.cli`; this package wires `schema`, `store` and
`seed` together and is the only one that knows about HTTP and processes.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("recapql")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
