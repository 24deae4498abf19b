"""trafilatura's evaluation set: corpus loader and its snippet metric.

The metric (trafilatura's own, re-implemented): white space is collapsed in snippets and
output; a "with" snippet found in the output is a true positive, one missed a false negative;
a "without" snippet found is a false positive, one absent a true negative. Counts are summed
over all pages and precision, recall and F1 come from the sums; a page whose extraction
fails counts as empty output.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from newsvoice.model import Article

CORPUS = Path(__file__).resolve().parent / "trafilatura_eval"
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    html: bytes
    with_: tuple[str, ...]
    without: tuple[str, ...]


def pages(corpus: Path = CORPUS) -> Iterator[Page]:
    truth = json.loads((corpus / "evaldata.json").read_text("utf-8"))
    for page_id in sorted(truth):
        item = truth[page_id]
        raw = gzip.decompress((corpus / "html" / f"{page_id}.html.gz").read_bytes())
        yield Page(page_id, item["url"], raw, tuple(item["with"]), tuple(item["without"]))


def digest(corpus: Path = CORPUS) -> str:
    """sha256 over the annotations and every page, so a changed corpus is noticed."""
    h = hashlib.sha256((corpus / "evaldata.json").read_bytes())
    for path in sorted((corpus / "html").glob("*.html.gz")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def scored_text(article: Article) -> str:
    """The text this corpus scores: the standfirst and the body. Its "with" snippets are
    drawn from the whole visible article, the lead under the headline included (the text
    trafilatura itself returns), where the Zyte annotation leaves the standfirst out; the
    headline is in neither."""
    return "\n\n".join(t for t in (article.standfirst, article.text) if t)


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.tp + other.tp, self.fp + other.fp, self.fn + other.fn, self.tn + other.tn
        )

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def page_counts(page: Page, output: str) -> Counts:
    text = _norm(output)
    found = sum(_norm(s) in text for s in page.with_)
    leaked = sum(_norm(s) in text for s in page.without)
    return Counts(found, leaked, len(page.with_) - found, len(page.without) - leaked)


def score(corpus: Mapping[str, Page], outputs: Mapping[str, str]) -> Counts:
    total = Counts()
    for page_id, page in corpus.items():
        total += page_counts(page, outputs.get(page_id, ""))
    return total
