"""``newsvoice feed check DIR``: what a podcast directory or app would trip over, found offline.

No installable validator checks podcast feeds (see the research notes), so this checks the
rules they apply: the required Apple and Podcasting 2.0 fields, enclosure lengths against
the files, durations against the records, chapters JSON against the 1.2.0 format, the
artwork's size, and that no page carries active content.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote, urlsplit

from lxml import html

from ..errors import SiteError
from ..render.daisycheck import check as daisy_check
from .config import CONFIG_NAME, load_config
from .episode import episodes_dir, read_record
from .feed import ATOM, FEED_NAME, ITUNES, PODCAST, parse_feed_bytes, read_feed
from .listening import EMBED_NAME, OEMBED_NAME
from .publish import PAGE_NAME

if TYPE_CHECKING:
    from pathlib import Path

    from lxml import etree

Level = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    level: Level
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.where}: {self.message}"

    def to_dict(self) -> dict[str, str]:
        return {"level": self.level, "where": self.where, "message": self.message}


def chapters_problems(data: Any) -> list[str]:
    """What is wrong with a Podcasting 2.0 JSON chapters document (version 1.2.0)."""
    problems = []
    if not isinstance(data, dict):
        return ["not a JSON object"]
    if not isinstance(data.get("version"), str):
        problems.append("version is missing or not a string")
    chapters = data.get("chapters")
    if not isinstance(chapters, list) or not chapters:
        return [*problems, "chapters is missing or empty"]
    previous = -1.0
    for number, chapter in enumerate(chapters, start=1):
        if not isinstance(chapter, dict):
            problems.append(f"chapter {number} is not an object")
            continue
        start = chapter.get("startTime")
        if not isinstance(start, int | float) or isinstance(start, bool) or start < 0:
            problems.append(f"chapter {number}: startTime must be a number ≥ 0")
            continue
        if start < previous:
            problems.append(f"chapter {number} starts before the one before it")
        previous = start
        end = chapter.get("endTime")
        if end is not None and (not isinstance(end, int | float) or end < start):
            problems.append(f"chapter {number}: endTime before startTime")
        problems.extend(
            f"chapter {number}: {key} must be a string"
            for key in ("title", "img", "url")
            if key in chapter and not isinstance(chapter[key], str)
        )
        if "toc" in chapter and not isinstance(chapter["toc"], bool):
            problems.append(f"chapter {number}: toc must be true or false")
    return problems


def _local(url: str, base: str, site: Path) -> Path | None:
    """The file a URL under the base URL names, or None for other URLs."""
    if not url.startswith(base):
        return None
    rest = unquote(urlsplit(url).path[len(urlsplit(base).path) :])
    path = (site / rest).resolve()
    return path if path.is_relative_to(site.resolve()) else None


def check_site(site: Path) -> list[Finding]:
    findings: list[Finding] = []

    def error(where: str, message: str) -> None:
        findings.append(Finding("error", where, message))

    def warn(where: str, message: str) -> None:
        findings.append(Finding("warning", where, message))

    config = load_config(site)
    if config is None:
        error(CONFIG_NAME, "missing (run `newsvoice feed init DIR`)")
        return findings
    try:
        feed = read_feed(site / FEED_NAME)
    except SiteError as exc:
        error(FEED_NAME, exc.message)
        return findings
    if feed is None:
        error(FEED_NAME, "missing (nothing has been published)")
        return findings
    channel = parse_feed_bytes((site / FEED_NAME).read_bytes()).find("channel")
    if channel is None:  # read_feed checked it; the file changed since
        error(FEED_NAME, "is not an RSS feed")
        return findings
    base = config.base_url
    for tag in ("title", "description", "link", "language"):
        if not (channel.findtext(tag) or "").strip():
            error(FEED_NAME, f"channel has no {tag}")
    for tag, label in (
        (f"{{{ITUNES}}}category", "itunes:category"),
        (f"{{{ITUNES}}}explicit", "itunes:explicit"),
        (f"{{{ITUNES}}}author", "itunes:author"),
        (f"{{{PODCAST}}}guid", "podcast:guid"),
        (f"{{{PODCAST}}}locked", "podcast:locked"),
    ):
        if channel.find(tag) is None:
            error(FEED_NAME, f"channel has no {label}")
    category = channel.find(f"{{{ITUNES}}}category")
    if category is not None and not category.get("text"):
        error(FEED_NAME, "itunes:category names no category (its text attribute)")
    locked = channel.find(f"{{{PODCAST}}}locked")
    if locked is not None and not locked.get("owner"):
        warn(FEED_NAME, "podcast:locked has no owner email; set owner_email in newsvoice.toml")
    if channel.find(f"{{{ITUNES}}}owner") is None:
        warn(FEED_NAME, "no itunes:owner; directories use its email to verify the feed")
    self_link = channel.find(f"{{{ATOM}}}link[@rel='self']")
    if self_link is None or self_link.get("href") != base + FEED_NAME:
        warn(FEED_NAME, f"atom:link rel=self should be {base + FEED_NAME}")
    image = channel.find(f"{{{ITUNES}}}image")
    if image is None or not image.get("href"):
        error(FEED_NAME, "channel has no itunes:image")
    else:
        _check_art(image.get("href", ""), base, site, findings)

    items = list(channel.iter("item"))
    guids = [(item.findtext("guid") or "").strip() for item in items]
    for guid in {g for g in guids if guids.count(g) > 1}:
        error(FEED_NAME, f"guid {guid} appears {guids.count(guid)} times")
    by_guid = dict(zip(guids, items, strict=True))

    folders = sorted(p for p in episodes_dir(site).glob("*") if p.is_dir())
    for folder in folders:
        where = f"episodes/{folder.name}"
        try:
            episode = read_record(folder)
        except SiteError as exc:
            error(where, exc.message)
            continue
        if episode is None:
            warn(where, "a folder without episode.json (an interrupted run?); not in the feed")
            continue
        for name in episode.files:
            if not (folder / name).is_file():
                error(where, f"{name} is missing")
        if not (folder / PAGE_NAME).is_file():
            error(where, "the episode page is missing")
        else:
            _check_page(folder / PAGE_NAME, where, findings)
        if (folder / EMBED_NAME).is_file():
            _check_page(folder / EMBED_NAME, f"{where}/{EMBED_NAME}", findings)
        if (folder / OEMBED_NAME).is_file():
            _check_oembed(folder / OEMBED_NAME, f"{where}/{OEMBED_NAME}", findings)
        item = by_guid.get(episode.guid)
        if item is None:
            error(where, f"not in the feed (guid {episode.guid})")
            continue
        _check_item(item, episode.guid, base, site, findings)
        chapters = folder / episode.chapters_file
        if chapters.is_file():
            try:
                problems = chapters_problems(json.loads(chapters.read_bytes()))
            except ValueError as exc:
                problems = [f"not JSON ({exc})"]
            for problem in problems:
                error(f"{where}/{episode.chapters_file}", problem)
        book = folder / episode.daisy if episode.daisy else None
        if book is not None and book.is_file():
            for problem in daisy_check(book, {"a001.mp3": episode.duration_ms})[:5]:
                error(f"{where}/{episode.daisy}", problem)
        transcript = folder / episode.transcript
        if transcript.is_file() and not transcript.read_bytes().startswith(b"WEBVTT"):
            error(f"{where}/{episode.transcript}", "does not start with WEBVTT")
        duration = (item.findtext(f"{{{ITUNES}}}duration") or "").strip()
        if duration != str(max(1, round(episode.duration_ms / 1000))):
            error(where, f"itunes:duration {duration!r} does not match {episode.duration_ms} ms")
    if (site / PAGE_NAME).is_file():
        _check_page(site / PAGE_NAME, PAGE_NAME, findings)
    else:
        error(PAGE_NAME, "missing")
    return findings


def _check_item(
    item: etree._Element, guid: str, base: str, site: Path, findings: list[Finding]
) -> None:
    where = f"{FEED_NAME}: item {guid}"
    findings.extend(
        Finding("error", where, f"no {tag}")
        for tag in ("title", "description", "pubDate", "link")
        if not (item.findtext(tag) or "").strip()
    )
    enclosure = item.find("enclosure")
    if enclosure is None:
        findings.append(Finding("error", where, "no enclosure"))
        return
    url, length = enclosure.get("url", ""), enclosure.get("length", "")
    if enclosure.get("type") != "audio/mpeg":
        findings.append(Finding("error", where, "enclosure type is not audio/mpeg"))
    path = _local(url, base, site)
    if path is None or not path.is_file():
        findings.append(Finding("error", where, f"enclosure {url} is not a file of the site"))
    elif not length.isdigit() or int(length) != path.stat().st_size:
        findings.append(
            Finding(
                "error",
                where,
                f"enclosure length {length} but the file has {path.stat().st_size} bytes",
            )
        )
    for tag, label in (
        (f"{{{ITUNES}}}image", "itunes:image"),
        (f"{{{PODCAST}}}chapters", "podcast:chapters"),
        (f"{{{PODCAST}}}transcript", "podcast:transcript"),
    ):
        element = item.find(tag)
        target = element.get("href") or element.get("url") if element is not None else None
        if not target:
            findings.append(Finding("error", where, f"no {label}"))
            continue
        local = _local(target, base, site)
        if local is None or not local.is_file():
            findings.append(Finding("error", where, f"{label} {target} is not a file of the site"))


def _check_art(url: str, base: str, site: Path, findings: list[Finding]) -> None:
    path = _local(url, base, site)
    if path is None:
        findings.append(Finding("warning", FEED_NAME, f"artwork {url} is not checked (remote)"))
        return
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            width, height = image.size
            kind = image.format
    except (OSError, UnidentifiedImageError) as exc:
        findings.append(Finding("error", FEED_NAME, f"artwork {url}: {exc}"))
        return
    if kind not in ("JPEG", "PNG") or width != height or not 1400 <= width <= 3000:
        findings.append(
            Finding(
                "error",
                FEED_NAME,
                f"artwork is a {width}×{height} {kind}; apps want a square 1400-3000 px "
                "JPEG or PNG",
            )
        )


def _check_page(path: Path, where: str, findings: list[Finding]) -> None:
    """No active content beyond the site's own player script; a language; one h1."""
    document = html.fromstring(path.read_bytes())
    if not document.get("lang"):
        findings.append(Finding("error", where, "the page has no lang attribute"))
    if len(document.findall(".//h1")) != 1:
        findings.append(Finding("error", where, "the page should have exactly one h1"))
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in ("iframe", "object", "embed", "form"):
            findings.append(Finding("error", where, f"<{element.tag}> on the page"))
        if element.tag == "script" and element.get("type") == "application/ld+json":
            _check_json_ld(element.text or "", where, findings)
        elif element.tag == "script" and not (element.get("src") or "").endswith(SCRIPTS):
            findings.append(Finding("error", where, "a script that is not the site's own"))
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                findings.append(Finding("error", where, f"event handler {name} on <{element.tag}>"))
            if value.strip().lower().startswith(("javascript:", "vbscript:", "data:text")):
                findings.append(Finding("error", where, f"active URL in {name}"))


