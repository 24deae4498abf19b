"""The seed narration judged by real tools: ffprobe's chapters, ffmpeg's loudness meter,
Whisper's ears; and the cache, the M4B, the transcript and the chapters file that come from
the same timing table."""

from __future__ import annotations

import itertools
import json
from typing import TYPE_CHECKING

import jiwer
import pytest

from newsvoice import load
from newsvoice.model import Paragraph, Text
from newsvoice.render.audio import AudioOptions, render_audio
from tests.acceptance.audio.conftest import SEED_HTML, Narration
from tests.acceptance.audio.tools import ebur128, ffprobe, transcribe, words

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow
TOLERANCE_MS = 50


def test_ffprobe_lists_the_three_chapters(seed_narration: Narration) -> None:
    probe = ffprobe(str(seed_narration.path))
    chapters = sorted(probe["chapters"], key=lambda c: int(c["start"]))  # mutagen may reorder
    assert [c["tags"]["title"] for c in chapters] == ["Headline", "Standfirst", "Body"]
    table = seed_narration.result.timing.chapters
    for got, want in zip(chapters, table, strict=True):
        assert abs(float(got["start_time"]) * 1000 - want.start_ms) <= TOLERANCE_MS
        assert abs(float(got["end_time"]) * 1000 - want.end_ms) <= TOLERANCE_MS
    duration_ms = float(probe["format"]["duration"]) * 1000
    assert float(chapters[0]["start_time"]) == 0
    assert abs(float(chapters[-1]["end_time"]) * 1000 - duration_ms) <= TOLERANCE_MS
    for before, after in itertools.pairwise(chapters):
        assert before["end"] == after["start"]  # contiguous


def test_mp3_stream_and_tags(seed_narration: Narration) -> None:
    assert seed_narration.result.voices == ("hibari/heart",)  # the real default voice
    probe = ffprobe(str(seed_narration.path))
    audio = next(s for s in probe["streams"] if s["codec_type"] == "audio")
    assert (audio["codec_name"], audio["channels"], audio["sample_rate"]) == ("mp3", 1, "44100")
    assert 60_000 <= int(probe["format"]["bit_rate"]) <= 72_000
    tags = probe["format"]["tags"]
    assert tags["title"] == "Are the US and China ready to cooperate more on N. Korea?"
    assert tags["artist"] == "Nathan Corbett, Staff writer"
    assert tags["album"] == "The Christian Science Monitor"
    assert tags["date"] == "2016-01-27"
    assert tags["language"] == "eng"
    cover = [s for s in probe["streams"] if s["codec_type"] == "video"]
    assert cover
    assert cover[0]["disposition"]["attached_pic"] == 1
    assert (cover[0]["width"], cover[0]["height"]) == (1400, 1400)


def test_loudness_meets_the_podcast_target(seed_narration: Narration) -> None:
    loudness, peak = ebur128(str(seed_narration.path))
    assert -17.0 <= loudness <= -15.0
    assert peak <= -1.0


def _expected_speech(narration: Narration) -> str:
    """What a listener should hear: the script's spoken text, normalised for speech but
    without the lexicon's respellings ("Wahng Yee" tells the voice how to say Wang Yi; the
    listener hears, and Whisper writes, "Wang Yi")."""
    from newsvoice.narration.lexicon import Lexicon
    from newsvoice.narration.presets import load_preset
    from newsvoice.narration.script import build_script

    preset = load_preset("heart")
    plain = Lexicon((), "en")
    script = build_script([load(str(SEED_HTML))], [plain], preset.pauses)
    return " ".join(s.spoken for s in script.segments)


def test_speech_recognition_hears_the_right_words(seed_narration: Narration) -> None:
    heard = transcribe(str(seed_narration.path))
    reference = " ".join(words(_expected_speech(seed_narration)))
    hypothesis = " ".join(words(heard))
    error = jiwer.wer(reference, hypothesis)
    assert error <= 0.05, (error, hypothesis)
    assert "north korea" in hypothesis.split("the two countries")[0]  # the headline
    assert "slash" not in hypothesis
    assert "jacquelyn" not in hypothesis  # the photo credit is never read
    assert "subscribe" not in hypothesis


