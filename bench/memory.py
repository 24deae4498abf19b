"""Peak memory of narration: `newsvoice audio` on the seed and on an article ten times as
long (the seed's body repeated ten times, so the warm cache makes it quick), each in its own
process; the peak resident set size of each (from wait4), side by side. Exits 1 if the long
article needs more than 1.5× the seed's peak.
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


def long_article(folder: Path) -> Path:
    html = SEED.read_text("utf-8")
    start = html.index("<p>US Secretary of State John Kerry")
    end = html.index("</p>", html.index('<p>"Sanctions are not an end')) + 4
    body = html[start:end]
    path = folder / "long.html"
    path.write_text(html[:start] + body * 10 + html[end:], "utf-8")
    return path


def peak_mb(source: Path, out: Path, cache: Path) -> tuple[float, float]:
    """(peak RSS in MB, audio minutes) of one `newsvoice audio` process."""
    process = subprocess.Popen(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "newsvoice", "audio", str(source), "-o", str(out),
         "--cache", str(cache), "--jobs", "1"],
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
    ratio = long_mb / seed_mb
    print("Memory benchmark: peak resident memory of `newsvoice audio` (warm cache)")
    print(f"  seed article        {seed_min:5.1f} min of audio  {seed_mb:7.0f} MB")
    print(f"  ten times as long   {long_min:5.1f} min of audio  {long_mb:7.0f} MB")
    print(f"ratio {ratio:.2f} (target ≤ {TARGET})")
    print("PASS" if ratio <= TARGET else "FAIL")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
