"""DAISY 2.02 talking books: full text and full audio, for hardware players (Victor Reader
Stream, Plextalk) and the software that reads the format.

A book is a folder (or a zip of it) of:

- ``ncc.html``, the navigation control centre: the title, then per article its headline, its
  "Standfirst" and "Body" (the MP3's chapters) and its sub-headings, as h1…h6;
- ``content.html``, the text of every article, one ``span`` per spoken sentence;
- one SMIL 1.0 file and one MP3 per article (and, for an edition, one for the spoken title),
  pairing each sentence with its clip.

The narration is the same as ``newsvoice audio``'s (voice, lexicons, sentence cache), and
clip times come from its timing table: each clip begins where its sentence begins, as in the
read-along EPUB, and runs on to where the next one begins (the first from 0), so that a player
going from clip to clip keeps the pauses and a SMIL's clips add up to its MP3's length.
Everything is written by lxml from the model; ``daisycheck.check`` runs on every book.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
import zipfile
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from ..errors import RenderError, reason
from ..io import source_date
from ..model import Article, Heading
from ..narration.synth import SynthStats
from ..version import __version__
from .audio import AudioOptions, AudioResult, render_audio
from .daisycheck import check, hms, npt
from .kinds import Edition, Format, also_available
from .xhtml import direction

if TYPE_CHECKING:
    from collections.abc import Sequence

FORMAT = "Daisy 2.02"
XHTML_NS = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XHTML_DOCTYPE = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
)
SMIL_DOCTYPE = (
    '<!DOCTYPE smil PUBLIC "-//W3C//DTD SMIL 1.0//EN" "http://www.w3.org/TR/REC-smil/SMIL10.dtd">'
)
CONTENT = "content.html"
NCC = "ncc.html"
EDITION_NAMESPACE = uuid.UUID("3c9ad0f4-5f57-5a86-8d5e-1e0b6c3b3f21")
# How the script's pieces are shown in the text (headings are placed by level).
_SHOWN = {"item": "li", "headline": "h1"}
_GROUPS = {"item": "ul", "quote": "blockquote"}
_CLASSED = ("standfirst", "byline", "caption", "row")


def book_identifier(articles: Sequence[Article]) -> str:
    """The ``dc:identifier`` of a book of ``articles``, the same for the EPUB and the DAISY
    book: the article's id for one article, a name-based UUID of the ids for an edition."""
    if len(articles) == 1:
        return f"urn:uuid:{articles[0].id}"
    joined = "\n".join(a.id for a in articles)
    return f"urn:uuid:{uuid.uuid5(EDITION_NAMESPACE, joined)}"


@dataclass(frozen=True, slots=True)
class DaisyOptions:
    audio: AudioOptions = field(default_factory=AudioOptions)
    title: str | None = None  # of an edition (several articles)
    also: tuple[Edition, ...] = ()  # the other editions made beside it, named in its summary


@dataclass(frozen=True, slots=True)
class NavPoint:
    """One heading of the NCC: its level, label and the clip it starts."""

    level: int
    label: str
    smil: str
    begin_ms: int  # in that SMIL's MP3
    elapsed_ms: int  # from the start of the book


@dataclass(frozen=True, slots=True)
class DaisyResult:
    path: str
    identifier: str
    title: str
    articles: int
    duration_ms: int  # ncc:totalTime, exactly: the sum of the MP3s' lengths
    files: tuple[str, ...]
    navigation: tuple[NavPoint, ...]
    voices: tuple[str, ...]
    stats: SynthStats

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": FORMAT,
            "identifier": self.identifier,
            "title": self.title,
            "articles": self.articles,
            "duration_ms": self.duration_ms,
            "files": list(self.files),
            "navigation": [
                {
                    "level": n.level,
                    "label": n.label,
                    "smil": n.smil,
                    "begin_ms": n.begin_ms,
                    "elapsed_ms": n.elapsed_ms,
                }
                for n in self.navigation
            ],
            "voices": list(self.voices),
            "engine_calls": self.stats.engine_calls,
            "cache_hits": self.stats.cache_hits,
        }


