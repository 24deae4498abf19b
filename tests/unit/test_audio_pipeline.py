"""narration/narrate.py and render/audio.py: layout onto the track on disk and timing from sample counts, true peak,
loudness, and the whole narration rendered with the fake engine (and the real ffmpeg)."""

from __future__ import annotations

import errno
import importlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from scipy.signal import butter, resample_poly, sosfilt

from newsvoice.narration import synth
from newsvoice.engines import AudioChunk
from newsvoice.engines.fake import SAMPLE_RATE, tone
from newsvoice.errors import ConfigError, ExitStatus, RenderError, SegmentFailed
from newsvoice.model import Article, Heading, Paragraph, Text
from newsvoice.narration import narrate
from newsvoice.narration.narrate import lay_out, master_track
from newsvoice.render.audio import AudioOptions, render_audio
from newsvoice.narration.timing import TimingTable, chapters_json, webvtt
from newsvoice.narration.track import Track
from newsvoice.narration.script import ChapterMark, Script, Segment

true_peak_db = importlib.import_module("newsvoice.narration.loudness").true_peak_db
FAKE_PRESET = 'engine = "fake"\nvoice = "tone"\nlanguage = "auto"\n'


# --- lay_out ---------------------------------------------------------------------------------


def segment(index: int, chapter: int, pause: int) -> Segment:
    return Segment(index, chapter, 0, "paragraph", index, f"Sentence {index}.", f"S {index}", pause)


def pcm(samples: int) -> AudioChunk:
    """A chunk of exactly ``samples`` samples (not a whole number of milliseconds)."""
    return AudioChunk(np.full(samples, 1000, dtype="<i2").tobytes(), SAMPLE_RATE)


SCRIPT = Script(
    chapters=(ChapterMark("Headline", 0), ChapterMark("Standfirst", 0), ChapterMark("Body", 0)),
    segments=(
        segment(0, 0, 1200),
        segment(1, 1, 300),
        segment(2, 1, 1200),
        segment(3, 2, 300),
        segment(4, 2, 700),
        segment(5, 2, 900),
        segment(6, 2, 1200),
    ),
)
SIZES = [16_001, 7_777, 12_345, 3_333, 20_011, 999, 8_008]  # samples per chunk
LEAD_IN, TAIL = 300, 800


def laid_out(chunks: list[AudioChunk], rate: int = SAMPLE_RATE) -> tuple[np.ndarray, TimingTable]:
    """The chunks laid out onto a track on disk (fed one at a time), read back whole."""
    with Track(rate) as track:
        table = lay_out(SCRIPT, iter(chunks), track, LEAD_IN, TAIL)
        return track.read(0, track.length), table


def test_lay_out_times_come_from_sample_counts() -> None:
    chunks = [pcm(n) for n in SIZES]
    track, table = laid_out(chunks)
    assert track.dtype == np.float32
    position = SAMPLE_RATE * LEAD_IN // 1000
    for number, (timed, seg, size) in enumerate(
        zip(table.segments, SCRIPT.segments, SIZES, strict=True)
    ):
        assert timed.index == seg.index
        assert timed.chapter == seg.chapter
        assert timed.text == seg.text
        assert timed.start_ms == position * 1000 // SAMPLE_RATE
        assert timed.end_ms == (position + size) * 1000 // SAMPLE_RATE
        # the audio is where the table says it is
        assert np.all(track[position : position + size] > 0)
        assert track[position - 1] == 0
        assert track[position + size] == 0
        pause = TAIL if number == len(SIZES) - 1 else seg.pause_after_ms
        position += size + SAMPLE_RATE * pause // 1000
    assert len(track) == position
    assert table.duration_ms == len(track) * 1000 // SAMPLE_RATE


def test_lay_out_start_is_lead_in_plus_previous_audio_and_pauses() -> None:
    chunks = [AudioChunk(tone(ms), SAMPLE_RATE) for ms in (1000, 250, 2000, 40, 400, 3000, 80)]
    _, table = laid_out(chunks)
    elapsed = LEAD_IN
    for timed, seg, chunk in zip(table.segments, SCRIPT.segments, chunks, strict=True):
        assert timed.start_ms == elapsed
        assert timed.end_ms == elapsed + round(chunk.duration_ms)
        elapsed += round(chunk.duration_ms) + seg.pause_after_ms
    assert table.duration_ms == elapsed - SCRIPT.segments[-1].pause_after_ms + TAIL


