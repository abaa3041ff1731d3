"""GraphiQL in headless Chromium: served wholly by us, it runs the default query and shows the result."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from playwright.sync_api import Error as PlaywrightError

from tests.support.browser import chromium, open_page, screenshot
from tests.support.live_server import live_server

# Every test here drives Chromium against a real `recapql serve`.
pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parent.parent / "recapql" / "examples"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("graphiql") / "store.json"
    with live_server(env={"RECAPQL_STORE": str(store)}) as server:
        yield server.url


def test_graphiql_loads_offline_and_runs_the_default_query(browser: Browser, server_url: str) -> None:
    with open_page(browser) as (page, recorder):
        page.goto(f"{server_url}/graphql")
        # The default query is the first tab: the README's nested days → sessions example.
        expect(page.locator(".graphiql-query-editor")).to_contain_text("query DaysWithSessions", timeout=20_000)
        with page.expect_response(
            lambda response: "DaysWithSessions" in (response.request.post_data or "")
        ) as answered:
            page.click(".graphiql-execute-button")
        result = page.locator(".result-window")
        result.get_by_text('"Lightning talks"').first.wait_for(timeout=20_000)
        shown = result.inner_text()
        days = answered.value.json()["data"]["days"]
        path = screenshot(page, "graphiql")
    assert answered.value.url == f"{server_url}/graphql"
    assert [len(day["sessions"]) for day in days] == [1, 8, 7, 8]
    assert '"2018-05-01"' in shown
    assert recorder.outside(server_url) == [], "a request left 127.0.0.1"
    assert any(url.startswith(f"{server_url}/static/") for url in recorder.requests)
    assert recorder.csp_violations == []
    assert recorder.errors == []
    assert path.stat().st_size > 10_000


def test_graphiql_offers_the_readme_examples_and_the_documentation(browser: Browser, server_url: str) -> None:
    with open_page(browser) as (page, recorder):
        page.goto(f"{server_url}/graphql")
        page.wait_for_selector(".graphiql-tab", timeout=20_000)
        tabs = page.locator(".graphiql-tab").all_inner_texts()
        page.get_by_label("Show Documentation Explorer").click()
        docs = page.locator(".graphiql-doc-explorer")
        docs.get_by_text("Query", exact=True).first.click()
        docs.get_by_text("The root of every query").first.wait_for(timeout=20_000)
        docs.get_by_text("session", exact=True).first.click()
        docs.get_by_text("The session with this slug in the default recap (or the one named), or null.").first.wait_for(
            timeout=10_000
        )
        page.locator(".graphiql-tab").nth(1).click()
        second = page.locator(".graphiql-query-editor").inner_text()
        screenshot(page, "graphiql-docs")
    assert len(tabs) == len(list(EXAMPLES.glob("*.graphql")))
    assert [tab.strip() for tab in tabs[:4]] == ["DaysWithSessions", "Search", "SessionsByTopic", "NodeRefetch"]
    assert "search(query:" in second
    assert recorder.outside(server_url) == []
    assert recorder.csp_violations == []
    assert recorder.errors == []


def test_an_inline_script_would_be_caught_as_a_csp_violation(browser: Browser, server_url: str) -> None:
    # The other tests' empty violation lists mean something only if a violation does show up.
    with open_page(browser) as (page, recorder):
        page.goto(f"{server_url}/graphql")
        page.wait_for_selector(".graphiql-container", timeout=20_000)
        with pytest.raises(PlaywrightError, match="Content Security Policy"):
            page.add_script_tag(content="document.title = 'inline'")
        # The violation event comes in a task after the refusal: give it up to 5 s to arrive.
        for _ in range(50):
            if recorder.csp_violations:
                break
            page.wait_for_timeout(100)
        title = page.title()
    assert title != "inline"
    assert any(violation.startswith("script-src") for violation in recorder.csp_violations)
