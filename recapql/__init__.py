"""recapql: a GraphQL API over a conference recap. This package is the composition root.

Exposes `__version__` only, so that importing it costs nothing. The app factory is
`recapql.app.create_app(settings)`, the settings `recapql.settings.Settings`, the command line
`recapql.cli`; the wings are `recapql.endpoint` (GraphQL over HTTP), `recapql.observability`
(logs, metrics) and `recapql.pages` (what a browser sees). It wires `schema`, `store` and
`seed` together and is the only package that knows about HTTP and processes.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("recapql")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
