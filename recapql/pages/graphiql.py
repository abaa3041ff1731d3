"""GraphiQL as we serve it: every script and style from our own origin, a strict CSP, ready examples.

Strawberry's page loads React, GraphiQL and the explorer plugin from unpkg.com; this one loads
the same releases (vendored by scripts/vendor-graphiql) from /static/<version>/. A first visit
opens on a welcome tab, then the examples of recapql/examples/, the nested agenda query first.
graphiql-boot.js keeps the address in step with the editor, so a query can be linked.
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


# The first tab of a first visit: what the data is and where to start, in GraphQL comments over a
# query that runs. Paths, not links: they name the repository's docs, which this server does not serve.
WELCOME = """\
# Welcome to recapql: conference recaps as data.
# Each recap has days, sessions, projects, topics and
# recommendations, and each fact its `source` (the
# document, line and words); what it omits is null.
#
# Start with the Docs (the first button on the left),
# the example tabs beside this one, `recaps` and
# `search(query: "…")`. Run this tab with ▶ or
# Ctrl-Enter. The address follows the editor: copy
# it to share a query.
#
# More in the repository: docs/api.md (the examples),
# docs/http.md, docs/limits.md, docs/recap-format.md.
query Welcome {
  recaps {
    totalCount
    nodes { slug event city startDate endDate }
  }
}
"""


def welcome() -> dict[str, str]:
    """The welcome as a GraphiQL tab (titled "Welcome", after its operation)."""
    return {"query": WELCOME}


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
    config = json.dumps({"endpoint": "/graphql", "welcome": welcome(), "examples": examples()})
    config = config.replace("</", "<\\/")
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
    <main>
      <h1 class="visually-hidden">recapql: GraphiQL, an editor for queries to /graphql</h1>
      <div id="graphiql">Loading GraphiQL…</div>
      <noscript>GraphiQL needs JavaScript. Without it, send queries to /graphql with curl, or run them with
        <code>recapql query</code> (see docs/api.md in the repository).</noscript>
    </main>
    <script type="application/json" id="graphiql-config">{config}</script>
  </body>
</html>
"""
