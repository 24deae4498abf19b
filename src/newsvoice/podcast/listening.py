"""The episode page: a read-along transcript beside the player.

The transcript is the article as it is read (headline, byline, standfirst, the body with
its sub-headings, list items and quotes), every spoken sentence a ``<span>`` carrying its
start and end from the timing table (``data-start``/``data-end``, seconds). The page's own
script (``player.js``) highlights the sentence being read, keeps it in view, plays from a
sentence on a click or Enter, and adds the controls listeners expect (back 15 s, forward
30 s, speed, resume); without it the page is still whole: the native ``<audio>`` player,
the chapters as media-fragment links (``audio.mp3#t=21.450``) and the transcript.
"""

from __future__ import annotations

import json
from html import escape as html_escape
from typing import TYPE_CHECKING

from ..narration.timing import clock
from ..text import squash
from .feed import BRF_TYPE, DAISY_TYPE, episode_url, web_url
from .site import (
    RTL,
    el,
    file_size,
    meta_line,
    serialise,
    site_footer,
    site_header,
    skeleton,
    spoken_duration,
    tail,
)
from .structured import sharing_tags

if TYPE_CHECKING:
    from lxml import etree

    from .config import PodcastConfig
    from .episode import Episode, Line

EMBED_NAME = "embed.html"
OEMBED_NAME = "oembed.json"
EMBED_WIDTH, EMBED_HEIGHT = 640, 480
ART_PIXELS = 1400  # the episode art's side (publish.ART_SIZE)
SPEEDS = ("0.75", "1", "1.25", "1.5", "1.75", "2")
BACK_S, FORWARD_S = 15, 30
# What the script answers to while the focus is in the player, the chapters or the
# transcript (single-key shortcuts act only there: WCAG 2.1.4).
SHORTCUTS = (
    ("k", "play or pause"),
    ("j", f"back {BACK_S} seconds"),
    ("l", f"forward {FORWARD_S} seconds"),
    ("<  >", "slower, faster"),
    ("Arrow keys", "in the transcript: the previous or next sentence"),
    ("Enter", "in the transcript: play from that sentence"),
)


def _seconds(ms: int) -> str:
    return f"{ms / 1000:.3f}"


def _controls(listen: etree._Element) -> None:
    """The script's controls, hidden until it runs (without it they would do nothing)."""
    bar = el(listen, "div", class_="controls", role="group", aria_label="Player", hidden="hidden")
    el(bar, "button", "Play", type="button", class_="play")
    el(bar, "button", f"Back {BACK_S} seconds", type="button", class_="back")
    el(bar, "button", f"Forward {FORWARD_S} seconds", type="button", class_="forward")
    label = el(bar, "label", None, class_="speed")
    label.text = "Speed "  # not squashed: the space before the menu
    select = el(label, "select", class_="speed")
    for speed in SPEEDS:
        option = el(select, "option", f"{speed}×", value=speed)
        if speed == "1":
            option.set("selected", "selected")
    follow = el(bar, "label", None, class_="follow")
    el(follow, "input", type="checkbox", class_="follow", checked="checked")
    tail(follow[-1], " Follow along")
    now = el(listen, "p", None, class_="now", hidden="hidden")
    now.text = "Now: "
    el(now, "span", "", class_="now-chapter")
    resume = el(listen, "p", None, class_="resume", hidden="hidden")
    el(resume, "button", "Resume", type="button", class_="resume")
    keys = el(listen, "details", class_="shortcuts", hidden="hidden")
    el(keys, "summary", "Keyboard shortcuts")
    el(keys, "p", "While the focus is in the player, the chapters or the transcript:")
    table = el(keys, "dl")
    for key, action in SHORTCUTS:
        el(table, "dt", key)
        el(table, "dd", action)


def _sentence(parent: etree._Element, line: Line) -> etree._Element:
    text = line.text
    if line.kind == "heading" and text.endswith(".") and not text.endswith(".."):
        text = text[:-1]  # the full stop the script adds so that it is read as a sentence
    span = el(
        parent,
        "span",
        text,
        class_="s",
        data_start=_seconds(line.start_ms),
        data_end=_seconds(line.end_ms),
    )
    if line.language:  # a quote in another language, and its direction
        span.set("lang", line.language)
        span.set("dir", "rtl" if line.language.split("-")[0] in RTL else "ltr")
    return span


# The element each kind of spoken piece is shown as; list items go in a list and quotes in a
# block quote, one per body block.
_SHOWN = {"heading": "h3", "item": "li"}
_GROUPS = {"item": "ul", "quote": "blockquote"}
_CLASSED = ("headline", "byline", "standfirst", "caption")


