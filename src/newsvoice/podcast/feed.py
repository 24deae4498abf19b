"""The podcast feed: RSS 2.0 with the itunes, Podcasting 2.0 and Podlove Simple Chapters
namespaces, written by lxml (every value escaped by the serializer, control characters
removed) and read back with a parser that refuses DTDs and entities.

Items come from the episode records. An existing feed is read first: a feed that does not
parse is never overwritten, its ``podcast:guid`` is kept (the namespace says it is assigned
once, and survives a move), and items that newsvoice did not make are carried over as they are.
"""

from __future__ import annotations

import email.utils
import html
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

from lxml import etree

from ..errors import FeedCorrupt, SiteError, reason
from ..narration.timing import clock
from ..text import squash
from ..version import __version__
from ..xmlsafe import xml_parser

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from .config import PodcastConfig
    from .episode import Episode

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
PSC = "http://podlove.org/simple-chapters"
ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
NSMAP = {"itunes": ITUNES, "podcast": PODCAST, "psc": PSC, "atom": ATOM, "content": CONTENT}
# The namespace's fixed UUID for podcast:guid (docs/tags/guid.md).
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
FEED_NAME = "feed.xml"
DAISY_TYPE = "application/zip"  # a zipped DAISY 2.02 book has no media type of its own
BRF_TYPE = "application/x-brf"  # nor has ASCII braille; this one is the common usage
MAX_FEED_BYTES = 50_000_000
MAX_TITLE = 255
MAX_DESCRIPTION = 4000  # bytes, Apple's limit


def parse_feed_bytes(data: bytes) -> etree._Element:
    """Parse feed XML without DTDs, entities or network access."""
    return etree.fromstring(data, xml_parser(remove_blank_text=True))


def feed_guid(feed_url: str) -> str:
    """podcast:guid: UUIDv5 of the feed URL without its scheme and trailing slashes."""
    bare = feed_url.split("://", 1)[-1].rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


@dataclass(frozen=True, slots=True)
class ExistingFeed:
    guid: str | None
    items: tuple[etree._Element, ...]  # every <item>, in order


