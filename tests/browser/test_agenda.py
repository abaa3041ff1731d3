"""The agenda page in headless Chromium: days, sessions, details, search and filters, on a phone too; the
header's verdict, notes and dates; and the pages of projects and topics, linked both ways."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.agenda_pages import open_agenda
from tests.support.browser import open_page, screenshot
from tests.support.live_server import live_server

# Every test here drives Chromium against a real `recapql serve`.
pytestmark = pytest.mark.slow
RECAP = "/recaps/kubecon-eu-2018"


def _sessions_per_day(page: Page) -> list[int]:
    return [day.locator(".session").count() for day in page.locator(".day").all()]


def _visible_slugs(page: Page) -> set[str]:
    return set(page.locator(".session").evaluate_all("items => items.map(i => i.dataset.slug)"))


def _api(server_url: str, query: str) -> dict[str, Any]:
    """What the API answers: what the page must show."""
    request = urllib.request.Request(
        f"{server_url}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        data: dict[str, Any] = json.load(response)["data"]
        return data


def _slugs_from_api(server_url: str, session_filter: str) -> set[str]:
    """The slugs of the sessions the API's own filter returns."""
    found = _api(server_url, f"{{ sessions(filter: {session_filter}, first: 100) {{ nodes {{ slug }} }} }}")
    return {node["slug"] for node in found["sessions"]["nodes"]}


def test_the_agenda_shows_four_days_and_their_sessions(browser: Browser, server_url: str) -> None:
    with open_page(browser) as (page, recorder):
        open_agenda(page, server_url)
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
        open_agenda(page, server_url)
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
        open_agenda(page, server_url)
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
    talks = _slugs_from_api(server_url, "{ kind: TALK }")
    with open_page(browser) as (page, recorder):
        open_agenda(page, server_url)
        page.select_option("#project", "prometheus")
        shown = _visible_slugs(page)
        page.select_option("#topic", "security")
        both = _visible_slugs(page)
        screenshot(page, "agenda-filtered")
        # A day the filters leave empty says so, instead of counting "0 of 8 sessions".
        empty_days = page.locator(".day .empty-day").all_inner_texts()
        counts = page.locator(".day .count").all_inner_texts()
        page.select_option("#project", "")
        page.select_option("#topic", "")
        page.select_option("#kind", "talk")
        only_talks = _visible_slugs(page)
    assert 0 < len(shown) < 24
    assert shown == prometheus
    assert both == prometheus_security
    assert only_talks == talks
    assert "None of its 8 sessions match." in empty_days
    assert not any(count.startswith(" · 0 of") or "0 of" in count for count in counts)
    assert recorder.csp_violations == []
    assert recorder.errors == []


