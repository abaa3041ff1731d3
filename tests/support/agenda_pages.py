"""The agenda reader in the browser tests: open an address and wait until it shows, and the console lines a
test expects (Chromium logs every 4xx and 5xx a page meets as an error; anything else still fails the test)."""

from __future__ import annotations

import re

from playwright.sync_api import Page

from tests.support.browser import Recorder

LOADED = "body[data-loaded=true]"


def open_agenda(page: Page, url: str) -> None:
    """Go to `url` and wait until the agenda's script has drawn the view it names."""
    page.goto(url)
    page.wait_for_selector(LOADED, timeout=20_000)


def unexpected_errors(recorder: Recorder, *expected: str) -> list[str]:
    """The console errors and failed requests that match none of the `expected` patterns."""
    return [error for error in recorder.errors if not any(re.search(pattern, error) for pattern in expected)]


# Chromium's line for a page (or a fetch) answered 404: what a not-found address must log, and all it may.
NOT_FOUND_LOGGED = r"^Failed to load resource: the server responded with a status of 404 \(Not Found\)$"