def read_feed(path: Path) -> ExistingFeed | None:
    """The feed at ``path``; None if there is none. FeedCorrupt if it does not parse."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    if size > MAX_FEED_BYTES:
        raise FeedCorrupt(f"{path} is larger than {MAX_FEED_BYTES:,} bytes; not touching it")
    try:
        data = path.read_bytes()
        root = etree.fromstring(data, xml_parser(remove_blank_text=True))
    except OSError as exc:
        raise SiteError(f"cannot read {path}: {reason(exc)}") from exc
    except etree.XMLSyntaxError as exc:
        raise FeedCorrupt(
            f"{path} does not parse ({exc.msg}); not overwriting it",
            hint="restore it from a backup, or move it away to start a new feed",
        ) from exc
    doctype = root.getroottree().docinfo.doctype
    if doctype:
        raise FeedCorrupt(f"{path} declares a DOCTYPE; not overwriting it")
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise FeedCorrupt(f"{path} is not an RSS feed; not overwriting it")
    guid = channel.findtext(f"{{{PODCAST}}}guid")
    return ExistingFeed(guid=guid.strip() if guid else None, items=tuple(channel.iter("item")))


def item_guid(item: etree._Element) -> str:
    return (item.findtext("guid") or "").strip()


def _clean(text: str, limit: int | None = None) -> str:
    text = squash(text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _bytes_limited(text: str, limit: int) -> str:
    text = squash(text)
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", "ignore").rstrip() + "…"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k: squash(v) for k, v in attrs.items()})
    if text is not None:
        element.text = squash(text)
    return element


def _itunes(name: str) -> str:
    return f"{{{ITUNES}}}{name}"


def _podcast(name: str) -> str:
    return f"{{{PODCAST}}}{name}"


def rfc2822(value: datetime) -> str:
    return email.utils.format_datetime(value.astimezone(UTC), usegmt=True)


def file_url(base_url: str, *parts: str) -> str:
    return base_url + "/".join(quote(part, safe="") for part in parts)


def episode_url(base_url: str, episode: Episode, name: str = "") -> str:
    if not name:
        return file_url(base_url, "episodes", episode.slug) + "/"
    return file_url(base_url, "episodes", episode.slug, name)


SYNTHETIC = "Episodes are read by a synthetic voice."
TXT_PURPOSE = "synthetic-voice"  # podcast:txt's purpose is free text, named by its user


def channel_description(config: PodcastConfig) -> str:
    """The configured description, with the disclosure that the voice is synthetic (added
    when the publisher's text does not already say so)."""
    text = squash(config.description)
    if "synthetic" in text.casefold():
        return text
    return f"{text} {SYNTHETIC}" if text else SYNTHETIC


def _description(episode: Episode, base_url: str) -> str:
    """HTML (escaped by the serializer): the standfirst, then links to the original and EPUB."""
    parts = []
    if episode.standfirst:
        parts.append(f"<p>{html.escape(episode.standfirst, quote=False)}</p>")
    if episode.incomplete:
        note = f"Note: this episode may not hold the whole article. {episode.incomplete}"
        parts.append(f"<p>{html.escape(note, quote=False)}</p>")
    voice = html.escape(squash(episode.voice), quote=False)
    parts.append(f"<p>Read by a synthetic voice ({voice}).</p>")
    links = []
    original = web_url(episode.url)
    if original:
        site = f" on {html.escape(episode.site_name, quote=False)}" if episode.site_name else ""
        links.append(f'<a href="{html.escape(original)}">Read the original article{site}</a>')
    links.append(
        f'<a href="{html.escape(episode_url(base_url, episode, episode.epub))}">'
        "Download the accessible e-book (EPUB)</a>"
    )
    for name, label in ((episode.daisy, "the DAISY talking book"), (episode.braille, "braille")):
        if name:
            href = html.escape(episode_url(base_url, episode, name))
            links.append(f'<a href="{href}">Download {label}</a>')
    links.append(
        f'<a href="{html.escape(episode_url(base_url, episode))}">Transcript and chapters</a>'
    )
    parts.append("<p>" + " · ".join(links) + "</p>")
    return _bytes_limited("".join(parts), MAX_DESCRIPTION)


def web_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL, else None: nothing else is ever linked."""
    if url and url.startswith(("https://", "http://")) and not any(c.isspace() for c in url):
        return url
    return None


def _item(episode: Episode, base_url: str, explicit: bool) -> etree._Element:
    item = etree.Element("item")
    _sub(item, "title", _clean(episode.headline, MAX_TITLE))
    _sub(item, "link", episode_url(base_url, episode))
    _sub(item, "description", _description(episode, base_url))
    _sub(item, "guid", episode.guid, isPermaLink="false")
    _sub(item, "pubDate", rfc2822(episode.published))
    _sub(
        item,
        "enclosure",
        url=episode_url(base_url, episode, episode.audio),
        length=str(episode.audio_bytes),
        type="audio/mpeg",
    )
    if episode.byline:
        _sub(item, _itunes("author"), _clean(episode.byline, MAX_TITLE))
    _sub(item, _itunes("title"), _clean(episode.headline, MAX_TITLE))
    _sub(item, _itunes("duration"), str(max(1, round(episode.duration_ms / 1000))))
    _sub(item, _itunes("image"), href=episode_url(base_url, episode, episode.image))
    _sub(item, _itunes("explicit"), "true" if explicit else "false")
    _sub(item, _itunes("episodeType"), "full")
    _sub(
        item,
        _podcast("chapters"),
        url=episode_url(base_url, episode, episode.chapters_file),
        type="application/json+chapters",
    )
    _sub(
        item,
        _podcast("transcript"),
        url=episode_url(base_url, episode, episode.transcript),
        type="text/vtt",
        language=episode.language,
        rel="captions",
    )
    # The synthetic voice, disclosed in the namespace's own terms: it has no element made for
    # it (podcast-partytime 5.0.0, May 2026, knows every tag: none is), so the narrator is
    # named as a podcast:person with the taxonomy's "narrator" role, and podcast:txt says it.
    voice = squash(episode.voice)
    _sub(item, _podcast("person"), f"{voice} (synthetic voice)", role="narrator", group="cast")
    _sub(item, _podcast("txt"), f"Read by a synthetic voice ({voice}).", purpose=TXT_PURPOSE)
    psc = _sub(item, f"{{{PSC}}}chapters", version="1.2")
    for chapter in episode.chapters:
        _sub(psc, f"{{{PSC}}}chapter", start=clock(chapter.start_ms), title=chapter.title)
    _sub(
        item,
        f"{{{ATOM}}}link",
        rel="related",
        type="application/epub+zip",
        href=episode_url(base_url, episode, episode.epub),
        title="Accessible e-book (EPUB 3)",
        length=str(episode.epub_bytes),
    )
    for name, size, kind, title in (
        (episode.daisy, episode.daisy_bytes, DAISY_TYPE, "Talking book (DAISY 2.02, zip)"),
        (episode.braille, episode.braille_bytes, BRF_TYPE, "Braille (BRF)"),
    ):
        if name:
            _sub(
                item,
                f"{{{ATOM}}}link",
                rel="related",
                type=kind,
                href=episode_url(base_url, episode, name),
                title=title,
                length=str(size),
            )
    return item


def build_feed(
    config: PodcastConfig,
    episodes: Sequence[Episode],
    artwork_url: str,
    *,
    existing: ExistingFeed | None,
    built: datetime,
) -> bytes:
    """The whole feed.xml as bytes. Items: our episodes newest first, then foreign items."""
    base = config.base_url
    feed_url = base + FEED_NAME
    rss = etree.Element("rss", nsmap=NSMAP, version="2.0")
    channel = _sub(rss, "channel")
    _sub(channel, f"{{{ATOM}}}link", href=feed_url, rel="self", type="application/rss+xml")
    _sub(channel, "title", _clean(config.title, MAX_TITLE))
    _sub(channel, "link", base)
    _sub(channel, "description", _bytes_limited(channel_description(config), MAX_DESCRIPTION))
    _sub(channel, "language", config.language)
    _sub(channel, "lastBuildDate", rfc2822(built))
    _sub(channel, "generator", f"newsvoice {__version__}")
    image = _sub(channel, "image")
    _sub(image, "url", artwork_url)
    _sub(image, "title", _clean(config.title, MAX_TITLE))
    _sub(image, "link", base)
    _sub(channel, _itunes("author"), _clean(config.author, MAX_TITLE))
    if config.owner_name or config.owner_email:
        owner = _sub(channel, _itunes("owner"))
        if config.owner_name:
            _sub(owner, _itunes("name"), config.owner_name)
        if config.owner_email:
            _sub(owner, _itunes("email"), config.owner_email)
    _sub(channel, _itunes("image"), href=artwork_url)
    top, sub = config.categories
    # the category is named in a "text" attribute, not in element text
    category = etree.SubElement(channel, _itunes("category"), {"text": top})
    if sub:
        etree.SubElement(category, _itunes("category"), {"text": sub})
    _sub(channel, _itunes("explicit"), "true" if config.explicit else "false")
    _sub(channel, _itunes("type"), "episodic")
    _sub(channel, _itunes("summary"), _bytes_limited(channel_description(config), MAX_DESCRIPTION))
    guid = existing.guid if existing and existing.guid else feed_guid(feed_url)
    _sub(channel, _podcast("guid"), guid)
    locked = _sub(channel, _podcast("locked"), "yes" if config.locked else "no")
    if config.owner_email:
        locked.set("owner", config.owner_email)
    _sub(channel, _podcast("txt"), SYNTHETIC, purpose=TXT_PURPOSE)
    ours = {e.guid for e in episodes}
    for episode in episodes:
        channel.append(_item(episode, base, config.explicit))
    if existing is not None:
        for foreign in existing.items:
            if item_guid(foreign) in ours or _is_ours(foreign, base):
                continue
            channel.append(foreign)
    etree.cleanup_namespaces(rss, top_nsmap=NSMAP)
    out: bytes = etree.tostring(rss, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return out


def _is_ours(item: etree._Element, base: str) -> bool:
    """An item whose enclosure lives in our episodes/ folder but has no record: the trace of
    an interrupted removal. It is dropped, not carried over."""
    enclosure = item.find("enclosure")
    url = enclosure.get("url", "") if enclosure is not None else ""
    return url.startswith(base + "episodes/")


def same_items(old: bytes, new: bytes) -> bool:
    """True when two feeds differ at most in lastBuildDate (nothing to publish)."""

    def strip(data: bytes) -> bytes:
        root = etree.fromstring(data, xml_parser(remove_blank_text=True))
        for element in root.iter("lastBuildDate"):
            element.text = ""
        return bytes(etree.tostring(root, method="c14n"))

    try:
        return strip(old) == strip(new)
    except etree.XMLSyntaxError:
        return False
