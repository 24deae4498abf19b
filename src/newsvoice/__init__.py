"""newsvoice: turn a news article into accessible editions.

Library API::

    import newsvoice
    article = newsvoice.load("page.html")          # a path, "-", or an http(s) URL
    article = newsvoice.extract_article(html, url)  # HTML as str or bytes
    article.to_dict(); newsvoice.Article.from_dict(data)
    newsvoice.render_epub([article], "book.epub", newsvoice.EpubOptions())
    newsvoice.render_audio([article], "episode.mp3", newsvoice.AudioOptions())

The renderers are imported when first used, so that extracting an article does not load
the EPUB or audio stacks.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import ExitStatus, NewsvoiceError
from .extract import extract_article, extract_text
from .model import Article
from .sources import Options, load, load_many
from .version import __version__

if TYPE_CHECKING:
    from .podcast.publish import Published, PublishOptions, publish
    from .render.audio import AudioOptions, AudioResult, render_audio
    from .render.epub import EpubOptions, RenderResult, render_epub

_LAZY = {
    "EpubOptions": "newsvoice.render.epub",
    "RenderResult": "newsvoice.render.epub",
    "render_epub": "newsvoice.render.epub",
    "AudioOptions": "newsvoice.render.audio",
    "AudioResult": "newsvoice.render.audio",
    "render_audio": "newsvoice.render.audio",
    "PublishOptions": "newsvoice.podcast.publish",
    "Published": "newsvoice.podcast.publish",
    "publish": "newsvoice.podcast.publish",
}

__all__ = [
    "Article",
    "AudioOptions",
    "AudioResult",
    "EpubOptions",
    "ExitStatus",
    "NewsvoiceError",
    "Options",
    "PublishOptions",
    "Published",
    "RenderResult",
    "__version__",
    "extract_article",
    "extract_text",
    "load",
    "load_many",
    "publish",
    "render_audio",
    "render_epub",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newsvoice' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
