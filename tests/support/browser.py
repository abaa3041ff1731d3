"""Debian's Chromium driven by Playwright, for the browser tests: launch, record requests, keep screenshots.

Playwright's own browser download does not work here, so the tests use /usr/bin/chromium.
Without it they skip, saying how to get it; in CI (CI=true) a missing Chromium is a failure,
since .ci/run installs it. Each test module launches one browser; each test gets a fresh
context (no cookies, storage or cache shared between tests).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.support.repository import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(os.environ.get("RECAPQL_ARTIFACTS", ROOT / "artifacts"))
SCREENSHOTS = ARTIFACTS / "screenshots"

# Runs before the page's own scripts and outside its CSP (Playwright injects it), so every
# violation reaches the test, not only those Chromium happens to log to the console.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.recapqlCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`);
});
"""


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = "Debian's Chromium is not installed: `apt-get install -y chromium` enables the browser tests"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (.ci/run installs it; in CI these tests must run)")
    pytest.skip(message)


@dataclass
class Recorder:
    """Every request a page made, every console error or failed request, and every CSP violation."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def console(self, kind: str, text: str) -> None:
        if kind == "error":
            self.errors.append(text)

    def outside(self, origin: str) -> list[str]:
        """The requests that went anywhere but `origin` (data: and blob: URLs stay in the page)."""
        return [url for url in self.requests if not url.startswith((origin + "/", "data:", "blob:"))]


@contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Debian Chromium, closed when the block ends; skips (or fails in CI) without it."""
    require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def open_page(browser: Browser, width: int = 1280, height: int = 900) -> Iterator[tuple[Page, Recorder]]:
    """A page in a fresh browser context, with a recorder of its requests, errors and CSP violations."""
    recorder = Recorder()
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        context.expose_function("recapqlCspViolation", lambda violation: recorder.csp_violations.append(violation))
        context.add_init_script(_REPORT_CSP_VIOLATIONS)
        page = context.new_page()
        page.on("request", lambda request: recorder.requests.append(request.url))
        page.on("console", lambda message: recorder.console(message.type, message.text))
        page.on("pageerror", lambda error: recorder.errors.append(str(error)))
        page.on("requestfailed", lambda request: recorder.errors.append(f"failed: {request.url}"))
        yield page, recorder
    finally:
        context.close()


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as a test artifact and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
