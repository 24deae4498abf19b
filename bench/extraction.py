"""Extraction benchmark: newsvoice beside trafilatura on three corpora, in one run.

Corpora: the Zyte article-extraction benchmark (181 pages, 4-gram body metric), trafilatura's
own evaluation set (990 pages, ~25 languages, "with"/"without" snippets) and the newspaper4k
test articles (body text with the 4-gram metric, and headline, byline, date and language
against their metadata). Both extractors see every page in the same process, one after the
other, after an untimed warm-up: ``newsvoice.extract_article(html, url)`` and
``trafilatura.extract(html, url=url)``. A failure is an error raised, counted and scored as
empty output. newsvoice is scored on what each annotation calls the article: its body for
Zyte (annotated without the standfirst) and newspaper4k, its standfirst and body for the
snippet set (whose snippets include the lead; the body-alone score is printed beside it).
Times are wall-clock per call; read the ratio, not the absolute numbers.

Targets (the extraction issue): trafilatura-eval F1 ≥ 0.935 and recall ≥ trafilatura's, Zyte
F1 ≥ 0.973, newspaper4k body F1 ≥ trafilatura's, ms/page ≤ 1.0× trafilatura's on Zyte and
trafilatura-eval (hard floor 1.5×). Prints PASS or FAIL per target and exits 1 on a FAIL.
"""

from __future__ import annotations

import contextlib
import json
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import trafilatura  # type: ignore[import-untyped]

from bench import newspaper, snippets, zyte

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

TRAFILATURA = f"trafilatura {trafilatura.__version__}"
RATIO_TARGET = 1.0
RATIO_FLOOR = 1.5


def _newsvoice(html: str | bytes, url: str) -> Output:
    from newsvoice import extract_article

    article = extract_article(html, url or None)
    return Output(article.text, snippets.scored_text(article))


def _trafilatura(html: str | bytes, url: str) -> Output:
    text = trafilatura.extract(html, url=url or None) or ""
    return Output(text, text)


@dataclass(frozen=True)
class Output:
    """An extractor's text: the body, and the text the snippet corpus scores (newsvoice's
    standfirst and body; trafilatura returns one text for both)."""

    body: str
    with_lead: str


EXTRACTORS: dict[str, Callable[[str | bytes, str], Output]] = {
    "newsvoice": _newsvoice,
    TRAFILATURA: _trafilatura,
}


@dataclass
class Run:
    outputs: dict[str, str] = field(default_factory=dict)
    with_lead: dict[str, str] = field(default_factory=dict)
    ms: list[float] = field(default_factory=list)
    failures: int = 0


def _run(pages: Sequence[tuple[str, str | bytes, str]]) -> dict[str, Run]:
    """Every extractor on every page (id, html, url), interleaved page by page."""
    for extract in EXTRACTORS.values():
        with contextlib.suppress(Exception):  # the warm-up only loads code and caches
            extract(pages[0][1], pages[0][2])
    runs = {name: Run() for name in EXTRACTORS}
    for page_id, html, url in pages:
        for name, extract in EXTRACTORS.items():
            start = time.perf_counter()
            try:
                out = extract(html, url)
            except Exception:  # noqa: BLE001 - a failure is empty output, as in the metrics
                out = Output("", "")
                runs[name].failures += 1
            runs[name].ms.append((time.perf_counter() - start) * 1000)
            runs[name].outputs[page_id] = out.body
            runs[name].with_lead[page_id] = out.with_lead
    return runs


def _row(name: str, f1: float, p: float, r: float, run: Run) -> str:
    ms = statistics.mean(run.ms)
    return f"{name:<22} {f1:6.3f} {p:6.3f} {r:6.3f} {run.failures:8d} {ms:8.1f}"


HEADER = f"{'extractor':<22} {'F1':>6} {'P':>6} {'R':>6} {'failures':>8} {'ms/page':>8}"


