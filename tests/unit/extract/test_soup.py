"""The one-pass soup is the tree BeautifulSoup's own lxml builder makes, node for node."""

from __future__ import annotations

import itertools
import re
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from bs4.element import Comment, Doctype, NavigableString, Script

from newsvoice.errors import NewsvoiceError, TooComplex
from newsvoice.extract.decode import decode_bytes
from newsvoice.extract.soup import build_soup
from newsvoice.limits import DEFAULT_LIMITS

ROOT = Path(__file__).resolve().parents[3]
PAGES = sorted((ROOT / "tests").rglob("*.html")) + sorted((ROOT / "samples").rglob("*.html"))


def _reference(html: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return BeautifulSoup(html, "lxml")


def _signature(soup: BeautifulSoup, loose: bool = False) -> list[Any]:
    """Every node with its class, name, attributes and text, and the links between nodes.

    The two documented differences are left out: white space after ``</html>`` (a trailing
    white-space-only string) and the value of a valueless attribute. ``loose`` also leaves
    out what differs around a misplaced doctype (one inside the page, or with an internal
    subset of entity declarations, as hostile pages have): the Doctype node itself and the
    white space around it."""
    nodes = list(soup.descendants)
    if loose:
        nodes = [
            n
            for n in nodes
            if not isinstance(n, Doctype) and not (type(n) is NavigableString and not n.strip())
        ]
    while nodes and type(nodes[-1]) is NavigableString and not nodes[-1].strip():
        nodes.pop()
    out: list[Any] = []
    for node in nodes:
        if isinstance(node, Tag):
            attrs = tuple(
                (k, tuple(v) if isinstance(v, list) else ("" if v in ("", k) else v))
                for k, v in node.attrs.items()
            )
            out.append(("tag", node.name, attrs, node.can_be_empty_element))
            out.append(sorted(t.__name__ for t in node.interesting_string_types or ()))
        else:
            out.append((type(node).__name__, " ".join(str(node).split()) if loose else str(node)))
    for before, after in itertools.pairwise(nodes):
        if loose:
            break
        if before.next_element is not after or after.previous_element is not before:
            out.append(("broken element link", str(before)[:40]))
        if before.next_sibling is not None and before.next_sibling.previous_sibling is not before:
            out.append(("broken sibling link", str(before)[:40]))
    return out


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_fixture_page_gives_the_reference_tree(path: Path) -> None:
    try:
        html = decode_bytes(path.read_bytes()).text
    except NewsvoiceError:  # empty, binary, a PDF: refused before parsing
        return
    soup, elements = build_soup(html, DEFAULT_LIMITS)
    reference = _reference(html)
    misplaced = any(
        isinstance(n, Doctype) and n.parent is not reference for n in reference.descendants
    )
    loose = misplaced or re.search(r"<!doctype[^>]*\[", html, re.I) is not None
    assert _signature(soup, loose) == _signature(reference, loose)
    assert elements == [soup, *soup.find_all(True)]


@pytest.mark.parametrize(
    "html",
    [
        "<p class=' a  b\tc'>x</p><a rel='nofollow noopener' href='/x'>y</a>",
        "<script>if (a < b) { x = '</p>' }</script><style>p{}</style><template><p>t</p></template>",
        "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>",
        "<pre>  two\n\n  lines  </pre><p>   </p><div>\n\n</div><textarea>  </textarea>",
        "<!-- first --><!DOCTYPE html><!-- second --><html><body><p>x</p></body></html>",
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><p>x</p>',
        "<?xml version='1.0'?><p>pi</p>",
        "<html><body><p>in</p></body></html><p>after the end</p><!-- c -->",
        "<meta charset='windows-1252'><meta http-equiv='Content-Type' content='text/html'><p>é</p>",
        "<table><tr><td>cell<td>cell</table><ul><li>one<li>two</ul>",
        "text with no element &amp; an entity &copy;",
        "<svg><title>t</title><path d='M0 0'/></svg><math><mi>x</mi></math>",
    ],
)
def test_the_tree_matches_for_awkward_markup(html: str) -> None:
    soup, _ = build_soup(html, DEFAULT_LIMITS)
    assert _signature(soup) == _signature(_reference(html))


def test_strings_have_the_class_of_their_container() -> None:
    soup, _ = build_soup("<script>var a = 1;</script><p>t<!--c--></p>", DEFAULT_LIMITS)
    assert soup.script is not None
    assert type(soup.script.string) is Script
    assert soup.p is not None
    assert [type(c) for c in soup.p.contents] == [NavigableString, Comment]
    assert soup.get_text() == "t"  # BeautifulSoup leaves script text out of get_text


def test_the_doctype_is_kept_and_a_processing_instruction_is_a_comment() -> None:
    soup, _ = build_soup("<!DOCTYPE html><p>x</p>", DEFAULT_LIMITS)
    assert isinstance(soup.contents[0], Doctype)
    assert str(soup.contents[0]) == "html"
    soup, _ = build_soup("<p>x<?php echo 1 ?></p>", DEFAULT_LIMITS)
    assert soup.p is not None
    assert [type(c) for c in soup.p.contents] == [NavigableString, Comment]  # as HTML parses it


def test_a_byte_order_mark_lone_surrogates_and_empty_input_are_survived() -> None:
    soup, _ = build_soup("\ufeff<p>x</p>", DEFAULT_LIMITS)
    assert soup.get_text() == "x"
    soup, _ = build_soup("<p>a\ud800b</p>", DEFAULT_LIMITS)
    assert soup.get_text() == "ab"
    soup, elements = build_soup("", DEFAULT_LIMITS)
    assert elements == [soup]
    assert not soup.contents


def test_the_element_and_depth_limits_stop_the_walk() -> None:
    limits = replace(DEFAULT_LIMITS, max_nodes=50, max_depth=20)
    build_soup("<p>x</p>" * 40, limits)
    with pytest.raises(TooComplex, match="more than 50 elements"):
        build_soup("<p>x</p>" * 60, limits)
    build_soup("<div>" * 15 + "x", limits)
    with pytest.raises(TooComplex, match="more than 20 deep"):
        build_soup("<div>" * 30 + "x", limits)
