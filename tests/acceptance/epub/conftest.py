"""Session fixtures: the books under test and the checkers that judge them (see books.py)."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import pytest

from bench import zyte
from newsvoice import extract_article, load
from tests.acceptance.epub.books import (
    CORPUS_PAGES,
    JS,
    MULTILINGUAL,
    SAMPLES,
    SEED_HTML,
    Book,
    build,
)
from tests.helpers import need

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(scope="session")
def books_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("books")


@pytest.fixture(scope="session")
def seed_book(books_dir: Path) -> Book:
    return build(books_dir, "seed.epub", [load(str(SEED_HTML))])


@pytest.fixture(scope="session")
def samples_book(books_dir: Path) -> Book:
    """Every sample: text and HTML, tables, lists, quotes, a local chart image."""
    articles = [load(str(p)) for p in sorted(SAMPLES.glob("*.html"))]
    articles.append(load(str(SAMPLES / "seed-kerry-china.txt")))
    return build(books_dir, "samples.epub", articles, title="newsvoice samples")


@pytest.fixture(scope="session")
def quote_book(books_dir: Path) -> Book:
    """An English article quoting Spanish, French and Arabic, marked with lang."""
    return build(books_dir, "quotes.epub", [load(str(MULTILINGUAL / "quote-es.html"))])


@pytest.fixture(scope="session")
def edition_book(books_dir: Path) -> Book:
    """The seed plus 20 real pages of the Zyte corpus: an edition of 21 articles."""
    pages = list(zyte.pages())[:CORPUS_PAGES]
    articles = [load(str(SEED_HTML)), *(extract_article(p.html, p.url) for p in pages)]
    return build(books_dir, "edition.epub", articles, title="Edition test")


@pytest.fixture(scope="session")
def epubjs_script(chromium: str) -> str:
    need("node", shutil.which("node"))
    need("epub.js (npm epubjs)", str(JS / "node_modules/epubjs/dist/epub.min.js"))
    return str(JS / "epubjs_render.js")
