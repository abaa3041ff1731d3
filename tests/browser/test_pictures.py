"""The pictures page in headless Chromium: both pictures drawn from the API's counts, light and dark, on a phone too."""

from __future__ import annotations

import dataclasses
import json
import shutil
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import pytest
from playwright.sync_api import Browser, Page, expect

from seed.recap_format.reader import read_recap
from seed.synthetic import synthetic_dataset
from store import Dataset, write_datasets
from tests.conftest import EXAMPLE_RECAP
from tests.support.accessibility import serious_violations
from tests.support.browser import Recorder, open_page, screenshot
from tests.support.live_server import live_server
from tests.support.stub_proxy import stub_proxy

# Every test here drives Chromium against a real `recapql serve`.
pytestmark = pytest.mark.slow

RECAP = "kubecon-eu-2018"
# What each scheme's variables make of the page and of the heat scale's deepest shade (pictures.css).
SCHEMES = {
    "light": {"background": "rgb(246, 248, 251)", "deepest": "rgb(31, 75, 176)"},
    "dark": {"background": "rgb(14, 19, 27)", "deepest": "rgb(180, 205, 255)"},
}


@contextmanager
def _serving(store: Path, **env: str) -> Iterator[str]:
    with live_server(env={"RECAPQL_STORE": str(store), **env}) as server:
        yield server.url


def _store_of(tmp_path_factory: pytest.TempPathFactory, *datasets: Dataset) -> Path:
    path = tmp_path_factory.mktemp("pictures-store") / "store.json"
    write_datasets(path, datasets)
    return path