def test_lay_out_chapters_are_contiguous_from_zero_to_the_end() -> None:
    chunks = [pcm(n) for n in SIZES]
    _, table = laid_out(chunks)
    assert [c.title for c in table.chapters] == ["Headline", "Standfirst", "Body"]
    assert table.chapters[0].start_ms == 0
    for number, chapter in enumerate(table.chapters[1:], start=1):
        first = next(s for s in table.segments if s.chapter == number)
        assert chapter.start_ms == first.start_ms
    for before, after in zip(table.chapters, table.chapters[1:], strict=False):
        assert before.end_ms == after.start_ms
    assert table.chapters[-1].end_ms == table.duration_ms
    assert all(c.start_ms < c.end_ms for c in table.chapters)


def test_lay_out_resamples_chunks_to_the_track_rate() -> None:
    chunks = [pcm(n) for n in SIZES]
    chunks[2] = AudioChunk(np.full(24_000, 1000, dtype="<i2").tobytes(), 24_000)  # 1 s
    track, table = laid_out(chunks, 24_000)
    sixteen = table.segments[0]  # a 16 kHz chunk, resampled: still as long
    assert sixteen.end_ms - sixteen.start_ms == SIZES[0] * 1000 // SAMPLE_RATE
    assert table.segments[2].end_ms - table.segments[2].start_ms == 1000
    assert table.duration_ms == len(track) * 1000 // 24_000
    assert table.chapters[-1].end_ms == table.duration_ms


# --- true peak -------------------------------------------------------------------------------


def full_true_peak_db(track: np.ndarray) -> float:
    """BS.1770 true peak the slow way: the whole signal oversampled 4× (scipy)."""
    over = resample_poly(track.astype(np.float64), 4, 1)
    return float(20 * np.log10(np.max(np.abs(over))))


def _band_limited_noise() -> list[np.ndarray]:
    """Random signals with speech-band content (what the engines produce)."""
    rng = np.random.default_rng(1770)
    signals = []
    for low, high, rate in [(200, 4000, 16_000), (300, 3400, 16_000), (80, 5000, 24_000)]:
        sos = butter(6, [low, high], btype="band", fs=rate, output="sos")
        for _ in range(3):
            noise = sosfilt(sos, rng.standard_normal(20_000)) * rng.uniform(0.1, 0.6)
            signals.append(noise.astype(np.float32))
    return signals


def _full_band_noise() -> list[np.ndarray]:
    rng = np.random.default_rng(4)
    signals = []
    for _ in range(3):
        signals.append((0.2 * rng.standard_normal(24_000)).astype(np.float32))
        signals.append(rng.uniform(-0.9, 0.9, 9_000).astype(np.float32))
    return signals


def faded_sine(cycles_per_sample: float, phase: float, amplitude: float = 0.5) -> np.ndarray:
    """A sine with 400-sample fades at both ends, so that its true peak is its amplitude."""
    n = np.arange(9_600)
    fade = np.ones(len(n))
    ramp = np.hanning(800)
    fade[:400], fade[-400:] = ramp[:400], ramp[400:]
    return (amplitude * np.sin(2 * np.pi * cycles_per_sample * n + phase) * fade).astype(np.float32)


SINES = [
    (997 / 48_000, 0.3),
    (1 / 4, np.pi / 4),  # fs/4 at 45°: every sample at 0.707 of the peak (+3 dB between)
    (0.1234567, 1.0),
    (0.3141593, 0.5),
    (19_000 / 48_000, 1.0),
    (0.4497, 1.3),
    (220 / 24_000, 0.0),
]


@pytest.mark.parametrize("signal", _band_limited_noise(), ids=lambda s: "band-limited")
def test_true_peak_equals_full_oversampling_on_random_signals(signal: np.ndarray) -> None:
    assert true_peak_db(signal) == pytest.approx(full_true_peak_db(signal), abs=0.01)


@pytest.mark.parametrize("signal", _full_band_noise(), ids=lambda s: "full-band")
def test_true_peak_is_near_full_oversampling_on_full_band_noise(signal: np.ndarray) -> None:
    """White noise has content up to Nyquist, where two good 4× interpolators (scipy's and
    the one BS.1770 gives as an example, or newsvoice's) legitimately differ by about 0.1 dB."""
    assert true_peak_db(signal) == pytest.approx(full_true_peak_db(signal), abs=0.2)


@pytest.mark.parametrize(("frequency", "phase"), SINES)
def test_true_peak_of_a_sine_is_its_amplitude(frequency: float, phase: float) -> None:
    sine = faded_sine(frequency, phase)
    assert true_peak_db(sine) == pytest.approx(20 * np.log10(0.5), abs=0.01)
    # scipy's interpolator ripples by up to 0.04 dB near Nyquist
    assert true_peak_db(sine) == pytest.approx(full_true_peak_db(sine), abs=0.05)


