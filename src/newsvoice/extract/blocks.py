"""Turn the chosen body elements into model blocks: paragraphs, headings, lists, quotes,
tables, figures and preformatted text, with inline emphasis and links as structure.
"""

from __future__ import annotations

import base64
import re
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import Tag

from ..limits import DEFAULT_LIMITS
from ..model import (
    Block,
    Cell,
    Code,
    Emphasis,
    Figure,
    Foreign,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Preformatted,
    Quote,
    Strong,
    Table,
    Text,
    inline_text,
)
from ..text import clean_chars, collapse_spaces, squash, tidy
from .clean import tokens_of
from .metadata import language_tag
from .tree import BLOCK_TAGS, TreeStats, contains, is_text
from .urls import clean_url, safe_href

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from pathlib import Path

EMPHASIS_TAGS = frozenset({"em", "i", "cite", "dfn", "var"})
STRONG_TAGS = frozenset({"strong", "b"})
CODE_TAGS = frozenset({"code", "kbd", "samp", "tt"})
SKIP_INLINE = frozenset({"img", "wbr", "picture", "source"})
# Containers of pictures and their captions: they become figures, never body text.
_PROSE_BLOCKS = ("p", "ul", "ol", "h2", "h3", "h4", "blockquote")
FIGURE_TOKENS = frozenset(
    {
        "caption",
        "captions",
        "figcaption",
        "credit",
        "credits",
        "gallery",
        "slideshow",
        "carousel",
        "lightbox",
        "wp-caption",
        "image-caption",
        "photo-caption",
        "media-caption",
        "img-caption",
        "video",
        "videos",
        "photo-credit",
        "image-credit",
        "photo",
        "image",
        "picture",
        "media-image",
        "inline-image",
        "article-image",
    }
)
CAPTION_TOKENS = frozenset(
    {
        "caption",
        "captions",
        "wp-caption-text",
        "image-caption",
        "photo-caption",
        "media-caption",
        "img-caption",
        "caption-text",
        "figcaption",
    }
)
CREDIT_TOKENS = frozenset(
    {
        "credit",
        "credits",
        "copyright",
        "photographer",
        "image-credit",
        "photo-credit",
        "media-credit",
        "source",
        "attribution",
        "byline",
        "courtesy",
        "author",
    }
)
_CREDIT_IN_TEXT = re.compile(
    r"\s*[\(\[]?(?:photo|image|picture|foto|credit|photograph|photo credit|©|\(c\))"
    r"\s*(?:by|:)?\s*([^()\[\]]{2,80}?)[\)\]]?\s*$",
    re.IGNORECASE,
)
_CREDIT_PREFIX = re.compile(r"^(?:photo|image|picture|credit|source)s?\s*(?:by)?\s*:\s*", re.I)
_IMG_SRC_ATTRS = (
    "src",
    "data-src",
    "data-lazy-src",
    "data-original",
    "data-url",
    "data-srcset",
    "srcset",
    "data-lazy",
)


# --- inlines -------------------------------------------------------------------------------


def raw_inlines(el: Tag, base: str | None, own: str = "") -> list[Inline]:
    """Inlines of an element's children (not normalised). On a page whose language is
    ``own``, a block in another one (``<p lang="fr">``) has them inside a ``Foreign``."""
    lang = _foreign_language(el, own)
    if lang is None:
        return _inlines_of(el.children, base, frozenset(), own)
    return [Foreign(lang, tuple(_inlines_of(el.children, base, frozenset({"lang"}), own)))]


def _foreign_language(el: Tag, own: str) -> str | None:
    """The element's language if it is not the page's (known) one; a page that does not say
    its language marks none (what would a mark be different from?)."""
    if not own:
        return None
    lang = language_tag(_attr(el, "lang") or _attr(el, "xml:lang"))
    return lang if lang is not None and _primary(lang) != _primary(own) else None


def _primary(tag: str) -> str:
    return tag.split("-")[0].lower()


