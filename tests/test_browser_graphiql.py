"""GraphiQL in headless Chromium: served wholly by us, it runs the default query and shows the result."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import chromium_page, screenshot
from live_server import live_server


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("graphiql") / "store.json"
    with live_server(env={"RECAPQL_STORE": str(store)}) as server:
        yield server.url


def test_graphiql_loads_offline_and_runs_the_default_query(server_url: str) -> None:
    with chromium_page() as (page, recorder):
        page.goto(f"{server_url}/graphql")
        page.wait_for_selector(".graphiql-container", timeout=20_000)
        # The docs pane needs the schema: wait until introspection has answered.
        page.wait_for_selector(".graphiql-execute-button", timeout=20_000)
        page.click(".graphiql-execute-button")
        result = page.locator(".result-window")
        result.get_by_text('"2018-05-01"').first.wait_for(timeout=20_000)
        text = result.inner_text()
        path = screenshot(page, "graphiql")
    assert '"days"' in text
    assert '"OpenStack SIG Deep Dive"' in text or '"title"' in text
    assert recorder.outside(server_url) == [], "a request left 127.0.0.1"
    assert any(url.endswith("/graphql") for url in recorder.requests)
    assert recorder.errors == []
    assert Path(path).stat().st_size > 10_000


def test_graphiql_offers_the_readme_examples_and_the_documentation(server_url: str) -> None:
    with chromium_page() as (page, recorder):
        page.goto(f"{server_url}/graphql")
        page.wait_for_selector(".graphiql-tab", timeout=20_000)
        tabs = page.locator(".graphiql-tab").count()
        page.get_by_label("Show Documentation Explorer").click()
        docs = page.locator(".graphiql-doc-explorer")
        docs.get_by_text("Query", exact=True).first.click()
        docs.get_by_text("The root of every query").first.wait_for(timeout=20_000)
        docs.get_by_text("session", exact=True).first.click()
        docs.get_by_text("The session with this slug, or null if there is none.").first.wait_for(timeout=10_000)
        page.locator(".graphiql-tab").nth(1).click()
        second = page.locator(".graphiql-query-editor").inner_text()
        screenshot(page, "graphiql-docs")
    assert tabs == len(list(Path(__file__).resolve().parent.parent.joinpath("recapql", "examples").glob("*.graphql")))
    assert "search" in second
    assert recorder.errors == []
