"""Debian's Chromium driven by Playwright, for the browser tests: launch, record requests, keep screenshots.

Playwright's own browser download does not work here, so the tests use /usr/bin/chromium.
Without it they skip, saying how to get it; in CI (CI=true) a missing Chromium is a failure,
since .ci/run installs it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(os.environ.get("RECAPQL_ARTIFACTS", Path(__file__).resolve().parent.parent / "artifacts"))


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = "Debian's Chromium is not installed: `apt-get install -y chromium` enables the browser tests"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (.ci/run installs it; in CI these tests must run)")
    pytest.skip(message)


@dataclass
class Recorder:
    """Every request a page made, and every console error or failed request."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def outside(self, origin: str) -> list[str]:
        return [url for url in self.requests if not url.startswith((origin + "/", "data:", "blob:"))]


@contextmanager
def chromium_page(width: int = 1280, height: int = 900) -> Iterator[tuple[Page, Recorder]]:
    """A fresh page in headless Chromium, with a recorder of its requests and errors."""
    require_chromium()
    recorder = Recorder()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.on("request", lambda request: recorder.requests.append(request.url))
            page.on("console", lambda message: message.type == "error" and recorder.errors.append(message.text))
            page.on("pageerror", lambda error: recorder.errors.append(str(error)))
            page.on("requestfailed", lambda request: recorder.errors.append(f"failed: {request.url}"))
            yield page, recorder
        finally:
            browser.close()


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as a test artifact and return its path."""
    ARTIFACTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
