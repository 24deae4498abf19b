"""Article → one XHTML content document, element by element with lxml (which escapes all
text). Nothing from the source page passes through: only the model's structure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from ..model import (
    Article,
    Block,
    Code,
    Emphasis,
    Figure,
    Foreign,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Preformatted,
    Quote,
    Strong,
    Table,
    Text,
    inline_text,
)
from ..text import squash

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from datetime import datetime
    from typing import TypeAlias

    # (kind, block, ordinal) of a narrated piece → its sentences, as the speech script made them
    Cues: TypeAlias = Mapping[tuple[str, int, int], Sequence["Cue"]]

XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP = {None: XHTML, "epub": EPUB}
RTL_LANGUAGES = frozenset(
    {"ar", "arc", "dv", "fa", "ha", "he", "khw", "ks", "ku", "ps", "ur", "yi"}
)


@dataclass(frozen=True, slots=True)
class Picture:
    """An image placed in the book: its path inside the EPUB and its text alternative."""

    href: str
    alt: str


@dataclass(frozen=True, slots=True)
class Cue:
    """One spoken sentence to mark in the text: the id its span gets and its display text."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Outline:
    """A heading of the document, for the navigation: its id, level and text."""

    id: str
    level: int
    text: str


def direction(language: str) -> str | None:
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else None


def element(
    parent: etree._Element | None, tag: str, text: str = "", **attrs: str
) -> etree._Element:
    name = f"{{{XHTML}}}{tag}"
    el = etree.Element(name, nsmap=NSMAP) if parent is None else etree.SubElement(parent, name)
    for key, value in attrs.items():
        el.set(key.rstrip("_").replace("_", "-"), value)
    if text:
        el.text = text
    return el


def document(title: str, language: str, stylesheet: str) -> tuple[etree._Element, etree._Element]:
    """An empty XHTML document: ``(html, body)``."""
    html = element(None, "html", lang=language)
    html.set(XML_LANG, language)
    rtl = direction(language)
    if rtl:
        html.set("dir", rtl)
    head = element(html, "head")
    element(head, "meta", charset="utf-8")
    element(head, "title", title)
    element(head, "link", rel="stylesheet", type="text/css", href=stylesheet)
    return html, element(html, "body")


def serialise(html: etree._Element) -> bytes:
    body: bytes = etree.tostring(html, encoding="utf-8", xml_declaration=False, method="xml")
    return b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n' + body + b"\n"


class _Inlines:
    """Appends inline nodes to an element, keeping lxml's text/tail model straight."""

    def __init__(self, parent: etree._Element) -> None:
        self.parent = parent
        self.last: etree._Element | None = None

    def text(self, value: str) -> None:
        if not value:
            return
        if self.last is None:
            self.parent.text = (self.parent.text or "") + value
        else:
            self.last.tail = (self.last.tail or "") + value

    def element(self, tag: str, **attrs: str) -> etree._Element:
        self.last = element(self.parent, tag, **attrs)
        return self.last

    def add(self, nodes: Iterable[Inline]) -> None:
        for node in nodes:
            if isinstance(node, Text):
                self.text(node.text)
            elif isinstance(node, Code):
                self.element("code").text = node.text
            elif isinstance(node, LineBreak):
                self.element("br")
            elif isinstance(node, Link):
                _Inlines(self.element("a", href=node.href)).add(node.children)
            elif isinstance(node, Emphasis):
                _Inlines(self.element("em")).add(node.children)
            elif isinstance(node, Strong):
                _Inlines(self.element("strong")).add(node.children)
            elif isinstance(node, Foreign):
                span = self.element("span", lang=node.lang)
                span.set(XML_LANG, node.lang)
                span.set("dir", direction(node.lang) or "ltr")  # Arabic in English, or back
                _Inlines(span).add(node.children)


def _inline(parent: etree._Element, tag: str, nodes: Iterable[Inline], **attrs: str) -> None:
    _Inlines(element(parent, tag, **attrs)).add(nodes)


# --- read-along: sentences wrapped in spans --------------------------------------------------


