"""GraphiQL as we serve it: every script and style from our own origin, a strict CSP, ready examples.

Strawberry's page loads React, GraphiQL and the explorer plugin from unpkg.com; this one loads
the same releases (vendored by scripts/vendor-graphiql) from /static/<version>/. The examples
of recapql/examples/ open as tabs, the nested agenda query first.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from recapql.pages.csp import content_security_policy
from recapql.pages.static_files import static_url

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
# The README's examples, in the order the tabs show them; any other file follows.
FIRST_EXAMPLES = ("days_with_sessions", "search", "sessions_by_topic", "node_refetch")

# The strict policy; GraphiQL 3 starts no workers. graphiql.min.css embeds its fonts (Fira Code,
# Roboto) as data: URLs, and its icons as data: images.
GRAPHIQL_CSP = content_security_policy(img_src="'self' data:", font_src="'self' data:")


def examples() -> list[dict[str, str]]:
    """Each example as a GraphiQL tab, the README's four first, then the others by name."""
    paths = sorted(EXAMPLES.glob("*.graphql"), key=lambda path: (_rank(path), path.stem))
    return [{"query": _tab_query(path)} for path in paths]


def _rank(path: Path) -> int:
    return FIRST_EXAMPLES.index(path.stem) if path.stem in FIRST_EXAMPLES else len(FIRST_EXAMPLES)


def _tab_query(path: Path) -> str:
    """The example as written, named after its file: GraphiQL titles a tab by its operation's name."""
    text = path.read_text(encoding="utf-8")
    name = "".join(word.capitalize() for word in path.stem.split("_"))
    if text.startswith("{"):  # the README's examples are anonymous queries, kept short
        text = f"query {name} {text}"
    return f"# recapql/examples/{path.name}\n{text}"


@cache
def graphiql_page() -> str:
    """The page's HTML (the same for every request)."""
    # JSON in a non-executable script element: "</" must not close the element early.
    config = json.dumps({"endpoint": "/graphql", "tabs": examples()}).replace("</", "<\\/")
    styles = "\n".join(
        f'    <link rel="stylesheet" href="{static_url(name)}">'
        for name in ("vendor/graphiql.min.css", "vendor/graphiql-plugin-explorer.css", "graphiql.css")
    )
    scripts = "\n".join(
        f'    <script src="{static_url(name)}" defer></script>'
        for name in (
            "vendor/react.production.min.js",
            "vendor/react-dom.production.min.js",
            "vendor/graphiql.min.js",
            "vendor/graphiql-plugin-explorer.umd.js",
            "graphiql-boot.js",
        )
    )
    return f"""<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>recapql · GraphiQL</title>
    <link rel="icon" href="{static_url("favicon.svg")}">
{styles}
{scripts}
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script type="application/json" id="graphiql-config">{config}</script>
  </body>
</html>
"""