@dataclass(frozen=True, slots=True)
class _Unit:
    """One SMIL file and its MP3: an article, or an edition's spoken title."""

    name: str  # file stem: a001, title
    prefix: str  # id prefix in the text: a1, t
    article: Article
    audio: AudioResult
    is_title: bool = False

    def clips(self) -> list[tuple[int, int]]:
        """(begin, end) in ms per sentence: from its start to the next one's (the first from
        0, the last to the end of the audio)."""
        segments = self.audio.timing.segments
        begins = [0, *(s.start_ms for s in segments[1:])]
        ends = [*begins[1:], self.audio.duration_ms]
        return list(zip(begins, ends, strict=True))


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, f"{{{XHTML_NS}}}{tag}")
    for key, value in attrs.items():
        node.set(key.rstrip("_").replace("_", "-"), value)
    if text:
        node.text = text
    return node


def _meta(head: etree._Element, name: str, content: str) -> None:
    _el(head, "meta", name=name, content=content)


def _html(title: str, language: str) -> tuple[etree._Element, etree._Element, etree._Element]:
    html = etree.Element(f"{{{XHTML_NS}}}html", nsmap={None: XHTML_NS})
    html.set("lang", language)
    html.set(XML_LANG, language)
    if direction(language):  # Arabic, Hebrew, …: the text reads right to left
        html.set("dir", "rtl")
    head = _el(html, "head")
    _el(head, "meta", http_equiv="Content-Type", content="text/html; charset=utf-8")
    _el(head, "title", title)
    return html, head, _el(html, "body")


def _xml(root: etree._Element, doctype: str) -> bytes:
    data: bytes = etree.tostring(
        root, xml_declaration=True, encoding="utf-8", doctype=doctype, pretty_print=True
    )
    return data


def _levels(article: Article) -> dict[int, int]:
    """Block index → the sub-heading's level below the article's h1 (2…6), without gaps:
    a heading is at most one level deeper than the one before it."""
    out: dict[int, int] = {}
    previous = 1
    for index, block in enumerate(article.blocks):
        if isinstance(block, Heading):
            level = min(max(2, block.level), previous + 1, 6)
            out[index] = previous = level
    return out


def _shown(kind: str, text: str) -> str:
    if kind in ("heading", "headline") and text.endswith(".") and not text.endswith(".."):
        return text[:-1]  # the full stop the script adds so that it is read as a sentence
    return text


def _text(parent: etree._Element, unit: _Unit, title_level: int) -> None:
    """The unit's sentences into ``parent``, each in a span with its id, in the blocks the
    article has (a new element where a piece starts)."""
    levels = _levels(unit.article)
    block = group = span = None
    group_key: tuple[int, str] | None = None
    previous = None
    for number, (segment, timed) in enumerate(
        zip(unit.audio.script.segments, unit.audio.timing.segments, strict=True)
    ):
        key = (segment.block, segment.kind, segment.ordinal)
        if block is None or segment.part == 0 or key != previous:
            wrapper = _GROUPS.get(segment.kind)
            if wrapper is None:
                group = group_key = None
            elif (segment.block, segment.kind) != group_key or group is None:
                group, group_key = _el(parent, wrapper), (segment.block, segment.kind)
            if segment.kind == "heading":
                tag = f"h{min(6, levels.get(segment.block, 2) + title_level - 1)}"
            elif segment.kind == "headline":
                tag = f"h{title_level}"
            else:
                tag = _SHOWN.get(segment.kind, "p")
            block = _el(group if group is not None else parent, tag)
            if segment.kind in _CLASSED:
                block.set("class", segment.kind)
            span = None
        if span is not None:
            span.tail = " "
        shown = _shown(segment.kind, timed.text)
        span = _el(block, "span", shown, id=f"{unit.prefix}-s{number + 1}")
        previous = key


