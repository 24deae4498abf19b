"""Fixtures of the fault tests: two fork servers, a short article in two versions, the fake
engine's preset, a warm sentence cache and the old outputs every fault starts from.

Every CLI run goes through the fork servers (``forkserver.py``): real processes running
``newsvoice.cli.main`` from the start, without paying Python's import time each time.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from lxml import etree

from newsvoice.render.check import check_epub

from .harness import Run, Servers

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

# A short article (6 spoken sentences, 21 s with the fake engine) in two versions: the
# correction changes two sentences, so the new narration needs two engine calls.
ARTICLE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{headline} | Coast Times</title>
<link rel="canonical" href="https://news.example.org/2026/11/{slug}">
<meta property="og:site_name" content="Coast Times">
<meta name="description" content="{standfirst}">
<meta property="article:published_time" content="2026-11-20T08:00:00Z">
</head>
<body>
<article>
<h1>{headline}</h1>
<p class="standfirst">{standfirst}</p>
<p class="byline">By Ana Ruiz</p>
<p>The harbour ferry will carry passengers again from Monday, the port authority said on
Thursday.</p>
<p>The first crossing leaves the town pier at {time} in the morning. Fares stay the same until
the end of the year, and children under {age} travel free.</p>
</article>
</body>
</html>
"""
FERRY = {
    "headline": "Harbour ferry returns after three months of repairs",
    "slug": "harbour-ferry-returns",
    "standfirst": "The island service resumes on Monday with a new engine and a shorter timetable.",
}
V1 = ARTICLE.format(**FERRY, time="seven", age="twelve")
V2 = ARTICLE.format(**FERRY, time="half past six", age="five")
OTHER = ARTICLE.format(
    headline="Library opens a late reading room for students",
    slug="library-late-room",
    standfirst="The town library will stay open until midnight during the exam weeks.",
    time="eight",
    age="ten",
)
SENTENCES = 6  # spoken units of each version (headline, standfirst, byline, 3 sentences)
CHANGED = 2  # sentences of V2 that V1 does not have
FAKE_PRESET = """\
description = "the fake engine's tone, for fault tests"
engine = "fake"
voice = "tone"
language = "auto"
speed = 1.0
lexicons = ["en"]
[pauses]
sentence = 300
paragraph = 700
heading = 900
chapter = 1200
lead_in = 300
tail = 800
"""
BASE_URL = "http://127.0.0.1:8000/podcast/"
OLD_EPOCH = "1795000000"  # SOURCE_DATE_EPOCH of the first publish
NEW_EPOCH = "1795090000"  # and of the update: the feed's dates are fixed, so its bytes are too
# `newsvoice audio` as the tests run it: transcript and chapters, the voices' own sample rate
# (encoding is half the work of 44.1 kHz)
AUDIO_OPTIONS = ("--transcript", "vtt", "--chapters-json", "--sample-rate", "24000")
MP3_FILES = ("ep.mp3", "ep.vtt", "ep.chapters.json")
TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # the atomic writer's and encoder's temp files


@dataclass(frozen=True)
class Work:
    """The shared inputs and the old outputs (read-only: tests copy what they change)."""

    root: Path
    v1: Path
    v2: Path
    other: Path
    voice: Path  # the fake engine's preset
    cache: Path  # V1's and OTHER's sentences: V2 misses CHANGED of its SENTENCES
    old: Path  # book.epub and ep.mp3/.vtt/.chapters.json made from V1
    old_audio: dict[str, Any]  # `audio --json` of the old MP3
    site: Path  # V1 and OTHER published (OLD_EPOCH)

    def audio_args(self, source: Path, output: str = "out/ep.mp3") -> list[str]:
        return ["audio", str(source), "-o", output, "--voice", str(self.voice), *AUDIO_OPTIONS]

    def publish_args(self, *sources: Path, site: str = "site") -> list[str]:
        return ["publish", *map(str, sources), "--site", site, "--voice", str(self.voice)]


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    pool = Servers(tmp_path_factory.mktemp("servers"))
    try:
        yield pool
    finally:
        pool.close()


def ok(run: Run) -> Run:
    assert run.status == 0, run.stderr
    return run


