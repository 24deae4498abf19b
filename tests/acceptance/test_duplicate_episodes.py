"""Publishing (podcast/duplicates.py): one article is one episode. The seed's page and its
text copy (both in ``samples/``) publish as one episode, in either order and in one run or
two, dated by the page and keeping the first guid; the copy left out is reported."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import feedparser
import pytest

from newsvoice.podcast.episode import read_records
from tests.acceptance.podcast.conftest import BASE_URL, ROOT, publish, results

if TYPE_CHECKING:
    from pathlib import Path

SAMPLES = ROOT / "samples"
PAGE = SAMPLES / "csmonitor-kerry-china.html"
TEXT = SAMPLES / "seed-kerry-china.txt"
VOICE = ("--voice", "espeak")  # a real engine, and the quickest: what is tested is the site


def _publish(site: Path, *sources: Path, cache: Path) -> list[dict[str, object]]:
    return results(
        publish(
            *sources, "--site", site, "--base-url", BASE_URL, *VOICE, "--cache", cache, "--json"
        )
    )


def _feed_check(site: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "newsvoice", "feed", "check", str(site)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One sentence cache for the module: the seed's sentences are spoken once."""
    return tmp_path_factory.mktemp("cache")


def test_publishing_the_samples_makes_one_episode_per_article(tmp_path: Path, cache: Path) -> None:
    site = tmp_path / "site"
    out = _publish(site, SAMPLES, cache=cache)
    statuses = sorted(str(r["status"]) for r in out)
    assert statuses == ["added", "added", "added", "duplicate"]
    (duplicate,) = (r for r in out if r["status"] == "duplicate")
    assert str(duplicate["source"]).endswith("seed-kerry-china.txt")
    (page,) = (r for r in out if r["status"] == "added" and r["slug"] == duplicate["slug"])
    assert duplicate["guid"] == page["guid"]
    records = read_records(site)
    assert len(records) == 3
    seed = next(r for r in records if r.slug == duplicate["slug"])
    assert seed.url is not None  # the page's copy: canonical URL and its own date
    assert seed.published.year == 2016
    entries = feedparser.parse((site / "feed.xml").read_bytes()).entries
    assert len(entries) == 3
    assert sum("N. Korea" in e.title for e in entries) == 1
    _feed_check(site)

    again = _publish(site, TEXT, cache=cache)  # the copy alone, later: still one episode
    assert [(r["status"], r["slug"]) for r in again] == [("duplicate", seed.slug)]
    assert len(read_records(site)) == 3


def test_the_page_published_after_its_text_copy_updates_that_episode(
    tmp_path: Path, cache: Path
) -> None:
    site = tmp_path / "site"
    (first,) = _publish(site, TEXT, cache=cache)
    assert first["status"] == "added"
    (second,) = _publish(site, PAGE, cache=cache)
    assert second["status"] == "updated"
    assert (second["guid"], second["slug"]) == (first["guid"], first["slug"])
    (record,) = read_records(site)
    assert record.url is not None
    assert record.published.year == 2016  # the page's date, not the day the copy came
    _feed_check(site)
