"""Batch throughput: 30 corpus articles through `newsvoice batch --out` (extract, EPUB,
narration), each run with an empty sentence cache, side by side in one run:
`--jobs 1`, `--jobs 2`, and a Dask LocalCluster of two single-threaded worker processes
(`--scheduler`). Prints seconds, articles per minute and the speed-ups over --jobs 1.
Exits 1 if --jobs 2 is under 1.7× --jobs 1 on a machine with at least 2 cores.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.zyte import pages
from newsvoice import extract_article

ARTICLES = 30
TARGET = 1.7


def corpus(folder: Path) -> int:
    """The 30 shortest English corpus pages with 150 words or more, written as files."""
    chosen = []
    for page in pages():
        article = extract_article(page.html, page.url)
        if article.language.startswith("en") and article.word_count >= 150:
            chosen.append((article.word_count, page))
    chosen.sort(key=lambda pair: (pair[0], pair[1].id))
    words = 0
    for count, page in chosen[:ARTICLES]:
        (folder / f"{page.id[:12]}.html").write_text(page.html, "utf-8")
        words += count
    return words


def run(sources: Path, work: Path, name: str, *extra: str) -> float:
    env = {k: v for k, v in os.environ.items() if k != "NEWSVOICE_SCHEDULER"}
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "newsvoice", "batch", str(sources), "--out", str(work / name),
         "--cache", str(work / f"{name}-cache"), "--json", *extra],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"batch {name} failed with exit code {done.returncode}")
    return seconds


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="newsvoice-bench-batch-") as scratch:
        work = Path(scratch)
        sources = work / "articles"
        sources.mkdir()
        words = corpus(sources)
        one = run(sources, work, "jobs1", "--jobs", "1")
        two = run(sources, work, "jobs2", "--jobs", "2")
        from distributed import LocalCluster

        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=None, silence_logs=40,
        ) as cluster:  # fmt: skip
            dask = run(sources, work, "cluster", "--scheduler", cluster.scheduler_address)
    cores = os.cpu_count() or 1
    print(f"Batch benchmark: {ARTICLES} corpus articles ({words:,} words), extract + EPUB + MP3")
    for label, seconds in (
        ("--jobs 1", one),
        ("--jobs 2", two),
        ("Dask LocalCluster, 2 workers", dask),
    ):
        print(
            f"  {label:<30} {seconds:6.1f} s  {ARTICLES * 60 / seconds:5.1f} articles/min  "
            f"{one / seconds:4.2f}× --jobs 1"
        )
    passed = cores < 2 or one / two >= TARGET
    print(f"--jobs 2 over --jobs 1: {one / two:.2f}× (target ≥ {TARGET}× on {cores} cores)")
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
