"""Our own static files (the agenda, GraphiQL and its vendored libraries) under a versioned path.

The path holds a hash of the files' contents, so a browser may keep each file for a year
(`immutable`): any change to any file gives every file a new URL. Nothing is loaded from a CDN.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC_FOLDER = Path(__file__).with_name("static")
LONG_CACHE = "public, max-age=31536000, immutable"


@cache
def static_version() -> str:
    """A short hash of every static file's path and contents."""
    digest = hashlib.sha256()
    for path in sorted(STATIC_FOLDER.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(STATIC_FOLDER).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def static_url(name: str) -> str:
    """The URL of static file `name` (e.g. "vendor/graphiql.min.js")."""
    return f"/static/{static_version()}/{name}"


class VersionedStaticFiles(StaticFiles):
    """Starlette's StaticFiles, telling browsers the files never change at this URL."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["cache-control"] = LONG_CACHE
        return response


@cache
def module_script(folder: str, entry: str) -> str:
    """The `<script type="module">` of `folder/entry` and a modulepreload link per other module of `folder`.

    The browser then fetches the modules at once, not import by import.
    """
    names = sorted(path.name for path in (STATIC_FOLDER / folder).glob("*.js") if path.name != entry)
    script = f'\n    <script type="module" src="{static_url(f"{folder}/{entry}")}"></script>'
    return script + "".join(
        f'\n    <link rel="modulepreload" href="{static_url(f"{folder}/{name}")}">' for name in names
    )