def test_the_agenda_fits_a_phone(browser: Browser, server_url: str) -> None:
    with open_page(browser, width=390, height=844) as (page, recorder):
        open_agenda(page, server_url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        screenshot(page, "agenda-phone")
    assert overflow <= 0
    assert recorder.csp_violations == []
    assert recorder.errors == []


def test_the_header_shows_the_verdict_the_notes_and_human_dates(browser: Browser, server_url: str) -> None:
    recap = _api(server_url, "{ recap { verdict notes { text } } }")["recap"]
    with open_page(browser) as (page, recorder):
        # Far west of the event: a date read as a UTC instant would show the day before.
        page.context.new_cdp_session(page).send("Emulation.setTimezoneOverride", {"timezoneId": "Pacific/Honolulu"})
        open_agenda(page, server_url)
        verdict = page.locator("#verdict").inner_text()
        notes = page.locator("#recap-notes")
        assert notes.locator("ul").is_hidden()
        notes.locator("summary").click()
        shown_notes = notes.locator("li").all_inner_texts()
        page.keyboard.press("Escape")
        expect(notes.locator("ul")).to_be_hidden()
        dates = page.locator("#subtitle time").evaluate_all("ts => ts.map(t => [t.dateTime, t.textContent])")
        day_dates = page.locator(".day h2 time").evaluate_all("ts => ts.map(t => [t.dateTime, t.textContent])")
        links = {name: page.locator(f"#{name}-link").get_attribute("href") for name in ("calendar", "pictures")}
    assert verdict == "Verdict: " + recap["verdict"]
    assert shown_notes == [note["text"] for note in recap["notes"]]
    assert dates == [["2018-05-01", "Tue 1 May 2018"], ["2018-05-04", "Fri 4 May 2018"]]
    assert day_dates == [
        ["2018-05-01", "Tue 1 May 2018"],
        ["2018-05-02", "Wed 2 May 2018"],
        ["2018-05-03", "Thu 3 May 2018"],
        ["2018-05-04", "Fri 4 May 2018"],
    ]
    assert links == {"calendar": f"{RECAP}/calendar.ics", "pictures": f"{RECAP}/pictures"}
    assert recorder.errors == []


def test_a_project_chip_opens_the_project_s_page_with_its_sessions_and_recommendations(
    browser: Browser, server_url: str
) -> None:
    istio = _api(server_url, '{ project(slug: "istio") { sessions { slug } recommendations { slug } } }')["project"]
    with open_page(browser) as (page, recorder):
        open_agenda(page, server_url)
        session = page.locator('.session[data-slug="day-2-keynotes"]')
        session.locator(".session-title").click()
        session.locator('.projects a[data-project="istio"]').click()
        expect(page).to_have_url(f"{server_url}{RECAP}/projects/istio")
        expect(page.locator(".view-title")).to_have_text("Istio")
        sessions = page.locator(".linked-sessions li").evaluate_all("items => items.map(i => i.dataset.slug)")
        recommendations = page.locator(".project-recommendations li").evaluate_all(
            "items => items.map(i => i.dataset.slug)"
        )
        title = page.title()
        screenshot(page, "agenda-project")
        # And back: the project's page links to each session's own page.
        page.locator(".linked-sessions a").first.click()
        expect(page).to_have_url(f"{server_url}{RECAP}/sessions/day-2-keynotes")
        back_to_project = page.locator('.session-page .projects a[data-project="istio"]').get_attribute("href")
    assert sessions == [item["slug"] for item in istio["sessions"]]
    assert recommendations == [item["slug"] for item in istio["recommendations"]]
    assert title == "Istio · KubeCon + CloudNativeCon Europe 2018 · recapql"
    assert back_to_project == f"{RECAP}/projects/istio"
    assert recorder.errors == []


def test_a_topic_s_page_lists_its_sessions_and_projects(browser: Browser, server_url: str) -> None:
    query = '{ topic(name: "security") { description sessions { slug } projects { slug } } }'
    security = _api(server_url, query)["topic"]
    with open_page(browser) as (page, recorder):
        open_agenda(page, server_url)
        page.locator('.session[data-slug="day-2-keynotes"] .topics a', has_text="security").click()
        expect(page).to_have_url(f"{server_url}{RECAP}/topics/security")
        sessions = page.locator(".linked-sessions li").evaluate_all("items => items.map(i => i.dataset.slug)")
        projects = page.locator(".topic-page .projects a").evaluate_all("links => links.map(a => a.dataset.project)")
        description = page.locator(".topic-page .description").inner_text()
        screenshot(page, "agenda-topic")
    assert sessions == [item["slug"] for item in security["sessions"]]
    assert set(projects) == {item["slug"] for item in security["projects"]}
    assert description == security["description"]
    assert recorder.errors == []


def test_a_session_lists_its_recommendations_and_each_links_where_it_lives(browser: Browser, server_url: str) -> None:
    query = '{ session(slug: "serverless-wg-bof") { recommendations { slug title } } }'
    expected = _api(server_url, query)["session"]["recommendations"]
    with open_page(browser) as (page, recorder):
        open_agenda(page, server_url)
        # The agenda's own list of recommendations links each to the session it comes with.
        page.locator("#recommendations a", has_text="\u201cServerless WG BOF\u201d").first.click()
        expect(page).to_have_url(f"{server_url}{RECAP}/sessions/serverless-wg-bof")
        items = page.locator(".session-page .recommendations-of-session li")
        ids = items.evaluate_all("items => items.map(i => i.id)")
        hrefs = items.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert ids == [f"recommendation-{item['slug']}" for item in expected]
    assert hrefs == [f"{RECAP}/sessions/serverless-wg-bof#recommendation-{item['slug']}" for item in expected]
    assert recorder.errors == []


@pytest.fixture(scope="module")
def two_recaps_url(two_recaps_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("agenda-two") / "store.json"
    store.write_bytes(two_recaps_path.read_bytes())
    with live_server(env={"RECAPQL_STORE": str(store)}) as server:
        yield server.url


def test_with_several_recaps_the_agenda_lists_them_and_opens_each(browser: Browser, two_recaps_url: str) -> None:
    with open_page(browser) as (page, recorder):
        open_agenda(page, two_recaps_url)
        recaps = page.locator("#recaps a").evaluate_all("links => links.map(l => l.dataset.recap)")
        current = page.locator('#recaps a[aria-current="page"]').get_attribute("data-recap")
        page.locator('#recaps a[data-recap="example-conf-2025"]').click()
        page.wait_for_selector("body[data-loaded=true]", timeout=20_000)
        title = page.locator("#title").inner_text()
        days = page.locator(".day").evaluate_all("items => items.map(i => i.dataset.day)")
        screenshot(page, "agenda-second-recap")
        address = page.url
    assert recaps == ["example-conf-2025", "kubecon-eu-2018"]
    assert current == "kubecon-eu-2018"
    assert title == "Example Conf 2025"
    assert days == ["2025-06-10", "2025-06-11"]
    assert address == f"{two_recaps_url}/recaps/example-conf-2025"
    assert recorder.csp_violations == []
    assert recorder.errors == []


def test_search_can_look_in_every_recap(browser: Browser, two_recaps_url: str) -> None:
    with open_page(browser) as (page, recorder):
        open_agenda(page, f"{two_recaps_url}/?recap=example-conf-2025")
        expect(page).to_have_url(f"{two_recaps_url}/recaps/example-conf-2025")
        page.fill("#search", "security")
        expect(page.locator("#status")).to_contain_text("of 4 sessions shown", timeout=10_000)
        hits = page.locator("#results .hit")
        expect(hits.first).to_be_visible(timeout=10_000)
        here = set(hits.evaluate_all("hits => hits.map(h => h.dataset.recap)"))
        page.check("#search-all")
        expect(page).to_have_url(f"{two_recaps_url}/recaps/example-conf-2025?q=security&recaps=all")
        expect(page.locator('#results .hit[data-recap="kubecon-eu-2018"]').first).to_be_visible(timeout=10_000)
        everywhere = set(hits.evaluate_all("hits => hits.map(h => h.dataset.recap)"))
        labels = set(page.locator("#results .hit-recap").all_inner_texts())
        screenshot(page, "agenda-search-all")
    assert here == {"example-conf-2025"}
    assert everywhere == {"example-conf-2025", "kubecon-eu-2018"}
    assert labels == {" · Example Conf 2025", " · KubeCon + CloudNativeCon Europe 2018"}
    assert recorder.csp_violations == []
    assert recorder.errors == []


def test_a_session_shows_where_each_of_its_facts_comes_from(browser: Browser, server_url: str) -> None:
    with open_page(browser) as (page, recorder):
        open_agenda(page, server_url)
        session = page.locator('.session[data-slug="serverless-wg-bof"]')
        session.locator(".session-title").click()
        assert session.locator(".sources").is_hidden()
        session.locator(".source-toggle").click()
        # The list first says "Loading where it comes from…": wait for the answer's first line.
        expect(session.locator(".sources li").first).to_have_text(re.compile(r"^Title, line "), timeout=10_000)
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
