"""The seed's read-along EPUB: EPUBCheck, Ace and our timing lint find nothing; every body
sentence is a timed clip that matches its synthesised sentence; the audio at random clips
says the span's words (Whisper); building after `newsvoice audio` costs no engine calls."""

from __future__ import annotations

import io
import itertools
import json
import random
import subprocess
import sys
import zipfile
from typing import TYPE_CHECKING

import jiwer
import pytest
from lxml import etree

from newsvoice.narration.cache import SegmentCache
from newsvoice.narration.narrate import NarrationOptions, plan_voices
from newsvoice.narration.normalize import normalize
from newsvoice.narration.presets import preset_lexicon
from newsvoice.narration.script import build_script
from newsvoice.narration.synth import Job, synthesize
from newsvoice.render.overlay import lint, seconds
from tests.acceptance.audio.tools import transcribe, words
from tests.acceptance.epub.books import run

from .conftest import SEED_HTML, Readalong

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow
SMIL = "{http://www.w3.org/ns/SMIL}"
OPF = "{http://www.idpf.org/2007/opf}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def members(book: Readalong) -> dict[str, bytes]:
    with zipfile.ZipFile(book.path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def pars(book: Readalong) -> list[tuple[str, int, int]]:
    """(target id, clipBegin ms, clipEnd ms) of every par, in document order."""
    smil = etree.fromstring(members(book)["EPUB/article-001.smil"])
    out = []
    for par in smil.iter(f"{SMIL}par"):
        text, audio = par.find(f"{SMIL}text"), par.find(f"{SMIL}audio")
        assert text is not None
        assert audio is not None
        out.append(
            (
                text.get("src", "").split("#")[1],
                round(seconds(audio.get("clipBegin", "")) * 1000),
                round(seconds(audio.get("clipEnd", "")) * 1000),
            )
        )
    return out


def spans(book: Readalong) -> dict[str, str]:
    page = etree.fromstring(members(book)["EPUB/article-001.xhtml"])
    return {
        str(el.get("id")): " ".join("".join(el.itertext()).split())
        for el in page.iter()
        if el.get("id")
    }


def test_epubcheck_finds_nothing(readalong: Readalong, epubcheck_jar: str, tmp_path: Path) -> None:
    report = tmp_path / "epubcheck.json"
    done = run(
        ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", epubcheck_jar,
         str(readalong.path), "-u", "--json", str(report)]
    )  # fmt: skip
    data = json.loads(report.read_text("utf-8"))
    checker = data["checker"]
    messages = [(m["severity"], m["ID"], m["message"]) for m in data["messages"]]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"], checker["nUsage"]) == (
        0, 0, 0, 0,
    ), messages  # fmt: skip
    assert done.returncode == 0


def test_ace_finds_no_violations(
    readalong: Readalong, ace_cli: str, chromium: str, tmp_path: Path
) -> None:
    out = tmp_path / "ace"
    done = run(
        ["env", f"PUPPETEER_EXECUTABLE_PATH={chromium}", ace_cli, "-E", "-s", "-f", "-o",
         str(out), str(readalong.path)]
    )  # fmt: skip
    report = json.loads((out / "report.json").read_text("utf-8"))
    violations = [
        (item["earl:test"]["dct:title"], item["earl:result"].get("dct:description"))
        for doc in report["assertions"]
        for item in doc.get("assertions", [])
    ]
    assert violations == []
    assert done.returncode == 0, done.stdout + done.stderr


def test_our_timing_lint_finds_nothing(readalong: Readalong, tmp_path: Path) -> None:
    audio_ms = {"EPUB/audio/article-001.mp3": readalong.result.book.overlays["duration_ms"]}
    # the lint is also run by every build; here with the decoded length of the real MP3
    mp3 = tmp_path / "book.mp3"  # decoded from a file: ffmpeg then drops the encoder padding
    mp3.write_bytes(members(readalong)["EPUB/audio/article-001.mp3"])
    decoded = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac", "1", "-ar", "44100", "-"],
        capture_output=True, check=True,
    )  # fmt: skip
    audio_ms["EPUB/audio/article-001.mp3"] = len(decoded.stdout) // 2 * 1000 // 44100
    assert lint(readalong.path.read_bytes(), audio_ms) == []


def test_the_lint_catches_what_epubcheck_does_not(readalong: Readalong) -> None:
    data = members(readalong)
    smil = data["EPUB/article-001.smil"].decode()
    first = pars(readalong)[1]
    broken = {
        "overlap": smil.replace('clipBegin="0:00:05.575"', 'clipBegin="0:00:04.000"', 1),
        "past the end": smil.replace(smil[smil.rindex('clipEnd="') :].split('"')[1], "1:00:00.000"),
        "missing target": smil.replace(f"#{first[0]}", "#nowhere", 1),
    }
    length = {"EPUB/audio/article-001.mp3": 300_000}
    for name, text in broken.items():
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for member, content in data.items():
                archive.writestr(member, text if member.endswith(".smil") else content)
        assert lint(out.getvalue(), length), name