def inline_node(node: object, base: str | None, own: str = "") -> list[Inline]:
    """Inlines of one node: formatting and links kept, other markup flattened to text."""
    return _inlines_of((node,), base, frozenset(), own)


def _inlines_of(
    nodes: Iterable[object], base: str | None, inside: frozenset[str], own: str = ""
) -> list[Inline]:
    """Elements that only group text (spans, fonts, stray blocks) are walked with a stack, not
    by recursion, and a wrapper already open is not opened again (emphasis in emphasis, a link
    in a link): however deep or tangled the markup, the inlines stay a few levels deep."""
    out: list[Inline] = []
    stack: list[tuple[Iterator[object], bool]] = [(iter(nodes), False)]
    while stack:
        children, spaced = stack[-1]
        node = next(children, None)
        if node is None:
            stack.pop()
            if spaced:
                out.append(Text(" "))
            continue
        if is_text(node):
            out.append(Text(str(node)))
            continue
        if not isinstance(node, Tag) or node.name in SKIP_INLINE:
            continue
        name = node.name
        lang = _foreign_language(node, own) if "lang" not in inside else None
        if lang is not None:  # the element once more, inside its language
            out.append(Foreign(lang, tuple(_inlines_of((node,), base, inside | {"lang"}, own))))
        elif name == "br":
            out.append(LineBreak())
        elif name in CODE_TAGS:
            out.append(Code(node.get_text()))
        elif name in EMPHASIS_TAGS and "em" not in inside:
            out.append(Emphasis(tuple(_inlines_of(node.children, base, inside | {"em"}, own))))
        elif name in STRONG_TAGS and "strong" not in inside:
            out.append(Strong(tuple(_inlines_of(node.children, base, inside | {"strong"}, own))))
        elif name == "a" and "a" not in inside and (href := safe_href(_attr(node, "href"), base)):
            out.append(Link(href, tuple(_inlines_of(node.children, base, inside | {"a"}, own))))
        else:
            spaced = name in BLOCK_TAGS
            if spaced:
                out.append(Text(" "))
            stack.append((iter(node.children), spaced))
    return out


def normalise_inlines(nodes: Iterable[Inline]) -> tuple[Inline, ...]:
    """Collapse white space across inline boundaries, drop empties, trim both ends."""
    state = [True]  # "the previous character was a space (or the start)"
    cleaned = _collapse(nodes, state)
    return _trim(_trim(cleaned, leading=True), leading=False)


def _collapse(nodes: Iterable[Inline], state: list[bool]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text | Code):
            text = collapse_spaces(clean_chars(node.text))
            if state[0] and text.startswith(" "):
                text = text[1:]
            if not text:
                continue
            state[0] = text.endswith(" ")
            if isinstance(node, Text) and out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + text)
            else:
                out.append(Text(text) if isinstance(node, Text) else Code(text))
        elif isinstance(node, LineBreak):
            if out and isinstance(out[-1], Text) and out[-1].text.endswith(" "):
                out[-1] = Text(out[-1].text[:-1])
            out.append(node)
            state[0] = True
        else:
            children = _collapse(node.children, state)
            if not children:
                continue
            if not inline_text(children).strip():
                # formatting or a link around white space only: keep just the space
                if out and isinstance(out[-1], Text):
                    if not out[-1].text.endswith(" "):
                        out[-1] = Text(out[-1].text + " ")
                else:
                    out.append(Text(" "))
                continue
            if isinstance(node, Link):
                out.append(Link(node.href, children))
            elif isinstance(node, Emphasis):
                out.append(Emphasis(children))
            elif isinstance(node, Foreign):
                out.append(Foreign(node.lang, children))
            else:
                out.append(Strong(children))
    return tuple(out)