def test_transcript_and_chapters_file_match_the_table(seed_narration: Narration) -> None:
    result = seed_narration.result
    chapters = json.loads((seed_narration.path.with_suffix(".chapters.json")).read_text())
    assert chapters["version"] == "1.2.0"
    assert [(c["title"], round(c["startTime"] * 1000)) for c in chapters["chapters"]] == [
        (c.title, c.start_ms) for c in result.timing.chapters
    ]
    vtt = seed_narration.path.with_suffix(".vtt").read_text("utf-8")
    assert vtt.startswith("WEBVTT")
    assert "00:00:00.300 --> " in vtt  # the headline, after the lead-in
    assert "Are the US and China ready to cooperate more on N. Korea?" in vtt
    assert all(
        len(line) <= 65
        for line in vtt.splitlines()
        if line and "-->" not in line and not line.startswith("NOTE")
    )


def test_m4b_agrees_with_the_mp3(seed_narration: Narration, tmp_path: Path) -> None:
    target = tmp_path / "seed.m4b"
    result = render_audio(
        [load(str(SEED_HTML))], target, AudioOptions(cache_dir=seed_narration.cache, format="m4b")
    )
    assert result.stats.engine_calls == 0
    probe = ffprobe(str(target))
    assert any(s["codec_name"] == "aac" for s in probe["streams"])
    chapters = sorted(probe["chapters"], key=lambda c: int(c["start"]))
    assert [c["tags"]["title"] for c in chapters] == ["Headline", "Standfirst", "Body"]
    assert float(chapters[0]["start_time"]) == 0
    mp3 = sorted(ffprobe(str(seed_narration.path))["chapters"], key=lambda c: int(c["start"]))
    for a, b in zip(chapters, mp3, strict=True):
        assert abs(float(a["start_time"]) - float(b["start_time"])) <= TOLERANCE_MS / 1000


def test_a_warm_cache_makes_no_engine_calls(seed_narration: Narration, tmp_path: Path) -> None:
    result = render_audio(
        [load(str(SEED_HTML))], tmp_path / "again.mp3", AudioOptions(cache_dir=seed_narration.cache)
    )
    assert result.stats.engine_calls == 0
    assert result.stats.cache_hits == len(result.timing.segments)
    assert result.timing == seed_narration.result.timing


def test_a_corrected_paragraph_is_the_only_one_spoken_again(
    seed_narration: Narration, tmp_path: Path
) -> None:
    from dataclasses import replace

    article = load(str(SEED_HTML))
    blocks = list(article.blocks)
    blocks[3] = Paragraph(
        (
            Text(
                "If China fails to do more, Kerry said, Washington could act. "
                "Beijing strongly opposes a missile system in South Korea."
            ),
        )
    )
    corrected = replace(article, blocks=tuple(blocks))
    result = render_audio(
        [corrected], tmp_path / "corrected.mp3", AudioOptions(cache_dir=seed_narration.cache)
    )
    assert result.stats.engine_calls == 2  # the two sentences of the new paragraph


def test_piper_narrates_and_a_warm_run_makes_no_engine_calls(tmp_path: Path) -> None:
    # how much faster a warm run is, is measured by `make bench`, not here
    pytest.importorskip("piper")
    source = tmp_path / "short.txt"
    source.write_text(
        "Harbour reopens after storm\n\nThe harbour reopened on Monday after a week of repairs."
        " Fishing boats were the first to leave.\n",
        "utf-8",
    )
    article = load(str(source))
    options = AudioOptions(voice="joe", cache_dir=tmp_path / "cache", jobs=1)
    cold = render_audio([article], tmp_path / "cold.mp3", options)
    warm = render_audio([article], tmp_path / "warm.mp3", options)
    assert cold.voices == ("piper/joe",)
    assert cold.stats.engine_calls == len(cold.timing.segments) >= 3
    assert warm.stats.engine_calls == 0
    assert warm.timing == cold.timing