def slice_inlines(nodes: Sequence[Inline], start: int, end: int) -> list[Inline]:
    """The inlines covering characters [start, end) of ``inline_text(nodes)``; elements cut
    by the range are repeated around their part (a link split over two sentences becomes two
    links to the same place)."""
    out: list[Inline] = []
    position = 0
    for node in nodes:
        length = len(inline_text((node,)))
        lo, hi = max(start, position), min(end, position + length)
        if lo < hi:
            a, b = lo - position, hi - position
            if isinstance(node, Text):
                out.append(Text(node.text[a:b]))
            elif isinstance(node, Code):
                out.append(Code(node.text[a:b]))
            elif isinstance(node, LineBreak):
                out.append(node)
            elif isinstance(node, Link):
                out.append(Link(node.href, tuple(slice_inlines(node.children, a, b))))
            elif isinstance(node, Emphasis):
                out.append(Emphasis(tuple(slice_inlines(node.children, a, b))))
            elif isinstance(node, Strong):
                out.append(Strong(tuple(slice_inlines(node.children, a, b))))
            elif isinstance(node, Foreign):
                out.append(Foreign(node.lang, tuple(slice_inlines(node.children, a, b))))
        position += length
    return out


def _align(raw: str) -> tuple[str, list[int]]:
    """``squash(raw)`` and, for each of its characters, the index of that character in raw
    (a space maps to the first white-space character of its run)."""
    squashed: list[str] = []
    where: list[int] = []
    pending_space = -1
    for index, char in enumerate(raw):
        if squash(char) == "":
            if char.isspace() and squashed and pending_space < 0:
                pending_space = index
            continue
        if pending_space >= 0:
            squashed.append(" ")
            where.append(pending_space)
            pending_space = -1
        squashed.append(char)
        where.append(index)
    return "".join(squashed), where


def _ranges(text: str, cues: Sequence[Cue]) -> list[tuple[int, int]] | None:
    """Where each cue's sentence lies in ``text``, in order; None if one cannot be found."""
    found = []
    cursor = 0
    for number, cue in enumerate(cues):
        sentence = cue.text.strip()
        at = text.find(sentence, cursor)
        if at < 0 and number == len(cues) - 1 and sentence.endswith("."):
            sentence = sentence[:-1]  # the script ends unpunctuated headings with a full stop
            at = text.find(sentence, cursor)
        if at < 0 or not sentence:
            return None
        found.append((at, at + len(sentence)))
        cursor = at + len(sentence)
    return found


def spoken_inlines(
    parent: etree._Element, nodes: Sequence[Inline], cues: Sequence[Cue]
) -> dict[str, str]:
    """Fill ``parent`` with ``nodes``, each cue's sentence in its own ``<span id>``; returns
    cue id → the id of the element that holds it. When the sentences cannot be found in the
    text exactly (a normalisation the two sides disagree on), one span holds them all."""
    raw = inline_text(nodes)
    squashed, where = _align(raw)
    ranges = _ranges(squashed, cues) if squashed == squash(raw) else None
    if ranges is None:
        span = element(parent, "span", id=cues[0].id)
        _Inlines(span).add(nodes)
        return {cue.id: cues[0].id for cue in cues}
    writer = _Inlines(parent)
    previous = 0
    for cue, (start, end) in zip(cues, ranges, strict=True):
        lo, hi = where[start], where[end - 1] + 1
        writer.add(slice_inlines(nodes, previous, lo))
        _Inlines(writer.element("span", id=cue.id)).add(slice_inlines(nodes, lo, hi))
        previous = hi
    writer.add(slice_inlines(nodes, previous, len(raw)))
    return {cue.id: cue.id for cue in cues}


def spoken_whole(target: etree._Element, cues: Sequence[Cue]) -> dict[str, str]:
    """Mark a whole element as the text of ``cues`` (a table row, a byline read as "By …")."""
    if target.tag == f"{{{XHTML}}}tr" or (len(target) == 0 and not target.text):
        target.set("id", cues[0].id)
    else:
        span = etree.Element(f"{{{XHTML}}}span", id=cues[0].id)
        span.text, target.text = target.text, None
        for child in list(target):
            span.append(child)
        target.append(span)
    return {cue.id: cues[0].id for cue in cues}


