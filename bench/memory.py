"""Peak memory of narration, each run in its own process, the peak resident set size of
each (from wait4) side by side:

1. `newsvoice audio` on the seed and on an article ten times as long (the seed's body
   repeated ten times, so the warm cache makes it quick);
2. an edition (one MP3) of 20 articles and one of 200: the shortest English pages of
   trafilatura's evaluation set and the Zyte corpus with 100 words or more, read by
   espeak-ng (the engine does not change what newsvoice holds, and espeak makes 200
   articles quick to narrate), both with a warm cache.

Exits 1 if the long article or the 200-article edition needs more than 1.5× the peak of the
short one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "samples" / "csmonitor-kerry-china.html"
TARGET = 1.5
WORDS = 100  # the edition's articles: the shortest English pages of at least this many words


def long_article(folder: Path) -> Path:
    html = SEED.read_text("utf-8")
    start = html.index("<p>US Secretary of State John Kerry")
    end = html.index("</p>", html.index('<p>"Sanctions are not an end')) + 4
    body = html[start:end]
    path = folder / "long.html"
    path.write_text(html[:start] + body * 10 + html[end:], "utf-8")
    return path


def edition(folder: Path, count: int) -> Path:
    """A folder of the ``count`` shortest English pages of trafilatura's evaluation set and
    the Zyte corpus with at least WORDS words."""
    from itertools import chain

    from bench import snippets, zyte
    from newsvoice import extract_article
    from newsvoice.errors import NewsvoiceError

    folder.mkdir()
    chosen = []
    for page in chain(snippets.pages(), zyte.pages()):
        try:
            article = extract_article(page.html, page.url)
        except NewsvoiceError:
            continue
        if article.language.startswith("en") and article.word_count >= WORDS:
            chosen.append((article.word_count, page.id, page.html))
    if len(chosen) < count:
        raise SystemExit(f"only {len(chosen)} pages for an edition of {count}")
    for number, (_, _, html) in enumerate(sorted(chosen)[:count]):  # the shortest
        data = html if isinstance(html, bytes) else html.encode("utf-8")
        (folder / f"{number:04d}.html").write_bytes(data)
    return folder


def peak_mb(source: Path, out: Path, cache: Path, *extra: str) -> tuple[float, float]:
    """(peak RSS in MB, audio minutes) of one `newsvoice audio` process."""
    process = subprocess.Popen(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "newsvoice", "audio", str(source), "-o", str(out),
         "--cache", str(cache), "--jobs", "1", *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"newsvoice audio failed on {source}")
    command = ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0"]
    probe = subprocess.run(  # noqa: S603 - ffprobe from PATH on our own output
        [*command, str(out)], capture_output=True, text=True, check=True
    )
    return usage.ru_maxrss / 1024, float(probe.stdout) / 60


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="newsvoice-bench-memory-") as scratch:
        work = Path(scratch)
        cache = work / "cache"
        long = long_article(work)
        peak_mb(SEED, work / "warm.mp3", cache)  # warm the cache for both
        seed_mb, seed_min = peak_mb(SEED, work / "seed.mp3", cache)
        long_mb, long_min = peak_mb(long, work / "long.mp3", cache)
        big = edition(work / "edition-200", 200)
        small = work / "edition-20"
        small.mkdir()
        for path in sorted(big.iterdir())[:20]:
            (small / path.name).write_bytes(path.read_bytes())
        voice = ("--voice", "espeak")
        peak_mb(big, work / "warm-200.mp3", cache, *voice)  # warm the cache for both
        small_mb, small_min = peak_mb(small, work / "edition-20.mp3", cache, *voice)
        big_mb, big_min = peak_mb(big, work / "edition-200.mp3", cache, *voice)
    ratio = long_mb / seed_mb
    editions = big_mb / small_mb
    print("Memory benchmark: peak resident memory of `newsvoice audio` (warm cache)")
    print(f"  seed article             {seed_min:6.1f} min of audio  {seed_mb:7.0f} MB")
    print(f"  ten times as long        {long_min:6.1f} min of audio  {long_mb:7.0f} MB")
    print(f"  ratio {ratio:.2f} (target ≤ {TARGET})")
    print(f"  edition of 20 articles   {small_min:6.1f} min of audio  {small_mb:7.0f} MB  (espeak)")
    print(f"  edition of 200 articles  {big_min:6.1f} min of audio  {big_mb:7.0f} MB  (espeak)")
    print(f"  ratio {editions:.2f} (target ≤ {TARGET})")
    passed = ratio <= TARGET and editions <= TARGET
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
