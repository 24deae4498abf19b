"""narration/loudness.py: the BS.1770 meter against pyloudnorm, the meter of a track that arrives
in pieces against the whole track's, and the limiter's promises (nothing over the ceiling,
only peaks touched, gain that moves smoothly)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pyloudnorm
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from newsvoice.narration import loudness
from newsvoice.narration.loudness import (
    GatedMeter,
    KWeighting,
    integrated_loudness,
    limit,
    peak_between,
    true_peak_db,
)

RATES = (8_000, 16_000, 22_050, 24_000, 44_100, 48_000)


def speechlike(rate: int, seconds: float, seed: int) -> np.ndarray:
    """Bursts of filtered noise and harmonics with pauses between them: a crude talker."""
    rng = np.random.default_rng(seed)
    size = int(rate * seconds)
    t = np.arange(size) / rate
    voice = sum(np.sin(2 * np.pi * 140 * k * t + rng.uniform(0, 6)) / k for k in range(1, 12))
    noise = np.convolve(rng.standard_normal(size), np.ones(4) / 4, mode="same")
    envelope = (np.sin(2 * np.pi * 0.7 * t) > -0.2).astype(float)  # talk, then pause
    return np.asarray((0.25 * voice + 0.1 * noise) * envelope, dtype=np.float32)


@pytest.mark.parametrize("rate", RATES)
def test_integrated_loudness_matches_pyloudnorm(rate: int) -> None:
    track = speechlike(rate, 6.0, rate)
    expected = pyloudnorm.Meter(rate).integrated_loudness(track.astype(np.float64))
    assert integrated_loudness(track, rate) == pytest.approx(expected, abs=1e-4)


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(RATES),
    st.integers(5, 30),
    st.floats(1e-3, 1.0),
    st.integers(0, 2**32 - 1),
)
@example(22_050, 7, 1.0, 121_094)  # int(22_050 * 0.7) is 15_434, a sample short of 0.7 s
def test_integrated_loudness_matches_pyloudnorm_on_noise(
    rate: int, tenths: int, scale: float, seed: int
) -> None:
    # whole tenths of a second, counted in integers: pyloudnorm rounds the block count and so
    # measures one short block past the end of other lengths; BS.1770 (and libebur128) count
    # whole blocks only. Its block edges come from truncated float products
    # (int(0.4 * 0.75 * 44100) = 13229), a sample off at 22.05 and 44.1 kHz: over a few blocks
    # of white noise, up to 0.01 LU.
    size = rate * tenths // 10
    track = (np.random.default_rng(seed).standard_normal(size) * scale).astype(np.float32)
    expected = pyloudnorm.Meter(rate).integrated_loudness(track.astype(np.float64))
    assert integrated_loudness(track, rate) == pytest.approx(expected, abs=0.02)


def test_too_short_or_silent_tracks_have_no_loudness() -> None:
    assert integrated_loudness(np.zeros(100, np.float32), 24_000) == -math.inf
    assert integrated_loudness(np.zeros(48_000, np.float32), 24_000) == -math.inf


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from((*RATES, 11_025)),  # 11.025 kHz: a block is not four whole steps
    st.integers(3, 40).map(lambda tenths: tenths / 10),
    st.lists(st.integers(300, 30_000), min_size=1, max_size=10),  # some shorter than a step
    st.integers(0, 2**32 - 1),
)
def test_a_track_measured_in_pieces_measures_as_the_whole(
    rate: int, seconds: float, sizes: list[int], seed: int
) -> None:
    track = speechlike(rate, seconds, seed % 1000) * np.float32(
        np.random.default_rng(seed).uniform(0.01, 1)
    )
    weighting, meter = KWeighting(rate), GatedMeter(rate)
    start = 0
    for size in sizes * (len(track) // sum(sizes) + 1):
        meter.add(weighting(track[start : start + size].astype(np.float64)))
        start += size
    whole = integrated_loudness(track, rate)
    if math.isfinite(whole):
        assert meter.loudness() == pytest.approx(whole, abs=1e-9)
    else:
        assert meter.loudness() == whole


def test_the_true_peak_of_a_window_uses_the_samples_around_it() -> None:
    rate = 24_000
    track = speechlike(rate, 2.0, 5)
    edges = [0, 5_000, 5_001, 20_000, len(track)]
    peaks = [peak_between(track, a, b) for a, b in itertools.pairwise(edges)]
    assert 20 * math.log10(max(peaks)) == pytest.approx(true_peak_db(track), abs=1e-12)
    assert peak_between(track, 10, 10) == 0.0
    assert peak_between(np.zeros(100, np.float32), 0, 100) == 0.0


@pytest.mark.parametrize("width", [1, 2, 5, 17, 64])
def test_running_min_equals_the_naive_minimum(width: int) -> None:
    values = np.random.default_rng(width).uniform(0, 1, 500)
    naive = np.array([values[i : i + width].min() for i in range(len(values) - width + 1)])
    assert np.array_equal(loudness._running_min(values, width), naive)


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.float32, st.integers(1, 4000), elements=st.floats(-4, 4, width=32)),
    st.floats(-6.0, 0.0),
    st.sampled_from((8_000, 24_000, 44_100)),
)
def test_limiter_keeps_every_true_peak_under_the_ceiling(
    track: np.ndarray, ceiling_db: float, rate: int
) -> None:
    limited = limit(track, rate, ceiling_db)
    assert true_peak_db(limited) <= ceiling_db + 1e-4
    assert np.all(np.abs(limited) <= np.abs(track) + 1e-7)  # it only ever turns down


def test_limiter_touches_only_the_neighbourhood_of_peaks() -> None:
    rate = 24_000
    track = speechlike(rate, 4.0, 1) * 0.5
    track[30_000] = 0.99  # one click
    limited = limit(track, rate, -6.0)
    changed = np.flatnonzero(limited != track)
    assert changed.size
    assert changed.min() > 30_000 - rate // 20
    assert changed.max() < 30_000 + rate // 20
    assert true_peak_db(limited) <= -6.0 + 1e-4


def test_limiter_gain_moves_smoothly() -> None:
    rate = 24_000
    track = np.full(rate, 0.3, dtype=np.float32)
    track[12_000:12_050] = 0.95
    limited = limit(track, rate, -6.0)
    gain = limited / track
    # held for ±10 ms and averaged over 10 ms: no step bigger than a 240th of the reduction
    assert np.max(np.abs(np.diff(gain))) <= (1 - gain.min()) / 240 + 1e-6


@pytest.mark.parametrize("seed", range(3))
def test_the_limiters_later_passes_look_only_where_the_last_one_changed(seed: int) -> None:
    rng = np.random.default_rng(seed)
    levels = np.repeat(rng.uniform(0.05, 0.7, 96), 1000)
    track = (rng.standard_normal(len(levels)) * levels).astype(np.float32)
    reference = np.array(track)
    for _ in range(loudness.LIMIT_PASSES):  # every pass over the whole track
        where, gain = loudness._limit(reference, 24000, -1.5)
        if not len(where):
            break
        reference[where] = reference[where] * gain
    limited = loudness.limit(track, 24000, -1.5)
    assert np.array_equal(limited, reference)
    assert loudness.true_peak_db(limited) <= -1.5 + 1e-3
