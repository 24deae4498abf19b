"""``newsvoice publish --daisy --braille``: the DAISY book and the braille file join the
episode's downloads on its page and in the feed, the site still checks, a second publish
changes nothing, and one without the flags takes them away again. eSpeak NG speaks."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import feedparser
import pytest
from lxml import html

from newsvoice.podcast.check import check_site
from newsvoice.render.daisycheck import check
from tests.helpers import need, run_newsvoice

REPO = Path(__file__).resolve().parents[3]
SEED = REPO / "samples" / "csmonitor-kerry-china.html"
BASE = "http://127.0.0.1:8000/news/"

pytestmark = pytest.mark.slow


def publish(site: Path, *flags: str) -> dict[str, object]:
    done = run_newsvoice("publish", SEED, "--site", site, "--base-url", BASE, "--voice",
                         "espeak", "--cache", site.parent / "cache", "--json", *flags)  # fmt: skip
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_an_episode_offers_the_daisy_book_and_braille(tmp_path: Path) -> None:
    need("espeak-ng")
    need("lou_translate (liblouis-bin)", shutil.which("lou_translate"))
    site = tmp_path / "site"
    first = publish(site, "--daisy", "--braille")
    assert first["status"] == "added"
    (folder,) = (site / "episodes").iterdir()
    record = json.loads((folder / "episode.json").read_text("utf-8"))
    book, braille = folder / record["daisy"], folder / record["braille"]
    assert check(book, {"a001.mp3": record["duration_ms"]}) == []
    with zipfile.ZipFile(book) as archive:
        assert archive.namelist()[0] == f"{folder.name}/ncc.html"  # a folder named as the page
        ncc = archive.read(archive.namelist()[0]).decode("utf-8")
    assert "a braille file" in ncc  # its accessibility summary names the other editions
    with zipfile.ZipFile(folder / record["epub"]) as epub:
        assert "a DAISY 2.02 talking book" in epub.read("EPUB/content.opf").decode("utf-8")
    page = html.fromstring((folder / "index.html").read_bytes())
    downloads = page.get_element_by_id("downloads").getparent()
    hrefs = [a.get("href") for a in downloads.iter("a")]
    assert record["daisy"] in hrefs
    assert record["braille"] in hrefs
    entry = feedparser.parse((site / "feed.xml").read_bytes()).entries[0]
    related = {link["href"]: link for link in entry.links if link.get("rel") == "related"}
    url = f"{BASE}episodes/{folder.name}/"
    assert int(related[url + record["daisy"]]["length"]) == book.stat().st_size
    assert related[url + record["braille"]]["type"] == "application/x-brf"
    assert [f for f in check_site(site) if f.level == "error"] == []

    assert publish(site, "--daisy", "--braille")["status"] == "unchanged"
    plain = publish(site)  # without them: the episode is rebuilt and they are gone
    assert plain["status"] == "updated"
    assert plain["engine_calls"] == 0
    assert not book.exists()
    assert not braille.exists()
    assert "daisy" not in json.loads((folder / "episode.json").read_text("utf-8"))
    assert [f for f in check_site(site) if f.level == "error"] == []