def _ratio(runs: dict[str, Run]) -> float:
    ours, theirs = (statistics.mean(runs[n].ms) for n in EXTRACTORS)
    return ours / theirs


@dataclass
class Verdicts:
    lines: list[tuple[str, bool]] = field(default_factory=list)

    def check(self, what: str, ok: bool) -> None:
        self.lines.append((what, ok))


def zyte_corpus(verdicts: Verdicts) -> None:
    pages = list(zyte.pages())
    runs = _run([(p.id, p.html, p.url) for p in pages])
    truth = {p.id: p.body for p in pages}
    print(f"\nZyte article-extraction benchmark: {len(pages)} pages, 4-word shingles")
    print(HEADER)
    scores = {}
    for name, run in runs.items():
        s = scores[name] = zyte.score(truth, run.outputs)
        print(_row(name, s.f1, s.precision, s.recall, run))
    ratio = _ratio(runs)
    print(f"time ratio newsvoice / trafilatura: {ratio:.2f}x")
    print(f"headline = JSON-LD headline: {_jsonld_headlines(pages)}")
    verdicts.check(
        f"Zyte F1 {scores['newsvoice'].f1:.3f} >= 0.973", scores["newsvoice"].f1 >= 0.973
    )
    _ratio_checks(verdicts, "Zyte", ratio)


def trafilatura_eval(verdicts: Verdicts) -> None:
    pages = {p.id: p for p in snippets.pages()}
    runs = _run([(p.id, p.html, p.url) for p in pages.values()])
    print(f"\ntrafilatura evaluation set: {len(pages)} pages, with/without snippets")
    print(HEADER)
    scores = {}
    for name, run in runs.items():
        s = scores[name] = snippets.score(pages, run.with_lead)
        print(_row(name, s.f1, s.precision, s.recall, run))
    body = snippets.score(pages, runs["newsvoice"].outputs)
    print(
        f"(newsvoice body alone, without its standfirst: F1 {body.f1:.3f} P {body.precision:.3f}"
        f" R {body.recall:.3f})"
    )
    ratio = _ratio(runs)
    print(f"time ratio newsvoice / trafilatura: {ratio:.2f}x")
    ours, theirs = scores["newsvoice"], scores[TRAFILATURA]
    verdicts.check(f"trafilatura-eval F1 {ours.f1:.3f} >= 0.935", ours.f1 >= 0.935)
    verdicts.check(
        f"trafilatura-eval recall {ours.recall:.3f} >= trafilatura's {theirs.recall:.3f}",
        ours.recall >= theirs.recall,
    )
    _ratio_checks(verdicts, "trafilatura-eval", ratio)


def newspaper4k(verdicts: Verdicts) -> None:
    pages = list(newspaper.pages())
    runs = _run([(p.name, p.html, p.url) for p in pages])
    with_text = {p.name: p.body for p in pages if p.body is not None}
    print(f"\nnewspaper4k test articles: {len(with_text)} pages with text, 4-word shingles")
    print(HEADER)
    scores = {}
    for name, run in runs.items():
        s = scores[name] = zyte.score(with_text, run.outputs)
        print(_row(name, s.f1, s.precision, s.recall, run))
    ours, theirs = scores["newsvoice"].f1, scores[TRAFILATURA].f1
    verdicts.check(f"newspaper4k body F1 {ours:.3f} >= trafilatura's {theirs:.3f}", ours >= theirs)
    accuracy = metadata_accuracy(pages)
    print(f"metadata on {accuracy['pages']} annotated pages (newsvoice / trafilatura):")
    for key in ("headline", "byline", "date", "language"):
        mine, other = accuracy[key]
        print(f"  {key:<9} {mine}  /  {other}")
    hits, total = accuracy["headline_counts"]
    verdicts.check(f"newspaper4k headline accuracy {hits}/{total} >= 95%", hits >= 0.95 * total)


