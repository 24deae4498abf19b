"""render/audio.py: the whole narration rendered with the fake engine (and the real
ffmpeg): files, sidecars, the cache, and failures that leave no file."""

from __future__ import annotations

import errno
import importlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from newsvoice.errors import ConfigError, ExitStatus, RenderError, SegmentFailed
from newsvoice.model import Article, Heading, Paragraph, Text
from newsvoice.narration import synth
from newsvoice.narration.timing import chapters_json, webvtt
from newsvoice.narration.track import Track
from newsvoice.render.audio import AudioOptions, render_audio

true_peak_db = importlib.import_module("newsvoice.narration.loudness").true_peak_db
FAKE_PRESET = 'engine = "fake"\nvoice = "tone"\nlanguage = "auto"\n'


# --- the whole narration ---------------------------------------------------------------------


def fake_preset(directory: Path, extra: str = "") -> str:
    path = directory / "fake-voice.toml"
    path.write_text(FAKE_PRESET + extra, "utf-8")
    return str(path)


def small_article(body: str = "The council met on Tuesday. It voted by 24 to 17.") -> Article:
    return Article(
        id="small",
        headline="Council agrees budget & rise",
        standfirst="Councillors back the plan.",
        byline="By Priya Natarajan",
        language="en",
        blocks=(
            Paragraph((Text(body),)),
            Heading(2, (Text("What happens next"),)),
            Paragraph((Text("Bills go out in March."),)),
        ),
    )


@pytest.fixture
def options(tmp_path: Path) -> AudioOptions:
    return AudioOptions(
        voice=fake_preset(tmp_path),
        transcript=True,
        chapters_json=True,
        cache_dir=tmp_path / "cache",
        jobs=1,
    )


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "out"
    directory.mkdir()
    return directory


@pytest.fixture(autouse=True)
def _no_retry_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synth, "RETRY_DELAY", 0.0)