def _transcript(parent: etree._Element, episode: Episode) -> None:
    """The article as it is read, one span per spoken sentence, in the blocks the body has:
    sub-headings as h3, list items in a list, quotes in a block quote."""
    section = el(parent, "section", aria_labelledby="transcript", class_="transcript")
    el(section, "h2", "Transcript", id="transcript")
    el(
        section,
        "p",
        "Select a sentence to play from it. From the keyboard, Tab into the transcript, move "
        "with the arrow keys and press Enter.",
        class_="note transcript-help",
        hidden="hidden",
    )
    text = el(section, "div", class_="read-along", lang=episode.language)
    block = group = span = None
    group_key: tuple[int, int, str] | None = None
    previous: Line | None = None
    for line in episode.lines:
        key = (line.chapter, line.block, line.kind)
        if (
            block is None
            or previous is None
            or line.part == 0
            or key != (previous.chapter, previous.block, previous.kind)
        ):
            wrapper = _GROUPS.get(line.kind)
            if wrapper is None:
                group = group_key = None
            elif key != group_key or group is None:
                group, group_key = el(text, wrapper), key
            block = el(group if group is not None else text, _SHOWN.get(line.kind, "p"))
            if line.kind in _CLASSED:
                block.set("class", line.kind)
        elif span is not None:
            tail(span, " ")  # (not block[-1]: lxml counts the children for that)
        span = _sentence(block, line)
        previous = line


def _chapters(article: etree._Element, episode: Episode) -> None:
    chapters = el(article, "nav", aria_labelledby="chapters", class_="chapters")
    el(chapters, "h2", "Chapters", id="chapters")
    ol = el(chapters, "ol")
    for chapter in episode.chapters:
        seconds = _seconds(chapter.start_ms)
        link = el(
            el(ol, "li"),
            "a",
            None,
            href=f"{episode.audio}#t={seconds}",
            data_start=seconds,
            data_end=_seconds(chapter.end_ms),
            class_="seek",
        )
        el(link, "span", chapter.title, class_="chapter-title")
        tail(link[-1], " ")
        el(link, "span", clock(chapter.start_ms, "player"), class_="time")


def _downloads(article: etree._Element, episode: Episode) -> None:
    downloads = el(article, "section", aria_labelledby="downloads")
    el(downloads, "h2", "Downloads", id="downloads")
    ul = el(downloads, "ul")
    el(
        el(ul, "li"),
        "a",
        f"Accessible e-book (EPUB 3, {file_size(episode.epub_bytes)})",
        href=episode.epub,
        type="application/epub+zip",
    )
    if episode.readalong:
        el(
            el(ul, "li"),
            "a",
            f"Read-along e-book: text and narration together (EPUB 3, "
            f"{file_size(episode.readalong_bytes)})",
            href=episode.readalong,
            type="application/epub+zip",
        )
    if episode.daisy:
        el(
            el(ul, "li"),
            "a",
            f"Talking book for DAISY players: full text and audio (DAISY 2.02, zip, "
            f"{file_size(episode.daisy_bytes)})",
            href=episode.daisy,
            type=DAISY_TYPE,
            download=episode.daisy,
        )
    if episode.braille:
        el(
            el(ul, "li"),
            "a",
            f"Braille for displays and embossers (BRF, {file_size(episode.braille_bytes)})",
            href=episode.braille,
            type=BRF_TYPE,
            download=episode.braille,
        )
    el(
        el(ul, "li"),
        "a",
        f"Narration (MP3, {file_size(episode.audio_bytes)})",
        href=episode.audio,
        type="audio/mpeg",
        download=episode.audio,
    )
    el(el(ul, "li"), "a", "Transcript (WebVTT)", href=episode.transcript, type="text/vtt")
    original_url = web_url(episode.url)
    if original_url:
        original = el(el(ul, "li"), "a", "Original article", href=original_url)
        if episode.site_name:
            original.text = f"Original article on {episode.site_name}"