class ChapterWriter:
    """Writes one article's body into an element; ids carry the chapter's prefix so that
    they are unique across the whole book."""

    def __init__(
        self,
        prefix: str,
        pictures: Mapping[int, Picture],
        cues: Cues | None = None,
        read_captions: bool = False,
    ) -> None:
        self.prefix = prefix
        self.pictures = pictures  # keyed by id() of the model Figure
        self.outline: list[Outline] = []
        self._ids = 0
        self._level = 1  # the headline is the h1
        # read-along: the sentences to mark, and where each one ended up
        self.cues: Cues = cues or {}
        self.read_captions = read_captions
        self.placed: dict[str, str] = {}
        self._block = -1
        self._quote: int | None = None  # inside a quote, every piece counts as the quote's
        self._seen: dict[tuple[str, int], int] = {}

    def _piece(self, kind: str) -> Sequence[Cue]:
        """The cues of the next piece of this kind in the current block, counted exactly as
        the speech script counts its pieces."""
        key = ("quote", self._quote) if self._quote is not None else (kind, self._block)
        ordinal = self._seen.get(key, 0)
        self._seen[key] = ordinal + 1
        return self.cues.get((*key, ordinal), ())

    def _fill(self, parent: etree._Element, nodes: Sequence[Inline], kind: str) -> None:
        cues = self._piece(kind) if self.cues else ()
        if cues:
            self.placed.update(spoken_inlines(parent, nodes, cues))
        else:
            _Inlines(parent).add(nodes)

    def new_id(self, kind: str) -> str:
        self._ids += 1
        return f"{self.prefix}-{kind}{self._ids}"

    def header(self, parent: etree._Element, article: Article, headline_id: str) -> None:
        header = element(parent, "header")
        if article.section:
            element(header, "p", article.section, class_="kicker")
        self._fill(element(header, "h1", id=headline_id), (Text(article.headline),), "headline")
        if article.standfirst:
            standfirst = element(header, "p", class_="standfirst", role="doc-subtitle")
            self._fill(standfirst, (Text(article.standfirst),), "standfirst")
        if article.byline:
            byline = element(header, "p", article.byline, class_="byline")
            cues = self._piece("byline") if self.cues else ()
            if cues:
                self.placed.update(spoken_whole(byline, cues))
        if article.published or article.site_name:
            line = element(header, "p", class_="dateline")
            if article.published:
                time = element(
                    line,
                    "time",
                    _human_date(article.published),
                    datetime=html_datetime(article.published),
                )
                if article.site_name:
                    time.tail = " · " + article.site_name
            else:
                line.text = article.site_name

    def figure(self, parent: etree._Element, figure: Figure, css_class: str = "") -> None:
        picture = self.pictures.get(id(figure))
        if picture is None and not (figure.caption or figure.credit):
            return
        attrs = {"id": self.new_id("fig")}
        if css_class:
            attrs["class_"] = css_class
        fig = element(parent, "figure", **attrs)
        if picture is not None:
            element(fig, "img", src=picture.href, alt=picture.alt)
        if figure.caption or figure.credit:
            caption = element(fig, "figcaption")
            if figure.caption:
                text = element(caption, "span", figure.caption, class_="caption")
                cues = self._piece("caption") if self.cues and self.read_captions else ()
                if cues:
                    text.set("id", cues[0].id)
                    self.placed.update({cue.id: cues[0].id for cue in cues})
            if figure.credit:
                element(caption, "span", figure.credit, class_="credit")
                if figure.caption:
                    caption[0].tail = " "  # so that caption and credit are not read as one word

    def blocks(self, parent: etree._Element, blocks: Iterable[Block], top: bool = False) -> None:
        for index, block in enumerate(blocks):
            if top:
                self._block = index
            self.block(parent, block)

    def block(self, parent: etree._Element, block: Block) -> None:
        if isinstance(block, Paragraph):
            self._fill(element(parent, "p"), block.inlines, "paragraph")
        elif isinstance(block, Heading):
            self.heading(parent, block)
        elif isinstance(block, ListBlock):
            self.list(parent, block)
        elif isinstance(block, Quote):
            self.quote(parent, block)
        elif isinstance(block, Table):
            self.table(parent, block)
        elif isinstance(block, Preformatted):
            element(parent, "pre", block.text)
        elif isinstance(block, Figure):
            self.figure(parent, block)

    def heading(self, parent: etree._Element, heading: Heading) -> None:
        # body headings start at h2 and never skip a level on the way down
        level = max(2, min(heading.level, self._level + 1, 6))
        self._level = level
        text = squash(inline_text(heading.inlines))
        hid = self.new_id("h")
        self._fill(element(parent, f"h{level}", id=hid), heading.inlines, "heading")
        self.outline.append(Outline(hid, level, text))

    def list(self, parent: etree._Element, block: ListBlock) -> None:
        lst = element(parent, "ol" if block.ordered else "ul")
        for item in block.items:
            li = element(lst, "li")
            if squash(inline_text(item.inlines)):
                self._fill(li, item.inlines, "item")
            else:
                _Inlines(li).add(item.inlines)
            if item.sublist is not None:
                self.list(li, item.sublist)

    def quote(self, parent: etree._Element, quote: Quote) -> None:
        outer = self._quote
        if outer is None:
            self._quote = self._block
        if quote.attribution and self.cues:
            # spoken first ("X, said:") but shown after the quote: left unmarked, so that the
            # marked text stays in reading order
            self._piece("quote")
        if quote.attribution:
            holder = element(parent, "figure", class_="quote")
            self.blocks(element(holder, "blockquote"), quote.blocks)
            element(holder, "figcaption", "— " + quote.attribution)
        else:
            self.blocks(element(parent, "blockquote"), quote.blocks)
        self._quote = outer

    def table(self, parent: etree._Element, table: Table) -> None:
        el = element(parent, "table")
        if table.caption:
            caption = element(el, "caption", table.caption)
            cues = self._piece("row") if self.cues else ()
            if cues:
                self.placed.update(spoken_whole(caption, cues))
        rows = list(table.rows)
        if rows and all(cell.header for cell in rows[0]):
            head_row = element(element(el, "thead"), "tr")
            for cell in rows[0]:
                _inline(head_row, "th", cell.inlines, scope="col")
            self._row(head_row)
            rows = rows[1:]
        body = element(el, "tbody")
        for row in rows:
            tr = element(body, "tr")
            for cell in row:
                if cell.header:
                    _inline(tr, "th", cell.inlines, scope="row")
                else:
                    _inline(tr, "td", cell.inlines)
            self._row(tr)

    def _row(self, tr: etree._Element) -> None:
        cues = self._piece("row") if self.cues else ()
        if cues:
            self.placed.update(spoken_whole(tr, cues))


