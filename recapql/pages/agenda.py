"""The agenda reader: one HTML shell at every path a reader can link to, filled by agenda.js from /graphql.

`/` (the default recap), `/recaps/<slug>`, and a recap's days, sessions, projects and topics
each have a path; the script reads the path (and `?q=`, `?topic=`, `?project=`, `?kind=`) and
shows that view. The server answers each with the same shell, and 404 when the recap or the
object it names does not exist, so a mistyped link is a 404 to browsers, crawlers and curl alike.
"""

from __future__ import annotations

import datetime
from collections.abc import Awaitable, Callable, Mapping
from functools import cache

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from recapql.pages.csp import content_security_policy
from recapql.pages.static_files import STATIC_FOLDER, VersionedStaticFiles, module_script, static_url, static_version
from store import RecapIndex, Store
from store.topic_slugs import TopicSlugs

# The agenda runs our scripts only and styles from our stylesheet only: nothing inline at all,
# and nothing from another origin (its one image is our favicon).
AGENDA_CSP = content_security_policy()
# Each path the agenda shows, with the object kind its last segment names (None: the recap itself).
AGENDA_PATHS: Mapping[str, str | None] = {
    "/recaps/{recap}": None,
    "/recaps/{recap}/days/{key}": "day",
    "/recaps/{recap}/sessions/{key}": "session",
    "/recaps/{recap}/projects/{key}": "project",
    "/recaps/{recap}/topics/{key}": "topic",
}


def page_routes() -> list[BaseRoute]:
    """The agenda at `/` and at each of its paths, and every static file under `/static/<version>/`."""
    return [
        Route("/", _shows(None), methods=["GET"], name="agenda"),
        *(Route(path, _shows(kind), methods=["GET"]) for path, kind in AGENDA_PATHS.items()),
        Mount(f"/static/{static_version()}", app=VersionedStaticFiles(directory=STATIC_FOLDER), name="static"),
    ]


def _shows(kind: str | None) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint of a path naming a recap and, unless `kind` is None, one of its days, sessions…"""

    async def agenda(request: Request) -> Response:
        found = _names_something(request.state.store, request, kind)
        # no-cache, not immutable: the page names the current static version, which a deploy changes.
        return HTMLResponse(
            agenda_page(),
            status_code=200 if found else 404,
            headers={"content-security-policy": AGENDA_CSP, "cache-control": "no-cache"},
        )

    return agenda


def _names_something(store: Store, request: Request, kind: str | None) -> bool:
    """Whether the recap and the object the request's path names exist (the script says which does not)."""
    # `/?recap=<slug>`, the links of earlier releases, still opens a recap (the script moves it to its path).
    index = store.recap(request.path_params.get("recap", request.query_params.get("recap")))
    if index is None:
        return False
    return kind is None or _holds(index, kind, request.path_params["key"])


def _holds(index: RecapIndex, kind: str, key: str) -> bool:
    if kind == "session":
        return key in index.session_by_slug
    if kind == "project":
        return key in index.project_by_slug
    if kind == "topic":
        return key in TopicSlugs(index.topics).by_slug
    try:
        return datetime.date.fromisoformat(key) in index.day_by_date if len(key) == 10 else False
    except ValueError:
        return False


@cache
def agenda_page() -> str:
    """The agenda's HTML shell: agenda.js fills it from one query to /graphql."""
    return f"""<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="color-scheme" content="light dark">
    <title>recapql</title>
    <link rel="icon" href="{static_url("favicon.svg")}">
    <link rel="stylesheet" href="{static_url("agenda/agenda.css")}">{module_script("agenda", "agenda.js")}
  </head>
  <body>
    <header class="masthead">
      <div class="masthead-text">
        <h1 id="title">recapql</h1>
        <p id="subtitle" class="muted"></p>
        <p id="verdict" class="verdict" hidden></p>
        <details id="recap-notes" class="recap-notes" hidden><summary></summary><ul></ul></details>
      </div>
      <nav class="masthead-links" aria-label="This recap elsewhere">
        <a id="calendar-link" class="graphiql-link" type="text/calendar" hidden>Add to calendar</a>
        <a id="pictures-link" class="graphiql-link" hidden>Pictures</a>
        <a class="graphiql-link" href="/graphql">Open GraphiQL</a>
      </nav>
    </header>
    <main id="main">
      <noscript><p class="notice">This agenda needs JavaScript. Without it, ask the same API in GraphiQL
        at <a href="/graphql">/graphql</a>, or on the command line:
        <code>recapql query '{{ days {{ date title }} }}'</code>.</p></noscript>
      <nav id="recaps" class="recaps" aria-label="Recaps" hidden></nav>
      <form id="controls" class="controls" role="search" aria-label="Search and filter the agenda">
        <label>Search
          <input id="search" type="search" placeholder="helm, security, serverless…" autocomplete="off">
        </label>
        <label id="search-all-label" class="inline" hidden><input id="search-all" type="checkbox"> all recaps</label>
        <label>Topic <select id="topic"><option value="">All topics</option></select></label>
        <label>Project <select id="project"><option value="">All projects</option></select></label>
        <label>Kind <select id="kind"><option value="">All kinds</option></select></label>
        <button id="clear" type="reset">Clear</button>
      </form>
      <div id="problem" class="problem" role="alert" hidden>
        <p id="problem-text"></p>
        <button id="retry" type="button">Retry</button>
      </div>
      <p id="status" class="muted" aria-live="polite"></p>
      <section id="results" class="results" aria-labelledby="results-title" hidden></section>
      <div id="view"></div>
    </main>
    <footer class="muted">
      Data from the recap's text; nothing invented. Built on <a href="/graphql">/graphql</a>.
    </footer>
  </body>
</html>
"""
