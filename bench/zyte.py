"""The Zyte article-extraction benchmark: corpus loader and its body metric.

The metric (the benchmark's own, re-implemented): tokens are ``\\w+`` matches, case kept; a
text becomes the multiset of its 4-token shingles (a text under 4 tokens is one shingle);
per page TP/FP/FN are divided by their sum; precision is the mean per-page precision over
pages with a non-empty prediction (1 when FP = FN = 0), recall the mean per-page recall,
and F1 = 2PR/(P+R) of those two means.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

CORPUS = Path(__file__).resolve().parent / "zyte"
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    html: str
    body: str  # the annotated article body


def pages(corpus: Path = CORPUS) -> Iterator[Page]:
    truth = json.loads((corpus / "ground-truth.json").read_text("utf-8"))
    for page_id, entry in truth.items():
        raw = gzip.decompress((corpus / "html" / f"{page_id}.html.gz").read_bytes())
        yield Page(page_id, entry.get("url", ""), raw.decode("utf-8"), entry["articleBody"])


def digest(corpus: Path = CORPUS) -> str:
    """sha256 over the ground truth and every page, so a changed corpus is noticed."""
    h = hashlib.sha256((corpus / "ground-truth.json").read_bytes())
    for path in sorted((corpus / "html").glob("*.html.gz")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


@dataclass(frozen=True)
class PageScore:
    tp: float
    fp: float
    fn: float

    @property
    def f1(self) -> float:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


def page_score(truth: str, prediction: str) -> PageScore:
    t, p = shingles(truth), shingles(prediction)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    if not total:
        return PageScore(0.0, 0.0, 0.0)
    return PageScore(tp / total, fp / total, fn / total)


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    share_f1_ge_0_9: float
    empty: int
    pages: int


def score(truth: Mapping[str, str], predictions: Mapping[str, str]) -> Score:
    precisions: list[float] = []
    recalls: list[float] = []
    page_f1: list[float] = []
    empty = 0
    for page_id, body in truth.items():
        s = page_score(body, predictions.get(page_id, ""))
        if s.tp + s.fp > 0:
            precisions.append(s.tp / (s.tp + s.fp) if (s.fp or s.fn) else 1.0)
        else:
            empty += 1
        if s.tp + s.fn > 0:
            recalls.append(s.tp / (s.tp + s.fn))
        page_f1.append(s.f1)
    p = statistics.mean(precisions) if precisions else 0.0
    r = statistics.mean(recalls) if recalls else 0.0
    return Score(
        precision=p,
        recall=r,
        f1=2 * p * r / (p + r) if p + r else 0.0,
        share_f1_ge_0_9=sum(f >= 0.9 for f in page_f1) / len(page_f1),
        empty=empty,
        pages=len(truth),
    )


def newsvoice_body(html: str, url: str) -> str:
    """newsvoice's body text for a page, as ``newsvoice extract --json`` gives it."""
    from newsvoice import extract_article
    from newsvoice.errors import NewsvoiceError

    try:
        return extract_article(html, url or None).text
    except NewsvoiceError:
        return ""