def _trim(nodes: tuple[Inline, ...], *, leading: bool) -> tuple[Inline, ...]:
    items = list(nodes)
    while items:
        index = 0 if leading else len(items) - 1
        node = items[index]
        if isinstance(node, LineBreak):
            items.pop(index)
            continue
        if isinstance(node, Text | Code):
            text = node.text.lstrip() if leading else node.text.rstrip()
            if not text:
                items.pop(index)
                continue
            items[index] = Text(text) if isinstance(node, Text) else Code(text)
        else:
            children = _trim(node.children, leading=leading)
            if not children:
                items.pop(index)
                continue
            if isinstance(node, Link):
                items[index] = Link(node.href, children)
            elif isinstance(node, Emphasis):
                items[index] = Emphasis(children)
            elif isinstance(node, Foreign):
                items[index] = Foreign(node.lang, children)
            else:
                items[index] = Strong(children)
        break
    return tuple(items)


def _split_paragraphs(nodes: tuple[Inline, ...]) -> list[tuple[Inline, ...]]:
    """Split a run of inlines at two or more consecutive line breaks."""
    parts: list[list[Inline]] = [[]]
    breaks = 0
    for node in nodes:
        if isinstance(node, LineBreak):
            breaks += 1
            continue
        if isinstance(node, Text) and not node.text.strip() and breaks:
            continue
        if breaks >= 2:
            parts.append([])
        elif breaks == 1:
            parts[-1].append(LineBreak())
        breaks = 0
        parts[-1].append(node)
    return [p for p in (normalise_inlines(part) for part in parts) if p]


def link_chars(nodes: Iterable[Inline]) -> int:
    total = 0
    for node in nodes:
        if isinstance(node, Link):
            total += len(squash(inline_text(node.children)))
        elif isinstance(node, Emphasis | Strong | Foreign):
            total += link_chars(node.children)
    return total


# --- figures -------------------------------------------------------------------------------


def _attr(el: Tag, name: str) -> str | None:
    value = el.get(name)
    if isinstance(value, list):
        return " ".join(value)
    return value


def image_url(img: Tag, base: str | None, local_dir: Path | None = None) -> str | None:
    """The best source of an <img>: an absolute http(s) URL, or, for a page read from a
    file, a ``file:`` URL of an image inside that file's directory."""
    for attr in _IMG_SRC_ATTRS:
        value = _attr(img, attr)
        if not value or value.startswith("data:"):
            continue
        if "srcset" in attr:
            candidates = [c.strip().split(" ")[0] for c in value.split(",") if c.strip()]
            if not candidates:
                continue
            value = candidates[-1]
        url = clean_url(urljoin(base or "", value.strip()))
        if url:
            return url
        if base is None and local_dir is not None:
            local = local_file(value.strip(), local_dir)
            if local:
                return local
    return None


def local_file(src: str, directory: Path) -> str | None:
    """``file:`` URL of a relative image path that stays inside ``directory``."""
    if not src or urlsplit(src).scheme or src.startswith(("/", "\\")):
        return None
    try:
        root = directory.resolve()
        path = (root / unquote(urlsplit(src).path)).resolve()
    except (OSError, ValueError):
        return None
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path.as_uri()


_DATA_IMAGE = re.compile(
    r"^data:(image/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/=\s]+)$", re.IGNORECASE
)
_IMAGE_MAGIC = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}
MIN_INLINE_IMAGE = 200  # bytes; smaller data: images are lazy-loading placeholders


def inline_image(src: str, limit: int = DEFAULT_LIMITS.max_image_bytes) -> tuple[str, bytes] | None:
    """``(media type, bytes)`` of a base64 ``data:`` image that is what it says it is."""
    match = _DATA_IMAGE.match(src.strip())
    if match is None or len(match.group(2)) > limit * 4 // 3 + 4:
        return None
    try:
        data = base64.b64decode(re.sub(r"\s+", "", match.group(2)), validate=True)
    except ValueError:  # binascii.Error
        return None
    media_type = match.group(1).lower()
    if not MIN_INLINE_IMAGE <= len(data) <= limit:
        return None
    if not data.startswith(_IMAGE_MAGIC[media_type]):
        return None
    if media_type == "image/webp" and data[8:12] != b"WEBP":
        return None
    return media_type, data


