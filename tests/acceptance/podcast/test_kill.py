"""A publisher killed (SIGKILL) at steps across an update, and at random times:
afterwards feed.xml parses, keeps every item it had, and every enclosure it names exists
with the length it states; a rerun completes. Two publishers at once lose no item."""

from __future__ import annotations

import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import feedparser
import pytest

from newsvoice.podcast.check import check_site

from .conftest import ROOT, SEED_HTML, Killer, Site, publish, results, update_sources

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

NEW_ARTICLE = ROOT / "samples" / "localnews-council-budget.html"
OTHER_ARTICLE = ROOT / "samples" / "science-explainer.html"


def feed_state(root: Path) -> dict[str, tuple[str, int]]:
    """guid → (enclosure URL, length), after checking that the feed parses and that every
    enclosure is a file of the site with exactly the stated length."""
    parsed = feedparser.parse((root / "feed.xml").read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    state = {}
    for entry in parsed.entries:
        (enclosure,) = entry.enclosures
        name = enclosure.href.split("/podcast/", 1)[1]
        path = root / name
        assert path.stat().st_size == int(enclosure.length), name
        state[entry.id] = (enclosure.href, int(enclosure.length))
    return state


@pytest.fixture(scope="module")
def killers() -> Iterator[list[Killer]]:
    """Two servers: two killed publishers at a time on two cores."""
    servers = [Killer(), Killer()]
    yield servers
    for server in servers:
        server.close()


def run_killed(
    killer: Killer, point: int, site: Path, cache: Path, *sources: Path
) -> subprocess.CompletedProcess[str]:
    argv = ["publish", *map(str, sources), "--site", str(site), "--cache", str(cache),
            "--jobs", "1"]  # fmt: skip
    return killer.run(point, argv)


@pytest.fixture(scope="module")
def update(
    site: Site, killers: list[Killer], tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[Path], int]:
    """The update under test (a short published article corrected, and a new short one) and
    its number of kill points, counted by an uninterrupted run on a scratch copy with a warm
    cache. Short articles keep each of the many killed runs quick."""
    work = tmp_path_factory.mktemp("kill")
    sources = update_sources(work)
    counts = []
    for attempt in range(2):  # the first run warms the cache; the second is the one to count
        scratch = work / f"scratch-{attempt}"
        shutil.copytree(site.root, scratch)
        process = run_killed(killers[0], 0, scratch, site.cache, *sources)
        assert process.returncode == 0, process.stderr
        counts.append(int(process.stderr.rsplit("kill-points: ", 1)[1]))
    return sources, counts[-1]


def test_killed_at_steps_across_the_update(
    site: Site, update: tuple[list[Path], int], killers: list[Killer], tmp_path: Path
) -> None:
    """Five points spread evenly over the run, the last among them (faults/test_kill.py
    kills a publish at every point from the lock on; this is the same on a larger site)."""
    sources, points = update
    assert points >= 30
    chosen = sorted({*range(points // 5, points + 1, points // 5), points})
    before = feed_state(site.root)

    def kill_at(point: int) -> None:
        copy = tmp_path / f"site-{point}"
        shutil.copytree(site.root, copy)
        killer = free.get()  # a server no other thread is using
        try:
            process = run_killed(killer, point, copy, site.cache, *sources)
        finally:
            free.put(killer)
        assert process.returncode == -signal.SIGKILL, (point, process.stderr)
        after = feed_state(copy)
        assert before.keys() <= after.keys(), point
        shutil.rmtree(copy)

    free: queue.Queue[Killer] = queue.Queue()
    for killer in killers:
        free.put(killer)
    with ThreadPoolExecutor(2) as pool:  # two cores: two killed publishers at a time
        list(pool.map(kill_at, chosen))


def test_a_rerun_after_a_kill_completes(
    site: Site, update: tuple[list[Path], int], killers: list[Killer], tmp_path: Path
) -> None:
    sources, points = update
    rng = random.Random(5)  # noqa: S311 - test sampling, not secrets
    for point in rng.sample(range(1, points + 1), 1):
        copy = tmp_path / f"site-{point}"
        shutil.copytree(site.root, copy)
        killed = run_killed(killers[0], point, copy, site.cache, *sources)
        assert killed.returncode == -signal.SIGKILL
        rerun = publish(*sources, "--site", copy, "--cache", site.cache, "--json")
        assert len(results(rerun)) == 2
        assert len(feed_state(copy)) == 7  # the six, and the new one
        assert [f for f in check_site(copy) if f.level == "error"] == [], point


def test_killed_at_random_moments(site: Site, tmp_path: Path) -> None:
    rng = random.Random(11)  # noqa: S311 - test sampling, not secrets
    before = feed_state(site.root)
    for attempt in range(3):
        copy = tmp_path / f"site-{attempt}"
        shutil.copytree(site.root, copy)
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        process = subprocess.Popen(
            [sys.executable, "-m", "newsvoice", "publish", str(OTHER_ARTICLE), str(SEED_HTML),
             "--site", str(copy), "--cache", str(site.cache)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )  # fmt: skip
        time.sleep(rng.uniform(0.3, 6.0))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        after = feed_state(copy)
        assert before.keys() <= after.keys()


def test_two_publishers_at_once_lose_nothing(site: Site, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site.root, copy)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newsvoice",
                "publish",
                str(article),
                "--site",
                str(copy),
                "--cache",
                str(site.cache),
                "--json",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for article in (NEW_ARTICLE, OTHER_ARTICLE)
    ]
    for run in runs:
        _, err = run.communicate(timeout=600)
        assert run.returncode == 0, err
    state = feed_state(copy)
    assert len(state) == 8
    assert feed_state(site.root).keys() <= state.keys()
    assert [f for f in check_site(copy) if f.level == "error"] == []
