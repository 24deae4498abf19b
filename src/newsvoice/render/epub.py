"""Articles → an accessible EPUB 3.

One article makes a book; several make an edition (one chapter each, the navigation grouped
by article). ebooklib assembles the package, navigation document and NCX; the content
documents are written by ``xhtml.py`` from the model and handed to ebooklib as finished
bytes. The zip is then re-packed for byte-identical output, checked, and written atomically.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ebooklib import epub

from ..errors import ConfigError, NoContentFound, RenderError, reason
from ..io import source_date, write_atomic
from ..limits import DEFAULT_LIMITS, Limits
from ..model import Article, Block, Figure, ListBlock, Paragraph, Quote, Table
from ..narration.timing import clock
from ..version import __version__
from . import overlay, xhtml
from .check import check_epub
from .cover import cover_png, cover_text
from .daisy import book_identifier
from .images import EXTENSIONS, Loaded, check_image, load_image
from .kinds import Cover, Edition, also_available

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

STYLESHEET = "css/newsvoice.css"
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
UNKNOWN_DATE = datetime(1980, 1, 1, tzinfo=UTC)  # the zip format's first day
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

CSS = """\
@namespace epub "http://www.idpf.org/2007/ops";
/* Readable defaults that leave fonts, sizes and colours to the reader's settings. */
body { margin: 0 4%; line-height: 1.5; }
h1 { font-size: 1.6em; line-height: 1.25; margin: 0.6em 0 0.3em; }
h2 { font-size: 1.3em; margin: 1.4em 0 0.4em; }
h3, h4, h5, h6 { font-size: 1.1em; margin: 1.2em 0 0.4em; }
p { margin: 0 0 0.8em; }
.kicker { font-size: 0.85em; text-transform: uppercase; letter-spacing: 0.05em; margin: 0; }
.standfirst { font-size: 1.15em; font-style: italic; margin: 0 0 1em; }
.byline, .dateline { font-size: 0.9em; margin: 0 0 0.3em; }
header { margin-bottom: 1.5em; }
figure { margin: 1.5em 0; }
figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption { font-size: 0.9em; margin-top: 0.5em; }
.credit { font-size: 0.85em; font-style: italic; }
blockquote { margin: 1em 1.5em; font-style: italic; }
figure.quote figcaption { margin-left: 1.5em; }
ul, ol { margin: 0 0 0.8em; padding-left: 1.5em; }
table { border-collapse: collapse; margin: 1em 0; }
caption { font-weight: bold; text-align: start; padding-bottom: 0.3em; }
th, td { border: 1px solid; padding: 0.2em 0.5em; text-align: start; vertical-align: top; }
pre { white-space: pre-wrap; font-size: 0.9em; }
footer { margin-top: 2em; font-size: 0.85em; }
.cover { text-align: center; margin: 0; }
.cover img { max-width: 100%; max-height: 100vh; }
nav ol { list-style: none; padding-left: 1em; }
"""


@dataclass(frozen=True, slots=True)
class EpubOptions:
    title: str | None = None  # the edition title (several articles)
    cover: Cover | Path | str = Cover.AUTO  # drawn, none, or an image file
    fetch_images: bool = False
    allow_private: bool = False
    limits: Limits = DEFAULT_LIMITS
    narration: tuple[overlay.Recording, ...] = ()  # one per article: a read-along book
    also: tuple[Edition, ...] = ()  # the other editions made beside it, named in its summary


@dataclass(frozen=True, slots=True)
class RenderResult:
    path: str
    size: int
    sha256: str
    identifier: str
    title: str
    language: str
    articles: int
    images: int
    images_left_out: tuple[str, ...]
    cover: bool
    accessibility: dict[str, Any] = field(default_factory=dict)
    overlays: dict[str, Any] = field(default_factory=dict)  # read-along: clips and durations

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "size": self.size,
            "sha256": self.sha256,
            "identifier": self.identifier,
            "title": self.title,
            "language": self.language,
            "articles": self.articles,
            "images": self.images,
            "images_left_out": list(self.images_left_out),
            "cover": self.cover,
            "accessibility": self.accessibility,
            **({"overlays": self.overlays} if self.overlays else {}),
        }


@dataclass(slots=True)
class _Book:
    """What is gathered before ebooklib assembles the package."""

    articles: Sequence[Article]
    options: EpubOptions
    images: dict[str, Loaded] = field(default_factory=dict)  # href → image
    left_out: list[str] = field(default_factory=list)
    pictures: list[dict[int, xhtml.Picture]] = field(default_factory=list)

    @property
    def edition(self) -> bool:
        return len(self.articles) > 1


# --- public entry point --------------------------------------------------------------------


def render_epub(
    articles: Sequence[Article], path: Path | str, options: EpubOptions | None = None
) -> RenderResult:
    """Write ``articles`` as one EPUB 3 at ``path`` (atomically) and describe what was made."""
    options = options or EpubOptions()
    if not articles:
        raise NoContentFound("no articles to put in the book")
    for article in articles:
        if not any(_has_text(b) for b in article.blocks):
            raise NoContentFound(f"article {article.headline!r} has no body text")
    book = _Book(articles, options)
    for number, article in enumerate(articles, start=1):
        book.pictures.append(_place_pictures(book, article, number))
    cover = _cover(book)
    assembled = _assemble(book, cover)
    data = assembled.data
    findings = check_epub(data)
    if options.narration:
        findings += overlay.lint(data, assembled.audio_ms)
    if findings:
        raise RenderError(
            f"the EPUB failed its self-check: {findings[0]}"
            + (f" (and {len(findings) - 1} more)" if len(findings) > 1 else "")
        )
    target = Path(path)
    write_atomic(target, data)
    return RenderResult(
        path=str(target),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        identifier=assembled.identifier,
        title=assembled.title,
        language=assembled.language,
        articles=len(articles),
        images=len(book.images),
        images_left_out=tuple(book.left_out),
        cover=cover is not None,
        accessibility=assembled.accessibility,
        overlays=assembled.overlays,
    )


def _has_text(block: Block) -> bool:
    if isinstance(block, Paragraph | ListBlock | Table):
        return True
    if isinstance(block, Quote):
        return any(_has_text(b) for b in block.blocks)
    return False


# --- pictures ------------------------------------------------------------------------------


def _figures(article: Article) -> Iterator[Figure]:
    if article.lead_figure is not None:
        yield article.lead_figure
    yield from _block_figures(article.blocks)


def _block_figures(blocks: Sequence[Block]) -> Iterator[Figure]:
    for block in blocks:
        if isinstance(block, Figure):
            yield block
        elif isinstance(block, Quote):
            yield from _block_figures(block.blocks)


def _place_pictures(book: _Book, article: Article, number: int) -> dict[int, xhtml.Picture]:
    """Load each figure's image; embed the ones that load and have a text alternative."""
    placed: dict[int, xhtml.Picture] = {}
    by_hash = {hashlib.sha256(img.data).hexdigest(): href for href, img in book.images.items()}
    for figure in _figures(article):
        if figure.image is None:
            continue
        where = figure.image.url or "an embedded image"
        alt = figure.alt or figure.caption
        if not alt:
            book.left_out.append(f"{where}: no text alternative (alt or caption)")
            continue
        try:
            loaded = load_image(
                figure.image,
                fetch_remote=book.options.fetch_images,
                allow_private=book.options.allow_private,
                limits=book.options.limits,
            )
        except ValueError as exc:
            book.left_out.append(f"{where}: {exc}")
            continue
        digest = hashlib.sha256(loaded.data).hexdigest()
        href = by_hash.get(digest)
        if href is None:
            href = f"images/a{number}-{len(book.images) + 1}.{EXTENSIONS[loaded.media_type]}"
            book.images[href] = loaded
            by_hash[digest] = href
        placed[id(figure)] = xhtml.Picture(href=href, alt=alt)
    return placed


def _cover(book: _Book) -> tuple[Loaded, str] | None:
    """The cover picture and its text alternative, or None."""
    choice = book.options.cover
    if choice == Cover.NONE:
        return None
    text = cover_text(book.articles, _title(book))
    if choice == Cover.AUTO:
        return check_image(cover_png(text), book.options.limits), text.alt
    try:
        data = Path(choice).read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"cannot read cover {choice}: {reason(exc)}", hint="use auto, none or FILE"
        ) from exc
    try:
        return check_image(data, book.options.limits), text.alt
    except ValueError as exc:
        raise ConfigError(f"cover {choice} cannot be used: {exc}") from exc


# --- the package ---------------------------------------------------------------------------


class _Writer(epub.EpubWriter):  # type: ignore[misc]
    """ebooklib's writer plus ``xml:lang`` on <package>, which it has no option for."""

    def _write_opf_file(self, root: Any) -> None:
        root.set("{http://www.w3.org/XML/1998/namespace}lang", self.book.language)
        super()._write_opf_file(root)


def _title(book: _Book) -> str:
    if not book.edition:
        return book.articles[0].headline
    if book.options.title:
        return book.options.title
    latest = _latest(a.published for a in book.articles)
    return f"News edition, {latest:%Y-%m-%d}" if latest else "News edition"


