"""The published feed as real podcast clients read it: feedparser (bozo 0, every field),
podcastparser (gPodder: enclosures, durations, chapters) and podcast-partytime (the Podcast
Index parser: podcast:guid, chapters, transcript); enclosure lengths against the files; the
chapters files against the Podcasting 2.0 JSON chapters format."""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import jsonschema
import podcastparser
import pytest
from PIL import Image

from newsvoice.podcast.episode import read_records
from tests.helpers import need

from .conftest import BASE_URL, Site

JS = Path(__file__).resolve().parents[2] / "js"
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "data" / "chapters.schema.json").read_text("utf-8")
)
PODCAST_NS = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")


def local(site: Site, url: str) -> Path:
    assert url.startswith(BASE_URL), url
    return site.root / urlsplit(url).path.removeprefix(urlsplit(BASE_URL).path)


@pytest.fixture(scope="module")
def parsed(site: Site) -> feedparser.FeedParserDict:
    return feedparser.parse((site.root / "feed.xml").read_bytes())


def test_feedparser_reads_it_without_complaint(parsed: feedparser.FeedParserDict) -> None:
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert {
        "http://www.itunes.com/dtds/podcast-1.0.dtd",
        "https://podcastindex.org/namespace/1.0",
        "http://podlove.org/simple-chapters",
        "http://www.w3.org/2005/Atom",
    } <= set(parsed.namespaces.values())


def test_channel_fields(site: Site, parsed: feedparser.FeedParserDict) -> None:
    feed = parsed.feed
    assert feed.title == "Narrated news"
    assert feed.subtitle  # the description
    assert feed.link == BASE_URL
    assert feed.language == "en"
    assert feed.image.href == BASE_URL + "artwork.png"
    assert [t.term for t in feed.tags] == ["News", "Politics"]
    assert feed.publisher_detail == {"name": "News Desk", "email": "desk@example.org"}
    assert feed.itunes_explicit is None  # feedparser's reading of "false"
    assert feed.author_detail.name == "News Desk"  # feedparser lets itunes:owner win
    assert feed.podcast_guid == str(uuid.uuid5(PODCAST_NS, BASE_URL.split("://")[1] + "feed.xml"))
    assert feed.podcast_locked == {"owner": "desk@example.org"}  # feedparser keeps the attributes
    assert feed.updated_parsed is not None  # lastBuildDate
    with Image.open(local(site, feed.image.href)) as art:
        assert art.size[0] == art.size[1]
        assert 1400 <= art.size[0] <= 3000
        assert art.format in ("PNG", "JPEG")


def test_every_item_field(site: Site, parsed: feedparser.FeedParserDict) -> None:
    records = {r.guid: r for r in read_records(site.root)}
    assert len(parsed.entries) == 6 == len(records)
    for entry in parsed.entries:
        record = records[entry.id]
        assert entry.guidislink is False
        assert entry.id == f"urn:uuid:{record.id}"
        assert entry.title == record.headline
        assert entry.link == f"{BASE_URL}episodes/{record.slug}/"
        assert entry.published_parsed is not None
        if record.standfirst:
            assert record.standfirst in entry.summary
        assert record.epub in entry.summary  # the description links the EPUB
        (enclosure,) = entry.enclosures
        assert enclosure.type == "audio/mpeg"
        assert enclosure.href.startswith(BASE_URL)
        assert int(enclosure.length) == local(site, enclosure.href).stat().st_size
        assert int(entry.itunes_duration) == round(record.duration_ms / 1000)
        assert entry.image.href.endswith(".png")
        assert local(site, entry.image.href).is_file()
        assert entry.podcast_chapters["type"] == "application/json+chapters"
        assert local(site, entry.podcast_chapters["url"]).is_file()
        assert entry.podcast_transcript["type"] == "text/vtt"
        assert entry.podcast_transcript["rel"] == "captions"
        assert local(site, entry.podcast_transcript["url"]).read_bytes().startswith(b"WEBVTT")
        assert [c.title for c in entry.psc_chapters.chapters] == [c.title for c in record.chapters]
        epub = [link for link in entry.links if link.get("type") == "application/epub+zip"]
        assert epub
        assert local(site, epub[0].href).stat().st_size == record.epub_bytes
    dates = [e.published_parsed for e in parsed.entries]
    assert dates == sorted(dates, reverse=True)  # newest first


