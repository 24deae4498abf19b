"""Publishing again: idempotent, a corrected article keeps its guid and re-synthesises only
what changed; a damaged feed is never overwritten; removal takes item and files out."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import feedparser
import pytest

from newsvoice.errors import ExitStatus
from newsvoice.podcast.episode import read_records

from .conftest import BASE_URL, SEED_HTML, Site, publish, results

if TYPE_CHECKING:
    from pathlib import Path

OLD = (
    "In addition to being Pyongyang’s closet ally, Beijing is its chief trading partner and a "
    "key source of economic assistance."
)
NEW = (
    "In addition to being Pyongyang’s closest ally, Beijing is its chief trading partner. It "
    "is also a key source of economic assistance."
)


@pytest.fixture
def copy(site: Site, tmp_path: Path) -> Path:
    """A private copy of the session's site, for tests that change it."""
    target = tmp_path / "site"
    shutil.copytree(site.root, target)
    return target


def items(root: Path) -> dict[str, feedparser.FeedParserDict]:
    parsed = feedparser.parse((root / "feed.xml").read_bytes())
    assert parsed.bozo == 0
    return {entry.id: entry for entry in parsed.entries}


def test_republishing_all_six_changes_nothing(site: Site, copy: Path) -> None:
    before = items(copy)
    feed_bytes = (copy / "feed.xml").read_bytes()
    again = results(publish(*site.sources, "--site", copy, "--cache", site.cache, "--json"))
    assert [r["status"] for r in again] == ["unchanged"] * 6
    assert sum(r["engine_calls"] for r in again) == 0
    assert items(copy).keys() == before.keys()
    assert len(before) == 6
    assert (copy / "feed.xml").read_bytes() == feed_bytes  # not even lastBuildDate moved


def test_a_corrected_article_keeps_its_guid(site: Site, copy: Path, tmp_path: Path) -> None:
    before = items(copy)
    html = SEED_HTML.read_text("utf-8")
    assert OLD in html
    edited = tmp_path / "seed.html"
    edited.write_text(html.replace(OLD, NEW), "utf-8")
    (result,) = results(publish(edited, "--site", copy, "--cache", site.cache, "--json"))
    assert result["status"] == "updated"
    assert result["engine_calls"] == 2  # the edited paragraph's two sentences, nothing else
    assert result["cache_hits"] > 20
    after = items(copy)
    assert after.keys() == before.keys()  # same six guids
    guid = str(result["guid"])
    old, new = before[guid].enclosures[0], after[guid].enclosures[0]
    assert new.href != old.href
    assert new.length != old.length
    audio = copy / "episodes" / str(result["slug"]) / new.href.rsplit("/", 1)[1]
    assert int(new.length) == audio.stat().st_size
    assert not (copy / "episodes" / str(result["slug"]) / old.href.rsplit("/", 1)[1]).exists()
    for other in set(before) - {guid}:
        assert after[other].enclosures == before[other].enclosures
    (record,) = [r for r in read_records(copy) if r.guid == guid]
    assert any("closest ally" in line.text for line in record.lines)


@pytest.mark.parametrize(
    "damage",
    [
        b"<rss><channel><title>half",
        b"",
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "x">]><rss/>',
    ],
    ids=["truncated", "empty", "doctype"],
)
def test_a_damaged_feed_is_never_overwritten(site: Site, copy: Path, damage: bytes) -> None:
    (copy / "feed.xml").write_bytes(damage)
    listing = sorted(p.relative_to(copy) for p in copy.rglob("*"))
    process = publish(SEED_HTML, "--site", copy, "--cache", site.cache)
    assert process.returncode == ExitStatus.SITE, process.stderr
    assert process.stderr.count("\n") == 1
    assert process.stderr.startswith("error: ")
    assert "Traceback" not in process.stderr
    assert (copy / "feed.xml").read_bytes() == damage
    assert sorted(p.relative_to(copy) for p in copy.rglob("*")) == listing


def test_remove_takes_out_the_item_and_its_files(site: Site, copy: Path) -> None:
    from tests.helpers import run_newsvoice

    record = read_records(copy)[0]
    process = run_newsvoice("feed", "remove", copy, record.id)
    assert process.returncode == 0, process.stderr
    assert record.guid not in items(copy)
    assert len(items(copy)) == 5
    assert not (copy / "episodes" / record.slug).exists()
    assert record.slug not in (copy / "index.html").read_text("utf-8")
    again = run_newsvoice("feed", "remove", copy, record.id)
    assert again.returncode == ExitStatus.USAGE
    check = run_newsvoice("feed", "check", copy)
    assert check.returncode == 0, check.stdout + check.stderr


def test_feed_check_reports_a_wrong_enclosure_length(copy: Path) -> None:
    from tests.helpers import run_newsvoice

    record = read_records(copy)[0]
    with (copy / "episodes" / record.slug / record.audio).open("ab") as audio:
        audio.write(b"\0" * 10)
    process = run_newsvoice("feed", "check", copy)
    assert process.returncode == ExitStatus.SITE
    assert f"enclosure length {record.audio_bytes} but the file has" in process.stdout


def test_first_publish_needs_a_base_url(tmp_path: Path) -> None:
    process = publish(SEED_HTML, "--site", tmp_path / "new")
    assert process.returncode == ExitStatus.USAGE
    assert "--base-url" in process.stderr
    assert not (tmp_path / "new" / "feed.xml").exists()


def test_base_url_must_be_http(tmp_path: Path) -> None:
    process = publish(SEED_HTML, "--site", tmp_path / "new", "--base-url", "javascript:alert(1)")
    assert process.returncode == ExitStatus.USAGE
    assert BASE_URL not in process.stderr
