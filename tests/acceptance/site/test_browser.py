"""The published site in a real browser: headless Chromium (Debian's) driven by Playwright
opens the episode list and the episode pages from ``newsvoice feed serve``'s server on
127.0.0.1 (tests/js/site_check.js does the driving; see conftest.py).

axe-core finds no WCAG 2.2 A/AA or best-practice violation on any page, in the light and
the dark colour scheme and, on an episode page, while it plays; the page's own
Content-Security-Policy stays enforced and nothing is blocked, logged as an error or
fetched from another origin; the player plays, and a chapter link moves it to that
chapter, clicked with the mouse or followed with the keyboard.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.acceptance.site.conftest import EPISODES, INDEX, PAGES

pytestmark = [pytest.mark.slow, pytest.mark.network_loopback]

# A seek lands on the chapter's start; the player keeps playing, so allow it a little more.
EARLY, LATE = 0.5, 1.0


def _page(report: dict[str, Any], path: str) -> dict[str, Any]:
    page: dict[str, Any] = report["pages"][path]
    assert page.get("error") is None, page["error"]
    assert page["status"] == 200
    return page


def _violations(axe: dict[str, Any]) -> list[tuple[str, str, list[Any]]]:
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in axe["violations"]]


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violations(path: str, browser_report: dict[str, Any]) -> None:
    page = _page(browser_report, path)
    assert page["axe"]["version"] == "4.14.1"
    assert _violations(page["axe"]) == []
    assert _violations(page["axeDark"]) == []
    if path != INDEX:
        assert _violations(page["axePlaying"]) == []


@pytest.mark.parametrize("path", PAGES)
def test_no_errors_blocked_requests_or_third_parties(
    path: str, browser_report: dict[str, Any]
) -> None:
    page = _page(browser_report, path)
    assert page["console"] == []  # errors and warnings, CSP refusals among them
    assert page["pageErrors"] == []
    assert page["csp"] == []  # securitypolicyviolation events
    assert page["failed"] == []  # failed requests and HTTP errors
    assert browser_report["offsite"] == []


@pytest.mark.parametrize("path", EPISODES)
def test_clicking_a_chapter_link_seeks_the_player(
    path: str, browser_report: dict[str, Any]
) -> None:
    page = _page(browser_report, path)
    playback = page["playback"]
    assert playback["chapters"] >= 2
    assert playback["played"]["currentTime"] > 0.3
    assert not playback["played"]["paused"]

    mouse = playback["mouse"]  # the last chapter link, clicked with the mouse
    assert mouse["start"] > 5
    assert mouse["start"] - EARLY <= mouse["currentTime"] <= mouse["start"] + LATE, mouse
    assert not mouse["paused"]
    assert mouse["location"] == page["url"]  # the script seeked; the page stayed
    assert mouse["current"].startswith(mouse["title"])  # aria-current="time" moved


@pytest.mark.parametrize("path", EPISODES)
def test_a_chapter_link_works_from_the_keyboard(path: str, browser_report: dict[str, Any]) -> None:
    page = _page(browser_report, path)
    playback = page["playback"]
    keys = playback["keyboard"]  # Shift+Tab to the chapter before the last, then Enter
    assert keys["presses"] == 1
    assert keys["focused"]["text"].startswith(keys["title"])
    assert keys["focused"]["outline"] == "solid 3px"
    assert keys["start"] < playback["mouse"]["start"] - 1
    assert keys["start"] - EARLY <= keys["currentTime"] <= keys["start"] + LATE, keys
    assert not keys["paused"]
    assert keys["location"] == page["url"]
    after = playback["after"]  # it plays on from there, marking the chapter and sentence
    assert keys["start"] < after["currentTime"] < keys["start"] + 5
    assert after["current"].startswith(keys["title"])
    assert after["speaking"] == 1


@pytest.mark.parametrize("path", PAGES)
def test_keyboard_focus_order_and_reflow(path: str, browser_report: dict[str, Any]) -> None:
    page = _page(browser_report, path)
    order = page["tabOrder"]
    assert order[0]["text"] == "Skip to content"
    assert all(stop["visible"] for stop in order), order  # focus not obscured
    links = [stop for stop in order if stop["tag"] == "a"]
    assert all(stop["outline"] == "solid 3px" for stop in links), order  # focus visible
    if path == INDEX:
        assert sum(stop["href"].startswith("episodes/") for stop in links) == len(EPISODES)
    else:
        tags = [stop["tag"] for stop in order]
        assert "audio" in tags
        chapter_links = [s for s in links if s["href"].split("#")[-1].startswith("t=")]
        assert tags.index("audio") < order.index(chapter_links[0])
        assert len(chapter_links) == page["playback"]["chapters"]
    reflow = page["reflow"]  # 320 CSS pixels wide: no horizontal scrolling (WCAG 1.4.10)
    assert reflow["scrollWidth"] <= reflow["clientWidth"], reflow