def image_from(img: Tag, base: str | None, local_dir: Path | None = None) -> Image | None:
    """The picture of an <img>: its best source, else an inline data: image."""
    width, height = _int(_attr(img, "width")), _int(_attr(img, "height"))
    url = image_url(img, base, local_dir)
    if url:
        return Image(url=url, width=width, height=height)
    inline = inline_image(_attr(img, "src") or "")
    if inline is not None:
        return Image(data=inline[1], media_type=inline[0], width=width, height=height)
    return None


def _int(value: str | None) -> int | None:
    if value and value.strip().isdigit() and len(value.strip()) < 6:
        return int(value.strip())
    return None


def figure_from(el: Tag, base: str | None, local_dir: Path | None = None) -> Figure | None:
    """A Figure from ``<figure>`` (or any element holding one image and a caption)."""
    img = el if el.name == "img" else el.find("img")
    image = None
    alt = ""
    if isinstance(img, Tag):
        image = image_from(img, base, local_dir)
        alt = squash(_attr(img, "alt") or "")
    caption_el = None
    if el.name != "img":
        caption_el = (
            el.find("figcaption")
            or el.find(lambda t: t.name == "caption" and t.find_parent("table") is None)
            or el.find(lambda t: bool(tokens_of(t) & CAPTION_TOKENS))
        )
        if caption_el is None and tokens_of(el) & CAPTION_TOKENS:
            caption_el = el
    caption, credit = "", ""
    if isinstance(caption_el, Tag):
        caption, credit = _caption_and_credit(caption_el)
    if image is None and not caption:
        return None
    return Figure(image=image, alt=alt, caption=caption, credit=credit)


def _caption_and_credit(caption_el: Tag) -> tuple[str, str]:
    """Caption text and credit text of a caption element, without changing the tree."""
    credit_els = [
        child
        for child in caption_el.find_all(True)
        if tokens_of(child) & CREDIT_TOKENS
        or child.get("itemprop") in ("copyrightHolder", "author", "creditText")
    ]
    credit_ids = {id(c) for c in credit_els}
    caption_parts: list[str] = []
    credit_parts: list[str] = []
    for string in caption_el.find_all(string=True):
        if not is_text(string):
            continue
        inside_credit = any(id(p) in credit_ids for p in string.parents)
        (credit_parts if inside_credit else caption_parts).append(str(string))
    caption = squash(" ".join(caption_parts))
    credit = _CREDIT_PREFIX.sub("", squash(" ".join(credit_parts)))
    if not credit:
        match = _CREDIT_IN_TEXT.search(caption)
        if match and match.start() > 0:
            credit = squash(match.group(1))
            caption = caption[: match.start()].rstrip()
    return tidy(caption), tidy(credit)


# --- blocks --------------------------------------------------------------------------------

# Elements ``_block`` turns into blocks of their own; other block-level elements are containers.
_OWN_BLOCKS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "menu", "dir", "pre", "table"}
    | {"figure", "picture", "hr", "figcaption"}
)
# Deeper quotes and lists are flattened into the enclosing one: their text is kept, and the
# book's XHTML stays well within what XML parsers accept (libxml2 stops at 256 levels).
MAX_QUOTE_DEPTH = 4
MAX_LIST_DEPTH = 8


