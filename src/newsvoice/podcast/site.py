"""The static site's pages: the skeleton every page shares, and ``index.html`` (episodes,
newest first). The episode page is in ``listening.py``.

Pages are built as trees and serialised by lxml, so every value is escaped. They use only
the site's own stylesheet and script (a Content-Security-Policy says so); without the
script, chapter links still work as media-fragment links (``audio.mp3#t=21.45``).
"""

from __future__ import annotations

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
    "media-src 'self'; base-uri 'none'; form-action 'none'"
)
ASSETS = ("site.css", "player.js")
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


def site_footer(body: etree._Element, root: str) -> None:
    footer = el(body, "footer", class_="site")
    p = el(footer, "p")
    p.text = "Narrated with a synthetic voice by "  # not squashed: the space before the link
    el(p, "a", "newsvoice", href="https://pypi.org/project/newsvoice/")
    tail(p[-1], f" {__version__}.")
    el(body, "script", src=f"{root}player.js", defer="defer")


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


def index_page(config: PodcastConfig, episodes: Sequence[Episode]) -> bytes:
    page, body = skeleton(config.title, config.language, "", config.description)
    site_header(body, config, "", home=True)
    main = el(body, "main", id="main")
    el(main, "h1", config.title)
    el(main, "p", config.description, class_="standfirst")
    follow = el(main, "p")
    el(follow, "a", "Follow the podcast: copy this feed address into your app", href=FEED_NAME)
    el(main, "h2", "Episodes", id="episodes")
    if not episodes:
        el(main, "p", "No episodes yet.")
    listing = el(main, "ol", class_="episodes", aria_labelledby="episodes", reversed="reversed")
    for episode in episodes:
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
    site_footer(body, "")
    return serialise(page)
