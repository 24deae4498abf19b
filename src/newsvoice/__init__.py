"""newsvoice: turn a news article into accessible editions.

Library API::

    import newsvoice
    article = newsvoice.load("page.html")          # a path, "-", or an http(s) URL
    article = newsvoice.extract_article(html, url)  # HTML as str or bytes
    article.to_dict(); newsvoice.Article.from_dict(data)
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .errors import ExitStatus, NewsvoiceError
from .extract import extract_article
from .load import Options, load, load_many
from .model import Article
from .plaintext import extract_text

try:
    __version__ = version("newsvoice")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "Article",
    "ExitStatus",
    "NewsvoiceError",
    "Options",
    "__version__",
    "extract_article",
    "extract_text",
    "load",
    "load_many",
]
