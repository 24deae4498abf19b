"""podcast/site.py: the index, 50 episodes a page, newest first, with pages linked both
ways; search.json holds every episode, hostile text as JSON strings."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from lxml import html

from newsvoice.podcast.site import PER_PAGE, index_name, index_pages, search_index

from .test_podcast import CONFIG, HOSTILE, episode

if TYPE_CHECKING:
    from newsvoice.podcast.episode import Episode

TOTAL = 2 * PER_PAGE + 20


def _episodes() -> list[Episode]:
    first = episode()
    return [
        replace(
            first,
            id=f"id-{n}",
            slug=f"story-{n}",
            headline=f"Story {n}",
            published=first.published - timedelta(days=n),
        )
        for n in range(TOTAL)
    ]


def test_the_index_is_paginated_past_fifty_episodes() -> None:
    pages = index_pages(CONFIG, _episodes())
    assert list(pages) == ["index.html", "index-2.html", "index-3.html"]
    seen = []
    for number, (name, data) in enumerate(pages.items(), start=1):
        assert name == index_name(number)
        document = html.fromstring(data)
        listing = document.xpath('//ol[@aria-labelledby="episodes"]')[0]
        titles = [a.text for a in listing.iter("a")]
        assert len(titles) == (PER_PAGE if number < 3 else 20)
        assert listing.get("start") == str(TOTAL - (number - 1) * PER_PAGE)
        seen += titles
        links = {a.get("rel"): a.get("href") for a in document.xpath("//nav[@class='pages']/a")}
        assert links.get("prev") == (index_name(number - 1) if number > 1 else None)
        assert links.get("next") == (index_name(number + 1) if number < 3 else None)
        assert len(document.findall(".//h1")) == 1
    assert seen == [f"Story {n}" for n in range(TOTAL)]  # newest first, each once


def test_one_page_has_no_page_links() -> None:
    (data,) = index_pages(CONFIG, _episodes()[:3]).values()
    assert not html.fromstring(data).xpath("//nav[@class='pages']")


def test_the_search_index_holds_every_episode_as_data() -> None:
    episodes = _episodes()
    data = json.loads(search_index(episodes))["episodes"]
    assert [e["title"] for e in data] == [e.headline for e in episodes]
    assert data[0]["url"] == "episodes/story-0/"
    assert data[0]["image"] == "episodes/story-0/kerry-1.png"
    hostile = json.loads(search_index([episode()]))["episodes"][0]
    assert hostile["standfirst"].startswith("<script>alert(1)</script>")  # text, not markup
    assert "\ud800" not in hostile["standfirst"]
    assert "\x00" not in hostile["standfirst"]
    assert hostile["standfirst"] != HOSTILE  # cleaned (control characters, surrogates)