def _api(url: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """The API's own answer, asked as any client would: what the pictures must agree with."""
    request = urllib.request.Request(
        f"{url}/graphql",
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        body: dict[str, Any] = json.load(response)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def _topic_days(url: str, recap: str) -> Counter[tuple[str, str]]:
    """Sessions per (topic, day), counted here from every session's own topics, not from facets."""
    data = _api(url, "query($r: String!) { recap(slug: $r) { days { date sessions { topics } } } }", {"r": recap})
    return Counter(
        (topic, day["date"]) for day in data["recap"]["days"] for s in day["sessions"] for topic in s["topics"]
    )


def _mentions(url: str, recap: str, first: int = 100) -> list[dict[str, Any]]:
    query = (
        "query($r: String!, $n: Int!) { recap(slug: $r) { sessions(first: $n) { nodes { slug projects { slug } } } } }"
    )
    nodes: list[dict[str, Any]] = _api(url, query, {"r": recap, "n": first})["recap"]["sessions"]["nodes"]
    return nodes


def _open(page: Page, url: str, state: str = "ready") -> None:
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-state", state, timeout=30_000)


def _drawn_cells(page: Page) -> dict[tuple[str, str], tuple[str, str]]:
    """Each heat cell's topic and day: the number written in it ('' for none) and its tooltip."""
    cells = page.locator("#topics-by-day .cell").evaluate_all(
        "cells => cells.map(c => [c.dataset.topic, c.dataset.day,"
        " (c.querySelector('text') || {}).textContent || '', c.querySelector('title').textContent])"
    )
    return {(topic, day): (written, title) for topic, day, written, title in cells}


def _drawn_dots(page: Page) -> set[tuple[str, str]]:
    dots = page.locator("#projects-by-session .mention").evaluate_all(
        "dots => dots.map(d => [d.dataset.project, d.dataset.session])"
    )
    return {(project, session) for project, session in dots}


def _row_counts(page: Page) -> dict[str, int]:
    counts = page.locator("#projects-by-session .row-count").evaluate_all(
        "texts => texts.map(t => [t.dataset.project, t.textContent])"
    )
    return {project: int(count) for project, count in counts}


def _clean(recorder: Recorder, url: str) -> None:
    assert recorder.outside(url) == []
    assert recorder.csp_violations == []
    assert recorder.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_both_pictures_draw_the_apis_counts(
    browser: Browser, server_url: str, width: int, scheme: Literal["light", "dark"]
) -> None:
    expected = _topic_days(server_url, RECAP)
    mentions = _mentions(server_url, RECAP)
    pairs = {(project["slug"], session["slug"]) for session in mentions for project in session["projects"]}
    with open_page(browser, width=width, height=900) as (page, recorder):
        page.emulate_media(color_scheme=scheme)
        _open(page, f"{server_url}/recaps/{RECAP}/pictures")
        cells = _drawn_cells(page)
        dots = _drawn_dots(page)
        rows = _row_counts(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        deepest = page.locator("#topics-by-day .heat.level-5").first.evaluate("r => getComputedStyle(r).fill")
        pictures = (
            page.get_by_role("img", name="Topics through the week").count()
            + page.get_by_role("img", name="Projects across the sessions").count()
        )
        screenshot(page, f"pictures-{scheme}-{width}")
        problems = serious_violations(page)
    assert {key for key, (written, _) in cells.items() if written} == set(expected)
    for (topic, day), (written, title) in cells.items():
        assert written == (str(expected[topic, day]) if expected[topic, day] else "")
        assert title.endswith(f": {expected[topic, day]} session{'' if expected[topic, day] == 1 else 's'}")
    assert cells["service mesh", "2018-05-03"][0] == "2"
    assert dots == pairs  # the recap names 44 projects: every one is drawn, in every session naming it
    assert rows == dict(Counter(project for project, _ in pairs))
    assert rows["kubernetes"] == 9
    assert pictures == 2
    assert overflow <= 0
    assert (background, deepest) == (SCHEMES[scheme]["background"], SCHEMES[scheme]["deepest"])
    assert problems == []
    _clean(recorder, server_url)


def test_each_picture_has_a_table_of_the_same_numbers(browser: Browser, server_url: str) -> None:
    with open_page(browser) as (page, recorder):
        _open(page, f"{server_url}/recaps/{RECAP}/pictures")
        cells = _drawn_cells(page)
        topics_table = page.locator("#topics-by-day-table")
        expect(topics_table).to_be_hidden()
        page.locator("#topics-by-day").get_by_role("button", name="Show as table").click()
        page.locator("#projects-by-session").get_by_role("button", name="Show as table").click()
        expect(topics_table).to_be_visible()
        days = topics_table.locator("thead time").evaluate_all("times => times.map(t => t.getAttribute('datetime'))")
        heads = topics_table.locator("thead th").all_inner_texts()
        topic_rows = topics_table.locator("tbody tr").evaluate_all(
            "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
        )
        project_rows = page.locator("#projects-by-session-table tbody tr").evaluate_all(
            "rows => rows.map(r => [r.cells[0].textContent, r.cells[1].textContent, r.querySelectorAll('li').length])"
        )
        rows = _row_counts(page)
        dots = Counter(project for project, _ in _drawn_dots(page))
        names = dict(
            page.locator("#projects-by-session-table tbody th a").evaluate_all(
                "links => links.map(a => [a.textContent, a.getAttribute('href').split('/').pop()])"
            )
        )
        screenshot(page, "pictures-tables")
        problems = serious_violations(page)
    assert heads[:3] == ["Topic", "Tue 1 May 2018", "Wed 2 May 2018"]
    assert days == ["2018-05-01", "2018-05-02", "2018-05-03", "2018-05-04"]
    for topic, *counts, total in topic_rows:
        assert [int(count) for count in counts] == [int(cells[topic, day][0] or 0) for day in days]
        assert int(total) == sum(int(count) for count in counts)
    assert len(topic_rows) == len({topic for topic, _ in cells})
    assert {names[name]: int(count) for name, count, _ in project_rows} == rows
    assert {names[name]: listed for name, _, listed in project_rows} == {slug: dots[slug] for slug in rows}
    assert problems == []
    _clean(recorder, server_url)


def test_labels_link_to_the_agenda_and_take_the_keyboard(browser: Browser, server_url: str) -> None:
    base = f"/recaps/{RECAP}"
    with open_page(browser) as (page, recorder):
        _open(page, f"{server_url}{base}/pictures")
        topics = page.locator("#topics-by-day svg")
        projects = page.locator("#projects-by-session svg")
        hrefs = {
            "topic": topics.get_by_role("link", name="service mesh, 3 sessions").get_attribute("href"),
            "day": topics.get_by_role("link", name="Wed 2 May, 8 sessions (Day 1, 2018)").get_attribute("href"),
            "project": projects.get_by_role("link", name="Kubernetes, 9 sessions").get_attribute("href"),
            "session": projects.get_by_role("link", name="Serverless WG BOF").get_attribute("href"),
        }
        focused = ""
        for _ in range(8):  # the masthead's links and the picture's box come first
            page.keyboard.press("Tab")
            focused = page.evaluate(
                "(a => a.closest('svg') ? a.getAttribute('aria-label') : '')(document.activeElement)"
            )
            if focused:
                break
        ring = page.evaluate("getComputedStyle(document.activeElement.querySelector('.focus-ring')).stroke")
        screenshot(page, "pictures-keyboard")
    assert hrefs == {
        "topic": f"{base}/topics/service-mesh",
        "day": f"{base}/days/2018-05-02",
        "project": f"{base}/projects/kubernetes",
        "session": f"{base}/sessions/serverless-wg-bof",
    }
    assert focused == "Tue 1 May, 1 session (Tuesday evening: lightning talks, 2018)"
    assert ring not in ("", "none")
    _clean(recorder, server_url)


@pytest.fixture(scope="module")
def two_recaps_url(two_recaps_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("pictures-two") / "store.json"
    shutil.copyfile(two_recaps_path, store)
    with _serving(store) as url:
        yield url


def test_with_several_recaps_the_page_shows_the_one_in_its_url(browser: Browser, two_recaps_url: str) -> None:
    expected = _topic_days(two_recaps_url, "example-conf-2025")
    mentions = _mentions(two_recaps_url, "example-conf-2025")
    with open_page(browser) as (page, recorder):
        _open(page, f"{two_recaps_url}/recaps/example-conf-2025/pictures")
        heading = page.locator("h1").inner_text()
        cells = _drawn_cells(page)
        dots = _drawn_dots(page)
        screenshot(page, "pictures-second-recap")
    assert heading == "Pictures of Example Conf 2025"
    assert {key: int(written) for key, (written, _) in cells.items() if written} == dict(expected)
    assert {topic for topic, _ in cells} == {"architecture", "community", "platforms", "security"}
    assert dots == {(project["slug"], session["slug"]) for session in mentions for project in session["projects"]}
    _clean(recorder, two_recaps_url)


@pytest.fixture(scope="module")
def bare_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The format's example recap with its topics and projects taken away."""
    example = read_recap(EXAMPLE_RECAP).dataset
    bare = dataclasses.replace(
        example,
        topics=(),
        projects=(),
        sessions=tuple(dataclasses.replace(session, topics=(), projects=()) for session in example.sessions),
        recommendations=tuple(item for item in example.recommendations if item.project is None),
    )
    with _serving(_store_of(tmp_path_factory, bare)) as url:
        yield url


def test_a_recap_without_topics_or_projects_says_so(browser: Browser, bare_url: str) -> None:
    with open_page(browser, width=390) as (page, recorder):
        _open(page, f"{bare_url}/recaps/example-conf-2025/pictures")
        topics = page.locator("#topics-by-day .nothing-to-draw").inner_text()
        projects = page.locator("#projects-by-session .nothing-to-draw").inner_text()
        charts = page.locator("svg.chart").count()
        screenshot(page, "pictures-nothing-to-draw")
        problems = serious_violations(page)
    assert topics == "This recap names no topics."
    assert projects == "This recap names no projects."
    assert charts == 0
    assert problems == []
    _clean(recorder, bare_url)


@pytest.fixture(scope="module")
def large_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with _serving(_store_of(tmp_path_factory, synthetic_dataset(300, 60, rng_seed=3))) as url:
        yield url


def test_a_large_recap_is_drawn_in_part_and_says_what_was_left_out(browser: Browser, large_url: str) -> None:
    recap = "synthetic-300-60-3"
    expected = _topic_days(large_url, recap)
    with open_page(browser) as (page, recorder):
        _open(page, f"{large_url}/recaps/{recap}/pictures")
        cells = _drawn_cells(page)
        notes = page.locator("#projects-by-session .left-out li").all_inner_texts()
        rows = _row_counts(page)
        columns = page.locator("#projects-by-session .column-title").count()
        dots = _drawn_dots(page)
        screenshot(page, "pictures-large")
    query = (
        "query($r: String!, $p: [String!]!) { recap(slug: $r) { sessions(filter: { projects: $p }, first: 40) {"
        " totalCount nodes { slug projects { slug } } } projects(first: 100) { nodes { slug sessions { slug } } } } }"
    )
    answer = _api(large_url, query, {"r": recap, "p": list(rows)})["recap"]
    naming = answer["sessions"]
    named = {project["slug"]: len(project["sessions"]) for project in answer["projects"]["nodes"]}
    left_out = set(named) - set(rows)
    assert {key: int(written) for key, (written, _) in cells.items() if written} == dict(expected)
    assert columns == 40
    assert rows == {slug: named[slug] for slug in rows}
    assert len(rows) == 50
    assert max(named[slug] for slug in left_out) <= min(rows.values())  # the most named are the ones drawn
    assert notes[0] == "The 50 projects named in the most sessions are drawn, of the recap's 60."
    assert notes[1] == f"The first 40 of the {naming['totalCount']} sessions naming them are drawn, in recap order."
    assert dots == {(p["slug"], s["slug"]) for s in naming["nodes"] for p in s["projects"] if p["slug"] in rows}
    _clean(recorder, large_url)


def test_a_server_error_says_so_in_plain_words_and_retry_draws(browser: Browser, server_url: str) -> None:
    # A real proxy in front, answering 502 with nginx's page as a proxy whose upstream is down does.
    with stub_proxy(server_url) as proxy, open_page(browser) as (page, recorder):
        proxy.fail()
        _open(page, f"{proxy.url}/recaps/{RECAP}/pictures", state="failed")
        said = page.locator("#status-text").inner_text()
        screenshot(page, "pictures-server-error")
        proxy.forward()
        page.get_by_role("button", name="Retry").click()
        expect(page.locator("body")).to_have_attribute("data-state", "ready", timeout=30_000)
        drawn = page.locator("#topics-by-day .cell").count()
    assert said == "The server answered with an error (HTTP 502) instead of the numbers. Try again in a moment."
    assert drawn > 0
    assert proxy.failed >= 1
    assert [error for error in recorder.errors if "502" not in error] == []
    assert recorder.outside(proxy.url) == []


def test_an_unreachable_server_says_so_and_retry_draws(browser: Browser, server_url: str) -> None:
    with open_page(browser, width=390) as (page, recorder):
        # Chromium's own refusal: the page must say so whatever stopped the connection.
        page.route("**/graphql", lambda route: route.abort("connectionrefused"))
        _open(page, f"{server_url}/recaps/{RECAP}/pictures", state="failed")
        said = page.locator("#status-text").inner_text()
        screenshot(page, "pictures-unreachable")
        problems = serious_violations(page)
        page.unroute("**/graphql")
        page.get_by_role("button", name="Retry").click()
        expect(page.locator("body")).to_have_attribute("data-state", "ready", timeout=30_000)
    assert said.startswith("The server could not be reached, so there is nothing to draw.")
    assert problems == []
    # The refused requests, as Chromium reports them; nothing else.
    assert [error for error in recorder.errors if "graphql" not in error and "CONNECTION_REFUSED" not in error] == []


def test_a_query_the_api_refuses_is_shown_in_the_apis_words(browser: Browser, tmp_path: Path) -> None:
    with _serving(tmp_path / "store.json", RECAPQL_MAX_COST="100") as url, open_page(browser) as (page, recorder):
        _open(page, f"{url}/recaps/{RECAP}/pictures", state="failed")
        said = page.locator("#status-text").inner_text()
        retry = page.get_by_role("button", name="Retry").count()
    assert said.startswith("The API could not answer: 'PicturesOutline' has a cost of ")
    assert "above the maximum query cost of 100" in said
    assert retry == 0  # the same query would be refused again
    assert [error for error in recorder.errors if "400" not in error] == []
