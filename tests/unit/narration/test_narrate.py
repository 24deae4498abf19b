"""narration/narrate.py: layout onto the track on disk and timing from sample counts, true
peak, and mastering to the loudness target."""

from __future__ import annotations

import importlib
import tempfile
from typing import TYPE_CHECKING

import numpy as np
import pyloudnorm
import pytest
from scipy.signal import butter, resample_poly, sosfilt

from newsvoice.engines import AudioChunk
from newsvoice.engines.fake import SAMPLE_RATE, tone
from newsvoice.narration import narrate
from newsvoice.narration.narrate import lay_out, master_track
from newsvoice.narration.script import ChapterMark, Script, Segment
from newsvoice.narration.track import Track
from tests.helpers import need

if TYPE_CHECKING:
    from newsvoice.narration.timing import TimingTable

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


@pytest.mark.parametrize(("language", "voice"), [("es", "espeak/es"), ("zh", "espeak/cmn")])
def test_a_voice_chosen_by_language_is_named_as_resolved(language: str, voice: str) -> None:
    need("espeak-ng")
    from newsvoice.narration.narrate import voice_label
    from newsvoice.narration.presets import load_preset

    assert voice_label(load_preset("espeak"), language) == voice
