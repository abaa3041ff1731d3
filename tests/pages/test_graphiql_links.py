"""GraphiQL links over HTTP: a browser's GET of `/graphql?query=…` gets GraphiQL, a script's the answer.

The browser side (the address following the editor, the linked tab) is in tests/browser/test_graphiql.py.
"""

from __future__ import annotations

import json
import re

import pytest
from starlette.testclient import TestClient

from recapql.endpoint.negotiation import prefers_html
from recapql.pages.graphiql import GRAPHIQL_CSP, WELCOME, examples
from tests.support.api import ClientWith, Gql
from tests.support.repository import ROOT

QUERY = "query DayTitle($date: Date!) { day(date: $date) { date title } }"
VARIABLES = '{"date": "2018-05-02"}'
# What Chromium 120+ and Firefox 120+ send when a link is opened.
CHROMIUM = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
    "application/signed-exchange;v=b3;q=0.7"
)
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SCRIPTS = [
    "application/json",
    "application/graphql-response+json, application/json;q=0.9",
    "*/*",
    "",
    "text/html, application/json",  # a tie goes to the answer
    "text/html;q=0.5, application/json",
]


@pytest.mark.parametrize("accept", [CHROMIUM, FIREFOX, "text/html"])
def test_a_browser_opening_a_query_link_gets_graphiql(client: TestClient, accept: str) -> None:
    response = client.get("/graphql", params={"query": QUERY, "variables": VARIABLES}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-security-policy"] == GRAPHIQL_CSP
    assert "Accept" in response.headers["vary"]
    # The page names this deploy's static files: a cache must ask again, not keep it for a minute.
    assert response.headers["cache-control"] == "no-cache"
    assert 'id="graphiql-config"' in response.text
    # The page is the same for every link: the boot script reads the query from the address,
    # so nothing of the request is written into the HTML.
    assert "DayTitle" not in response.text


@pytest.mark.parametrize("accept", SCRIPTS)
def test_a_script_s_get_of_the_same_link_still_gets_the_answer(client: TestClient, accept: str) -> None:
    response = client.get("/graphql", params={"query": QUERY, "variables": VARIABLES}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] in {"application/json", "application/graphql-response+json"}
    assert response.json()["data"]["day"]["date"] == "2018-05-02"
    assert "Accept" in response.headers["vary"]
    assert response.headers["etag"]


def test_head_of_a_query_link_answers_as_the_get_without_a_body(client: TestClient) -> None:
    page = client.head("/graphql", params={"query": QUERY}, headers={"accept": CHROMIUM})
    answer = client.head("/graphql", params={"query": QUERY, "variables": VARIABLES}, headers={"accept": "*/*"})
    assert (page.status_code, page.content, page.headers["content-type"]) == (200, b"", "text/html; charset=utf-8")
    assert "Accept" in page.headers["vary"]
    assert (answer.status_code, answer.content) == (200, b"")
    assert answer.headers["content-type"] == "application/json; charset=utf-8"
    assert "Accept" in answer.headers["vary"]


def test_graphiql_without_a_query_names_accept_in_vary_too(client: TestClient) -> None:
    response = client.get("/graphql", headers={"accept": CHROMIUM})
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "Accept" in response.headers["vary"]


def test_where_graphiql_is_off_a_browser_s_link_gets_the_answer(client_with: ClientWith) -> None:
    with client_with(env="production") as client:
        response = client.get("/graphql", params={"query": QUERY, "variables": VARIABLES}, headers={"accept": CHROMIUM})
    assert response.status_code == 200
    assert response.json()["data"]["day"]["date"] == "2018-05-02"


def test_a_post_asking_for_html_is_still_refused(client: TestClient) -> None:
    response = client.post(
        "/graphql", json={"query": QUERY, "variables": json.loads(VARIABLES)}, headers={"accept": CHROMIUM}
    )
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert client.post("/graphql", json={"query": QUERY}, headers={"accept": "text/html"}).status_code == 406


@pytest.mark.parametrize(
    ("accept", "browser"),
    [
        (CHROMIUM, True),
        (FIREFOX, True),
        ("text/*", True),
        ("text/html;q=0.9, application/json;q=0.8", True),
        ("text/html;q=0, */*", False),
        ("TEXT/HTML", True),
        (None, False),
        *((accept, False) for accept in SCRIPTS),
    ],
)
def test_prefers_html_is_html_ranked_above_every_json_answer(accept: str | None, browser: bool) -> None:
    assert prefers_html(accept) is browser


def test_graphiql_opens_on_the_welcome_then_the_examples(client: TestClient) -> None:
    page = client.get("/graphql", headers={"accept": "text/html"}).text
    config = json.loads(re.search(r'id="graphiql-config">(.*?)</script>', page, re.DOTALL)[1])  # type: ignore[index]
    assert config["welcome"] == {"query": WELCOME}
    assert config["examples"] == examples()
    assert WELCOME.splitlines()[0] == "# Welcome to recapql: conference recaps as data."


def test_the_welcome_runs_and_lists_the_recaps(gql: Gql) -> None:
    data = gql(WELCOME)
    assert data["recaps"]["totalCount"] == 1
    assert data["recaps"]["nodes"] == [
        {
            "slug": "kubecon-eu-2018",
            "event": "KubeCon + CloudNativeCon Europe 2018",
            "city": "Copenhagen",
            "startDate": "2018-05-01",
            "endDate": "2018-05-04",
        }
    ]


def test_the_welcome_names_where_to_start_and_docs_that_exist() -> None:
    for start in ("Docs", "`recaps`", "`search(query:", "example tabs"):
        assert start in WELCOME
    documents = re.findall(r"docs/[\w-]+\.md", WELCOME)
    assert documents == ["docs/api.md", "docs/http.md", "docs/limits.md", "docs/recap-format.md"]
    assert all((ROOT / document).is_file() for document in documents)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(f"]({document})" in readme for document in documents)
    # Comments over one query: a GraphiQL tab titled after its operation.
    assert next(line for line in WELCOME.splitlines() if not line.startswith("#")) == "query Welcome {"