def test_true_peak_sees_the_peak_between_samples() -> None:
    sine = faded_sine(1 / 4, np.pi / 4)
    sample_peak = 20 * np.log10(np.max(np.abs(sine)))
    assert sample_peak == pytest.approx(20 * np.log10(0.5) - 3.01, abs=0.01)
    assert true_peak_db(sine) > sample_peak + 3.0


def test_true_peak_of_silence_is_very_low() -> None:
    assert true_peak_db(np.zeros(1000, dtype=np.float32)) <= -100
    assert true_peak_db(np.zeros(0, dtype=np.float32)) <= -100


# --- loudness --------------------------------------------------------------------------------

RATE = 16_000


def speech_like(seed: int, level: float, spikes: int = 0, seconds: int = 10) -> np.ndarray:
    """Band-passed noise bursts (syllables) separated by pauses, with optional sharp spikes."""
    rng = np.random.default_rng(seed)
    sos = butter(4, [200, 4000], btype="band", fs=RATE, output="sos")
    track = np.zeros(RATE * seconds)
    position = 0
    while position < len(track):
        size = int(rng.uniform(0.15, 0.5) * RATE)
        burst = sosfilt(sos, rng.standard_normal(size)) * np.hanning(size)
        burst *= level * rng.uniform(0.5, 1.5)
        track[position : position + size] = burst[: len(track) - position]
        position += size + int(rng.uniform(0.05, 0.4) * RATE)
    for at in rng.integers(0, len(track), spikes):
        track[at] = rng.choice([-0.98, 0.98])
    return track.astype(np.float32)


def tones_with_pauses(level: float) -> np.ndarray:
    parts = []
    for index, freq in enumerate([180, 220, 330, 150, 260, 410, 200]):
        n = np.arange(int(RATE * (0.3 + 0.1 * index)))
        parts.append(level * np.sin(2 * np.pi * freq * n / RATE))
        parts.append(np.zeros(int(RATE * 0.25)))
    return np.concatenate(parts * 2).astype(np.float32)


def with_clicks(track: np.ndarray) -> np.ndarray:
    """Two one-sample clicks near full scale: sharp peaks far above the speech."""
    out = track.copy()
    out[len(out) // 3] = 0.95
    out[2 * len(out) // 3] = -0.9
    return out


def measured_lufs(track: np.ndarray) -> float:
    return float(pyloudnorm.Meter(RATE).integrated_loudness(track.astype(np.float64)))


def mastered(signal: np.ndarray) -> tuple[np.ndarray, float, float]:
    """``master_track`` on a track holding ``signal``: the mastered samples read back, the
    loudness (as the encoded file will measure) and the true peak."""
    with Track(RATE) as track, tempfile.TemporaryFile() as pcm:
        track.append_float(signal)
        loudness, peak = master_track(track, pcm)
        out = np.frombuffer(pcm.read(), dtype="<i2").astype(np.float32) / 32768
    return out, loudness, peak


@pytest.mark.parametrize(
    ("name", "signal"),
    [
        pytest.param(name, signal, id=name)
        for name, signal in [
            ("quiet-bursts", speech_like(1, 0.01)),
            ("loud-bursts", speech_like(2, 0.4)),
            ("bursts-with-spikes", speech_like(3, 0.02, spikes=40)),
            ("quiet-bursts-with-clicks", speech_like(0, 0.005, spikes=5)),
            ("loud-bursts-with-spikes", speech_like(4, 0.2, spikes=5)),
            ("tones-with-pauses", tones_with_pauses(0.05)),
            ("tones-with-clicks", with_clicks(tones_with_pauses(0.02))),
        ]
    ],
)
def test_master_track_reaches_minus_16_lufs_under_the_ceiling(
    name: str, signal: np.ndarray
) -> None:
    out, loudness, peak = mastered(signal)
    assert out.shape == signal.shape
    assert measured_lufs(out) == pytest.approx(-16.0, abs=0.5), name
    assert np.isfinite(loudness)
    assert loudness == pytest.approx(measured_lufs(out) - narrate.ENCODER_LOSS_LU, abs=0.01)
    assert full_true_peak_db(out) <= -1.5 + 0.01, name
    # two different 4x interpolators (ours, scipy's) agree to a few hundredths of a dB
    assert peak == pytest.approx(full_true_peak_db(out), abs=0.05)


def test_master_track_leaves_silence_alone() -> None:
    silence = np.zeros(RATE * 2, dtype=np.float32)
    out, loudness, _ = mastered(silence)
    assert not np.isfinite(loudness)
    assert np.array_equal(out, silence)


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
