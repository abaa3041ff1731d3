"""A recap's pictures at `/recaps/<slug>/pictures`: topics by day and projects by session, drawn in the browser.

The server sends a shell; pictures.js asks /graphql for the numbers, as any client would, and
draws each picture as SVG beside a table of the same numbers. The store is read only to answer
404 for a recap it does not hold and to name the event before the script runs.
"""

from __future__ import annotations

import html

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from recapql.pages.csp import content_security_policy
from recapql.pages.static_files import module_script, static_url
from store import Store

# Our scripts and stylesheet only; the SVG is styled through classes, since the policy
# blocks `style=` attributes as it blocks inline stylesheets.
PICTURES_CSP = content_security_policy()


def picture_routes() -> list[BaseRoute]:
    return [Route("/recaps/{recap}/pictures", pictures, methods=["GET"], name="pictures")]


async def pictures(request: Request) -> Response:
    store: Store = request.state.store
    slug = request.path_params["recap"]
    index = store.by_slug.get(slug)
    if index is None:
        return HTMLResponse(not_found_page(slug), status_code=404, headers={"content-security-policy": PICTURES_CSP})
    # no-cache: the shell names the current static version, which a deploy changes.
    headers = {"content-security-policy": PICTURES_CSP, "cache-control": "no-cache"}
    return HTMLResponse(pictures_page(index.slug, index.recap.event), headers=headers)


def _page(title: str, head: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="color-scheme" content="light dark">
    <title>{html.escape(title)} · recapql</title>
    <link rel="icon" href="{static_url("favicon.svg")}">
    <link rel="stylesheet" href="{static_url("pictures/pictures.css")}">{head}
  </head>
  <body>
{body}
    <footer class="muted">Every number is the API's, from <a href="/graphql">/graphql</a>; nothing invented.</footer>
  </body>
</html>
"""


def pictures_page(slug: str, event: str) -> str:
    """The shell for one recap: pictures.js reads the recap's slug from `data-recap` and fills `main`."""
    recap, name = html.escape(slug), html.escape(event)
    script = module_script("pictures", "pictures.js")
    body = f"""    <header class="masthead">
      <div>
        <h1>Pictures of {name}</h1>
        <p class="muted">How the recap's topics moved through the days, and which projects came up where.</p>
      </div>
      <nav class="masthead-links" aria-label="This recap elsewhere">
        <a class="masthead-link" href="/recaps/{recap}">Back to the agenda</a>
        <a class="masthead-link" href="/graphql">Open GraphiQL</a>
      </nav>
    </header>
    <main id="pictures" data-recap="{recap}">
      <noscript><p class="notice">These pictures are drawn by JavaScript. Without it, ask the same numbers
        in GraphiQL at <a href="/graphql">/graphql</a>, or on the command line with <code>recapql query</code>.
      </p></noscript>
      <div id="status" class="status" role="status"><p id="status-text">Loading the pictures…</p></div>
    </main>"""
    return _page(f"Pictures of {event}", script, body)


def not_found_page(slug: str) -> str:
    """The 404 for a recap the store does not hold: plain words, and where to go instead."""
    body = f"""    <header class="masthead">
      <div><h1>No such recap</h1></div>
      <nav class="masthead-links" aria-label="Elsewhere"><a class="masthead-link" href="/">The agenda</a></nav>
    </header>
    <main id="pictures">
      <p class="notice">There is no recap “{html.escape(slug)}” here, so there is nothing to draw.
        The <a href="/">agenda</a> lists the recaps this server holds.</p>
    </main>"""
    return _page("No such recap", "", body)