def test_podcastparser_reads_enclosures_durations_and_chapters(site: Site) -> None:
    with (site.root / "feed.xml").open("rb") as handle:
        podcast = podcastparser.parse(BASE_URL + "feed.xml", handle)
    assert podcast["title"] == "Narrated news"
    assert podcast["cover_url"] == BASE_URL + "artwork.png"
    assert podcast["itunes_categories"] == [["News", "Politics"]]
    assert podcast["itunes_author"] == "newsvoice"
    assert podcast["itunes_owner"] == {"name": "News Desk", "email": "desk@example.org"}
    records = {r.guid: r for r in read_records(site.root)}
    assert len(podcast["episodes"]) == 6
    for episode in podcast["episodes"]:
        record = records[episode["guid"]]
        (enclosure,) = episode["enclosures"]
        assert enclosure["mime_type"] == "audio/mpeg"
        assert enclosure["file_size"] == local(site, enclosure["url"]).stat().st_size
        assert episode["total_time"] == round(record.duration_ms / 1000)
        assert [c["title"] for c in episode["chapters"]] == ["Headline", "Standfirst", "Body"][
            : len(record.chapters)
        ]
        # podcastparser truncates chapter starts to whole seconds
        assert [c["start"] for c in episode["chapters"]] == [
            c.start_ms // 1000 for c in record.chapters
        ]


def test_partytime_reports_guid_chapters_and_transcript(site: Site) -> None:
    node = need("node")
    script = JS / "parse_feed.js"
    if not (JS / "node_modules" / "podcast-partytime").is_dir():
        need("podcast-partytime", str(JS / "node_modules" / "podcast-partytime"))
    process = subprocess.run(
        [node, str(script), str(site.root / "feed.xml")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=JS,
        env={"PARTYTIME_LOG": "warn", "PATH": "/usr/bin:/bin"},
    )
    assert process.returncode == 0, process.stderr
    report = json.loads(process.stdout)
    assert report["guid"] == str(uuid.uuid5(PODCAST_NS, BASE_URL.split("://")[1] + "feed.xml"))
    assert report["locked"] is True
    assert {"locked", "transcript", "chapters"} <= set(report["pc20"]["1"])
    assert "guid" in report["pc20"]["3"]
    assert report["categories"] == ["News > Politics"]
    records = {r.guid: r for r in read_records(site.root)}
    assert len(report["items"]) == 6
    for item in report["items"]:
        record = records[item["guid"]]
        assert item["enclosure"]["length"] == record.audio_bytes
        assert item["duration"] == round(record.duration_ms / 1000)
        assert item["chapters"]["url"].endswith(record.chapters_file)
        assert item["chapters"]["type"] == "application/json+chapters"
        (transcript,) = item["transcripts"]
        assert transcript["url"].endswith(record.transcript)
        assert transcript["type"] == "text/vtt"
        # the synthetic voice, disclosed: the narrator, and a sentence saying so
        (narrator,) = item["people"]
        assert (narrator["role"], narrator["group"]) == ("Narrator", "Cast")  # the taxonomy
        assert narrator["name"] == f"{record.voice} (synthetic voice)"
        assert item["txt"] == [
            {"value": f"Read by a synthetic voice ({record.voice}).", "purpose": "synthetic-voice"}
        ]
    assert report["txt"] == [
        {"value": "Episodes are read by a synthetic voice.", "purpose": "synthetic-voice"}
    ]


def test_chapters_files_follow_the_json_chapters_format(site: Site) -> None:
    for record in read_records(site.root):
        path = site.root / "episodes" / record.slug / record.chapters_file
        data = json.loads(path.read_bytes())
        jsonschema.validate(data, SCHEMA)
        starts = [c["startTime"] for c in data["chapters"]]
        assert starts == sorted(starts)
        assert data["fileName"] == record.audio
        assert [round(c["startTime"] * 1000) for c in data["chapters"]] == [
            c.start_ms for c in record.chapters
        ]


def test_feed_check_finds_nothing(site: Site) -> None:
    from newsvoice.podcast.check import check_site

    assert check_site(site.root) == []