def metadata_accuracy(pages: Sequence[newspaper.Page]) -> dict[str, Any]:
    """Headline, byline, date and language accuracy of newsvoice (and of trafilatura's
    metadata, beside it) on the annotated pages."""
    from newsvoice import extract_article
    from newsvoice.errors import NewsvoiceError

    mine = {"headline": 0, "byline": 0, "date": 0, "dated": 0, "language": 0}
    other = {"headline": 0, "byline": 0, "date": 0, "language": 0}
    annotated = [p for p in pages if p.meta]
    for page in annotated:
        meta = page.meta or {}
        try:
            article = extract_article(page.html, page.url or None)
        except NewsvoiceError:
            continue
        mine["headline"] += newspaper.same_headline(meta["title"], article.headline)
        mine["byline"] += newspaper.same_authors(meta.get("authors") or [], list(article.authors))
        day = newspaper.same_day(meta.get("publish_date"), article.published)
        mine["dated"] += day is not None
        mine["date"] += bool(day)
        mine["language"] += newspaper.same_language(meta.get("language", ""), article.language)
        doc = trafilatura.extract_metadata(page.html)
        if doc is not None:
            other["headline"] += newspaper.same_headline(meta["title"], doc.title or "")
            authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
            other["byline"] += newspaper.same_authors(meta.get("authors") or [], authors)
            if meta.get("publish_date") and doc.date:
                other["date"] += doc.date[:10] == meta["publish_date"][:10]
            other["language"] += newspaper.same_language(
                meta.get("language", ""), doc.language or ""
            )
    n = len(annotated)
    dated = mine["dated"]

    def pct(hits: int, total: int) -> str:
        return f"{hits}/{total} ({hits / total:.0%})" if total else "-"

    return {
        "pages": n,
        "headline": (pct(mine["headline"], n), pct(other["headline"], n)),
        "byline": (pct(mine["byline"], n), pct(other["byline"], n)),
        "date": (pct(mine["date"], dated), pct(other["date"], dated)),
        "language": (pct(mine["language"], n), pct(other["language"], n)),
        "headline_counts": (mine["headline"], n),
    }


_LD = re.compile(r"<script[^>]*application/ld\+json[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)


def _ld_headline(html: str) -> str:
    for block in _LD.findall(html):
        try:
            data = json.loads(block)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if isinstance(item.get("headline"), str) and item["headline"].strip():
                    return str(item["headline"])
                stack.extend(v for v in item.values() if isinstance(v, list | dict))
    return ""


def _jsonld_headlines(pages: Sequence[zyte.Page]) -> str:
    """How often newsvoice's headline is the page's JSON-LD headline (a check of the on-page
    choice), over the pages that declare one."""
    from newsvoice import extract_article
    from newsvoice.errors import NewsvoiceError

    hits = total = 0
    for page in pages:
        declared = _ld_headline(page.html)
        if not declared:
            continue
        total += 1
        try:
            got = extract_article(page.html, page.url or None).headline
        except NewsvoiceError:
            continue
        hits += newspaper.norm(declared) == newspaper.norm(got)
    return f"{hits}/{total} pages ({hits / total:.0%})" if total else "no page declares one"


def _ratio_checks(verdicts: Verdicts, corpus: str, ratio: float) -> None:
    verdicts.check(
        f"{corpus} ms/page {ratio:.2f}x <= {RATIO_FLOOR}x (hard floor)", ratio <= RATIO_FLOOR
    )
    verdicts.check(
        f"{corpus} ms/page {ratio:.2f}x <= {RATIO_TARGET}x (target)", ratio <= RATIO_TARGET
    )


def main() -> int:
    verdicts = Verdicts()
    print("Extraction: newsvoice beside " + TRAFILATURA + ", same process, same pages")
    zyte_corpus(verdicts)
    trafilatura_eval(verdicts)
    newspaper4k(verdicts)
    print()
    for what, ok in verdicts.lines:
        print(f"{'PASS' if ok else 'FAIL'}  {what}")
    return 0 if all(ok for _, ok in verdicts.lines) else 1


if __name__ == "__main__":
    sys.exit(main())
