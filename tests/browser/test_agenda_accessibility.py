"""The agenda for everyone, in headless Chromium: axe finds no serious or critical violation on any view, in
light and dark mode, at desktop and phone width; no view scrolls sideways on a phone; the keyboard
reaches and opens everything, with a visible focus, and Escape closes what it opened."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.accessibility import serious_violations
from tests.support.agenda_pages import LOADED
from tests.support.browser import open_page, screenshot
from tests.support.live_server import live_server
from tests.support.stub_proxy import stub_proxy

pytestmark = pytest.mark.slow
RECAP = "/recaps/kubecon-eu-2018"


@pytest.fixture(scope="module")
def server_url(two_recaps_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # Two recaps: the list of recaps and "all recaps" are part of what is checked.
    store = tmp_path_factory.mktemp("agenda-a11y") / "store.json"
    store.write_bytes(two_recaps_path.read_bytes())
    with live_server(env={"RECAPQL_STORE": str(store)}) as server:
        yield server.url


def _open_a_session(page: Page) -> None:
    session = page.locator('.session[data-slug="serverless-wg-bof"]')
    session.locator(".session-title").click()
    session.locator(".source-toggle").click()
    expect(session.locator(".sources a").first).to_be_visible(timeout=10_000)


def _hits(page: Page) -> None:
    expect(page.locator("#results .hit").first).to_be_visible(timeout=10_000)


def _results_heading(page: Page) -> None:
    expect(page.locator("#results h2")).to_be_visible(timeout=10_000)


def _notes_open(page: Page) -> None:
    page.locator("#recap-notes summary").click()


# Each view: its address, and what to do there before checking (open a session, wait for hits…).
VIEWS: dict[str, tuple[str, Callable[[Page], None] | None]] = {
    "agenda": (RECAP, _notes_open),
    "session-opened": (RECAP, _open_a_session),
    "day": (f"{RECAP}/days/2018-05-02?topic=security", None),
    "session": (f"{RECAP}/sessions/serverless-wg-bof", None),
    "project": (f"{RECAP}/projects/prometheus", None),
    "topic": (f"{RECAP}/topics/service-mesh", None),
    "search": (f"{RECAP}?q=security&recaps=all", _hits),
    "nothing-matches": (f"{RECAP}?q=zzzqqq", _results_heading),
    "refused": (f"{RECAP}?q=%3F%3F%3F", _results_heading),
    "not-found": (f"{RECAP}/sessions/nope", None),
    "other-recap": ("/recaps/example-conf-2025", None),
}
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_axe_finds_nothing_serious_on_each_view_in_light_and_dark(
    browser: Browser, server_url: str, view: str, size: str
) -> None:
    path, prepare = VIEWS[view]
    width, height = SIZES[size]
    found: dict[str, list[str]] = {}
    with open_page(browser, width=width, height=height) as (page, _):
        page.goto(server_url + path)
        page.wait_for_selector(LOADED, timeout=20_000)
        if prepare:
            prepare(page)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            found[scheme] = [str(violation) for violation in serious_violations(page)]
            found[scheme + " overflow"] = [
                f"{pixels} px wider than the window"
                for pixels in [page.evaluate("document.documentElement.scrollWidth - window.innerWidth")]
                if pixels > 0
            ]
            if scheme == "dark":  # the light views are photographed by the other agenda tests
                screenshot(page, f"a11y-{view}-{size}-dark")
    assert found == {"light": [], "dark": [], "light overflow": [], "dark overflow": []}


def test_the_error_state_is_accessible_too(browser: Browser, server_url: str) -> None:
    with stub_proxy(server_url) as proxy, open_page(browser, width=390, height=844) as (page, _):
        proxy.fail()
        page.goto(f"{proxy.url}{RECAP}")
        expect(page.locator("#problem")).to_be_visible(timeout=10_000)
        found = {}
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            found[scheme] = [str(violation) for violation in serious_violations(page)]
            screenshot(page, f"a11y-502-phone-{scheme}")
    assert found == {"light": [], "dark": []}


def _focused(page: Page) -> dict[str, str]:
    focused: dict[str, str] = page.evaluate(
        """() => { const e = document.activeElement, s = getComputedStyle(e);
        return { tag: e.tagName, cls: e.className, text: e.textContent.trim().slice(0, 40),
                 outline: s.outlineStyle + " " + s.outlineWidth }; }"""
    )
    return focused


def test_the_keyboard_reaches_opens_and_closes_a_session(browser: Browser, server_url: str) -> None:
    with open_page(browser) as (page, recorder):
        page.goto(server_url + RECAP)
        page.wait_for_selector(LOADED, timeout=20_000)
        page.focus("#search")
        seen = []
        for _ in range(60):
            page.keyboard.press("Tab")
            seen.append(_focused(page))
            if seen[-1]["cls"] == "session-title":
                break
        session = page.locator(".session").first
        page.keyboard.press("Enter")
        expect(session.locator(".details")).to_be_visible()
        expanded = session.locator(".session-title").get_attribute("aria-expanded")
        page.keyboard.press("Tab")
        inside = page.evaluate("document.activeElement.closest('.details') !== null")
        page.keyboard.press("Escape")
        expect(session.locator(".details")).to_be_hidden()
        back = _focused(page)
    assert seen[-1]["cls"] == "session-title", f"Tab never reached a session: {seen}"
    assert not [item for item in seen if item["outline"].startswith("none")], "every focus is visible"
    assert expanded == "true"
    assert inside
    assert back["cls"] == "session-title"
    assert recorder.errors == []