def _smil(unit: _Unit, identifier: str, elapsed_ms: int) -> bytes:
    root = etree.Element("smil")
    head = etree.SubElement(root, "head")
    clips = unit.clips()
    duration = clips[-1][1] - clips[0][0] if clips else 0
    for name, content in (
        ("dc:format", FORMAT),
        ("dc:identifier", identifier),
        ("dc:title", unit.article.headline),
        ("ncc:generator", f"newsvoice {__version__}"),
        ("ncc:timeInThisSmil", hms(duration)),
        ("ncc:totalElapsedTime", hms(elapsed_ms)),
    ):
        etree.SubElement(head, "meta", name=name, content=content)
    layout = etree.SubElement(head, "layout")
    etree.SubElement(layout, "region", id="txtView")
    body = etree.SubElement(root, "body")
    seq = etree.SubElement(body, "seq", dur=f"{duration / 1000:.3f}s")
    for number, (begin, end) in enumerate(clips, start=1):
        par = etree.SubElement(seq, "par", endsync="last", id=f"{unit.prefix}-p{number}")
        etree.SubElement(
            par, "text", src=f"{CONTENT}#{unit.prefix}-s{number}", id=f"{unit.prefix}-t{number}"
        )
        etree.SubElement(
            par,
            "audio",
            src=f"{unit.name}.mp3",
            id=f"{unit.prefix}-c{number}",
            **{"clip-begin": npt(begin), "clip-end": npt(end)},
        )
    return _xml(root, SMIL_DOCTYPE)


def _navigation(unit: _Unit, title_level: int, elapsed_ms: int) -> list[tuple[NavPoint, int]]:
    """The unit's NCC headings with the sentence each starts (index into its segments): the
    headline, then Standfirst and Body (the chapters of its MP3), then each sub-heading one
    level below Body."""
    segments = unit.audio.script.segments
    clips = unit.clips()

    def point(level: int, label: str, number: int) -> tuple[NavPoint, int]:
        begin = clips[number][0]
        return NavPoint(level, label, f"{unit.name}.smil", begin, elapsed_ms + begin), number

    out = [point(title_level, _shown("headline", unit.article.headline), 0)]
    if unit.is_title:
        return out
    chapters = unit.audio.script.chapters
    levels = _levels(unit.article)
    for index, chapter in enumerate(chapters):
        first = next(n for n, s in enumerate(segments) if s.chapter == index)
        if index > 0:
            out.append(point(title_level + 1, chapter.title, first))
        if chapter.title == "Body":
            for n, segment in enumerate(segments):
                if segment.chapter == index and segment.kind == "heading" and segment.part == 0:
                    level = min(6, title_level + levels.get(segment.block, 2))
                    out.append(point(level, _shown("heading", segment.text), n))
    return out


def _people(articles: Sequence[Article]) -> str:
    names = list(dict.fromkeys(name for a in articles for name in a.authors))
    if not names:
        names = list(dict.fromkeys(a.byline.removeprefix("By ") for a in articles if a.byline))
    sites = dict.fromkeys(a.site_name for a in articles if a.site_name)
    return ", ".join(names) or ", ".join(sites)


def edition_date(articles: Sequence[Article]) -> str:
    """The date of a book of ``articles``: SOURCE_DATE_EPOCH, else the newest article's."""
    dates = [a.published for a in articles if a.published is not None]
    when = source_date() or (max(dates) if dates else None) or datetime.now(UTC)
    return when.date().isoformat()


def _language(articles: Sequence[Article]) -> str:
    languages = [a.language for a in articles if a.language and a.language != "und"]
    return max(set(languages), key=languages.count) if languages else "en"


def summary(
    articles: Sequence[Article], voices: str, depth: int, also: tuple[Edition, ...] = ()
) -> str:
    """The book's accessibility summary (its ``dc:description``): what it holds, how to move
    through it, and the other editions made beside it."""
    count = len(articles)
    held = "a news article" if count == 1 else f"{count} news articles"
    parts = [
        f"A DAISY 2.02 talking book with full text and full audio: {held}, read by a "
        f"synthetic voice ({voices}), every sentence synchronised with its text.",
        f"Navigate by {'article and ' if count > 1 else ''}heading ({depth} "
        f"level{'s' * (depth != 1)}); the book has no print pages.",
    ]
    gaps = [a for a in articles if a.incomplete]
    parts.extend(
        f"The source of “{a.headline}” may not hold the whole article: {a.incomplete}" for a in gaps
    )
    if also:
        parts.append(also_available(also))
    return " ".join(parts)