def _check_json_ld(text: str, where: str, findings: list[Finding]) -> None:
    """The page's structured data: JSON (a data block, never run) that names its type."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        findings.append(Finding("error", where, f"JSON-LD that is not JSON ({exc})"))
        return
    if not isinstance(data, dict) or "@type" not in data:
        findings.append(Finding("error", where, "JSON-LD without an @type"))


SCRIPTS = ("player.js", "search.js")  # the site's own
OEMBED_RICH = ("version", "type", "html", "width", "height")  # oEmbed 1.0, section 2.3.4


def _check_oembed(path: Path, where: str, findings: list[Finding]) -> None:
    """An oEmbed 1.0 rich response: the required fields, integer sizes, an iframe."""
    try:
        data = json.loads(path.read_bytes())
    except ValueError as exc:
        findings.append(Finding("error", where, f"not JSON ({exc})"))
        return
    if not isinstance(data, dict):
        findings.append(Finding("error", where, "not a JSON object"))
        return
    missing = [name for name in OEMBED_RICH if name not in data]
    if missing:
        findings.append(Finding("error", where, f"missing {', '.join(missing)}"))
    if data.get("version") != "1.0" or data.get("type") != "rich":
        findings.append(Finding("error", where, "version must be 1.0 and type rich"))
    sizes = ("width", "height", "thumbnail_width", "thumbnail_height")
    findings.extend(
        Finding("error", where, f"{name} must be a positive integer")
        for name in sizes
        if name in data and not (isinstance(data[name], int) and data[name] > 0)
    )
    if not str(data.get("html", "")).startswith("<iframe "):
        findings.append(Finding("error", where, "html is not an iframe"))
