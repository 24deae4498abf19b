"""Extraction benchmark: newsvoice against trafilatura on the Zyte corpus, in one run.

Both extractors see every page in the same process, one after the other, after an untimed
warm-up; times are wall-clock per call (``extract_article`` in-process for newsvoice,
``trafilatura.extract(html, url=url, include_comments=False)`` for trafilatura, the
reference configuration that scores 0.960). Absolute times vary with the machine's load;
the ratio is what to read. Prints a table and exits 1 if newsvoice is slower than 3×
trafilatura or its F1 is below trafilatura's.
"""

from __future__ import annotations

import statistics
import sys
import time
from typing import TYPE_CHECKING

import trafilatura  # type: ignore[import-untyped]

from bench import zyte

if TYPE_CHECKING:
    from collections.abc import Callable

MAX_RATIO = 3.0


def _trafilatura(html: str, url: str) -> str:
    return trafilatura.extract(html, url=url or None, include_comments=False) or ""


EXTRACTORS: dict[str, Callable[[str, str], str]] = {
    "newsvoice": zyte.newsvoice_body,
    f"trafilatura {trafilatura.__version__}": _trafilatura,
}


def main() -> int:
    pages = list(zyte.pages())
    truth = {p.id: p.body for p in pages}
    for extract in EXTRACTORS.values():
        extract(pages[0].html, pages[0].url)  # warm-up: imports, caches
    predictions: dict[str, dict[str, str]] = {name: {} for name in EXTRACTORS}
    times: dict[str, list[float]] = {name: [] for name in EXTRACTORS}
    for page in pages:
        for name, extract in EXTRACTORS.items():
            start = time.perf_counter()
            predictions[name][page.id] = extract(page.html, page.url)
            times[name].append((time.perf_counter() - start) * 1000)

    print(f"Zyte article-extraction benchmark: {len(pages)} pages, body text, 4-word shingles")
    print(
        f"{'extractor':<22} {'F1':>6} {'P':>6} {'R':>6} {'F1>=.9':>7} {'ms mean':>8} "
        f"{'ms median':>10}"
    )
    scores = {}
    for name in EXTRACTORS:
        s = scores[name] = zyte.score(truth, predictions[name])
        print(
            f"{name:<22} {s.f1:6.3f} {s.precision:6.3f} {s.recall:6.3f} "
            f"{s.share_f1_ge_0_9:7.0%} {statistics.mean(times[name]):8.1f} "
            f"{statistics.median(times[name]):10.1f}"
        )
    ours, theirs = EXTRACTORS
    ratio = statistics.mean(times[ours]) / statistics.mean(times[theirs])
    median_ratio = statistics.median(times[ours]) / statistics.median(times[theirs])
    print(
        f"time ratio newsvoice / trafilatura: {ratio:.2f}x mean, {median_ratio:.2f}x median "
        f"(limit {MAX_RATIO:.0f}x)"
    )
    print(f"F1 difference: {scores[ours].f1 - scores[theirs].f1:+.3f}")
    failed = ratio > MAX_RATIO or scores[ours].f1 < scores[theirs].f1
    print("FAIL" if failed else "PASS")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
