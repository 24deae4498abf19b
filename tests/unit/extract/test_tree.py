"""extract/tree.py: one parse with caps on depth and size, and the bottom-up text counts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newsvoice.errors import TooComplex
from newsvoice.extract.tree import measure, parse_html
from newsvoice.limits import DEFAULT_LIMITS


def test_elements_are_in_document_order_with_the_soup_first() -> None:
    page = parse_html("<html><body><div><p>One</p><p>Two</p></div></body></html>")
    assert page.elements[0] is page.soup
    assert [el.name for el in page.by_name("p")] == ["p", "p"]
    assert [el.get_text() for el in page.by_name("p")] == ["One", "Two"]


def test_nesting_deeper_than_the_cap_is_refused() -> None:
    limits = replace(DEFAULT_LIMITS, max_depth=50)
    with pytest.raises(TooComplex):
        parse_html("<div>" * 200 + "x" + "</div>" * 200, limits)
    assert parse_html("<div>" * 20 + "x" + "</div>" * 20, limits).soup.get_text() == "x"


def test_measure_counts_text_links_and_paragraph_text() -> None:
    page = parse_html(
        "<html><body><div id='main'><p>Twelve chars</p><a href='/'>Link</a></div></body></html>"
    )
    body = page.soup.body
    assert body is not None
    stats = measure(body)
    main = body.find(id="main")
    assert stats.text[id(main)] == len("Twelve chars") + len("Link")
    assert stats.links[id(main)] == len("Link")
    assert stats.ptext[id(main)] == len("Twelve chars")
    assert stats.link_density(main) == pytest.approx(4 / 16)  # type: ignore[arg-type]
    assert id(main) in stats.blocky  # it holds a <p>