def test_every_body_sentence_is_a_clip_in_reading_order(readalong: Readalong) -> None:
    book = readalong.result.book
    clip_list = pars(readalong)
    targets = [target for target, _, _ in clip_list]
    text = spans(readalong)
    # one par per spoken sentence: headline, standfirst (2), byline, every body sentence
    audio = NarrationOptions()
    (preset,) = plan_voices([readalong.article], audio)
    lexicon = preset_lexicon(preset)
    segments = build_script([readalong.article], [lexicon], preset.pauses).segments
    assert targets == [f"a1-s{s.index + 1}" for s in segments]
    body = [s for s in segments if s.kind == "paragraph"]
    assert len(body) >= 25
    for segment in body:
        assert text[f"a1-s{segment.index + 1}"] == segment.text
    for (_, begin, end), (_, next_begin, _) in itertools.pairwise(clip_list):
        assert begin < end <= next_begin  # in order, no overlap
    total = sum(end - begin for _, begin, end in clip_list)
    assert abs(total - book.overlays["duration_ms"]) <= 1000
    opf = etree.fromstring(members(readalong)["EPUB/content.opf"])
    durations = {
        m.get("refines", ""): round(seconds(m.text or "") * 1000)
        for m in opf.iter(f"{OPF}meta")
        if m.get("property") == "media:duration"
    }
    assert abs(durations["#mo-a1"] - durations[""]) <= 1000  # the sum of the overlays' is the total
    assert durations[""] == total


def test_each_clip_lasts_as_long_as_its_synthesised_sentence(readalong: Readalong) -> None:
    """The synthesised sentences, fetched again from the cache, against the SMIL clips."""
    audio = NarrationOptions()
    (preset,) = plan_voices([readalong.article], audio)
    lexicon = preset_lexicon(preset)
    script = build_script([readalong.article], [lexicon], preset.pauses)
    language = readalong.article.language if readalong.article.language != "und" else "en"
    jobs = [
        Job(preset.engine, preset.spec(language), s.spoken, lexicon.digest) for s in script.segments
    ]
    chunks, stats = synthesize(jobs, SegmentCache(readalong.cache), 1)
    assert stats.engine_calls == 0  # all from the cache: what the book was made of
    for (target, begin, end), chunk in zip(pars(readalong), chunks, strict=True):
        synthesised = len(chunk.pcm) // 2 * 1000 / chunk.sample_rate
        assert abs((end - begin) - synthesised) <= 20, target


def test_the_audio_at_random_clips_says_the_span(readalong: Readalong, tmp_path: Path) -> None:
    audio = tmp_path / "book.mp3"
    audio.write_bytes(members(readalong)["EPUB/audio/article-001.mp3"])
    text = spans(readalong)
    body = [p for p in pars(readalong) if p[2] - p[1] > 1500]
    chosen = random.Random(2026).sample(body, 3)  # noqa: S311 - test sampling
    for target, begin, end in chosen:
        clip = tmp_path / f"{target}.wav"
        subprocess.run(
            ["ffmpeg", "-v", "error", "-i", str(audio), "-ss", f"{begin / 1000:.3f}",
             "-to", f"{end / 1000:.3f}", "-ac", "1", "-ar", "16000", str(clip)],
            check=True,
        )  # fmt: skip
        heard = " ".join(words(transcribe(str(clip))))
        # the span's text as it is meant to be said ("N. Korea" → "North Korea")
        expected = " ".join(words(normalize(text[target], "en")))
        error = jiwer.wer(expected, heard)
        assert error <= 0.20, (target, expected, heard, error)


def test_after_newsvoice_audio_the_book_costs_no_engine_calls(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {"PYTHONIOENCODING": "utf-8", "PATH": "/usr/bin:/bin"}
    audio = subprocess.run(
        [sys.executable, "-m", "newsvoice", "audio", str(SEED_HTML), "-o", str(tmp_path / "a.mp3"),
         "--cache", str(cache), "--json"],
        capture_output=True, text=True, timeout=300, check=False, env=env,
    )  # fmt: skip
    assert audio.returncode == 0, audio.stderr
    assert json.loads(audio.stdout)["engine_calls"] > 0
    book = subprocess.run(
        [sys.executable, "-m", "newsvoice", "epub", str(SEED_HTML), "-o", str(tmp_path / "b.epub"),
         "--narrate", "--cache", str(cache), "--json"],
        capture_output=True, text=True, timeout=300, check=False, env=env,
    )  # fmt: skip
    assert book.returncode == 0, book.stderr
    result = json.loads(book.stdout)
    assert result["engine_calls"] == 0
    assert result["cache_hits"] == json.loads(audio.stdout)["engine_calls"]
    assert "synchronizedAudioText" in result["accessibility"]["features"]


def test_publish_links_a_readalong_book_from_the_episode_page(
    readalong: Readalong, tmp_path: Path
) -> None:
    from newsvoice.podcast.episode import read_records
    from newsvoice.podcast.publish import PublishOptions, publish

    site = tmp_path / "site"
    (result,) = publish(
        [readalong.article],
        site,
        PublishOptions(
            base_url="http://127.0.0.1:8000/", cache_dir=readalong.cache, readalong=True
        ),
    )
    assert result.engine_calls == 0
    (record,) = read_records(site)
    assert record.readalong.endswith(".readalong.epub")
    book = (site / "episodes" / record.slug / record.readalong).read_bytes()
    assert len(book) == record.readalong_bytes
    page = (site / "episodes" / record.slug / "index.html").read_text("utf-8")
    assert f'href="{record.readalong}"' in page
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        assert "EPUB/article-001.smil" in archive.namelist()
    assert lint(book, {"EPUB/audio/article-001.mp3": record.duration_ms}) == []
