"""The agenda page in headless Chromium: days, sessions, details, search and filters, on a phone too."""

from __future__ import annotations

import json
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import chromium, open_page, screenshot
from tests.support.live_server import live_server

# Every test here drives Chromium against a real `recapql serve`.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("agenda") / "store.json"
    with live_server(env={"RECAPQL_STORE": str(store)}) as server:
        yield server.url


def _open(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-loaded=true]", timeout=20_000)


def _sessions_per_day(page: Page) -> list[int]:
    return [day.locator(".session").count() for day in page.locator(".day").all()]


def _visible_slugs(page: Page) -> set[str]:
    return set(page.locator(".session").evaluate_all("items => items.map(i => i.dataset.slug)"))


def _slugs_from_api(server_url: str, session_filter: str) -> set[str]:
    """The slugs of the sessions the API's own filter returns: what the page must show."""
    query = f"{{ sessions(filter: {session_filter}, first: 100) {{ nodes {{ slug }} }} }}"
    request = urllib.request.Request(
        f"{server_url}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return {node["slug"] for node in json.load(response)["data"]["sessions"]["nodes"]}


def test_the_agenda_shows_four_days_and_their_sessions(browser: Browser, server_url: str) -> None:
    with open_page(browser) as (page, recorder):
        _open(page, server_url)
        days = page.locator(".day").evaluate_all("items => items.map(i => i.dataset.day)")
        counts = _sessions_per_day(page)
        kinds = page.locator(".recommendation-kind h3").all_inner_texts()
        graphql_posts = [url for url in recorder.requests if url.endswith("/graphql")]
        screenshot(page, "agenda")
    assert days == ["2018-05-01", "2018-05-02", "2018-05-03", "2018-05-04"]
    assert counts == [1, 8, 7, 8]
    assert kinds[:3] == ["Buzzwords", "Talks to watch", "To read"]
    assert len(graphql_posts) == 1, "one nested query for the whole agenda"
    assert recorder.outside(server_url) == []
    assert recorder.csp_violations == []
    assert recorder.errors == []


def test_opening_a_session_shows_its_takeaways_projects_and_recommendations(browser: Browser, server_url: str) -> None:
    with open_page(browser) as (page, recorder):
        _open(page, server_url)
        session = page.locator('.session[data-slug="whats-up-with-all-the-different-container-runtimes"]')
        assert session.locator(".details").is_hidden()
        session.locator(".session-title").click()
        takeaways = session.locator(".takeaways li").all_inner_texts()
        projects = session.locator(".projects li").all_inner_texts()
        screenshot(page, "agenda-session")
    assert len(takeaways) == 4
    assert takeaways[0].startswith("The criteria chosen in the presentation")
    assert "containerd" in projects
    assert recorder.csp_violations == []
    assert recorder.errors == []


def test_search_narrows_the_list(browser: Browser, server_url: str) -> None:
    with open_page(browser) as (page, recorder):
        _open(page, server_url)
        status = page.locator("#status")
        expect(status).to_have_text("24 sessions over 4 days")
        page.fill("#search", "linkerd")
        # Playwright's text waits, not wait_for_function: the page's CSP rightly forbids eval.
        expect(status).to_contain_text("of 24 sessions shown", timeout=10_000)
        found = _visible_slugs(page)
        page.click("#clear")
        expect(status).to_have_text("24 sessions over 4 days", timeout=10_000)
    assert found
    assert len(found) < 24
    assert "evolving-systems-design-from-unreliable-rpc-to-resilience-with-linkerd" in found
    assert recorder.csp_violations == []
    assert recorder.errors == []


def test_a_project_filter_shows_only_its_sessions(browser: Browser, server_url: str) -> None:
    prometheus = _slugs_from_api(server_url, '{ project: "prometheus" }')
    prometheus_security = _slugs_from_api(server_url, '{ project: "prometheus", topic: "security" }')
    with open_page(browser) as (page, recorder):
        _open(page, server_url)
        page.select_option("#project", "prometheus")
        shown = _visible_slugs(page)
        page.select_option("#topic", "security")
        both = _visible_slugs(page)
        screenshot(page, "agenda-filtered")
    assert 0 < len(shown) < 24
    assert shown == prometheus
    assert both == prometheus_security
    assert recorder.csp_violations == []
    assert recorder.errors == []


def test_the_agenda_fits_a_phone(browser: Browser, server_url: str) -> None:
    with open_page(browser, width=390, height=844) as (page, recorder):
        _open(page, server_url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        screenshot(page, "agenda-phone")
    assert overflow <= 0
    assert recorder.csp_violations == []
    assert recorder.errors == []


@pytest.fixture(scope="module")
def two_recaps_url(two_recaps_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("agenda-two") / "store.json"
    shutil.copyfile(two_recaps_path, store)
    with live_server(env={"RECAPQL_STORE": str(store)}) as server:
        yield server.url


def test_with_several_recaps_the_agenda_lists_them_and_opens_each(browser: Browser, two_recaps_url: str) -> None:
    with open_page(browser) as (page, recorder):
        _open(page, two_recaps_url)
        recaps = page.locator("#recaps a").evaluate_all("links => links.map(l => l.dataset.recap)")
        current = page.locator('#recaps a[aria-current="page"]').get_attribute("data-recap")
        page.locator('#recaps a[data-recap="example-conf-2025"]').click()
        page.wait_for_selector("body[data-loaded=true]", timeout=20_000)
        title = page.locator("#title").inner_text()
        days = page.locator(".day").evaluate_all("items => items.map(i => i.dataset.day)")
        screenshot(page, "agenda-second-recap")
    assert recaps == ["example-conf-2025", "kubecon-eu-2018"]
    assert current == "kubecon-eu-2018"
    assert title == "Example Conf 2025"
    assert days == ["2025-06-10", "2025-06-11"]
    assert recorder.csp_violations == []
    assert recorder.errors == []


def test_search_can_look_in_every_recap(browser: Browser, two_recaps_url: str) -> None:
    with open_page(browser) as (page, recorder):
        _open(page, f"{two_recaps_url}/?recap=example-conf-2025")
        page.fill("#search", "security")
        expect(page.locator("#status")).to_contain_text("of 4 sessions shown", timeout=10_000)
        assert page.locator("#results").is_hidden()
        page.check("#search-all")
        expect(page.locator("#results .hit").first).to_be_visible(timeout=10_000)
        elsewhere = set(page.locator("#results .hit").evaluate_all("hits => hits.map(h => h.dataset.recap)"))
        screenshot(page, "agenda-search-all")
    assert elsewhere == {"kubecon-eu-2018"}
    assert recorder.csp_violations == []
    assert recorder.errors == []


def test_a_session_shows_where_each_of_its_facts_comes_from(browser: Browser, server_url: str) -> None:
    with open_page(browser) as (page, recorder):
        _open(page, server_url)
        session = page.locator('.session[data-slug="serverless-wg-bof"]')
        session.locator(".session-title").click()
        assert session.locator(".sources").is_hidden()
        session.locator(".source-toggle").click()
        expect(session.locator(".sources li").first).to_be_visible(timeout=10_000)
        sources = session.locator(".sources li").all_inner_texts()
        href = session.locator(".sources a").first.get_attribute("href")
        screenshot(page, "agenda-sources")
        session.locator(".sources a").first.click()
        page.wait_for_selector("ol.document")
        target = page.locator("li:target .text").inner_text()
        screenshot(page, "document-line")
    assert sources[0] == "Title, line 86: \u201cServerless WG BOF\u201d"
    assert any(text.startswith("Note 1, line 88") for text in sources)
    assert "Not given: speakers. The recap names no speaker for this session." in sources
    assert href == "/recaps/kubecon-eu-2018/documents/sources/kubecon-eu-2018-copenhagen-recap.txt#L86"
    assert target == "Serverless WG BOF"
    assert recorder.csp_violations == []
    assert recorder.errors == []
