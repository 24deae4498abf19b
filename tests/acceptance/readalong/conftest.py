"""The seed's read-along EPUB, built once per session with the default offline voice, and the
narration it was built from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from newsvoice import load
from newsvoice.render.audio import AudioOptions
from newsvoice.render.bundle import ReadalongResult, render_readalong
from newsvoice.render.epub import EpubOptions

if TYPE_CHECKING:
    from newsvoice.model import Article

REPO = Path(__file__).resolve().parents[3]
SEED_HTML = REPO / "samples" / "csmonitor-kerry-china.html"


@dataclass
class Readalong:
    path: Path
    result: ReadalongResult
    article: Article
    cache: Path


@pytest.fixture(scope="session")
def readalong(tmp_path_factory: pytest.TempPathFactory) -> Readalong:
    directory = tmp_path_factory.mktemp("readalong")
    cache = directory / "cache"
    article = load(str(SEED_HTML))
    path = directory / "seed-readalong.epub"
    result = render_readalong([article], path, EpubOptions(), AudioOptions(cache_dir=cache))
    return Readalong(path, result, article, cache)
