"""Search in the agenda, in headless Chromium: every hit the API found (sessions, projects, recommendations),
best first, labelled, with the API's snippets and its matched words marked; the "nothing matches" and
refused states; more hits on demand; and a search typed before the agenda has loaded."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from seed.recap_format.reader import read_recap
from store import Dataset, write_datasets
from tests.conftest import EXAMPLE_RECAP
from tests.support.agenda_pages import open_agenda
from tests.support.browser import open_page, screenshot
from tests.support.live_server import live_server
from tests.support.stub_proxy import stub_proxy

pytestmark = pytest.mark.slow
RECAP = "/recaps/kubecon-eu-2018"
HITS = (
    'query($q: String!) { searchResults(query: $q, recap: "kubecon-eu-2018", first: 20) { nodes { node {'
    " __typename ... on Session { slug title } ... on Project { slug name } ... on Recommendation { slug title } }"
    " matches { field snippet highlights { start end } } } } }"
)


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> Iterator[str]:
    """The embedded recap and the format's example, whose first session's title starts with an emoji: after
    it, the API's offsets (code points) and JavaScript's string indexes (UTF-16 units) differ by one."""
    folder = tmp_path_factory.mktemp("agenda-search")
    example = folder / "example-conf-2025.md"
    example.write_text(
        EXAMPLE_RECAP.read_text(encoding="utf-8").replace("### Opening Keynote", "### \U0001f389 Opening Keynote"),
        encoding="utf-8",
    )
    write_datasets(folder / "store.json", (dataset, read_recap(example).dataset))
    with live_server(env={"RECAPQL_STORE": str(folder / "store.json")}) as server:
        yield server.url


def _api(server_url: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{server_url}/graphql",
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        data: dict[str, Any] = json.load(response)["data"]
        return data


def _marked_words(hit: dict[str, Any]) -> list[str]:
    """The words a hit's highlights pick out of its snippets, sliced as Python slices: by code point."""
    name = hit["node"].get("title") or hit["node"].get("name")
    named = [m for m in hit["matches"] if m["field"] in ("title", "name") and m["snippet"] == name][:1]
    ordered = named + [match for match in hit["matches"] if match not in named]
    return [match["snippet"][h["start"] : h["end"]] for match in ordered for h in match["highlights"]]


def test_search_shows_every_hit_best_first_with_the_api_s_snippets_and_marks(browser: Browser, server_url: str) -> None:
    expected = _api(server_url, HITS, {"q": "security"})["searchResults"]["nodes"]
    with open_page(browser) as (page, recorder):
        open_agenda(page, f"{server_url}{RECAP}")
        page.fill("#search", "security")
        results = page.locator("#results")
        expect(results.locator("h2")).to_have_text("14 results for \u201csecurity\u201d", timeout=10_000)
        summary = results.locator("h2 + p").inner_text()
        hits = results.locator(".hit")
        shown = hits.evaluate_all("hits => hits.map(h => [h.dataset.type, h.dataset.slug])")
        types = hits.locator(".hit-type").evaluate_all("labels => labels.map(l => l.textContent)")
        marks = [hit.locator("mark").all_inner_texts() for hit in hits.all()]
        screenshot(page, "agenda-search-hits")
        # A recommendation's hit leads to where it lives: here, the page of the project it is about.
        recommendation = results.locator('.hit[data-type="recommendation"]').first
        slug = recommendation.get_attribute("data-slug")
        recommendation.locator("a.hit-link").click()
        expect(page.locator(".targeted")).to_be_visible()
        target = page.locator(".targeted").get_attribute("id")
        address = page.url
    assert summary == "5 sessions, 7 projects, 2 recommendations, best first"
    assert shown == [[hit["node"]["__typename"].lower(), hit["node"]["slug"]] for hit in expected]
    assert {"Session", "Project", "Recommendation"} == set(types)
    assert marks == [_marked_words(hit) for hit in expected]
    assert all(word.lower().startswith("secur") for words in marks for word in words)
    assert slug == "buzzword-security-with-gvisor"
    assert target == f"recommendation-{slug}"
    assert address == f"{server_url}{RECAP}/projects/gvisor#{target}"
    assert recorder.errors == []
    assert recorder.csp_violations == []


def test_marks_fall_on_the_matched_word_after_an_emoji(browser: Browser, server_url: str) -> None:
    with open_page(browser) as (page, recorder):
        open_agenda(page, f"{server_url}/recaps/example-conf-2025?q=opening")
        hit = page.locator('#results .hit[data-type="session"]').first
        expect(hit).to_be_visible(timeout=10_000)
        link = hit.locator(".hit-link").inner_text()
        marked = hit.locator(".hit-link mark").all_inner_texts()
    assert link == "\U0001f389 Opening Keynote"
    assert marked == ["Opening"]
    assert recorder.errors == []


def test_a_search_that_finds_nothing_says_so(browser: Browser, server_url: str) -> None:
    with open_page(browser) as (page, recorder):
        open_agenda(page, f"{server_url}{RECAP}?q=zzzqqq")
        expect(page.locator("#results h2")).to_have_text("Nothing matches \u201czzzqqq\u201d", timeout=10_000)
        status = page.locator("#status").inner_text()
        empty = page.locator("#view .empty").inner_text()
        screenshot(page, "agenda-search-nothing")
        page.locator("#view .empty a").click()
        expect(page).to_have_url(f"{server_url}{RECAP}")
        expect(page.locator("#status")).to_have_text("24 sessions over 4 days")
    assert status == "No session matches \u201czzzqqq\u201d."
    assert empty == "No session matches \u201czzzqqq\u201d. Show every session"
    assert recorder.errors == []


def test_a_refused_search_says_why_in_the_api_s_words_and_clears_the_old_results(
    browser: Browser, server_url: str
) -> None:
    with open_page(browser) as (page, recorder):
        open_agenda(page, f"{server_url}{RECAP}?q=linkerd")
        expect(page.locator("#results .hit")).to_have_count(3, timeout=10_000)
        expect(page.locator("#status")).to_have_text("2 of 24 sessions shown")
        page.fill("#search", "???")
        expect(page.locator("#results h2")).to_have_text("Cannot search for \u201c???\u201d", timeout=10_000)
        said = page.locator("#results .refused").inner_text()
        hits = page.locator("#results .hit").count()
        status = page.locator("#status").inner_text()
        screenshot(page, "agenda-search-refused")
    assert said == "The API refused it: Argument 'query' must contain at least one letter or digit."
    assert hits == 0
    assert status == "24 sessions over 4 days"
    assert recorder.errors == []


def test_more_hits_come_on_demand(browser: Browser, server_url: str) -> None:
    with open_page(browser) as (page, recorder):
        open_agenda(page, f"{server_url}{RECAP}?q=kubernetes")
        hits = page.locator("#results .hit")
        expect(hits).to_have_count(20, timeout=10_000)
        more = page.locator("#results button.more")
        label = more.inner_text()
        more.click()
        expect(hits).to_have_count(21, timeout=10_000)
        left = page.locator("#results button.more").count()
    assert label == "Show 1 more"
    assert left == 0
    assert recorder.errors == []


def test_typing_before_the_agenda_has_loaded_searches_once_it_has(browser: Browser, server_url: str) -> None:
    with stub_proxy(server_url) as proxy, open_page(browser) as (page, recorder):
        proxy.hold()
        page.goto(f"{proxy.url}{RECAP}")
        expect(page.locator("#status")).to_have_text("Loading the agenda\u2026")
        page.locator("#search").press_sequentially("linkerd")
        expect(page).to_have_url(f"{proxy.url}{RECAP}?q=linkerd")
        still_loading = page.locator("#status").inner_text()
        proxy.forward()
        expect(page.locator("#results h2")).to_have_text("3 results for \u201clinkerd\u201d", timeout=10_000)
        expect(page.locator("#status")).to_have_text("2 of 24 sessions shown")
    assert still_loading == "Loading the agenda\u2026"
    assert recorder.errors == []
    assert recorder.outside(proxy.url) == []
