"""Publish time per episode as a site grows: one new article published (`newsvoice publish`,
a new process, its sentences already in the cache) into sites of 10, 500 and 2,000 episodes,
side by side in one run.

The sites are made from one real published episode: its folder copied N times (the media
hard-linked) with records that differ in id, slug and date, then settled by one publish that
renders every page. The timed publish is the next one: what a newsroom's daily run costs on
a site of that size. Exits 1 if the 2,000-episode publish takes more than 1.5× the
10-episode one (a step that re-reads or re-renders every episode shows as growth).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIRST = REPO / "samples" / "localnews-council-budget.html"
SETTLE = REPO / "samples" / "csmonitor-kerry-china.html"
TIMED = REPO / "samples" / "science-explainer.html"
SIZES = (10, 500, 2000)
TARGET = 1.5
BASE_URL = "https://podcast.example.org/"


def publish(site: Path, cache: Path, source: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "newsvoice", "publish", str(source), "--site", str(site),
         "--cache", str(cache), "--base-url", BASE_URL, "--json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"publish failed: {done.stderr[-1500:]}")
    return seconds


def grow(template: Path, site: Path, count: int) -> None:
    """``site``: the template site with its one episode copied to make ``count``."""
    shutil.copytree(template, site, copy_function=os.link)
    episodes = site / "episodes"
    (folder,) = episodes.iterdir()
    record = json.loads((folder / "episode.json").read_text("utf-8"))
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for number in range(1, count):
        slug = f"{record['slug'][:40]}-{number:04d}"
        copy = episodes / slug
        copy.mkdir()
        for path in folder.iterdir():
            if path.name not in ("episode.json", "index.html", "embed.html", "oembed.json"):
                os.link(path, copy / path.name)
        when = (start + timedelta(hours=number)).isoformat()
        fields = {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench-episode-{number}")),
            "slug": slug,
            "headline": f"{record['headline']} ({number})",
            "published": when,
            "updated": when,
        }
        data = json.dumps({**record, **fields}, ensure_ascii=False, indent=1) + "\n"
        (copy / "episode.json").write_text(data, "utf-8")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="newsvoice-bench-publish-") as scratch:
        work = Path(scratch)
        cache = work / "cache"
        template = work / "template"
        publish(template, cache, FIRST)
        warm = work / "warm"  # every article's sentences into the cache, untimed
        for source in (SETTLE, TIMED):
            publish(warm, cache, source)
        seconds = {}
        for count in SIZES:
            site = work / f"site-{count}"
            grow(template, site, count)
            publish(site, cache, SETTLE)  # renders every page once
            seconds[count] = publish(site, cache, TIMED)
            shutil.rmtree(site)
    print("Publish benchmark: one new article (cached narration) into a site of N episodes")
    for count, taken in seconds.items():
        print(
            f"  {count:>5,} episodes  {taken:6.2f} s  "
            f"{taken / seconds[SIZES[0]]:4.2f}× the {SIZES[0]}-episode site"
        )
    ratio = seconds[SIZES[-1]] / seconds[SIZES[0]]
    passed = ratio <= TARGET
    print(f"  ratio {SIZES[-1]:,} / {SIZES[0]}: {ratio:.2f} (target <= {TARGET})")
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
