"""The pictures page over HTTP: a shell under the strict CSP for a recap the store holds, a 404 for any other."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from recapql.app import create_app
from recapql.pages.static_files import STATIC_FOLDER, static_version
from recapql.settings import Settings
from tests.support.content_security import STRICT, directives_of

PICTURES = STATIC_FOLDER / "pictures"


def _assets(page: str) -> list[str]:
    return [url for url in re.findall(r'(?:src|href)="([^"]+)"', page) if url.startswith("/static/")]


def test_a_recap_has_a_pictures_page_under_the_strict_policy(client: TestClient) -> None:
    response = client.get("/recaps/kubecon-eu-2018/pictures")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert directives_of(response.headers["content-security-policy"]) == STRICT
    assert response.headers["cache-control"] == "no-cache"
    assert "<h1>Pictures of KubeCon + CloudNativeCon Europe 2018</h1>" in response.text
    assert 'data-recap="kubecon-eu-2018"' in response.text
    assert '<a class="masthead-link" href="/recaps/kubecon-eu-2018">Back to the agenda</a>' in response.text


def test_the_pictures_page_loads_only_our_own_files_and_nothing_inline(client: TestClient) -> None:
    page = client.get("/recaps/kubecon-eu-2018/pictures").text
    assets = _assets(page)
    assert f"/static/{static_version()}/pictures/pictures.js" in assets
    assert f"/static/{static_version()}/pictures/pictures.css" in assets
    # Every module pictures.js imports is preloaded, and each preload names a file that is served.
    modules = {path.name for path in PICTURES.glob("*.js")}
    assert {url.rsplit("/", 1)[1] for url in assets if url.endswith(".js")} == modules
    for url in assets:
        served = client.get(url)
        assert served.status_code == 200, url
    assert not re.search(r"<script>|<style|style=", page)
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", page)


def test_an_unknown_recap_is_a_404_page_that_says_so(client: TestClient) -> None:
    response = client.get("/recaps/no-such-recap/pictures")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert directives_of(response.headers["content-security-policy"]) == STRICT
    assert "There is no recap “no-such-recap” here" in response.text
    assert "pictures.js" not in response.text


def test_a_recap_slug_is_escaped_on_the_404_page(client: TestClient) -> None:
    response = client.get("/recaps/%3Cb%3Ebold/pictures")
    assert response.status_code == 404
    assert "<b>bold" not in response.text
    assert "&lt;b&gt;bold" in response.text


def test_the_scripts_build_the_page_with_dom_calls_only() -> None:
    # No markup from strings (the CSP would not stop injected markup, only its scripts), no eval,
    # and ES modules throughout.
    for path in PICTURES.glob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function", text), path
        assert "style=" not in text, path
        assert ".style." not in text, path
    assert 'import { loadPictures } from "./counts.js";' in (PICTURES / "pictures.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def two_recaps_client(two_recaps_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store_path=two_recaps_path))) as client:
        yield client


def test_each_recap_of_a_store_has_its_own_pictures_page(two_recaps_client: TestClient) -> None:
    example = two_recaps_client.get("/recaps/example-conf-2025/pictures")
    kubecon = two_recaps_client.get("/recaps/kubecon-eu-2018/pictures")
    assert example.status_code == kubecon.status_code == 200
    assert 'data-recap="example-conf-2025"' in example.text
    assert "<h1>Pictures of Example Conf 2025</h1>" in example.text
    assert 'data-recap="kubecon-eu-2018"' in kubecon.text
