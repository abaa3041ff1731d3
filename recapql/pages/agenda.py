"""The pages a browser sees: the agenda at `/` and our static files; GraphiQL is the view's own page."""

from __future__ import annotations

from functools import cache

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from recapql.pages.csp import content_security_policy
from recapql.pages.static_files import STATIC_FOLDER, VersionedStaticFiles, static_url, static_version

# The agenda runs our script only and styles from our stylesheet only: nothing inline at all,
# and nothing from another origin (its one image is our favicon).
AGENDA_CSP = content_security_policy()


def page_routes() -> list[BaseRoute]:
    """The agenda at `/` and every static file under `/static/<version>/`."""
    return [
        Route("/", agenda, methods=["GET"], name="agenda"),
        Mount(f"/static/{static_version()}", app=VersionedStaticFiles(directory=STATIC_FOLDER), name="static"),
    ]


@cache
def agenda_page() -> str:
    """The agenda's HTML shell: agenda.js fills it from one query to /graphql."""
    return f"""<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>recapql</title>
    <link rel="icon" href="{static_url("favicon.svg")}">
    <link rel="stylesheet" href="{static_url("agenda/agenda.css")}">
    <script src="{static_url("agenda/agenda.js")}" defer></script>
  </head>
  <body>
    <header class="masthead">
      <div>
        <h1 id="title">recapql</h1>
        <p id="subtitle" class="muted">Loading the agenda…</p>
      </div>
      <div class="masthead-links">
        <a id="calendar-link" class="graphiql-link" type="text/calendar" hidden>Add to calendar</a>
        <a class="graphiql-link" href="/graphql">Open GraphiQL</a>
      </div>
    </header>
    <main>
      <nav id="recaps" class="recaps" aria-label="Recaps" hidden></nav>
      <form id="controls" class="controls" role="search">
        <label>Search
          <input id="search" type="search" placeholder="helm, security, serverless…" autocomplete="off">
        </label>
        <label id="search-all-label" class="inline" hidden><input id="search-all" type="checkbox"> all recaps</label>
        <label>Topic <select id="topic"><option value="">All topics</option></select></label>
        <label>Project <select id="project"><option value="">All projects</option></select></label>
        <button id="clear" type="reset">Clear</button>
      </form>
      <p id="status" class="muted" aria-live="polite"></p>
      <section id="results" class="results" aria-live="polite" hidden></section>
      <div id="days"></div>
      <section id="recommendations" aria-labelledby="recommendations-title">
        <h2 id="recommendations-title">Recommendations</h2>
      </section>
    </main>
    <footer class="muted">
      Data from the recap's text; nothing invented. Built on <a href="/graphql">/graphql</a>.
    </footer>
  </body>
</html>
"""


async def agenda(request: Request) -> Response:
    # no-cache, not immutable: the page names the current static version, which a deploy changes.
    return HTMLResponse(agenda_page(), headers={"content-security-policy": AGENDA_CSP, "cache-control": "no-cache"})
