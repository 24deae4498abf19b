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
    from collections.abc import Iterable, Mapping
    from datetime import datetime

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


def _inline(parent: etree._Element, tag: str, nodes: Iterable[Inline], **attrs: str) -> None:
    _Inlines(element(parent, tag, **attrs)).add(nodes)


class ChapterWriter:
    """Writes one article's body into an element; ids carry the chapter's prefix so that
    they are unique across the whole book."""

    def __init__(self, prefix: str, pictures: Mapping[int, Picture]) -> None:
        self.prefix = prefix
        self.pictures = pictures  # keyed by id() of the model Figure
        self.outline: list[Outline] = []
        self._ids = 0
        self._level = 1  # the headline is the h1

    def new_id(self, kind: str) -> str:
        self._ids += 1
        return f"{self.prefix}-{kind}{self._ids}"

    def header(self, parent: etree._Element, article: Article, headline_id: str) -> None:
        header = element(parent, "header")
        if article.section:
            element(header, "p", article.section, class_="kicker")
        element(header, "h1", article.headline, id=headline_id)
        if article.standfirst:
            element(header, "p", article.standfirst, class_="standfirst", role="doc-subtitle")
        if article.byline:
            element(header, "p", article.byline, class_="byline")
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
                element(caption, "span", figure.caption, class_="caption")
            if figure.credit:
                element(caption, "span", figure.credit, class_="credit")
                if figure.caption:
                    caption[0].tail = " "  # so that caption and credit are not read as one word

    def blocks(self, parent: etree._Element, blocks: Iterable[Block]) -> None:
        for block in blocks:
            self.block(parent, block)

    def block(self, parent: etree._Element, block: Block) -> None:
        if isinstance(block, Paragraph):
            _inline(parent, "p", block.inlines)
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
        _inline(parent, f"h{level}", heading.inlines, id=hid)
        self.outline.append(Outline(hid, level, text))

    def list(self, parent: etree._Element, block: ListBlock) -> None:
        lst = element(parent, "ol" if block.ordered else "ul")
        for item in block.items:
            li = element(lst, "li")
            _Inlines(li).add(item.inlines)
            if item.sublist is not None:
                self.list(li, item.sublist)

    def quote(self, parent: etree._Element, quote: Quote) -> None:
        if quote.attribution:
            holder = element(parent, "figure", class_="quote")
            self.blocks(element(holder, "blockquote"), quote.blocks)
            element(holder, "figcaption", "— " + quote.attribution)
        else:
            self.blocks(element(parent, "blockquote"), quote.blocks)

    def table(self, parent: etree._Element, table: Table) -> None:
        el = element(parent, "table")
        if table.caption:
            element(el, "caption", table.caption)
        rows = list(table.rows)
        if rows and all(cell.header for cell in rows[0]):
            head_row = element(element(el, "thead"), "tr")
            for cell in rows[0]:
                _inline(head_row, "th", cell.inlines, scope="col")
            rows = rows[1:]
        body = element(el, "tbody")
        for row in rows:
            tr = element(body, "tr")
            for cell in row:
                if cell.header:
                    _inline(tr, "th", cell.inlines, scope="row")
                else:
                    _inline(tr, "td", cell.inlines)


def chapter(
    article: Article,
    prefix: str,
    pictures: Mapping[int, Picture],
    stylesheet: str,
    language: str,
) -> tuple[bytes, list[Outline], str]:
    """The article as an XHTML document: ``(bytes, outline, headline id)``."""
    html, body = document(article.headline, language, stylesheet)
    section = element(body, "section", id=prefix, role="doc-chapter")
    section.set(f"{{{EPUB}}}type", "chapter")
    headline_id = f"{prefix}-title"
    section.set("aria-labelledby", headline_id)
    writer = ChapterWriter(prefix, pictures)
    writer.header(section, article, headline_id)
    if article.lead_figure is not None:
        writer.figure(section, article.lead_figure, "lead")
    writer.blocks(section, article.blocks)
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
