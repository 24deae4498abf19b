"""Helpers for the EPUB tests: books built from the samples and the corpus, and the real
checkers that judge them.

The checkers (EPUBCheck on Java, DAISY Ace and epub.js on Chromium) are installed by
`make test`. When a checker is missing the test is skipped locally, but with
NEWSVOICE_REQUIRE_TOOLS=1 (set by `make test` and so by CI) a missing checker fails.
"""

from __future__ import annotations

import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from newsvoice.render.epub import EpubOptions, RenderResult, render_epub

if TYPE_CHECKING:
    from newsvoice.model import Article

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "samples"
JS = REPO / "tests" / "js"
ARTIFACTS = REPO / "tests" / "artifacts"
SEED_HTML = SAMPLES / "csmonitor-kerry-china.html"
MULTILINGUAL = REPO / "tests" / "data" / "multilingual"
XHTML = "{http://www.w3.org/1999/xhtml}"
CORPUS_PAGES = 20


@dataclass
class Book:
    path: Path
    result: RenderResult
    articles: list[Article]

    def members(self) -> dict[str, bytes]:
        with zipfile.ZipFile(self.path) as z:
            return {name: z.read(name) for name in z.namelist()}

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.members()[name])

    def chapters(self) -> dict[str, etree._Element]:
        return {
            name: etree.fromstring(data)
            for name, data in self.members().items()
            if name.startswith("EPUB/article-") and name.endswith(".xhtml")
        }


def build(directory: Path, name: str, articles: list[Article], **options: object) -> Book:
    path = directory / name
    result = render_epub(articles, path, EpubOptions(**options))  # type: ignore[arg-type]
    return Book(path, result, articles)


def run(
    command: list[str], timeout: int = 180, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )
