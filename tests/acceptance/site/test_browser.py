"""The published site in a real browser: headless Chromium (Debian's) driven by Playwright
opens the episode list and the episode pages from ``newsvoice feed serve``'s server on
127.0.0.1 (tests/js/site_check.js does the driving; see conftest.py).

The read-along: while it plays, the highlighted sentence is the one the timing table says is
being read; a click or Enter on a sentence plays from its start; the transcript is one tab
stop; back/forward, speed and the resume offer work and survive a reload, and nothing plays
by itself; with JavaScript off the page still plays, lists its chapters and shows the text.

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
        assert _violations(page["axePlayingDark"]) == []


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


# --- the read-along transcript and the player's controls (tests/js/site_check.js readAlong) ---

NEAR_BOUNDARY = 0.3  # seconds: this close to a sentence boundary the highlight may lag by one
SEEK_TOLERANCE = 0.05


def _read_along(report: dict[str, Any], path: str) -> dict[str, Any]:
    read_along: dict[str, Any] = _page(report, path)["readAlong"]
    assert read_along["sentences"] >= 13
    return read_along


def _expected(timing: list[list[float]], t: float) -> tuple[list[int], set[int]]:
    """The sentence whose interval holds ``t`` (none between sentences), and the ones that
    may be shown instead: within NEAR_BOUNDARY of a boundary, the one on its other side."""
    holding = [i for i, (start, end) in enumerate(timing) if start <= t < end]
    near = {
        i
        for i, (start, end) in enumerate(timing)
        if start - NEAR_BOUNDARY <= t < end + NEAR_BOUNDARY
    }
    return holding, near


@pytest.mark.parametrize("path", EPISODES)
def test_the_sentence_being_read_is_highlighted(path: str, browser_report: dict[str, Any]) -> None:
    read_along = _read_along(browser_report, path)
    timing = read_along["timing"]
    assert len(read_along["samples"]) == 3
    for sample in read_along["samples"]:
        assert not sample["paused"]
        holding, near = _expected(timing, sample["currentTime"])
        shown = sample["speaking"]
        assert len(shown) <= 1, sample
        if near == set(holding):  # clear of every boundary: exactly the one being read
            assert shown == holding, sample
        else:
            assert set(shown) <= near, sample
        assert sample["chapter"]  # the current chapter is shown
        if shown:
            assert sample["inView"], sample  # followed: kept on screen
    assert read_along["samples"][-1]["scrollY"] > read_along["samples"][0]["scrollY"]


@pytest.mark.parametrize("path", EPISODES)
def test_with_reduced_motion_the_page_does_not_scroll_by_itself(
    path: str, browser_report: dict[str, Any]
) -> None:
    reduced = _page(browser_report, path)["reducedMotion"]
    assert reduced.get("error") is None, reduced["error"]
    assert not reduced["follow"]  # "Follow along" starts off
    assert not reduced["paused"]
    assert reduced["speaking"]  # still highlighted
    assert reduced["scrollY"] == 0  # but not scrolled to


@pytest.mark.parametrize("path", EPISODES)
def test_clicking_a_sentence_plays_from_its_start(
    path: str, browser_report: dict[str, Any]
) -> None:
    click = _read_along(browser_report, path)["click"]
    assert abs(click["seeked"] - click["start"]) <= SEEK_TOLERANCE, click
    assert not click["paused"]
    assert click["speaking"] == [10]


@pytest.mark.parametrize("path", EPISODES)
def test_the_transcript_is_one_tab_stop_played_from_the_keyboard(
    path: str, browser_report: dict[str, Any]
) -> None:
    keys = _read_along(browser_report, path)["keys"]
    assert keys["presses"] == 1  # one Tab from the last chapter link reaches the transcript
    assert keys["entered"] == 10  # on the sentence last played (the roving tab stop)
    assert keys["tabStops"] == 1
    assert keys["index"] == 11  # Home, twelve times Down, once Up
    assert abs(keys["seeked"] - keys["start"]) <= SEEK_TOLERANCE, keys
    assert not keys["paused"]
    assert not keys["next"]["sentence"]  # one more Tab leaves the transcript
    assert keys["next"]["text"].startswith("Accessible e-book")


@pytest.mark.parametrize("path", EPISODES)
def test_back_15_forward_30_and_the_k_shortcut(path: str, browser_report: dict[str, Any]) -> None:
    read_along = _read_along(browser_report, path)
    assert read_along["back"]["seeked"] == pytest.approx(45, abs=SEEK_TOLERANCE)
    assert read_along["forward"]["seeked"] == pytest.approx(75, abs=SEEK_TOLERANCE)
    shortcut = read_along["shortcut"]
    assert not shortcut["paused"]
    assert shortcut["label"] == "Pause"


@pytest.mark.parametrize("path", EPISODES)
def test_speed_and_position_survive_a_reload_without_autoplay(
    path: str, browser_report: dict[str, Any]
) -> None:
    page = _page(browser_report, path)
    assert page["onLoad"] == {"paused": True, "currentTime": 0}
    read_along = page["readAlong"]
    left = read_along["left"]
    assert left["rate"] == 1.5
    reloaded = read_along["reloaded"]
    assert reloaded["paused"]
    assert reloaded["currentTime"] == 0
    assert reloaded["rate"] == 1.5
    assert reloaded["speed"] == "1.5"
    assert reloaded["cookies"] == ""
    assert reloaded["resumeVisible"]
    minutes, seconds = divmod(int(left["currentTime"]), 60)
    assert reloaded["resumeText"] == f"Resume at {minutes}:{seconds:02d}"
    resumed = read_along["resumed"]
    assert abs(resumed["seeked"] - left["currentTime"]) <= 0.1, (resumed, left)
    assert not resumed["paused"]
    assert resumed["rate"] == 1.5


@pytest.mark.parametrize("path", EPISODES)
def test_without_javascript_the_page_plays_lists_chapters_and_reads(
    path: str, browser_report: dict[str, Any]
) -> None:
    page = _page(browser_report, path)
    no_script = page["noScript"]
    assert no_script.get("error") is None, no_script["error"]
    assert no_script["audio"]
    assert len(no_script["chapterLinks"]) == page["playback"]["chapters"]
    assert all("#t=" in href for href in no_script["chapterLinks"])
    assert no_script["transcript"] == page["readAlong"]["sentences"]
    assert no_script["transcriptVisible"]
    assert no_script["hiddenControls"]  # the script's controls do not show without it
    assert not no_script["played"]["paused"]
    assert no_script["played"]["currentTime"] > 0.3


def test_the_index_search_finds_episodes_by_title(browser_report: dict[str, Any]) -> None:
    search = _page(browser_report, INDEX)["search"]
    assert search["visible"]
    for found in (search["one"], search["accents"]):  # any case, with or without accents
        assert found["status"] == "1 episode matches."
        assert found["results"] == [EPISODES[1]]
        assert found["listHidden"]
    assert search["none"]["status"] == "No episode matches."
    assert search["none"]["results"] == []
    assert _violations(search["axe"]) == []
    assert search["cleared"] == {"listHidden": False, "results": 0}