def chapter(
    article: Article,
    prefix: str,
    pictures: Mapping[int, Picture],
    stylesheet: str,
    language: str,
    cues: Cues | None = None,
    read_captions: bool = False,
    placed: dict[str, str] | None = None,
) -> tuple[bytes, list[Outline], str]:
    """The article as an XHTML document: ``(bytes, outline, headline id)``. With ``cues``
    (a read-along book), each spoken sentence is wrapped in a span, and ``placed`` receives
    cue id → the id of the element that holds it."""
    html, body = document(article.headline, language, stylesheet)
    section = element(body, "section", id=prefix, role="doc-chapter")
    section.set(f"{{{EPUB}}}type", "chapter")
    headline_id = f"{prefix}-title"
    section.set("aria-labelledby", headline_id)
    writer = ChapterWriter(prefix, pictures, cues, read_captions)
    writer.header(section, article, headline_id)
    if article.lead_figure is not None:
        writer.figure(section, article.lead_figure, "lead")
    writer.blocks(section, article.blocks, top=True)
    if placed is not None:
        placed.update(writer.placed)
    if article.url:
        footer = element(section, "footer")
        source = element(footer, "p", "Source: ", class_="source")
        link = element(source, "a", article.site_name or article.url, href=article.url)
        link.tail = ""
    return serialise(html), writer.outline, headline_id


def html_datetime(value: datetime) -> str:
    """A valid HTML global date and time string (whole seconds, offset kept)."""
    return value.replace(microsecond=0).isoformat()


def _human_date(value: datetime) -> str:
    return f"{value.day} {value:%B %Y}"