def ffprobe(path: Path) -> dict[str, object]:
    probe = shutil.which("ffprobe")
    if probe is None:  # pragma: no cover - ffprobe ships with ffmpeg
        pytest.skip("ffprobe is not installed")
    done = subprocess.run(
        [probe, "-v", "error", "-show_chapters", "-show_format", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    data: dict[str, object] = json.loads(done.stdout)
    return data


def test_render_audio_writes_the_mp3_transcript_and_chapters(
    options: AudioOptions, out_dir: Path
) -> None:
    target = out_dir / "story.mp3"
    result = render_audio([small_article()], target, options)
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "story.chapters.json",
        "story.mp3",
        "story.vtt",
    ]
    assert result.path == str(target)
    data = target.read_bytes()
    assert data[:3] == b"ID3"
    assert result.size == len(data)
    table = result.timing
    assert [c.title for c in table.chapters] == ["Headline", "Standfirst", "Body"]
    assert result.transcript == str(out_dir / "story.vtt")
    assert result.chapters_file == str(out_dir / "story.chapters.json")
    assert (out_dir / "story.vtt").read_text("utf-8") == webvtt(table)
    assert "Council agrees budget &amp; rise." in webvtt(table)
    chapters = json.loads((out_dir / "story.chapters.json").read_text("utf-8"))
    assert chapters == json.loads(chapters_json(table, small_article().headline, "story.mp3"))
    assert result.voices == ("fake/tone",)
    assert result.loudness_lufs == pytest.approx(-16.0, abs=0.5)
    assert result.true_peak_dbtp <= -1.5 + 0.01
    # the MP3's own chapters are the table's
    probed = ffprobe(target)
    mp3_chapters = probed["chapters"]
    assert isinstance(mp3_chapters, list)
    assert [c["tags"]["title"] for c in mp3_chapters] == ["Headline", "Standfirst", "Body"]
    for found, chapter in zip(mp3_chapters, table.chapters, strict=True):
        assert float(found["start_time"]) == pytest.approx(chapter.start_ms / 1000, abs=0.001)
        assert float(found["end_time"]) == pytest.approx(chapter.end_ms / 1000, abs=0.001)
    duration = float(probed["format"]["duration"])  # type: ignore[index]
    assert duration == pytest.approx(table.duration_ms / 1000, abs=0.2)


@pytest.mark.parametrize("rate", [44_100, 24_000])
def test_render_audio_encodes_at_the_sample_rate_asked(
    options: AudioOptions, out_dir: Path, rate: int
) -> None:
    from dataclasses import replace

    target = out_dir / "rate.mp3"
    result = render_audio([small_article()], target, replace(options, sample_rate=rate))
    probe = shutil.which("ffprobe")
    if probe is None:  # pragma: no cover - ffprobe ships with ffmpeg
        pytest.skip("ffprobe is not installed")
    done = subprocess.run(
        [probe, "-v", "error", "-show_streams", "-select_streams", "a", "-of", "json", str(target)],
        capture_output=True,
        text=True,
        check=True,
    )
    stream = json.loads(done.stdout)["streams"][0]
    assert (stream["codec_name"], stream["sample_rate"], stream["channels"]) == (
        "mp3",
        str(rate),
        1,
    )
    duration = float(stream["duration"])
    assert duration == pytest.approx(result.timing.duration_ms / 1000, abs=0.1)


def test_render_audio_uses_the_cache_on_a_second_run(options: AudioOptions, out_dir: Path) -> None:
    article = small_article()
    cold = render_audio([article], out_dir / "cold.mp3", options)
    segments = len(cold.timing.segments)
    assert segments == 7
    assert cold.stats.engine_calls == segments
    assert cold.stats.cache_hits == 0
    warm = render_audio([article], out_dir / "warm.mp3", options)
    assert warm.stats.engine_calls == 0
    assert warm.stats.cache_hits == segments
    assert warm.timing == cold.timing
    assert warm.sha256 == cold.sha256


def test_render_audio_without_the_cache(options: AudioOptions, out_dir: Path) -> None:
    from dataclasses import replace

    no_cache = replace(options, use_cache=False, transcript=False, chapters_json=False)
    first = render_audio([small_article()], out_dir / "a.mp3", no_cache)
    second = render_audio([small_article()], out_dir / "b.mp3", no_cache)
    assert first.stats.engine_calls == second.stats.engine_calls == len(first.timing.segments)
    assert not (options.cache_dir or Path("/nonexistent")).exists()
    assert sorted(p.name for p in out_dir.iterdir()) == ["a.mp3", "b.mp3"]


def _assert_nothing_written(out_dir: Path, target: Path) -> None:
    assert not target.exists()
    assert list(out_dir.iterdir()) == []


def test_unknown_engine_fails_before_writing_anything(tmp_path: Path, out_dir: Path) -> None:
    preset = tmp_path / "nope.toml"
    preset.write_text('engine = "no-such-engine"\nvoice = "x"\nlanguage = "auto"\n', "utf-8")
    options = AudioOptions(voice=str(preset), cache_dir=tmp_path / "cache", transcript=True)
    target = out_dir / "story.mp3"
    with pytest.raises(ConfigError) as caught:
        render_audio([small_article()], target, options)
    assert caught.value.exit_code == ExitStatus.USAGE
    _assert_nothing_written(out_dir, target)


def test_a_failing_sentence_leaves_no_file(options: AudioOptions, out_dir: Path) -> None:
    article = small_article(body="FAIL-SEGMENT FAIL-SEGMENT")  # a shouted line stays as it is
    target = out_dir / "story.mp3"
    with pytest.raises(SegmentFailed) as caught:
        render_audio([article], target, options)
    assert caught.value.exit_code == ExitStatus.ENGINE
    _assert_nothing_written(out_dir, target)


def test_a_failing_encoder_leaves_no_file(options: AudioOptions, out_dir: Path) -> None:
    from dataclasses import replace

    target = out_dir / "story.mp3"
    with pytest.raises(RenderError):
        render_audio([small_article()], target, replace(options, bitrate="not-a-bitrate"))
    _assert_nothing_written(out_dir, target)


def test_a_failed_run_keeps_the_previous_file(options: AudioOptions, out_dir: Path) -> None:
    target = out_dir / "story.mp3"
    render_audio([small_article()], target, options)
    before = target.read_bytes()
    names = sorted(p.name for p in out_dir.iterdir())
    with pytest.raises(SegmentFailed):
        render_audio([small_article(body="FAIL-SEGMENT FAIL-SEGMENT")], target, options)
    assert target.read_bytes() == before
    assert sorted(p.name for p in out_dir.iterdir()) == names


def test_a_full_temporary_folder_is_one_clear_error(
    options: AudioOptions, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(self: Track, pcm: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Track, "append", full)
    target = out_dir / "story.mp3"
    with pytest.raises(RenderError) as caught:
        render_audio([small_article()], target, options)
    assert "cannot write the narration's working files" in str(caught.value)
    assert "No space left on device" in str(caught.value)
    assert "TMPDIR" in (caught.value.hint or "")
    _assert_nothing_written(out_dir, target)
