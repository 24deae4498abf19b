"""Parse HTML once (lxml, built into a BeautifulSoup tree) and measure the tree.

``measure`` makes one bottom-up pass and records, per element, how much text it holds, how
much of that is link text and how much sits in paragraphs: the numbers cleaning and
main-content detection decide by.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeGuard

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

from ..errors import NoContentFound
from ..limits import DEFAULT_LIMITS, Limits
from .soup import build_soup

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

    def following(self, el: Tag) -> list[Tag]:
        """The elements after ``el`` in document order (its own descendants first), as
        ``find_all_next(True)`` finds them, from the list rather than by walking the tree."""
        for i, candidate in enumerate(self.elements):
            if candidate is el:
                return self.elements[i + 1 :]
        return []


def parse_html(html: str, limits: Limits = DEFAULT_LIMITS) -> Page:
    """Parse with lxml and refuse documents that nest too deeply or have too many elements."""
    soup, elements = build_soup(html, limits)
    if soup.body is None:
        raise NoContentFound("input has no HTML body")
    return Page(soup, elements)


def contains(el: Tag, *names: str) -> bool:
    """Whether ``el`` has a descendant element with one of ``names``: ``find`` without the
    cost of building a search filter, for checks made on every paragraph."""
    return any(type(node) is Tag and node.name in names for node in el.descendants)


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