def _listen(parent: etree._Element, episode: Episode, heading: bool) -> None:
    listen = el(parent, "section", aria_labelledby="listen", class_="listen")
    title = el(listen, "h2", "Listen", id="listen")
    if not heading:  # the embed's own h1 says what it is; the section keeps its name
        title.set("class", "visually-hidden")
    player = el(
        listen,
        "audio",
        id="player",
        controls="controls",
        preload="metadata",
        src=episode.audio,
        aria_describedby="voice-note",
    )
    el(player, "track", kind="captions", src=episode.transcript, srclang=episode.language,
       label="Transcript")  # fmt: skip
    el(player, "a", "Download the narration (MP3)", href=episode.audio)
    _controls(listen)
    el(
        listen,
        "p",
        f"Read by a synthetic voice ({episode.voice}). The transcript is the text it reads.",
        id="voice-note",
        class_="note",
    )


def embed_snippet(config: PodcastConfig, episode: Episode) -> str:
    """The iframe a newsroom puts in its article page (its title names it for screen
    readers)."""
    src = html_escape(episode_url(config.base_url, episode, EMBED_NAME))
    title = html_escape(f"Listen: {squash(episode.headline)}")
    return (
        f'<iframe src="{src}" title="{title}" width="100%" height="{EMBED_HEIGHT}" '
        'style="border:0;max-width:40rem" loading="lazy"></iframe>'
    )


def oembed(config: PodcastConfig, episode: Episode) -> bytes:
    """``oembed.json``: an oEmbed 1.0 ``rich`` response for the episode's player."""
    data = {
        "version": "1.0",
        "type": "rich",
        "title": squash(episode.headline),
        "provider_name": squash(config.title),
        "provider_url": config.base_url,
        "html": embed_snippet(config, episode),
        "width": EMBED_WIDTH,
        "height": EMBED_HEIGHT,
    }
    if episode.byline:
        data["author_name"] = squash(episode.byline)
    if episode.image:
        data["thumbnail_url"] = episode_url(config.base_url, episode, episode.image)
        data["thumbnail_width"] = data["thumbnail_height"] = ART_PIXELS
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def episode_page(config: PodcastConfig, episode: Episode) -> bytes:
    root = "../../"
    page, body = skeleton(
        f"{episode.headline} — {config.title}",
        episode.language,
        root,
        episode.standfirst or episode.headline,
    )
    head = page[0]
    for element in sharing_tags(config, episode):
        head.append(element)
    if config.base_url:
        el(head, "link", rel="alternate", type="application/json+oembed",
           href=episode_url(config.base_url, episode, OEMBED_NAME),
           title=squash(episode.headline))  # fmt: skip
    site_header(body, config, root, home=False)
    main = el(body, "main", id="main")
    article = el(main, "article", data_episode=episode.id)
    el(article, "h1", episode.headline)
    if episode.standfirst:
        el(article, "p", episode.standfirst, class_="standfirst")
    meta_line(article, episode)
    if episode.image:
        el(article, "img", src=episode.image, alt="", width="160", height="160", class_="art")
    _listen(article, episode, heading=True)
    _chapters(article, episode)
    _transcript(article, episode)
    _downloads(article, episode)
    if config.base_url:
        embed = el(article, "section", aria_labelledby="embed", class_="embed-code")
        el(embed, "h2", "Embed this player", id="embed")
        el(
            embed,
            "p",
            "To put this episode's player in your own page, copy this code into it. It "
            "keeps the chapters and the read-along text, and its title names it for "
            "screen readers. Sites that support oEmbed (WordPress, for one) embed it from "
            "this page's address alone.",
        )
        el(el(embed, "pre"), "code", None).text = embed_snippet(config, episode)
    site_footer(body, root)
    return serialise(page)


def embed_page(config: PodcastConfig, episode: Episode) -> bytes:
    """``embed.html``: the compact player for an iframe: title, art, the controls, the
    chapters and the read-along text behind a "Read along" expander."""
    root = "../../"
    page, body = skeleton(f"Listen: {episode.headline} — {config.title}", episode.language,
                          root, episode.standfirst or episode.headline)  # fmt: skip
    body.set("class", "embed")
    main = el(body, "main", id="main")
    article = el(main, "article", data_episode=episode.id)
    top = el(article, "div", class_="embed-head")
    if episode.image:
        el(top, "img", src=episode.image, alt="", width="72", height="72", class_="thumb")
    titles = el(top, "div")
    el(titles, "h1", episode.headline)
    line = el(titles, "p", None, class_="meta")
    line.text = f"{squash(config.title)} · {spoken_duration(episode.duration_ms)} · "
    el(line, "a", "Episode page", href="./", target="_blank", rel="noopener")
    _listen(article, episode, heading=False)
    _chapters(article, episode)
    details = el(article, "details", class_="read-along-box")
    el(details, "summary", "Read along")
    _transcript(details, episode)
    site_footer(body, root)
    return serialise(page)
