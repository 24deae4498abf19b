"""newsvoice: turn a news article into accessible editions.

Library API::

    import newsvoice
    article = newsvoice.load("page.html")          # a path, "-", or an http(s) URL
    article = newsvoice.extract_article(html, url)  # HTML as str or bytes
    article.to_dict(); newsvoice.Article.from_dict(data)
    newsvoice.render_epub([article], "book.epub", newsvoice.EpubOptions())
"""

from __future__ import annotations

from .errors import ExitStatus, NewsvoiceError
from .extract import extract_article
from .load import Options, load, load_many
from .model import Article
from .plaintext import extract_text
from .render.epub import EpubOptions, RenderResult, render_epub
from .version import __version__

__all__ = [
    "Article",
    "EpubOptions",
    "ExitStatus",
    "NewsvoiceError",
    "Options",
    "RenderResult",
    "__version__",
    "extract_article",
    "extract_text",
    "load",
    "load_many",
    "render_epub",
]
