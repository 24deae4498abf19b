"""render/epub.py: what the package says about the article."""

from __future__ import annotations

import zipfile
from pathlib import Path

from newsvoice.extract import extract_article
from newsvoice.render.epub import render_epub

COMPLETENESS = Path(__file__).parents[2] / "data" / "completeness"


def _opf(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        name = next(n for n in book.namelist() if n.endswith(".opf"))
        return book.read(name).decode()


def test_an_incomplete_articles_accessibility_summary_says_so(tmp_path: Path) -> None:
    article = extract_article((COMPLETENESS / "next-page.html").read_bytes())
    render_epub([article], tmp_path / "a.epub")
    opf = _opf(tmp_path / "a.epub")
    assert "may not hold the whole article" in opf
    assert "continues on another page" in opf


def test_a_complete_articles_summary_does_not(tmp_path: Path) -> None:
    samples = Path(__file__).parents[3] / "samples"
    article = extract_article((samples / "localnews-council-budget.html").read_bytes())
    render_epub([article], tmp_path / "b.epub")
    assert "may not hold the whole article" not in _opf(tmp_path / "b.epub")