class BlockBuilder:
    """Walks body elements and yields blocks, skipping elements already used elsewhere."""

    def __init__(
        self,
        base: str | None,
        skip: set[int],
        stats: TreeStats | None = None,
        local_dir: Path | None = None,
        language: str = "",  # the page's: text marked with another one becomes Foreign
    ) -> None:
        self.base = base
        self.language = language
        self.skip = skip
        self.stats = stats
        self.local_dir = local_dir
        self._quotes = 0  # blockquotes open around the current element
        self._lists = 0  # lists open around the current element

    def build(self, elements: Iterable[Tag]) -> list[Block]:
        blocks: list[Block] = []
        for el in elements:
            if self._is_inline(el):
                blocks.extend(Paragraph(p) for p in _split_paragraphs(self._inlines(el)))
            elif self._link_list(el) and id(el) not in self.skip:
                # the body itself: a box of links inside it is chrome, the body is not
                blocks.extend(self._children(el))
            else:
                blocks.extend(self._block(el))
        return blocks

    def _inlines(self, el: Tag) -> tuple[Inline, ...]:
        return normalise_inlines(raw_inlines(el, self.base, self.language))

    def _is_inline(self, el: Tag) -> bool:
        if el.name in BLOCK_TAGS:
            return False
        if self.stats is not None and id(el) in self.stats.text:
            return id(el) not in self.stats.blocky
        return el.find(list(BLOCK_TAGS)) is None

    def _children(self, el: Tag) -> Iterator[Block]:
        """Blocks from an element's children; loose inline content becomes paragraphs.

        Plain containers (div, section, ...) are entered with a stack rather than by
        recursion, so that a page nested up to the depth cap does not exhaust Python's stack;
        each one's loose text still ends its own paragraph."""
        pending: list[Inline] = []
        stack = [iter(el.children)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                yield from self._flush(pending)
                continue
            if is_text(child):
                pending.append(Text(str(child)))
                continue
            if not isinstance(child, Tag) or id(child) in self.skip:
                continue
            if child.name == "br":
                pending.append(LineBreak())
            elif child.name == "img":
                figure = figure_from(child, self.base, self.local_dir)
                if figure is not None:
                    yield from self._flush(pending)
                    yield figure
            elif self._figure_like(child):
                yield from self._flush(pending)
                figure = figure_from(child, self.base, self.local_dir)
                if figure is not None:
                    yield figure
            elif self._is_inline(child):
                pending.extend(inline_node(child, self.base, self.language))
            else:
                yield from self._flush(pending)
                if child.name in _OWN_BLOCKS or (
                    child.name == "blockquote" and self._quotes < MAX_QUOTE_DEPTH
                ):
                    yield from self._block(child)
                elif not self._link_list(child):
                    stack.append(iter(child.children))

    @staticmethod
    def _flush(pending: list[Inline]) -> Iterator[Block]:
        if pending:
            runs = _split_paragraphs(tuple(pending))
            pending.clear()
            for run in runs:
                yield Paragraph(run)

    def _block(self, el: Tag) -> Iterator[Block]:
        if id(el) in self.skip:
            return
        name = el.name
        if name == "p":
            if contains(el, "img") and len(squash(el.get_text())) < 3:
                figure = figure_from(el, self.base, self.local_dir)
                if figure is not None:
                    yield figure
                return
            yield from (Paragraph(p) for p in _split_paragraphs(self._inlines(el)))
        elif name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            inlines = self._inlines(el)
            if inlines:
                yield Heading(max(2, int(name[1])), inlines)
        elif name in ("ul", "ol", "menu", "dir"):
            lst = self._list(el)
            if lst is not None:
                yield lst
        elif name == "blockquote":
            yield from self._quote(el)
        elif name == "pre":
            text = clean_chars(el.get_text()).strip("\n")
            if text.strip():
                yield Preformatted(text)
        elif name == "table":
            yield from self._table(el)
        elif name in ("figure", "picture"):
            yield from self._figure(el)
        elif name == "hr" or name == "figcaption":
            return
        elif self._figure_like(el):
            figure = figure_from(el, self.base, self.local_dir)
            if figure is not None:
                yield figure
        elif not self._link_list(el):
            yield from self._children(el)

    def _figure(self, el: Tag) -> Iterator[Block]:
        """A picture becomes a Figure; a <figure> wrapping a table or a quote (as
        WordPress blocks do) becomes that table or quote, its caption kept."""
        if not contains(el, "img", "picture", "video"):
            table = el.find("table")
            if isinstance(table, Tag):
                caption_el = el.find("figcaption")
                caption = squash(caption_el.get_text(" ")) if isinstance(caption_el, Tag) else ""
                for block in self._table(table):
                    yield (
                        replace(block, caption=block.caption or caption)
                        if isinstance(block, Table)
                        else block
                    )
                return
            quote = el.find("blockquote")
            if isinstance(quote, Tag):
                yield from self._quote(quote, el.find("figcaption"))
                return
        figure = figure_from(el, self.base, self.local_dir)
        if figure is not None:
            yield figure

    def _quote(self, el: Tag, caption: object = None) -> Iterator[Block]:
        """A blockquote; its <cite> or <footer> (or a figure's caption) is the attribution."""
        source = (
            caption if isinstance(caption, Tag) else el.find(["cite", "footer"], recursive=False)
        )
        attribution = ""
        if isinstance(source, Tag) and len(squash(source.get_text(" "))) < 200:
            attribution = squash(source.get_text(" ")).lstrip("—–- ").strip()
            source.extract()
        self._quotes += 1
        try:
            inner = tuple(self._children(el))
        finally:
            self._quotes -= 1
        if inner:
            yield Quote(inner, attribution)

    def _figure_like(self, el: Tag) -> bool:
        """A picture's box (a caption, a credit, a gallery slide), not a box of prose that a
        slideshow or an image-and-text module holds beside its picture."""
        if not tokens_of(el) & FIGURE_TOKENS:
            return False
        if self.stats is None:
            return True
        if self.stats.text.get(id(el), 0) >= 600:
            return False
        return el.find(_PROSE_BLOCKS) is None or el.find(("img", "picture")) is not None

    def _link_list(self, el: Tag) -> bool:
        """A box of links (related stories, tags) inside the body."""
        if self.stats is None:
            return False
        text = self.stats.text.get(id(el), 0)
        return text > 0 and self.stats.links.get(id(el), 0) / text > 0.6

    def _list(self, el: Tag) -> ListBlock | None:
        items: list[ListItem] = []
        for li in el.find_all("li", recursive=False):
            if id(li) in self.skip:
                continue
            sub = li.find(["ul", "ol"], recursive=False)
            sublist = None
            if isinstance(sub, Tag) and self._lists < MAX_LIST_DEPTH:
                sub.extract()
                self._lists += 1
                try:
                    sublist = self._list(sub)
                finally:
                    self._lists -= 1
            inlines = self._inlines(li)  # a list nested deeper still reads as text
            if inlines or sublist:
                items.append(ListItem(inlines, sublist))
        if not items:
            return None
        return ListBlock(ordered=el.name == "ol", items=tuple(items))

    def _table(self, el: Tag) -> Iterator[Block]:
        rows = [r for r in el.find_all("tr") if r.find_parent("table") is el]
        cells_per_row = [r.find_all(["td", "th"], recursive=False) for r in rows]
        is_data = _is_data_table(el, cells_per_row)
        if not is_data:
            for row in cells_per_row:
                for cell in row:
                    yield from self._children(cell)
            return
        table_rows = []
        for row in cells_per_row:
            cells = tuple(Cell(self._inlines(c), c.name == "th") for c in row)
            if any(c.inlines for c in cells):
                table_rows.append(cells)
        caption_el = el.find("caption")
        caption = squash(caption_el.get_text(" ")) if isinstance(caption_el, Tag) else ""
        if table_rows:
            yield Table(rows=tuple(table_rows), caption=caption)


def _is_data_table(el: Tag, cells_per_row: Sequence[Sequence[Tag]]) -> bool:
    """A table of data rather than a layout grid: header cells or a caption, or a regular
    grid of short cells, and no nested blocks."""
    if el.find(["table", "p", "div", "ul", "ol", "figure", "blockquote"]) is not None:
        return False
    if el.find("th") is not None or el.find("caption") is not None:
        return True
    widths = [len(r) for r in cells_per_row if r]
    if len(widths) < 2 or max(widths) < 2:
        return False
    cells = [c for r in cells_per_row for c in r]
    average = sum(len(c.get_text(strip=True)) for c in cells) / len(cells)
    return average < 80 and widths.count(max(widths)) >= len(widths) * 0.7