@pytest.fixture(scope="session")
def work(tmp_path_factory: pytest.TempPathFactory, servers: Servers) -> Work:
    root = tmp_path_factory.mktemp("faults")
    for name, text in (("v1.html", V1), ("v2.html", V2), ("other.html", OTHER)):
        (root / name).write_text(text, "utf-8")
    voice = root / "fake.toml"
    voice.write_text(FAKE_PRESET, "utf-8")
    work = Work(root, root / "v1.html", root / "v2.html", root / "other.html", voice,
                root / "cache", root / "old", {}, root / "site")  # fmt: skip
    (root / "old").mkdir()
    audio = ok(servers.run([*work.audio_args(work.v1, "old/ep.mp3"), "--cache", "cache",
                            "--json"], root))  # fmt: skip
    work.old_audio.update(audio.json()[0])
    ok(servers.run(["epub", work.v1, "-o", "old/book.epub"], root))
    init = ["feed", "init", "site", "--owner-name", "News Desk", "--owner-email",
            "desk@example.org", "--category", "News", "--base-url", BASE_URL]  # fmt: skip
    ok(servers.run(init, root))
    ok(servers.run([*work.publish_args(work.v1, work.other), "--cache", "cache"], root,
                   env={"SOURCE_DATE_EPOCH": OLD_EPOCH}))  # fmt: skip
    return work


# --- what the checks share ------------------------------------------------------------------


def files(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` (relative path → bytes)."""
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def strays(directory: Path, keep: set[str]) -> list[str]:
    """Names in ``directory`` that are neither in ``keep`` nor temp files."""
    return [p.name for p in directory.iterdir() if p.name not in keep and not TEMP.match(p.name)]


def temps(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob(".*.tmp"))


def cache_entries(cache: Path) -> set[str]:
    """The names of the cache's entries, after checking that each is a whole 16-bit WAV."""
    names = set()
    for path in cache.glob("*/*.wav"):
        with wave.open(str(path), "rb") as wav:
            frames = wav.getnframes()
            assert wav.getsampwidth() == 2, path
            assert frames > 0, path
            assert len(wav.readframes(frames)) == 2 * frames, path
        names.add(path.name)
    return names


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.cache
def epub_findings(data: bytes) -> tuple[str, ...]:
    """The book's own self-check (zip, mimetype first and stored, XML, ids, no active
    content), once per distinct content."""
    return tuple(check_epub(data))


_durations: dict[str, float] = {}


def mp3_seconds(data: bytes, scratch: Path) -> float:
    """What ffprobe says the MP3 lasts (once per distinct content)."""
    key = digest(data)
    if key not in _durations:
        with tempfile.NamedTemporaryFile(dir=scratch, suffix=".mp3") as file:
            file.write(data)
            file.flush()
            done = subprocess.run(
                ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json",
                 file.name],
                capture_output=True, text=True, timeout=60, check=True,
            )  # fmt: skip
        _durations[key] = float(json.loads(done.stdout)["format"]["duration"])
    return _durations[key]


FEED_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
NAMED = re.compile(r"-([0-9a-f]{10})\.(?:readalong\.epub|epub|mp3|vtt|chapters\.json|png)$")


def feed_items(data: bytes) -> dict[str, etree._Element]:
    """guid → item, after checking that the feed parses and declares no DTD."""
    root = etree.fromstring(data, FEED_PARSER)
    assert root.tag == "rss"
    assert root.getroottree().docinfo.doctype == ""
    return {(item.findtext("guid") or "").strip(): item for item in root.iter("item")}


def check_site_files(site: Path, feed: bytes) -> None:
    """Every enclosure the feed names exists with the stated length; every file named by
    its content (``<slug>-<sha256[:10]>.<ext>``) holds that content, so none is half
    written; every episode record parses and names files that exist."""
    for guid, item in feed_items(feed).items():
        enclosure = item.find("enclosure")
        assert enclosure is not None, guid
        path = site / enclosure.get("url", "").removeprefix(BASE_URL)
        assert path.stat().st_size == int(enclosure.get("length", "-1")), path
    for path in (site / "episodes").rglob("*"):
        named = NAMED.search(path.name)
        if named and not path.name.startswith("."):
            assert digest(path.read_bytes())[:10] == named.group(1), path
    for record in (site / "episodes").glob("*/episode.json"):
        data = json.loads(record.read_text("utf-8"))
        for key in ("audio", "epub", "transcript", "chapters_file", "image"):
            assert (record.parent / data[key]).is_file(), (record, key)
