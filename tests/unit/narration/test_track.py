"""render/track.py: the narration track on disk and its mastering window by window, against
the same steps run on the whole track in memory."""

from __future__ import annotations

import math
import tempfile
from typing import TYPE_CHECKING

import numpy as np
import pytest

from newsvoice.narration import loudness
from newsvoice.narration import track as track_module
from newsvoice.narration.track import Mastering, Track, master, master_pass

if TYPE_CHECKING:
    from pathlib import Path

RATE = 24_000
WINDOW = track_module.WINDOW_STEPS * RATE // 10  # samples in a window


def speechlike(seconds: float, seed: int, level: float = 0.05) -> np.ndarray:
    """Harmonic bursts with pauses (a crude talker), in [-1, 1)."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(RATE * seconds)) / RATE
    voice = sum(np.sin(2 * np.pi * 140 * k * t + rng.uniform(0, 6)) / k for k in range(1, 12))
    envelope = (np.sin(2 * np.pi * 0.7 * t) > -0.2).astype(float)
    return np.asarray(level * voice * envelope, dtype=np.float32)


def on_disk(samples: np.ndarray) -> Track:
    track = Track(RATE)
    track.append_float(samples)
    return track


def quantised(samples: np.ndarray) -> np.ndarray:
    """What the track holds: 16-bit samples read back as floats."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    return pcm.astype(np.float32) / np.float32(32768.0)


def mastered(track: Track, gain: float, limit_db: float | None) -> tuple[np.ndarray, float, float]:
    pieces: list[bytes] = []
    measured, peak = master_pass(track, gain, limit_db, pieces.append)
    return np.frombuffer(b"".join(pieces), dtype="<i2"), measured, peak


def mastered_by_master(track: Track) -> tuple[Mastering, np.ndarray]:
    """``master`` to −16 LUFS under −1 dBTP: how, and the samples it wrote."""
    with tempfile.TemporaryFile() as pcm:
        mastering = master(track, -16.0, -1.0, pcm)
        out = np.frombuffer(pcm.read(), dtype="<i2")
    # the file holds what a pass with the same settings writes
    again, measured, peak = mastered(track, mastering.gain, mastering.limit_db)
    assert np.array_equal(out, again)
    assert (measured, peak) == (mastering.loudness, mastering.peak_db)
    return mastering, out


def test_the_track_keeps_what_is_appended_and_its_windows_cover_it_once() -> None:
    samples = speechlike(25.3, 1)
    with on_disk(samples[:100_000]) as track:
        track.silence(70_001)
        track.append_float(samples[100_000:])
        expected = np.concatenate(
            (quantised(samples[:100_000]), np.zeros(70_001), quantised(samples[100_000:]))
        )
        assert track.length == len(expected)
        assert np.array_equal(track.read(0, track.length), expected)
        middles, contexts = [], []
        for window, start, stop in track.windows(1_000):
            middles.append(window[start:stop])
            contexts.append((start, len(window) - stop))
        assert np.array_equal(np.concatenate(middles), expected)
        assert all(len(m) == WINDOW for m in middles[:-1])
        assert contexts[0] == (0, 1_000)
        assert contexts[-1] == (1_000, 0)
        assert all(c == (1_000, 1_000) for c in contexts[1:-1])


def test_the_track_file_has_no_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a killed run leaves nothing behind: the file is unlinked (or O_TMPFILE) from the start
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with on_disk(speechlike(1.0, 2)) as track:
        assert track.length == RATE
        assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("gain", [1.0, 7.5])
def test_a_pass_limits_window_by_window_as_the_whole_track_at_once(gain: float) -> None:
    samples = speechlike(34.0, 3)
    rng = np.random.default_rng(3)
    clicks = np.concatenate((rng.integers(0, len(samples), 30), [WINDOW - 5, 2 * WINDOW + 3]))
    samples[clicks] = 0.2  # peaks the limiter must take, two of them at a window's edge
    with on_disk(samples) as track:
        out, measured, peak = mastered(track, gain, -3.0)
        whole = loudness.limit(track.read(0, track.length) * np.float32(gain), RATE, -3.0)
    expected = (np.clip(whole, -1.0, 1.0) * 32767).astype("<i2")
    assert len(out) == len(expected)
    assert np.max(np.abs(out.astype(int) - expected)) <= 1  # float rounding, at most
    assert measured == pytest.approx(loudness.integrated_loudness(whole, RATE), abs=1e-6)
    assert peak == pytest.approx(loudness.true_peak_db(whole), abs=1e-6)
    assert peak <= -3.0 + 1e-4


def test_a_pass_without_the_limiter_is_the_gain_alone() -> None:
    samples = speechlike(12.0, 4)
    with on_disk(samples) as track:
        out, measured, peak = mastered(track, 2.0, None)
        gained = track.read(0, track.length) * np.float32(2.0)
    assert np.array_equal(out, (gained * 32767).astype("<i2"))
    assert measured == pytest.approx(loudness.integrated_loudness(gained, RATE), abs=1e-6)
    assert peak == pytest.approx(loudness.true_peak_db(gained), abs=1e-6)


@pytest.mark.parametrize("clicks", [0, 3, 40])
def test_master_reaches_the_target_under_the_ceiling(clicks: int) -> None:
    samples = speechlike(30.0, clicks, level=0.01)
    rng = np.random.default_rng(clicks)
    samples[rng.integers(0, len(samples), clicks)] = 0.05  # peaks the limiter must take
    with on_disk(samples) as track:
        mastering, out = mastered_by_master(track)
    assert (mastering.limit_db is None) == (clicks == 0)
    measured = mastering.loudness
    assert measured == pytest.approx(-16.0, abs=0.3)
    assert mastering.peak_db <= -1.0
    as_float = out.astype(np.float32) / 32768
    assert loudness.integrated_loudness(as_float, RATE) == pytest.approx(measured, abs=0.01)
    assert loudness.true_peak_db(as_float) <= -1.0 + 0.01


def test_master_lets_the_ceiling_win_over_loudness() -> None:
    samples = np.zeros(RATE * 14, dtype=np.float32)
    samples[::2400] = 0.5  # nothing but clicks: loud enough only by breaking the ceiling
    with on_disk(samples) as track:
        mastering, _ = mastered_by_master(track)
    assert mastering.peak_db <= -1.0
    assert mastering.loudness < -16.3


def test_master_leaves_silence_alone() -> None:
    with on_disk(np.zeros(RATE * 3, dtype=np.float32)) as track:
        mastering, out = mastered_by_master(track)
    assert mastering.gain == 1.0
    assert not math.isfinite(mastering.loudness)
    assert not out.any()
