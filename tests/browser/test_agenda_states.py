"""The states a reader can meet, in headless Chromium: a proxy answering 502 in front of the API, the API
stopped mid-session, and no JavaScript at all; each said in words a person understands, with a Retry
that works where retrying can help."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.support.agenda_pages import open_agenda, unexpected_errors
from tests.support.browser import open_page, screenshot
from tests.support.live_server import live_server, stop
from tests.support.stub_proxy import stub_proxy

pytestmark = pytest.mark.slow
RECAP = "/recaps/kubecon-eu-2018"
BAD_GATEWAY_LOGGED = r"^Failed to load resource: the server responded with a status of 502 \(Bad Gateway\)$"
BAD_GATEWAY_SAID = (
    "The server answered 502 Bad Gateway instead of the agenda's data. It may be restarting or overloaded: "
    "try again in a moment."
)


def test_a_502_before_the_agenda_loads_is_said_plainly_and_retry_loads_it(browser: Browser, server_url: str) -> None:
    with stub_proxy(server_url) as proxy, open_page(browser) as (page, recorder):
        proxy.fail()
        page.goto(f"{proxy.url}{RECAP}")
        problem = page.locator("#problem")
        expect(problem).to_be_visible(timeout=10_000)
        said = page.locator("#problem-text").inner_text()
        status = page.locator("#status").inner_text()
        screenshot(page, "agenda-502")
        proxy.forward()
        page.locator("#retry").click()
        expect(page.locator(".day")).to_have_count(4, timeout=10_000)
        expect(problem).to_be_hidden()
        expect(page.locator("#status")).to_have_text("24 sessions over 4 days")
    assert said == BAD_GATEWAY_SAID
    assert "Unexpected token" not in said
    assert status == "Could not load the agenda."
    assert proxy.failed == 1
    assert unexpected_errors(recorder, BAD_GATEWAY_LOGGED) == []
    assert recorder.outside(proxy.url) == []


def test_a_502_mid_session_clears_the_old_results_and_retry_searches_again(browser: Browser, server_url: str) -> None:
    with stub_proxy(server_url) as proxy, open_page(browser) as (page, recorder):
        open_agenda(page, f"{proxy.url}{RECAP}?q=linkerd")
        hits = page.locator("#results .hit")
        expect(hits).to_have_count(3, timeout=10_000)
        proxy.fail()
        page.fill("#search", "prometheus")
        expect(page.locator("#problem-text")).to_have_text(BAD_GATEWAY_SAID, timeout=10_000)
        expect(page.locator("#results")).to_be_hidden()
        expect(page.locator("#status")).to_have_text("24 sessions over 4 days")
        screenshot(page, "agenda-search-502")
        proxy.forward()
        page.locator("#retry").click()
        expect(page.locator("#results h2")).to_have_text("4 results for \u201cprometheus\u201d", timeout=10_000)
        expect(page.locator("#problem")).to_be_hidden()
    assert unexpected_errors(recorder, BAD_GATEWAY_LOGGED) == []


def test_the_api_stopped_mid_session_is_said_plainly_with_a_retry(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> None:
    store = tmp_path_factory.mktemp("agenda-stopped") / "store.json"
    with live_server(env={"RECAPQL_STORE": str(store)}) as server, open_page(browser) as (page, recorder):
        open_agenda(page, server.url)
        expect(page.locator("#status")).to_have_text("24 sessions over 4 days")
        stop(server.process)
        page.fill("#search", "linkerd")
        problem = page.locator("#problem-text")
        expect(problem).to_be_visible(timeout=10_000)
        said = problem.inner_text()
        screenshot(page, "agenda-api-stopped")
        asked = len([url for url in recorder.requests if url.endswith("/graphql")])
        page.locator("#retry").click()
        # Retry asks again (and, with the server still gone, says so again).
        expect(problem).to_be_visible(timeout=10_000)
        asked_again = len([url for url in recorder.requests if url.endswith("/graphql")])
        host = server.url.removeprefix("http://")
    assert said == (
        f"Cannot reach the recapql server at {host}: it may have stopped, or the network is down. "
        "Check that it runs, then retry."
    )
    assert asked_again == asked + 1
    refused = r"^Failed to load resource: net::ERR_CONNECTION_REFUSED$"
    assert unexpected_errors(recorder, refused, rf"^failed: {re.escape(server.url)}/graphql$") == []


def test_without_javascript_the_page_points_at_graphiql_and_the_command_line(browser: Browser, server_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server_url)
        said = page.locator("main .notice").inner_text()
        link = page.locator("main .notice a").get_attribute("href")
        status = page.locator("#status").inner_text()
        screenshot(page, "agenda-no-javascript")
    finally:
        context.close()
    assert said.startswith("This agenda needs JavaScript.")
    assert "recapql query" in said
    assert link == "/graphql"
    assert status == "", "nothing pretends to be loading"
