"""The agenda's addresses over HTTP: every recap, day, session, project and topic path answers the shell
under the strict CSP, and a path naming something the store does not hold is a 404 (with the same shell)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpx2 import Response
from starlette.testclient import TestClient

from recapql.app import create_app
from recapql.pages.agenda import agenda_page
from recapql.pages.static_files import STATIC_FOLDER, static_version
from recapql.settings import Settings
from store import Dataset, write_datasets
from store.records import Topic
from tests.support.api import Gql
from tests.support.content_security import STRICT

RECAP = "/recaps/kubecon-eu-2018"
FOUND = [
    "/",
    "/?recap=kubecon-eu-2018",
    "/?q=linkerd&topic=service-mesh&kind=talk",
    RECAP,
    f"{RECAP}?q=security",
    f"{RECAP}/days/2018-05-01",
    f"{RECAP}/days/2018-05-04",
    f"{RECAP}/sessions/serverless-wg-bof",
    f"{RECAP}/projects/prometheus",
    f"{RECAP}/topics/service-mesh",
    f"{RECAP}/topics/chaos-engineering",
]
MISSING = [
    "/?recap=nowhere",
    "/recaps/nowhere",
    "/recaps/nowhere/sessions/serverless-wg-bof",
    f"{RECAP}/days/2018-05-05",
    f"{RECAP}/days/2018-13-01",
    f"{RECAP}/days/yesterday",
    f"{RECAP}/days/2018-5-2",
    f"{RECAP}/sessions/no-such-session",
    f"{RECAP}/projects/no-such-project",
    f"{RECAP}/topics/service%20mesh",  # a topic's name is not its slug
    f"{RECAP}/topics/no-such-topic",
]


def _is_the_shell(response: Response) -> None:
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    policy = "; ".join(f"{name} {sources}" for name, sources in STRICT.items())
    assert response.headers["content-security-policy"] == policy
    assert response.headers["cache-control"] == "no-cache"
    assert response.text == agenda_page()


@pytest.mark.parametrize("path", FOUND)
def test_each_address_of_the_agenda_answers_its_shell(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    _is_the_shell(response)


@pytest.mark.parametrize("path", MISSING)
def test_an_address_naming_nothing_is_a_404_with_the_shell(client: TestClient, path: str) -> None:
    # The shell still comes: the script says, in words, what is not there and links home.
    response = client.get(path)
    assert response.status_code == 404
    _is_the_shell(response)


def test_every_object_of_the_api_has_an_address(client: TestClient, gql: Gql) -> None:
    data = gql(
        "{ recap { days { date } sessions(first: 100) { nodes { slug } } projects(first: 100) { nodes { slug } }"
        " topics { slug } } }"
    )["recap"]
    paths = [f"{RECAP}/days/{day['date']}" for day in data["days"]]
    paths += [f"{RECAP}/sessions/{node['slug']}" for node in data["sessions"]["nodes"]]
    paths += [f"{RECAP}/projects/{node['slug']}" for node in data["projects"]["nodes"]]
    paths += [f"{RECAP}/topics/{topic['slug']}" for topic in data["topics"]]
    assert len(paths) == 4 + 24 + 44 + 35
    assert {path: client.get(path).status_code for path in paths} == dict.fromkeys(paths, 200)


@pytest.fixture(scope="module")
def clashing_client(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A recap whose topic names give the same slug twice, and one with no ASCII letter at all."""
    extra = (Topic("Service-Mesh", None), Topic("Ünïcode ✓", None), Topic("???", None))
    path = tmp_path_factory.mktemp("clashing") / "store.json"
    write_datasets(path, (dataclasses.replace(dataset, topics=dataset.topics + extra),))
    with TestClient(create_app(Settings(store_path=Path(path)))) as client:
        yield client


def test_topic_addresses_follow_the_api_s_slugs_when_names_clash(clashing_client: TestClient) -> None:
    # The pages make topic slugs as the API does, without importing the resolvers: they must agree.
    body = clashing_client.post("/graphql", json={"query": "{ topics { slug } }"}).json()
    slugs = [topic["slug"] for topic in body["data"]["topics"]]
    assert {"service-mesh", "service-mesh-2", "unicode", "topic"} <= set(slugs)
    assert {slug: clashing_client.get(f"{RECAP}/topics/{slug}").status_code for slug in slugs} == dict.fromkeys(
        slugs, 200
    )
    assert clashing_client.get(f"{RECAP}/topics/service-mesh-3").status_code == 404


def test_another_recap_s_addresses_are_its_own(two_recaps_path: Path) -> None:
    with TestClient(create_app(Settings(store_path=two_recaps_path))) as client:
        assert client.get("/recaps/example-conf-2025").status_code == 200
        assert client.get("/recaps/example-conf-2025/days/2025-06-10").status_code == 200
        # A KubeCon day is not one of Example Conf's days.
        assert client.get("/recaps/example-conf-2025/days/2018-05-02").status_code == 404
        assert client.get("/recaps/example-conf-2025/sessions/serverless-wg-bof").status_code == 404


def test_the_shell_loads_the_agenda_as_modules_and_says_what_to_do_without_javascript() -> None:
    page = agenda_page()
    version = static_version()
    assert f'<script type="module" src="/static/{version}/agenda/agenda.js"></script>' in page
    # Every module the entry imports is preloaded at once, rather than discovered import by import.
    modules = sorted(path.name for path in (STATIC_FOLDER / "agenda").glob("*.js") if path.name != "agenda.js")
    assert modules
    for name in modules:
        assert f'<link rel="modulepreload" href="/static/{version}/agenda/{name}">' in page
    noscript = page.split("<noscript>", 1)[1].split("</noscript>", 1)[0]
    assert '<a href="/graphql">/graphql</a>' in noscript
    assert "recapql query" in noscript
    assert "Loading" not in page  # the script says it is loading; without it, nothing pretends to
    assert page.count("<h1") == 1
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in page
