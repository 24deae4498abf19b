"""Property: a book made from hostile pages carries no active or remote content.

Checked on the unpacked XHTML with its own rules, independently of the renderer's
self-check."""

from __future__ import annotations

import zipfile
from typing import TYPE_CHECKING

from hypothesis import HealthCheck, given, settings
from lxml import etree

from newsvoice import extract_article
from newsvoice.errors import NewsvoiceError
from newsvoice.render.epub import EpubOptions, render_epub
from tests.acceptance.property.test_no_active_content import MARK, pages

if TYPE_CHECKING:
    from pathlib import Path

ACTIVE_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "form",
    "input",
    "button",
    "textarea",
    "style",
    "svg",
    "math",
    "template",
    "frame",
    "applet",
    "base",
    "audio",
    "video",
}


def _unpacked_xhtml(book: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(book) as z:
        return {n: z.read(n) for n in z.namelist() if n.endswith((".xhtml", ".opf", ".ncx"))}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(html=pages())
def test_hostile_pages_make_clean_books(html: str, tmp_path: Path) -> None:
    try:
        article = extract_article(html, "https://news.example/story")
    except NewsvoiceError:
        return
    book = tmp_path / "book.epub"
    render_epub([article], book, EpubOptions(cover="none"))
    for name, data in _unpacked_xhtml(book).items():
        assert MARK.encode() not in data, name
        if not name.endswith(".xhtml"):
            continue
        root = etree.fromstring(data)
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            assert etree.QName(el).localname not in ACTIVE_TAGS, name
            for attr, value in el.attrib.items():
                local = etree.QName(attr).localname.lower()
                assert not local.startswith("on"), (name, attr)
                assert local != "style", name
                if local in ("href", "src"):
                    assert value.startswith(
                        ("http://", "https://", "mailto:", "images/", "css/", "article-", "cover")
                    ), (name, value)
