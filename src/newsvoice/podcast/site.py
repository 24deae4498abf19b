"""The static site's pages: the skeleton every page shares, and ``index.html`` (episodes,
newest first). The episode page is in ``listening.py``.

Pages are built as trees and serialised by lxml, so every value is escaped. They use only
the site's own stylesheet and script (a Content-Security-Policy says so); without the
script, chapter links still work as media-fragment links (``audio.mp3#t=21.45``).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import TYPE_CHECKING

from lxml import etree, html

from ..text import squash
from ..version import __version__
from .feed import FEED_NAME

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .config import PodcastConfig
    from .episode import Episode

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "media-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'"
)
ASSETS = ("site.css", "player.js", "search.js")
PER_PAGE = 50  # episodes per index page
FAVICON_NAME, FAVICON_PX = "favicon.png", 64
SEARCH_NAME = "search.json"
RTL = {"ar", "he", "fa", "ur", "yi", "ps", "dv", "ckb"}


def asset(name: str) -> bytes:
    return resources.files("newsvoice").joinpath("data", "site", name).read_bytes()


def el(
    parent: etree._Element | None, tag: str, text: str | None = None, **attrs: str
) -> etree._Element:
    attributes = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
    element = (
        etree.Element(tag, attributes)
        if parent is None
        else etree.SubElement(parent, tag, attributes)
    )
    if text is not None:
        element.text = squash(text)
    return element


def tail(element: etree._Element, text: str) -> None:
    element.tail = (element.tail or "") + text


def spoken_duration(ms: int) -> str:
    """``4 minutes 21 seconds``: for people and screen readers."""
    seconds = round(ms / 1000)
    minutes, seconds = divmod(seconds, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' * (minutes != 1)}")
    if seconds or not minutes:
        parts.append(f"{seconds} second{'s' * (seconds != 1)}")
    return " ".join(parts)


def file_size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    return f"{max(1, round(n / 1000))} kB"


def _date(episode: Episode) -> str:
    when = episode.published
    return f"{when.day} {when:%B %Y}"


def skeleton(
    title: str, language: str, root: str, description: str
) -> tuple[etree._Element, etree._Element]:
    """The page skeleton; returns (html, main)."""
    attrs = {"lang": language}
    if language.split("-")[0].lower() in RTL:
        attrs["dir"] = "rtl"
    page = etree.Element("html", attrs)
    head = el(page, "head")
    el(head, "meta", charset="utf-8")
    el(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    el(head, "meta", http_equiv="Content-Security-Policy", content=CSP)
    el(head, "meta", name="description", content=squash(description)[:300])
    el(head, "meta", name="generator", content=f"newsvoice {__version__}")
    el(head, "title", title)
    el(head, "link", rel="stylesheet", href=f"{root}site.css")
    el(head, "link", rel="icon", type="image/png", sizes=f"{FAVICON_PX}x{FAVICON_PX}",
       href=f"{root}{FAVICON_NAME}")  # fmt: skip
    el(
        head,
        "link",
        rel="alternate",
        type="application/rss+xml",
        href=f"{root}{FEED_NAME}",
        title="Podcast feed (RSS)",
    )
    body = el(page, "body")
    el(body, "a", "Skip to content", href="#main", class_="skip")
    return page, body


def site_header(body: etree._Element, config: PodcastConfig, root: str, home: bool) -> None:
    header = el(body, "header", class_="site")
    if home:
        el(header, "p", config.title, class_="site-name")
    else:
        el(el(header, "p", class_="site-name"), "a", config.title, href=root or "./")
    nav = el(header, "nav", aria_label="Subscribe")
    el(nav, "a", "Podcast feed (RSS)", href=f"{root}{FEED_NAME}", type="application/rss+xml")


def site_footer(body: etree._Element, root: str, script: str = "player.js") -> None:
    footer = el(body, "footer", class_="site")
    p = el(footer, "p")
    p.text = "Narrated with a synthetic voice by "  # not squashed: the space before the link
    el(p, "a", "newsvoice", href="https://pypi.org/project/newsvoice/")
    tail(p[-1], f" {__version__}.")
    el(body, "script", src=f"{root}{script}", defer="defer")


def serialise(page: etree._Element) -> bytes:
    out: bytes = html.tostring(page, doctype="<!DOCTYPE html>", encoding="utf-8", method="html")
    return out + b"\n"


def meta_line(parent: etree._Element, episode: Episode) -> None:
    p = el(parent, "p", class_="meta")
    if episode.byline:
        span = el(p, "span", episode.byline)
        tail(span, " · ")
    time = el(p, "time", _date(episode), datetime=episode.published.isoformat())
    tail(time, f" · {spoken_duration(episode.duration_ms)}")


def index_name(number: int) -> str:
    """The file of index page ``number`` (1: ``index.html``, then ``index-2.html``, ...)."""
    return "index.html" if number == 1 else f"index-{number}.html"


def _search(main: etree._Element) -> None:
    """The search box, shown by search.js (it reads search.json; without it nothing)."""
    box = el(main, "div", role="search", class_="search", hidden="hidden")
    el(box, "label", "Search the episodes", for_="search")
    el(box, "input", type="search", id="search", class_="search", autocomplete="off",
       aria_describedby="search-help", aria_controls="search-results")  # fmt: skip
    el(box, "p", "Titles and standfirsts; every word must match.", id="search-help",
       class_="note")  # fmt: skip
    el(box, "p", "", id="search-status", class_="note", role="status")
    el(box, "ol", id="search-results", class_="episodes", hidden="hidden",
       aria_label="Matching episodes")  # fmt: skip


def _pages_nav(main: etree._Element, number: int, count: int) -> None:
    nav = el(main, "nav", aria_label="Episode pages", class_="pages")
    if number > 1:
        el(nav, "a", "Newer episodes", href=index_name(number - 1), rel="prev")
    el(nav, "span", f"Page {number} of {count}", aria_current="page")
    if number < count:
        el(nav, "a", "Older episodes", href=index_name(number + 1), rel="next")


def index_page(config: PodcastConfig, episodes: Sequence[Episode], number: int = 1) -> bytes:
    """Index page ``number``: PER_PAGE episodes of ``episodes`` (newest first)."""
    count = max(1, -(-len(episodes) // PER_PAGE))
    shown = episodes[(number - 1) * PER_PAGE : number * PER_PAGE]
    title = config.title if number == 1 else f"{config.title}, page {number}"
    page, body = skeleton(title, config.language, "", config.description)
    site_header(body, config, "", home=number == 1)
    main = el(body, "main", id="main")
    el(main, "h1", title)
    el(main, "p", config.description, class_="standfirst")
    follow = el(main, "p")
    el(follow, "a", "Follow the podcast: copy this feed address into your app", href=FEED_NAME)
    el(main, "h2", "Episodes", id="episodes")
    if not episodes:
        el(main, "p", "No episodes yet.")
    else:
        _search(main)
    listing = el(main, "ol", class_="episodes", aria_labelledby="episodes", reversed="reversed",
                 start=str(len(episodes) - (number - 1) * PER_PAGE))  # fmt: skip
    for episode in shown:
        item = el(listing, "li", lang=episode.language)
        article = el(item, "article")
        if episode.image:
            el(article, "img", src=f"episodes/{episode.slug}/{episode.image}", alt="",
                width="96", height="96", class_="thumb", loading="lazy")  # fmt: skip
        el(el(article, "h3"), "a", episode.headline, href=f"episodes/{episode.slug}/")
        if episode.standfirst:
            el(article, "p", episode.standfirst)
        meta_line(article, episode)
    if not episodes:
        main.remove(listing)
    if count > 1:
        _pages_nav(main, number, count)
    site_footer(body, "", script="search.js")
    return serialise(page)


def index_pages(config: PodcastConfig, episodes: Sequence[Episode]) -> dict[str, bytes]:
    """Every index page, by file name."""
    count = max(1, -(-len(episodes) // PER_PAGE))
    return {index_name(n): index_page(config, episodes, n) for n in range(1, count + 1)}


def search_index(episodes: Sequence[Episode]) -> bytes:
    """``search.json``: what the index's search looks through (titles and standfirsts)."""
    entries = [
        {
            "url": f"episodes/{episode.slug}/",
            "title": squash(episode.headline),
            "standfirst": squash(episode.standfirst),
            "byline": squash(episode.byline),
            "date": episode.published.isoformat(),
            "dateText": _date(episode),
            "duration": spoken_duration(episode.duration_ms),
            "image": f"episodes/{episode.slug}/{episode.image}" if episode.image else "",
            "language": episode.language,
        }
        for episode in episodes
    ]
    return json.dumps({"episodes": entries}, ensure_ascii=False).encode("utf-8") + b"\n"
