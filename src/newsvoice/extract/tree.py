"""Parse HTML once (BeautifulSoup with lxml) and measure the tree.

``measure`` makes one bottom-up pass and records, per element, how much text it holds, how
much of that is link text and how much sits in paragraphs: the numbers cleaning and
main-content detection decide by.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Any, TypeGuard

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag, XMLParsedAsHTMLWarning
from bs4.builder._lxml import LXMLTreeBuilder
from bs4.element import NavigableString

from ..errors import NoContentFound, TooComplex
from ..limits import DEFAULT_LIMITS, Limits

# Elements that start a new block of text; everything else is inline.
BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "caption",
        "html",
        "noscript",
        "picture",
    }
)


@dataclass(slots=True)
class Page:
    """A parsed page and its elements in document order (the soup itself first)."""

    soup: BeautifulSoup
    elements: list[Tag]

    def by_name(self, *names: str) -> list[Tag]:
        wanted = set(names)
        return [el for el in self.elements if el.name in wanted]


_SURROGATE = re.compile("[\ud800-\udfff]")


class _CappedBuilder(LXMLTreeBuilder):
    """BeautifulSoup's lxml HTML builder, counting elements and nesting as they arrive and
    stopping the parse (TooComplex) the moment a limit is passed. Measuring the finished tree
    instead let a 10 MB page of "<i>" take 45 s and 1.6 GB before it was refused."""

    def __init__(self, limits: Limits) -> None:
        super().__init__()
        self.limits = limits
        self.count = 0
        self.depth = 0

    def start(self, tag: Any, attrib: Any, nsmap: Any = None) -> None:
        self.count += 1
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise TooComplex(
                f"document nests elements more than {self.limits.max_depth} deep",
                hint="this is not a normal article page",
            )
        if self.count > self.limits.max_nodes:
            raise TooComplex(
                f"document has more than {self.limits.max_nodes:,} elements",
                hint="this is not a normal article page",
            )
        super().start(tag, attrib, {} if nsmap is None else nsmap)

    def end(self, tag: Any) -> None:
        self.depth -= 1
        super().end(tag)


def parse_html(html: str, limits: Limits = DEFAULT_LIMITS) -> Page:
    """Parse with lxml and refuse documents that nest too deeply or have too many elements."""
    if _SURROGATE.search(html):  # lone surrogates (a str from JSON or a caller): lxml refuses
        html = html.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    with warnings.catch_warnings():
        # bs4 warns on stderr about XML-looking or URL-looking input; we judge it ourselves
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html, builder=_CappedBuilder(limits))
    elements: list[Tag] = [soup]
    depth: dict[int, int] = {id(soup): 0}
    for el in soup.find_all(True):
        level = depth.get(id(el.parent), 0) + 1
        if level > limits.max_depth:
            raise TooComplex(
                f"document nests elements more than {limits.max_depth} deep",
                hint="this is not a normal article page",
            )
        depth[id(el)] = level
        elements.append(el)
        if len(elements) > limits.max_nodes:
            raise TooComplex(
                f"document has more than {limits.max_nodes:,} elements",
                hint="this is not a normal article page",
            )
    if soup.body is None:
        raise NoContentFound("input has no HTML body")
    return Page(soup, elements)


def is_text(node: object) -> TypeGuard[NavigableString]:
    """A plain text node (not a comment, CDATA, doctype or processing instruction)."""
    return type(node) is NavigableString


@dataclass(slots=True)
class TreeStats:
    """Per-element counts keyed by ``id(tag)``: characters of text, of link text, in <p>s."""

    text: dict[int, int]
    links: dict[int, int]
    ptext: dict[int, int]
    elements: list[Tag]  # document order, root first
    blocky: set[int]  # elements that contain a block-level element

    def link_density(self, el: Tag) -> float:
        total = self.text.get(id(el), 0)
        return self.links.get(id(el), 0) / total if total else 0.0


def measure(root: Tag, elements: list[Tag] | None = None) -> TreeStats:
    """Bottom-up counts for ``root`` and its descendants (``elements``, if already listed)."""
    if elements is None:
        elements = [root, *root.find_all(True)]
    text: dict[int, int] = {}
    links: dict[int, int] = {}
    ptext: dict[int, int] = {}
    blocky: set[int] = set()
    for el in reversed(elements):
        t = lk = pt = 0
        has_block = False
        for child in el.contents:
            if type(child) is NavigableString:
                t += len(child.strip())
            elif isinstance(child, Tag):
                key = id(child)
                t += text.get(key, 0)
                lk += links.get(key, 0)
                pt += ptext.get(key, 0)
                if not has_block and (child.name in BLOCK_TAGS or key in blocky):
                    has_block = True
        key = id(el)
        text[key] = t
        links[key] = t if el.name == "a" else lk
        ptext[key] = t if el.name == "p" else pt
        if has_block:
            blocky.add(key)
    return TreeStats(text, links, ptext, elements, blocky)


PROSE = 80  # characters: a paragraph this long, with few links, is running text
_LEAF_TEXT = frozenset({"div", "section", "article", "main", "span", "font", "center", "li", "td"})


def prose_mass(stats: TreeStats) -> dict[int, int]:
    """Characters of running text (paragraphs of PROSE characters or more, few links) under
    each element."""
    mass: dict[int, int] = {}
    for el in reversed(stats.elements):
        key = id(el)
        total = 0
        for child in el.contents:
            if isinstance(child, Tag):
                total += mass.get(id(child), 0)
        if el.name == "p" or (el.name in _LEAF_TEXT and key not in stats.blocky):
            length = stats.text.get(key, 0)
            if length >= PROSE and stats.link_density(el) < 0.3 and not _teaser(el, stats):
                total = max(total, length)
        mass[key] = total
    return mass


def _teaser(el: Tag, stats: TreeStats) -> bool:
    """A story's summary in a list of other stories: cut short, or beside its title link."""
    text = el.get_text().rstrip()
    if text.endswith(("...", "…")):
        return True
    parent = el.parent
    return isinstance(parent, Tag) and stats.link_density(parent) >= 0.2
