"""The agenda page, GraphiQL's page and our static files, over HTTP: own origin only, strict CSP, long caching."""

from __future__ import annotations

import hashlib
import re

from graphql import OperationDefinitionNode, parse
from starlette.testclient import TestClient

from recapql.pages.graphiql import EXAMPLES, examples
from recapql.pages.static_files import STATIC_FOLDER, static_version
from tests.support.api import ClientWith
from tests.support.content_security import STRICT, directives_of

ASSET = re.compile(r'(?:src|href)="([^"]+)"')


def _assets(html: str) -> list[str]:
    return [url for url in ASSET.findall(html) if url != "/graphql"]


def test_the_agenda_is_the_home_page(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<a class="graphiql-link" href="/graphql">' in response.text
    assert all(url.startswith(f"/static/{static_version()}/") for url in _assets(response.text))


def test_the_agenda_allows_nothing_inline_and_nothing_foreign(client: TestClient) -> None:
    response = client.get("/")
    policy = directives_of(response.headers["content-security-policy"])
    assert policy == STRICT
    assert "<script>" not in response.text
    assert "style=" not in response.text
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", response.text)


def test_graphiql_loads_only_our_files_under_a_strict_policy(client: TestClient) -> None:
    response = client.get("/graphql", headers={"accept": "text/html"})
    assets = _assets(response.text)
    assert {url.rsplit("/", 1)[1] for url in assets} >= {
        "react.production.min.js",
        "react-dom.production.min.js",
        "graphiql.min.js",
        "graphiql.min.css",
        "graphiql-plugin-explorer.umd.js",
    }
    assert all(url.startswith(f"/static/{static_version()}/") for url in assets)
    assert not re.search(r"https?://", response.text)  # no CDN, and no example points elsewhere
    assert not re.search(r"<script>", response.text)  # the config is JSON, not code
    policy = directives_of(response.headers["content-security-policy"])
    # GraphiQL's stylesheet carries its fonts as data: URLs; nothing else is loosened.
    assert policy == {**STRICT, "img-src": "'self' data:", "font-src": "'self' data:"}


def test_graphiql_opens_with_the_readme_examples_as_tabs(client: TestClient) -> None:
    tabs = [tab["query"] for tab in examples()]
    assert len(tabs) == len(list(EXAMPLES.glob("*.graphql")))
    assert tabs[0] == "# recapql/examples/days_with_sessions.graphql\n" + (
        EXAMPLES / "days_with_sessions.graphql"
    ).read_text(encoding="utf-8")
    # GraphiQL titles a tab by its operation's name: the examples' own names, as the tabs always had.
    assert [tab.splitlines()[1].split(" {")[0] for tab in tabs] == [
        "query DaysWithSessions",
        "query Search",
        "query SessionsByTopic",
        "query NodeRefetch",
        "query Buzzwords",
        "query FacetedOrderedPage",
        "query ProjectWithSessions",
        "query Recap",
        "query Recaps",
        "query SearchAllRecaps",
        "query SearchWithSnippets",
        "query WhereFactsComeFrom",
    ]
    page = client.get("/graphql", headers={"accept": "text/html"}).text
    assert "query DaysWithSessions" in page


def test_every_example_is_one_operation_named_after_its_file() -> None:
    # graphql-codegen refuses anonymous operations; the names are the tabs' names, unchanged.
    for path in sorted(EXAMPLES.glob("*.graphql")):
        document = parse(path.read_text(encoding="utf-8"))
        [operation] = document.definitions
        assert isinstance(operation, OperationDefinitionNode), path.name
        expected = "".join(word.capitalize() for word in path.stem.split("_"))
        assert operation.name is not None, f"{path.name} is an anonymous operation"
        assert operation.name.value == expected


def test_static_files_are_cached_for_a_year(client: TestClient) -> None:
    response = client.get(f"/static/{static_version()}/vendor/graphiql.min.js")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-type"].startswith("text/javascript")


def test_an_old_static_version_is_not_served(client: TestClient) -> None:
    assert client.get("/static/000000000000/vendor/graphiql.min.js").status_code == 404


def test_every_vendored_library_keeps_its_licence_and_pinned_version() -> None:
    vendor = STATIC_FOLDER / "vendor"
    versions = (vendor / "VERSIONS").read_text(encoding="utf-8")
    for library in ("react@18.2.0", "react-dom@18.2.0", "graphiql@3.8.3", "@graphiql/plugin-explorer@1.0.2"):
        assert f"{library}  MIT  sha512-" in versions
    for licence in ("react", "react-dom", "graphiql", "graphiql-plugin-explorer"):
        assert "MIT License" in (vendor / f"LICENSE.{licence}").read_text(encoding="utf-8")


def test_the_vendored_files_are_the_ones_scripts_vendor_graphiql_wrote() -> None:
    # VERSIONS ends with the files' sha256 sums: a hand edit to a vendored file shows here.
    vendor = STATIC_FOLDER / "vendor"
    sums = re.findall(r"^([0-9a-f]{64})  \./(\S+)$", (vendor / "VERSIONS").read_text(encoding="utf-8"), re.MULTILINE)
    assert {name for _, name in sums} == {path.name for path in vendor.glob("*.[jc]s*")}
    for digest, name in sums:
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest, name


def test_the_agenda_is_served_in_production_too(client_with: ClientWith) -> None:
    with client_with(env="production") as client:
        assert client.get("/").status_code == 200
        assert client.get("/graphql", headers={"accept": "text/html"}).status_code == 404


def test_a_recap_s_documents_are_pages_with_a_line_anchor_each(client: TestClient) -> None:
    response = client.get("/recaps/kubecon-eu-2018/documents/sources/kubecon-eu-2018-copenhagen-recap.txt")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<li id="L86"><a class="line-number" href="#L86">86</a><span class="text">Serverless WG BOF</span>' in (
        response.text
    )
    assert directives_of(response.headers["content-security-policy"]) == STRICT
    recap_file = client.get("/recaps/kubecon-eu-2018/documents/kubecon-eu-2018.md")
    assert recap_file.status_code == 200
    assert "&lt;" not in recap_file.text or "<script" not in recap_file.text.split("<main>")[1]
    assert client.get("/recaps/kubecon-eu-2018/documents/nothing.txt").status_code == 404
    assert client.get("/recaps/nowhere/documents/kubecon-eu-2018.md").status_code == 404


def test_the_agenda_s_header_links_the_recap_shown_to_its_calendar(client: TestClient) -> None:
    page = client.get("/").text
    header = page.split("<header", 1)[1].split("</header>", 1)[0]
    # Hidden until the agenda's script knows the recap shown, then it links to that recap's calendar.
    assert '<a id="calendar-link" class="graphiql-link" type="text/calendar" hidden>Add to calendar</a>' in header
    script = (STATIC_FOLDER / "agenda" / "masthead.js").read_text(encoding="utf-8")
    assert 'const base = pathOf(recap.slug, "agenda");' in script
    assert 'calendar.setAttribute("href", base + "/calendar.ics");' in script
    assert directives_of(client.get("/").headers["content-security-policy"]) == STRICT
    assert client.get("/recaps/kubecon-eu-2018/calendar.ics").status_code == 200