def _latest(dates: Iterable[datetime | None]) -> datetime | None:
    known = [d for d in dates if d is not None]
    return max(known, key=lambda d: d.astimezone(UTC)) if known else None


def _common(values: Iterable[str]) -> str:
    counts = Counter(v for v in values if v)
    if len(counts) == 1:
        return next(iter(counts))
    return ""


def _language(book: _Book) -> str:
    counts = Counter(a.language or "und" for a in book.articles)
    return counts.most_common(1)[0][0]


def _identifier(book: _Book) -> str:
    return book_identifier(book.articles)  # the same for every edition of the articles


def _modified(book: _Book) -> datetime:
    """dcterms:modified: SOURCE_DATE_EPOCH if set, else the newest article date, so that
    the same articles always give the same book."""
    epoch = source_date()
    if epoch is not None:
        return epoch
    latest = _latest(a.modified or a.published for a in book.articles)
    return latest.astimezone(UTC) if latest else UNKNOWN_DATE


def _w3cdtf(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _meta(ebook: epub.EpubBook, prop: str, value: str, **attrs: str) -> None:
    ebook.add_metadata(None, "meta", value, {"property": prop, **attrs})


@dataclass(frozen=True, slots=True)
class _Assembled:
    """The packed EPUB and what ``render_epub`` reports of it."""

    data: bytes
    identifier: str
    title: str
    language: str
    accessibility: dict[str, Any]
    audio_ms: dict[str, int]  # audio file in the container → its duration (for the lint)
    overlays: dict[str, Any]  # empty unless narrated


@dataclass(slots=True)
class _Chapters:
    """What the chapters add to the package: the table of contents and, for a read-along
    book, each SMIL document's duration and each audio file's."""

    toc: list[Any] = field(default_factory=list)
    durations: list[tuple[str, int]] = field(default_factory=list)  # (SMIL item id, ms)
    audio_ms: dict[str, int] = field(default_factory=dict)


def _assemble(book: _Book, cover: tuple[Loaded, str] | None) -> _Assembled:
    """The book in ebooklib's model, in the order its package lists things: metadata,
    stylesheet and pictures, cover, chapters (with their overlays), a11y metadata, navigation;
    then written and repacked."""
    ebook = epub.EpubBook()
    identifier, title, language = _identifier(book), _title(book), _language(book)
    rtl = _metadata(ebook, book, identifier, title, language)
    spine, guide = _resources(ebook, book, cover, language)
    chapters = _chapters(ebook, book, language, spine, guide)
    accessibility = _accessibility(book, cover is not None, language)
    _package_metadata(ebook, book, accessibility, chapters)
    ebook.toc = chapters.toc
    ebook.add_item(epub.EpubNcx())
    nav = epub.EpubNav(title="Contents")
    nav.add_link(href=STYLESHEET, rel="stylesheet", type="text/css")
    ebook.add_item(nav)
    ebook.spine = spine
    ebook.guide = guide
    overlays: dict[str, Any] = {}
    if book.options.narration:
        overlays = {
            "duration_ms": sum(ms for _, ms in chapters.durations),
            "documents": [
                {"smil": smil_id, "duration_ms": ms} for smil_id, ms in chapters.durations
            ],
            "narrator": _narrators(book),
        }
    return _Assembled(
        data=_write(ebook, book, rtl),
        identifier=identifier,
        title=title,
        language=language,
        accessibility={k: v for k, v in accessibility.items() if k != "metadata"}
        | {"features": accessibility["metadata"]["schema:accessibilityFeature"]},
        audio_ms=chapters.audio_ms,
        overlays=overlays,
    )


def _metadata(
    ebook: epub.EpubBook, book: _Book, identifier: str, title: str, language: str
) -> str | None:
    """Dublin Core: identifier, title, language (and direction, which is returned), creators,
    publisher, date; for a single article its description and source."""
    ebook.set_identifier(identifier)
    ebook.set_title(title)
    ebook.set_language(language)
    rtl = xhtml.direction(language)
    if rtl:
        ebook.set_direction(rtl)
    authors = list(dict.fromkeys(name for a in book.articles for name in a.authors))
    for index, name in enumerate(authors[:20]):
        ebook.add_author(name, uid=f"creator{index + 1}")
    publisher = _common(a.site_name for a in book.articles)
    if publisher:
        ebook.add_metadata("DC", "publisher", publisher)
    published = _latest(a.published for a in book.articles)
    if published:
        ebook.add_metadata("DC", "date", _w3cdtf(published))
    first = book.articles[0]
    if not book.edition:
        if first.standfirst:
            ebook.add_metadata("DC", "description", first.standfirst)
        if first.url:
            ebook.add_metadata("DC", "source", first.url)
    return rtl


def _resources(
    ebook: epub.EpubBook, book: _Book, cover: tuple[Loaded, str] | None, language: str
) -> tuple[list[Any], list[dict[str, str]]]:
    """The stylesheet, the pictures and the cover page; returns the spine and guide so far."""
    stylesheet = CSS + (overlay.CSS if book.options.narration else "")
    css = epub.EpubItem(
        uid="css", file_name=STYLESHEET, media_type="text/css", content=stylesheet.encode("utf-8")
    )
    ebook.add_item(css)
    for number, (href, image) in enumerate(sorted(book.images.items()), start=1):
        ebook.add_item(
            epub.EpubItem(
                uid=f"img{number}", file_name=href, media_type=image.media_type, content=image.data
            )
        )
    spine: list[Any] = []
    guide: list[dict[str, str]] = []
    if cover is not None:
        picture, alt = cover
        cover_href = f"images/cover.{EXTENSIONS[picture.media_type]}"
        ebook.set_cover(cover_href, picture.data, create_page=False)
        page = _cover_page(cover_href, alt, language)
        cover_item = epub.EpubItem(
            uid="cover-page",
            file_name="cover.xhtml",
            media_type="application/xhtml+xml",
            content=page,
        )
        ebook.add_item(cover_item)
        spine.append(cover_item)
        guide.append({"href": "cover.xhtml", "title": "Cover", "type": "cover"})
    return spine, guide


def _chapters(
    ebook: epub.EpubBook,
    book: _Book,
    language: str,
    spine: list[Any],
    guide: list[dict[str, str]],
) -> _Chapters:
    """One content document per article (with its audio and SMIL in a read-along book),
    added to the spine, the guide and the table of contents."""
    chapters = _Chapters()
    narrated = book.options.narration
    for number, article in enumerate(book.articles, start=1):
        prefix = f"a{number}"
        name = f"article-{number:03d}.xhtml"
        narration = narrated[number - 1] if narrated else None
        placed: dict[str, str] = {}
        content, outline, headline_id = xhtml.chapter(
            article,
            prefix,
            book.pictures[number - 1],
            STYLESHEET,
            article.language if article.language != "und" else language,
            cues=overlay.cues(narration, prefix) if narration else None,
            read_captions=narration.read_captions if narration else False,
            placed=placed,
        )
        item = epub.EpubItem(
            uid=prefix, file_name=name, media_type="application/xhtml+xml", content=content
        )
        ebook.add_item(item)
        spine.append(item)
        if narration is not None:
            _overlay(ebook, item, number, narration, placed, chapters)
        link = epub.Link(
            f"{name}#{headline_id}" if book.edition else name, article.headline, f"nav-{prefix}"
        )
        sections = [
            epub.Link(f"{name}#{entry.id}", entry.text, f"nav-{entry.id}")
            for entry in outline
            if entry.level == 2
        ]
        chapters.toc.append((link, sections) if sections else link)
        if number == 1:
            guide.append({"href": name, "title": article.headline, "type": "text"})
    return chapters


def _overlay(
    ebook: epub.EpubBook,
    item: epub.EpubItem,
    number: int,
    narration: overlay.Recording,
    placed: dict[str, str],
    chapters: _Chapters,
) -> None:
    """An article's MP3 and its SMIL document, tied to its content document ``item``."""
    prefix = f"a{number}"
    audio_name = f"audio/article-{number:03d}.mp3"
    clip_list = overlay.clips(narration, prefix, placed)
    smil_id = f"mo-{prefix}"
    ebook.add_item(
        epub.EpubItem(
            uid=f"audio-{prefix}",
            file_name=audio_name,
            media_type="audio/mpeg",
            content=narration.audio,
        )
    )
    ebook.add_item(
        epub.EpubSMIL(
            uid=smil_id,
            file_name=f"article-{number:03d}.smil",
            content=overlay.smil(item.file_name, audio_name, clip_list),
        )
    )
    item.media_overlay = smil_id  # ebooklib writes it on any item that has one
    chapters.durations.append((smil_id, overlay.duration_ms(clip_list)))
    chapters.audio_ms[f"EPUB/{audio_name}"] = narration.timing.duration_ms


def _narrators(book: _Book) -> str:
    return ", ".join(dict.fromkeys(n.voice for n in book.options.narration))


def _package_metadata(
    ebook: epub.EpubBook, book: _Book, accessibility: dict[str, Any], chapters: _Chapters
) -> None:
    """schema.org accessibility metadata, Media Overlays durations and narrator, and the
    conformance claim."""
    for prop, values in accessibility["metadata"].items():
        for value in values:
            _meta(ebook, prop, value)
    if book.options.narration:
        for smil_id, ms in chapters.durations:
            _meta(ebook, "media:duration", clock(ms, "smil"), refines=f"#{smil_id}")
        _meta(ebook, "media:duration", clock(sum(ms for _, ms in chapters.durations), "smil"))
        _meta(ebook, "media:narrator", f"{_narrators(book)} (synthetic voice)")
        _meta(ebook, "media:active-class", overlay.ACTIVE_CLASS)
    if accessibility["conforms_to"]:
        _meta(ebook, "dcterms:conformsTo", accessibility["conforms_to"])
        _meta(ebook, "a11y:certifiedBy", f"newsvoice {__version__} (automated checks)")


def _write(ebook: epub.EpubBook, book: _Book, rtl: str | None) -> bytes:
    raw = io.BytesIO()
    writer = _Writer(
        raw, ebook, {"mtime": _modified(book), "epub3_pages": False, "package_direction": bool(rtl)}
    )
    writer.process()
    writer.write()
    return _repack(raw.getvalue())


def _cover_page(href: str, alt: str, language: str) -> bytes:
    html, body = xhtml.document("Cover", language, STYLESHEET)
    section = xhtml.element(body, "section", class_="cover")
    img = xhtml.element(section, "img", src=href, alt=alt, role="doc-cover")
    img.set(f"{{{xhtml.EPUB}}}type", "cover")
    return xhtml.serialise(html)


def _accessibility(book: _Book, has_cover: bool, language: str) -> dict[str, Any]:
    """schema.org accessibility metadata computed from what the book holds."""
    images = len(book.images)
    tables = [b for a in book.articles for b in a.blocks if isinstance(b, Table)]
    tables_have_headers = all(any(c.header for row in t.rows for c in row) for t in tables)
    features = [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ]
    if images:
        features.append("alternativeText")  # every embedded image has one, by construction
    if book.options.narration:
        features.append("synchronizedAudioText")
    modes = ["textual"] + (["visual"] if images else [])
    sufficient = ["textual"] + (["textual,visual"] if images else [])
    count = len(book.articles)
    if book.edition:
        parts = [
            f"This edition holds {count} news articles as text, each with its own heading "
            "and section headings, with a table of contents and a logical reading order."
        ]
    else:
        parts = [
            "This publication is a news article as text, with a heading structure, a table "
            "of contents and a logical reading order."
        ]
    gaps = [a for a in book.articles if a.incomplete]
    if gaps:
        parts.extend(
            f"The source of “{a.headline}” may not hold the whole article: {a.incomplete}"
            for a in gaps
        )
    if images == 1:
        parts.append("Its one image has a text description.")
    elif images:
        parts.append(f"All {images} images have text descriptions.")
    left = len(book.left_out)
    if left:
        parts.append(
            "One image from the source could not be included; its caption remains in the text."
            if left == 1
            else f"{left} images from the source could not be included; their captions remain "
            "in the text."
        )
    if has_cover:
        parts.append("The cover picture repeats the title in text form.")
    if book.options.narration:
        voices = ", ".join(dict.fromkeys(n.voice for n in book.options.narration))
        parts.append(
            f"The text is narrated with a synthetic voice ({voices}, by newsvoice) and each "
            "sentence is highlighted as it is read (EPUB 3 Media Overlays); picture "
            "descriptions, credits and the source line are not read aloud."
        )
    parts.append(
        "Fonts, sizes and colours follow the reading system's settings. "
        "There are no flashing, motion or sound hazards."
    )
    if book.options.also:
        parts.append(also_available(book.options.also))
    conforms = language != "und" and tables_have_headers
    if conforms:
        parts.append(f"It meets {CONFORMANCE}, checked automatically by newsvoice.")
    return {
        "metadata": {
            "schema:accessMode": modes,
            "schema:accessModeSufficient": sufficient,
            "schema:accessibilityFeature": features,
            "schema:accessibilityHazard": ["none"],
            "schema:accessibilitySummary": [" ".join(parts)],
        },
        "access_mode": modes,
        "access_mode_sufficient": sufficient,
        "hazard": "none",
        "summary": " ".join(parts),
        "conforms_to": CONFORMANCE if conforms else None,
    }


def _repack(data: bytes) -> bytes:
    """The same zip with ``mimetype`` first and stored, members in a fixed order, fixed
    timestamps and permissions: the same book always has the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        names = source.namelist()
        ordered = ["mimetype"] + [n for n in names if n != "mimetype"]
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.create_system = 3
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
                target.writestr(info, source.read(name))
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, source.read(name), compresslevel=9)
    return out.getvalue()
