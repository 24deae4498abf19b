"""Extraction: a page's bytes → one ``Article``.

``fetch`` gets a URL's bytes; ``decode`` makes text of bytes; ``tree`` parses it once;
``metadata`` reads JSON-LD, OpenGraph and the on-page header; ``clean`` (with ``rules`` and
``data/rules.toml``) removes chrome; ``content`` finds the body; ``blocks`` turns it into model
blocks; ``article`` orchestrates them (``extract_article``). ``plaintext`` reads the plain-text
shape (``extract_text``). ``urls``, ``dates`` and ``language`` are their helpers.
"""

from __future__ import annotations

from .article import extract_article
from .plaintext import extract_text

__all__ = ["extract_article", "extract_text"]