def _ncc(
    articles: Sequence[Article],
    title: str,
    identifier: str,
    units: Sequence[_Unit],
    points: Sequence[tuple[NavPoint, str]],
    files: int,
    also: tuple[Edition, ...],
) -> bytes:
    language = _language(articles)
    html, head, body = _html(title, language)
    voices = ", ".join(dict.fromkeys(v for u in units for v in u.audio.voices))
    total = sum(u.audio.duration_ms for u in units)
    depth = max(p.level for p, _ in points)
    publisher = ", ".join(dict.fromkeys(a.site_name for a in articles if a.site_name))
    for name, content in (
        ("dc:title", title),
        ("dc:creator", _people(articles) or "Unknown"),
        ("dc:date", edition_date(articles)),
        ("dc:format", FORMAT),
        ("dc:identifier", identifier),
        ("dc:language", language),
        ("dc:publisher", publisher or "newsvoice"),
        ("dc:source", articles[0].url or "") if len(articles) == 1 else ("", ""),
        ("dc:description", summary(articles, voices, depth, also)),
        ("ncc:charset", "utf-8"),
        ("ncc:generator", f"newsvoice {__version__}"),
        ("ncc:narrator", f"{voices} (synthetic voice)"),
        ("ncc:totalTime", hms(total)),
        ("ncc:files", str(files)),
        ("ncc:tocItems", str(len(points))),
        ("ncc:depth", str(depth)),
        ("ncc:pageFront", "0"),
        ("ncc:pageNormal", "0"),
        ("ncc:pageSpecial", "0"),
        ("ncc:maxPageNormal", "0"),
        ("ncc:footnotes", "0"),
        ("ncc:sidebars", "0"),
        ("ncc:prodNotes", "0"),
        ("ncc:setInfo", "1 of 1"),
        ("ncc:multimediaType", "audioFullText"),
    ):
        if name and content:
            _meta(head, name, content)
    for number, (point, target) in enumerate(points, start=1):
        heading = _el(body, f"h{point.level}", id=f"nav{number}")
        if number == 1:
            heading.set("class", "title")
        _el(heading, "a", point.label, href=f"{point.smil}#{target}")
    return _xml(html, XHTML_DOCTYPE)


def _narrate(
    articles: Sequence[Article], title: str | None, scratch: Path, options: AudioOptions
) -> list[_Unit]:
    audio = replace(options, format=Format.MP3, transcript=False, chapters_json=False, title=None)
    units = []
    if title is not None:
        spoken = Article(id=str(uuid.uuid5(EDITION_NAMESPACE, title)), headline=title,
                         language=_language(articles))  # fmt: skip
        result = render_audio([spoken], scratch / "title.mp3", audio)
        units.append(_Unit("title", "t", spoken, result, is_title=True))
    for number, article in enumerate(articles, start=1):
        name = f"a{number:03d}"
        result = render_audio([article], scratch / f"{name}.mp3", audio)
        units.append(_Unit(name, f"a{number}", article, result))
    return units


