"""The agenda's addresses in headless Chromium: each view opened directly and reloaded shows the same thing,
links move through the History API with back and forward, the old addresses still lead somewhere, a
missing thing is a 404 that says so, and each session's "Copy link" copies its address."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.agenda_pages import NOT_FOUND_LOGGED, open_agenda, unexpected_errors
from tests.support.browser import open_page, screenshot

pytestmark = pytest.mark.slow
RECAP = "/recaps/kubecon-eu-2018"
EVENT = "KubeCon + CloudNativeCon Europe 2018"


def _shown(page: Page) -> tuple[str, str, str]:
    """What the reader sees of a view: the tab's title, the status line and the view's text."""
    return page.title(), page.locator("#status").inner_text(), page.locator("#view").inner_text()


# Each address, the title of its tab, and a line of its view.
DEEP_LINKS = [
    (RECAP, f"{EVENT} · recapql", "Wed 2 May 2018 Day 1 · 8 sessions"),
    (f"{RECAP}/days/2018-05-03", f"Thu 3 May 2018 Day 2 · {EVENT} · recapql", "← Wed 2 May 2018"),
    (f"{RECAP}/sessions/serverless-wg-bof", f"Serverless WG BOF · {EVENT} · recapql", "Wed 2 May 2018 · Day 1"),
    (f"{RECAP}/projects/prometheus", f"Prometheus · {EVENT} · recapql", "In 3 sessions"),
    (f"{RECAP}/topics/service-mesh", f"service mesh · {EVENT} · recapql", "Sessions (3)"),
    ("/?q=linkerd", f"{EVENT} · recapql", "Observability and the Depths of Debugging Cloud-Native Applications"),
    (f"{RECAP}?topic=security&kind=talk", f"{EVENT} · recapql", "Multi-Tenancy in Kubernetes"),
]


@pytest.mark.parametrize(("path", "title", "line"), DEEP_LINKS)
def test_an_address_opened_directly_and_reloaded_shows_its_view(
    browser: Browser, server_url: str, path: str, title: str, line: str
) -> None:
    with open_page(browser) as (page, recorder):
        open_agenda(page, server_url + path)
        if "q=" in path:
            expect(page.locator("#results .hit").first).to_be_visible(timeout=10_000)
        first = _shown(page)
        controls = [page.locator(f"#{name}").input_value() for name in ("search", "topic", "kind")]
        screenshot(page, "address-" + path.strip("/").replace("/", "-").replace("?", "-"))
        page.reload()
        page.wait_for_selector("body[data-loaded=true]", timeout=20_000)
        if "q=" in path:
            expect(page.locator("#results .hit").first).to_be_visible(timeout=10_000)
        again = _shown(page)
    assert first[0] == title
    assert line in first[2]
    assert again == first
    assert controls == {
        "/?q=linkerd": ["linkerd", "", ""],
        f"{RECAP}?topic=security&kind=talk": ["", "security", "talk"],
    }.get(path, ["", "", ""])
    assert recorder.errors == []
    assert recorder.csp_violations == []


def test_links_move_through_the_history_and_back_and_forward_return(browser: Browser, server_url: str) -> None:
    with open_page(browser) as (page, recorder):
        open_agenda(page, server_url)
        documents = len([url for url in recorder.requests if url.endswith(("/", "/recaps/kubecon-eu-2018"))])
        page.locator('.day[data-day="2018-05-02"] h2 a').click()
        expect(page).to_have_url(f"{server_url}{RECAP}/days/2018-05-02")
        expect(page.locator(".view-title")).to_have_text("Wed 2 May 2018 Day 1")
        session = page.locator('.session[data-slug="serverless-wg-bof"]')
        session.locator(".session-title").click()
        session.locator("a.session-page-link").click()
        expect(page).to_have_url(f"{server_url}{RECAP}/sessions/serverless-wg-bof")
        expect(page.locator(".session-page .view-title")).to_contain_text("Serverless WG BOF")
        # The new view's heading takes the focus, so a screen reader starts there.
        focused = page.evaluate("document.activeElement.closest('.view-title') !== null")
        page.go_back()
        expect(page).to_have_url(f"{server_url}{RECAP}/days/2018-05-02")
        expect(page.locator(".view-title")).to_have_text("Wed 2 May 2018 Day 1")
        page.go_back()
        expect(page).to_have_url(f"{server_url}/")
        expect(page.locator(".day")).to_have_count(4)
        page.go_forward()
        page.go_forward()
        expect(page).to_have_url(f"{server_url}{RECAP}/sessions/serverless-wg-bof")
        expect(page.locator(".session-page")).to_be_visible()
        reloaded = len([url for url in recorder.requests if url.endswith(("/", "/recaps/kubecon-eu-2018"))])
        graphql = [url for url in recorder.requests if url.endswith("/graphql")]
    assert focused
    assert reloaded == documents == 1, "every move stayed in the page"
    assert len(graphql) == 1, "every view is drawn from the agenda's one query"
    assert recorder.errors == []


def test_typing_replaces_the_address_and_a_filter_pushes_it(browser: Browser, server_url: str) -> None:
    with open_page(browser) as (page, recorder):
        open_agenda(page, server_url)
        entries = page.evaluate("history.length")
        page.locator("#search").press_sequentially("linkerd")
        expect(page).to_have_url(f"{server_url}/?q=linkerd")
        expect(page.locator("#results .hit").first).to_be_visible(timeout=10_000)
        after_typing = page.evaluate("history.length")
        page.select_option("#topic", "service-mesh")
        expect(page).to_have_url(f"{server_url}/?q=linkerd&topic=service-mesh")
        after_filter = page.evaluate("history.length")
        page.go_back()
        expect(page).to_have_url(f"{server_url}/?q=linkerd")
        expect(page.locator("#topic")).to_have_value("")
        expect(page.locator("#search")).to_have_value("linkerd")
    assert after_typing == entries, "one word typed is one history entry, not seven"
    assert after_filter == entries + 1
    assert recorder.errors == []


def test_a_search_from_a_session_s_page_opens_the_agenda_searched_keeping_the_focus(
    browser: Browser, server_url: str
) -> None:
    with open_page(browser) as (page, recorder):
        open_agenda(page, f"{server_url}{RECAP}/sessions/serverless-wg-bof")
        page.locator("#search").press_sequentially("helm")
        expect(page).to_have_url(f"{server_url}{RECAP}?q=helm")
        expect(page.locator("#results h2")).to_have_text("Nothing matches \u201chelm\u201d", timeout=10_000)
        focused = page.evaluate("document.activeElement.id")
        page.go_back()
        expect(page).to_have_url(f"{server_url}{RECAP}/sessions/serverless-wg-bof")
        expect(page.locator("#search")).to_have_value("")
    assert focused == "search"
    assert recorder.errors == []


def test_the_old_addresses_lead_to_the_new_ones(browser: Browser, server_url: str) -> None:
    with open_page(browser) as (page, recorder):
        open_agenda(page, f"{server_url}/?recap=kubecon-eu-2018&q=helm")
        expect(page).to_have_url(f"{server_url}{RECAP}?q=helm")
        open_agenda(page, f"{server_url}/#serverless-wg-bof")
        expect(page).to_have_url(f"{server_url}{RECAP}/sessions/serverless-wg-bof")
        expect(page.locator(".session-page")).to_have_attribute("data-slug", "serverless-wg-bof")
    assert recorder.errors == []


def test_links_are_real_links_a_modified_click_opens_elsewhere(browser: Browser, server_url: str) -> None:
    with open_page(browser) as (page, recorder):
        open_agenda(page, server_url)
        chip = page.locator('.session[data-slug="day-2-keynotes"] .topics a', has_text="security")
        href = chip.get_attribute("href")
        with page.context.expect_page() as opened:
            chip.click(modifiers=["Control"])
        other = opened.value
        other.wait_for_selector("body[data-loaded=true]", timeout=20_000)
        other_url = other.url
        other.close()
        here = page.url
    assert href == f"{RECAP}/topics/security"
    assert other_url == f"{server_url}{RECAP}/topics/security"
    assert here == f"{server_url}/", "the page itself stayed where it was"
    assert recorder.errors == []


@pytest.mark.parametrize(
    ("path", "sentence", "links"),
    [
        (f"{RECAP}/sessions/nope", f"There is no session \u201cnope\u201d in {EVENT}.", [RECAP, "/"]),
        (f"{RECAP}/days/2018-05-09", f"There is no day \u201c2018-05-09\u201d in {EVENT}.", [RECAP, "/"]),
        ("/recaps/nowhere", "There is no recap \u201cnowhere\u201d here.", ["/"]),
    ],
)
def test_an_address_naming_nothing_says_what_is_missing_and_links_home(
    browser: Browser, server_url: str, path: str, sentence: str, links: list[str]
) -> None:
    with open_page(browser) as (page, recorder):
        response = page.goto(server_url + path)
        page.wait_for_selector("body[data-loaded=true]", timeout=20_000)
        text = page.locator(".not-found p").first.inner_text()
        hrefs = page.locator(".not-found a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        screenshot(page, "not-found-" + path.rsplit("/", 1)[1])
        page.locator(".not-found a").last.click()
        expect(page).to_have_url(f"{server_url}/")
        expect(page.locator(".day")).to_have_count(4, timeout=10_000)
    assert response is not None
    assert response.status == 404
    assert text == sentence
    assert hrefs == links
    assert unexpected_errors(recorder, NOT_FOUND_LOGGED) == []


def test_copy_link_puts_the_session_s_address_on_the_clipboard(browser: Browser, server_url: str) -> None:
    with open_page(browser) as (page, recorder):
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server_url)
        open_agenda(page, f"{server_url}{RECAP}/sessions/serverless-wg-bof")
        page.locator(".copy-link").click()
        expect(page.locator(".copy-said")).to_have_text("Link copied")
        copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{server_url}{RECAP}/sessions/serverless-wg-bof"
    assert recorder.errors == []


# Headless Chromium writes to the clipboard even with the permission denied; a browser that refuses
# (a denied permission elsewhere, no user gesture in Firefox) rejects writeText with NotAllowedError.
_REFUSING_CLIPBOARD = """
navigator.clipboard.writeText = () => Promise.reject(new DOMException("Write permission denied.", "NotAllowedError"));
"""


def test_where_the_clipboard_is_refused_the_link_is_shown_to_copy_by_hand(browser: Browser, server_url: str) -> None:
    with open_page(browser) as (page, recorder):
        page.add_init_script(_REFUSING_CLIPBOARD)
        open_agenda(page, server_url)
        session = page.locator('.session[data-slug="serverless-wg-bof"]')
        session.locator(".session-title").click()
        session.locator(".copy-link").click()
        fallback = session.locator(".copy-fallback")
        expect(fallback).to_be_visible()
        shown = fallback.locator("input").input_value()
        selected = page.evaluate("document.activeElement.selectionEnd - document.activeElement.selectionStart")
        screenshot(page, "copy-link-by-hand")
        page.keyboard.press("Escape")
        expect(fallback).to_be_hidden()
        back_on_button = page.evaluate("document.activeElement.classList.contains('copy-link')")
    assert shown == f"{server_url}{RECAP}/sessions/serverless-wg-bof"
    assert selected == len(shown)
    assert back_on_button
    assert recorder.errors == []
