"""GraphiQL's result pane shows each answer's `extensions.cost`, as it shows any response extension."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.browser import chromium, open_page
from tests.support.live_server import live_server

# Drives Chromium against a real `recapql serve`.
pytestmark = pytest.mark.slow


def test_the_result_pane_shows_the_cost(tmp_path: Path) -> None:
    with (
        live_server(env={"RECAPQL_STORE": str(tmp_path / "store.json")}) as server,
        chromium() as browser,
        open_page(browser) as (page, recorder),
    ):
        page.goto(f"{server.url}/graphql")
        page.wait_for_selector(".graphiql-query-editor .CodeMirror", timeout=20_000)
        page.locator(".graphiql-query-editor .CodeMirror").click()
        page.keyboard.press("Control+A")
        page.keyboard.type("query Short { recap { city } }")
        # GraphiQL names the request's operation once it has parsed the edit (the tab shows it).
        expect(page.locator(".graphiql-tab").first).to_contain_text("Short", timeout=20_000)
        with page.expect_response(lambda response: "Short" in (response.request.post_data or "")) as answered:
            page.click(".graphiql-execute-button")
        result = page.locator(".result-window")
        expect(result).to_contain_text('"maximum"', timeout=20_000)
        shown = " ".join(result.inner_text().split())
        answer = answered.value.json()
    assert answer["extensions"] == {"cost": {"estimated": 2, "maximum": 5000}}
    assert '"extensions": { "cost": { "estimated": 2, "maximum": 5000 } }' in shown
    assert recorder.errors == []
