"""The static site: ``index.html`` (episodes, newest first) and one page per episode with the
player, chapter links that seek it, the transcript and the downloads.

Pages are built as trees and serialised by lxml, so every value is escaped. They use only
the site's own stylesheet and script (a Content-Security-Policy says so); without the
script, chapter links still work as media-fragment links (``audio.mp3#t=21.45``).
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from lxml import etree, html

from ..narration.timing import clock
from ..text import squash
from ..version import __version__
from .feed import FEED_NAME, web_url

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


def _el(
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


def _tail(element: etree._Element, text: str) -> None:
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


def _size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    return f"{max(1, round(n / 1000))} kB"


def _date(episode: Episode) -> str:
    when = episode.published
    return f"{when.day} {when:%B %Y}"


def _page(
    title: str, language: str, root: str, description: str
) -> tuple[etree._Element, etree._Element]:
    """The page skeleton; returns (html, main)."""
    attrs = {"lang": language}
    if language.split("-")[0].lower() in RTL:
        attrs["dir"] = "rtl"
    page = etree.Element("html", attrs)
    head = _el(page, "head")
    _el(head, "meta", charset="utf-8")
    _el(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    _el(head, "meta", http_equiv="Content-Security-Policy", content=CSP)
    _el(head, "meta", name="description", content=squash(description)[:300])
    _el(head, "meta", name="generator", content=f"newsvoice {__version__}")
    _el(head, "title", title)
    _el(head, "link", rel="stylesheet", href=f"{root}site.css")
    _el(
        head,
        "link",
        rel="alternate",
        type="application/rss+xml",
        href=f"{root}{FEED_NAME}",
        title="Podcast feed (RSS)",
    )
    body = _el(page, "body")
    _el(body, "a", "Skip to content", href="#main", class_="skip")
    return page, body


def _header(body: etree._Element, config: PodcastConfig, root: str, home: bool) -> None:
    header = _el(body, "header", class_="site")
    if home:
        _el(header, "p", config.title, class_="site-name")
    else:
        _el(_el(header, "p", class_="site-name"), "a", config.title, href=root or "./")
    nav = _el(header, "nav", aria_label="Subscribe")
    _el(nav, "a", "Podcast feed (RSS)", href=f"{root}{FEED_NAME}", type="application/rss+xml")


def _footer(body: etree._Element, root: str) -> None:
    footer = _el(body, "footer", class_="site")
    p = _el(footer, "p")
    p.text = "Narrated with a synthetic voice by "  # not squashed: the space before the link
    _el(p, "a", "newsvoice", href="https://pypi.org/project/newsvoice/")
    _tail(p[-1], f" {__version__}.")
    _el(body, "script", src=f"{root}player.js", defer="defer")


def _serialise(page: etree._Element) -> bytes:
    out: bytes = html.tostring(page, doctype="<!DOCTYPE html>", encoding="utf-8", method="html")
    return out + b"\n"


def _meta_line(parent: etree._Element, episode: Episode) -> None:
    p = _el(parent, "p", class_="meta")
    if episode.byline:
        span = _el(p, "span", episode.byline)
        _tail(span, " · ")
    time = _el(p, "time", _date(episode), datetime=episode.published.isoformat())
    _tail(time, f" · {spoken_duration(episode.duration_ms)}")


def index_page(config: PodcastConfig, episodes: Sequence[Episode]) -> bytes:
    page, body = _page(config.title, config.language, "", config.description)
    _header(body, config, "", home=True)
    main = _el(body, "main", id="main")
    _el(main, "h1", config.title)
    _el(main, "p", config.description, class_="standfirst")
    follow = _el(main, "p")
    _el(follow, "a", "Follow the podcast: copy this feed address into your app", href=FEED_NAME)
    _el(main, "h2", "Episodes", id="episodes")
    if not episodes:
        _el(main, "p", "No episodes yet.")
    listing = _el(main, "ol", class_="episodes", aria_labelledby="episodes", reversed="reversed")
    for episode in episodes:
        item = _el(listing, "li", lang=episode.language)
        article = _el(item, "article")
        _el(_el(article, "h3"), "a", episode.headline, href=f"episodes/{episode.slug}/")
        if episode.standfirst:
            _el(article, "p", episode.standfirst)
        _meta_line(article, episode)
    if not episodes:
        main.remove(listing)
    _footer(body, "")
    return _serialise(page)


def episode_page(config: PodcastConfig, episode: Episode) -> bytes:
    root = "../../"
    page, body = _page(
        f"{episode.headline} — {config.title}",
        episode.language,
        root,
        episode.standfirst or episode.headline,
    )
    _header(body, config, root, home=False)
    main = _el(body, "main", id="main")
    article = _el(main, "article")
    _el(article, "h1", episode.headline)
    if episode.standfirst:
        _el(article, "p", episode.standfirst, class_="standfirst")
    _meta_line(article, episode)

    listen = _el(article, "section", aria_labelledby="listen")
    _el(listen, "h2", "Listen", id="listen")
    player = _el(
        listen,
        "audio",
        id="player",
        controls="controls",
        preload="metadata",
        src=episode.audio,
        aria_describedby="voice-note",
    )
    _el(player, "track", kind="captions", src=episode.transcript, srclang=episode.language,
        label="Transcript")  # fmt: skip
    _el(player, "a", "Download the narration (MP3)", href=episode.audio)
    _el(
        listen,
        "p",
        f"Read by a synthetic voice ({episode.voice}). The transcript below is the text it reads.",
        id="voice-note",
        class_="note",
    )

    chapters = _el(article, "nav", aria_labelledby="chapters", class_="chapters")
    _el(chapters, "h2", "Chapters", id="chapters")
    ol = _el(chapters, "ol")
    for chapter in episode.chapters:
        seconds = f"{chapter.start_ms / 1000:.3f}"
        link = _el(
            _el(ol, "li"),
            "a",
            None,
            href=f"{episode.audio}#t={seconds}",
            data_start=seconds,
            class_="seek",
        )
        _el(link, "span", chapter.title, class_="chapter-title")
        _tail(link[-1], " ")
        _el(link, "span", clock(chapter.start_ms, "player"), class_="time")

    downloads = _el(article, "section", aria_labelledby="downloads")
    _el(downloads, "h2", "Downloads", id="downloads")
    ul = _el(downloads, "ul")
    _el(
        _el(ul, "li"),
        "a",
        f"Accessible e-book (EPUB 3, {_size(episode.epub_bytes)})",
        href=episode.epub,
        type="application/epub+zip",
    )
    if episode.readalong:
        _el(
            _el(ul, "li"),
            "a",
            f"Read-along e-book: text and narration together (EPUB 3, "
            f"{_size(episode.readalong_bytes)})",
            href=episode.readalong,
            type="application/epub+zip",
        )
    _el(
        _el(ul, "li"),
        "a",
        f"Narration (MP3, {_size(episode.audio_bytes)})",
        href=episode.audio,
        type="audio/mpeg",
        download=episode.audio,
    )
    _el(_el(ul, "li"), "a", "Transcript (WebVTT)", href=episode.transcript, type="text/vtt")
    original_url = web_url(episode.url)
    if original_url:
        original = _el(_el(ul, "li"), "a", "Original article", href=original_url)
        if episode.site_name:
            original.text = f"Original article on {squash(episode.site_name)}"

    transcript = _el(article, "section", aria_labelledby="transcript", class_="transcript")
    _el(transcript, "h2", "Transcript", id="transcript")
    for number, chapter in enumerate(episode.chapters):
        lines = [line for line in episode.lines if line.chapter == number]
        if not lines:
            continue
        _el(transcript, "h3", chapter.title)
        paragraph: etree._Element | None = None
        span: etree._Element | None = None  # the paragraph's last (lxml's len() and [-1] count)
        last_block: int | None = None
        for line in lines:
            if paragraph is None or line.block < 0 or line.block != last_block:
                paragraph = _el(transcript, "p")
            elif span is not None:
                span.tail = " "
            last_block = line.block
            span = _el(paragraph, "span", line.text, data_start=f"{line.start_ms / 1000:.3f}")
    _footer(body, root)
    return _serialise(page)
