"""A recap's documents as pages: the recap file and the original it quotes, each line with its anchor.

Every `Source.url` of the API points here, at `#L<line>`: the reader lands on the words a fact
rests on, highlighted, in the whole text around them. The text is escaped, never rendered.
"""

from __future__ import annotations

import html

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from recapql.pages.csp import content_security_policy
from recapql.pages.static_files import static_url
from store import Store

DOCUMENT_CSP = content_security_policy()


def document_routes() -> list[BaseRoute]:
    return [Route("/recaps/{recap}/documents/{name:path}", document, methods=["GET"], name="document")]


async def document(request: Request) -> Response:
    store: Store = request.state.store
    index = store.by_slug.get(request.path_params["recap"])
    name = request.path_params["name"]
    found = next((doc for doc in index.documents if doc.name == name), None) if index is not None else None
    if index is None or found is None:
        return HTMLResponse(_page("Not found", "<p>There is no such document here.</p>"), status_code=404,
                            headers={"content-security-policy": DOCUMENT_CSP})  # fmt: skip
    lines = "\n".join(
        f'<li id="L{number}"><a class="line-number" href="#L{number}">{number}</a>'
        f'<span class="text">{html.escape(line) or " "}</span></li>'
        for number, line in enumerate(found.text.split("\n"), start=1)
    )
    recap = f'<a href="/?recap={html.escape(index.slug)}">{html.escape(index.recap.event)}</a>'
    body = (
        f'<p class="muted">A document of {recap}: every fact of the recap that rests on it links to its line.</p>\n'
        f'<ol class="document">\n{lines}\n</ol>'
    )
    # The store never changes while it is loaded: a browser may keep the page a minute, as it may an answer.
    headers = {"content-security-policy": DOCUMENT_CSP, "cache-control": "public, max-age=60"}
    return HTMLResponse(_page(name, body), headers=headers)


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{html.escape(title)} · recapql</title>
    <link rel="icon" href="{static_url("favicon.svg")}">
    <link rel="stylesheet" href="{static_url("agenda/agenda.css")}">
  </head>
  <body>
    <header class="masthead"><div><h1>{html.escape(title)}</h1></div>
      <a class="graphiql-link" href="/">Back to the agenda</a></header>
    <main>
{body}
    </main>
  </body>
</html>
"""