def _build(
    articles: Sequence[Article], folder: Path, options: DaisyOptions
) -> tuple[str, str, list[_Unit], list[NavPoint]]:
    edition = len(articles) > 1
    title = (options.title or "News edition") if edition else articles[0].headline
    identifier = book_identifier(articles)
    units = _narrate(articles, title if edition else None, folder, options.audio)
    # the text: the edition's title, then each article (its headline one level below it)
    language = _language(articles)
    html, head, body = _html(title, language)
    for name, content in (
        ("dc:title", title),
        ("dc:identifier", identifier),
        ("dc:format", FORMAT),
        ("ncc:generator", f"newsvoice {__version__}"),
    ):
        _meta(head, name, content)
    points: list[tuple[NavPoint, str]] = []
    elapsed = 0
    for unit in units:
        level = 1
        if not unit.is_title:
            section = _el(body, "div", class_="article", id=unit.prefix)
            article_language = unit.article.language
            if article_language and article_language != "und":
                section.set("lang", article_language)
                section.set(XML_LANG, article_language)
                section.set("dir", direction(article_language) or "ltr")
        else:
            section = body
        _text(section, unit, level)
        for point, number in _navigation(unit, level, elapsed):
            points.append((point, f"{unit.prefix}-t{number + 1}"))
        (folder / f"{unit.name}.smil").write_bytes(_smil(unit, identifier, elapsed))
        elapsed += unit.audio.duration_ms  # = the end of its last clip
    (folder / CONTENT).write_bytes(_xml(html, XHTML_DOCTYPE))
    files = 2 + 2 * len(units)  # ncc.html, content.html, a SMIL and an MP3 per unit
    (folder / NCC).write_bytes(
        _ncc(articles, title, identifier, units, points, files, options.also)
    )
    return title, identifier, units, [p for p, _ in points]


def _publish(staging: Path, target: Path) -> None:
    """Move the finished book to ``target``: a zip written whole and renamed, or the folder
    renamed into place (an earlier book there is replaced only once the new one is whole)."""
    if target.suffix.lower() == ".zip":
        folder = target.stem.removesuffix(".daisy") or "book"  # NAME.daisy.zip holds NAME/
        temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(staging.iterdir(), key=lambda p: (p.name != NCC, p.name)):
                    stored = path.suffix == ".mp3"
                    archive.write(
                        path,
                        f"{folder}/{path.name}",
                        compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED,
                    )
            temp.replace(target)
        finally:
            temp.unlink(missing_ok=True)
        return
    old = None
    if target.exists():
        if not target.is_dir() or (any(target.iterdir()) and not (target / NCC).exists()):
            raise RenderError(
                f"{target} exists and is not a DAISY book",
                hint="choose a new folder, an empty one, or a .zip name",
            )
        old = target.with_name(f".{target.name}.{os.getpid()}.old")
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def render_daisy(
    articles: Sequence[Article], path: Path | str, options: DaisyOptions | None = None
) -> DaisyResult:
    """Write a DAISY 2.02 book of ``articles`` at ``path`` (a folder, or a ``.zip``). The book
    is built in a scratch folder beside it and checked (``daisycheck.check``) before it is
    moved into place: a failure leaves no book, and an earlier one at ``path`` as it was."""
    if not articles:
        raise RenderError("no articles to put in the book")
    options = options or DaisyOptions()
    target = Path(path)
    parent = target.parent if str(target.parent) else Path()
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    except OSError as exc:
        raise RenderError(f"cannot write {target}: {reason(exc)}") from exc
    try:
        title, identifier, units, points = _build(articles, staging, options)
        lengths = {f"{u.name}.mp3": u.audio.duration_ms for u in units}
        problems = check(staging, lengths)
        if problems:
            raise RenderError(f"the DAISY book does not check: {problems[0]}")
        files = tuple(sorted(p.name for p in staging.iterdir()))
        staging.chmod(0o755)
        _publish(staging, target)
    except OSError as exc:
        raise RenderError(f"cannot write {target}: {reason(exc)}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    calls = sum(u.audio.stats.engine_calls for u in units)
    hits = sum(u.audio.stats.cache_hits for u in units)
    seconds = sum(u.audio.stats.seconds for u in units)
    engine_seconds = sum(u.audio.stats.engine_seconds for u in units)
    return DaisyResult(
        path=str(target),
        identifier=identifier,
        title=title,
        articles=len(articles),
        duration_ms=sum(u.audio.duration_ms for u in units),
        files=files,
        navigation=tuple(points),
        voices=tuple(dict.fromkeys(v for u in units for v in u.audio.voices)),
        stats=SynthStats(calls, hits, seconds, engine_seconds),
    )
