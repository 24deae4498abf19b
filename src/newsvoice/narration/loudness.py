"""Loudness (ITU-R BS.1770-4) and true peak, in numpy alone.

The K-weighting filter (a high shelf and a high pass, RBJ biquads designed for the track's
sample rate, as BS.1770 specifies them for 48 kHz) is applied by FFT convolution with its
impulse response, truncated after 50 ms, where its energy has fallen below 1e-11 of the
whole (the loudness of speech moves by less than 1e-6 LU). Gating: 400 ms blocks every
100 ms, −70 LUFS absolute, −10 LU relative. ``KWeighting`` and ``GatedMeter`` measure a track
that arrives in pieces, holding only the filter's tail and one number per 100 ms step, and
agree with ``integrated_loudness`` on the whole track.
True peak: 4× oversampling by a windowed-sinc interpolator, computed only around the samples
that could hold a peak near the level asked about. The limiter works on the oversampled
envelope and touches only the neighbourhood of a peak (``render/track.py`` runs it window by
window).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

ABSOLUTE_GATE = -70.0
RELATIVE_GATE = -10.0
BLOCK_S = 0.4
STEP_S = 0.1
IMPULSE_S = 0.05
OVERSAMPLE = 4
# How far a true peak may rise above its neighbouring samples. Band-limited speech stays far
# below this; a contrived signal (one full-scale sample amid a ±0.6 pattern) can exceed it,
# and then the true peak is underestimated.
INTERSAMPLE_DB = 3.5
PEAK_PAD = 32  # samples of context around a candidate peak
LIMIT_PASSES = 4
CEILING_SLACK = 1e-5  # 0.0001 dB: a peak this close to the ceiling is at it


def _biquad_shelf(rate: int) -> tuple[list[float], list[float]]:
    gain_db, q, fc = 4.0, 1 / math.sqrt(2), 1500.0
    a = 10 ** (gain_db / 40)
    w0 = 2 * math.pi * fc / rate
    alpha = math.sin(w0) / (2 * q)
    cos = math.cos(w0)
    b = [
        a * ((a + 1) + (a - 1) * cos + 2 * math.sqrt(a) * alpha),
        -2 * a * ((a - 1) + (a + 1) * cos),
        a * ((a + 1) + (a - 1) * cos - 2 * math.sqrt(a) * alpha),
    ]
    den = [
        (a + 1) - (a - 1) * cos + 2 * math.sqrt(a) * alpha,
        2 * ((a - 1) - (a + 1) * cos),
        (a + 1) - (a - 1) * cos - 2 * math.sqrt(a) * alpha,
    ]
    return b, den


def _biquad_highpass(rate: int) -> tuple[list[float], list[float]]:
    q, fc = 0.5, 38.0
    w0 = 2 * math.pi * fc / rate
    alpha = math.sin(w0) / (2 * q)
    cos = math.cos(w0)
    b = [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2]
    den = [1 + alpha, -2 * cos, 1 - alpha]
    return b, den


def _impulse(b: list[float], a: list[float], length: int) -> np.ndarray:
    """The first ``length`` samples of a biquad's impulse response."""
    b0, b1, b2 = (v / a[0] for v in b)
    a1, a2 = a[1] / a[0], a[2] / a[0]
    out = np.zeros(length)
    x1 = x2 = y1 = y2 = 0.0
    for n in range(length):
        x0 = 1.0 if n == 0 else 0.0
        y0 = b0 * x0 + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        out[n] = y0
        x2, x1, y2, y1 = x1, x0, y1, y0
    return out


_KERNELS: dict[int, np.ndarray] = {}


def k_kernel(rate: int) -> np.ndarray:
    """Impulse response of the K-weighting filter at ``rate``."""
    kernel = _KERNELS.get(rate)
    if kernel is None:
        length = int(rate * IMPULSE_S)
        shelf = _impulse(*_biquad_shelf(rate), length)
        highpass = _impulse(*_biquad_highpass(rate), length)
        kernel = np.convolve(shelf, highpass)[:length]
        _KERNELS[rate] = kernel
    return kernel


FFT_BLOCK = 1 << 13  # at least; four times the kernel when that is longer
FFT_BATCH = 8  # blocks transformed together


def _fft_convolve(signal: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """``signal`` filtered by the FIR ``kernel`` (causal, same length as ``signal``): overlap-
    save in cache-sized blocks, several blocks to one FFT call."""
    taps, size = len(kernel), len(signal)
    block = max(FFT_BLOCK, 1 << (4 * taps - 1).bit_length())
    step = block - taps + 1
    count = max(1, -(-size // step))
    padded = np.zeros((count - 1) * step + block)
    padded[taps - 1 : taps - 1 + size] = signal
    frames = np.lib.stride_tricks.sliding_window_view(padded, block)
    response = np.fft.rfft(kernel, block)
    out = np.empty(count * step)
    for first in range(0, count, FFT_BATCH):
        batch = frames[first * step : (first + FFT_BATCH) * step : step]
        pieces = np.fft.irfft(np.fft.rfft(batch, axis=1) * response, block, axis=1)
        out[first * step : first * step + pieces.shape[0] * step] = pieces[:, taps - 1 :].ravel()
    return out[:size]


class _Ranges(NamedTuple):
    """Ranges of a track around groups of sorted indices, laid end to end in one array."""

    lengths: np.ndarray  # of each range
    source: np.ndarray  # the track index of every position in the joined array
    within: np.ndarray  # every position's offset inside its own range
    position: np.ndarray  # where each of the grouped indices sits in the joined array


def _ranges(where: np.ndarray, gap: int, before: int, after: int, size: int) -> _Ranges:
    """Group the sorted indices ``where`` (a new group wherever two are more than ``gap``
    apart), take ``before`` samples ahead of each group and ``after`` behind it, within
    ``size``, and join the ranges end to end."""
    breaks = np.flatnonzero(np.diff(where) > gap)
    starts = np.maximum(0, where[np.concatenate(([0], breaks + 1))] - before)
    ends = np.minimum(size, where[np.concatenate((breaks, [len(where) - 1]))] + after + 1)
    lengths = ends - starts
    offsets = np.cumsum(lengths) - lengths  # where each range begins in the joined array
    within = np.arange(int(lengths.sum())) - np.repeat(offsets, lengths)
    group = np.repeat(
        np.arange(len(starts)), np.diff(np.concatenate(([0], breaks + 1, [len(where)])))
    )
    return _Ranges(
        lengths,
        within + np.repeat(starts, lengths),
        within,
        where - starts[group] + offsets[group],
    )


def _gated(weighted: np.ndarray, rate: int) -> float:
    block = int(BLOCK_S * rate)
    step = int(STEP_S * rate)
    if len(weighted) < block:
        return -math.inf
    if block == 4 * step:  # 400 ms blocks are four 100 ms steps: square and sum each step once
        steps = len(weighted) // step
        parts = np.einsum("ij,ij->i", *(weighted[: steps * step].reshape(steps, step),) * 2)
        power = (parts[:-3] + parts[1:-2] + parts[2:-1] + parts[3:]) / block
    else:
        energy = np.concatenate(([0.0], np.cumsum(weighted * weighted)))
        starts = np.arange(0, len(weighted) - block + 1, step)
        power = (energy[starts + block] - energy[starts]) / block
    return _gate(power)


def _gate(power: np.ndarray) -> float:
    """Integrated loudness from the mean square of every gating block."""
    if not len(power):
        return -math.inf
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10 * np.log10(power)
    gated = power[levels >= ABSOLUTE_GATE]
    if not len(gated):
        return -math.inf
    relative = -0.691 + 10 * math.log10(float(np.mean(gated))) + RELATIVE_GATE
    final = power[(levels >= ABSOLUTE_GATE) & (levels >= relative)]
    return -0.691 + 10 * math.log10(float(np.mean(final)))


class KWeighting:
    """The K-weighting filter over a signal that arrives in pieces: overlap-save with the
    last taps − 1 samples carried over, so the pieces' outputs, joined, are the whole
    signal's."""

    def __init__(self, rate: int) -> None:
        self.kernel = k_kernel(rate)
        self.tail = np.zeros(len(self.kernel) - 1)

    def __call__(self, piece: np.ndarray) -> np.ndarray:
        joined = np.concatenate((self.tail, piece))
        self.tail = joined[len(joined) - len(self.tail) :]
        return _fft_convolve(joined, self.kernel)[len(joined) - len(piece) :]


class GatedMeter:
    """Integrated loudness of a K-weighted signal that arrives in pieces, holding only the
    energy of each 100 ms step (and, when a 400 ms block is not a whole number of steps, of
    the first samples of each step that a block reaches into): the same blocks as
    ``integrated_loudness``."""

    def __init__(self, rate: int) -> None:
        self.step = int(STEP_S * rate)
        self.block = int(BLOCK_S * rate)
        self.whole, self.reach = divmod(self.block, self.step)  # a block: whole steps + reach
        self.length = 0
        self.pending = np.zeros(0)  # the samples of the step under way
        self.sums: list[np.ndarray] = []
        self.heads: list[np.ndarray] = []

    def add(self, piece: np.ndarray) -> None:
        self.length += len(piece)
        pending = np.concatenate((self.pending, piece))
        count = len(pending) // self.step
        if count:
            steps = pending[: count * self.step].reshape(count, self.step)
            self.sums.append(np.einsum("ij,ij->i", steps, steps))
            head = steps[:, : self.reach]
            self.heads.append(np.einsum("ij,ij->i", head, head))
        self.pending = pending[count * self.step :]

    def loudness(self) -> float:
        if self.length < self.block:
            return -math.inf
        sums = np.concatenate(self.sums)
        heads = np.concatenate(self.heads)
        if len(self.pending) >= self.reach:
            head = self.pending[: self.reach]
            heads = np.concatenate((heads, [float(np.dot(head, head))]))
        blocks = (self.length - self.block) // self.step + 1
        energy = np.convolve(sums, np.ones(self.whole), "valid")[:blocks]
        if self.reach:
            energy = energy + heads[self.whole : self.whole + blocks]
        return _gate(energy / self.block)


def integrated_loudness(track: np.ndarray, rate: int) -> float:
    """Gated integrated loudness of a mono track, in LUFS (−inf for silence)."""
    if len(track) < int(BLOCK_S * rate):
        return -math.inf
    return _gated(_fft_convolve(track, k_kernel(rate)), rate)


def _interpolator() -> np.ndarray:
    """A 4× windowed-sinc interpolation filter (Kaiser window, 12 taps a phase)."""
    taps = 12 * OVERSAMPLE
    n = np.arange(-taps, taps + 1)
    return np.sinc(n / OVERSAMPLE) * np.kaiser(len(n), 8.0)


_FILTER = _interpolator()


def _phases() -> list[tuple[np.ndarray, int]]:
    """The interpolator split into its OVERSAMPLE phases, each a short FIR on the original
    samples, with the offset that centres it."""
    half = len(_FILTER) // 2
    phases = []
    for phase in range(OVERSAMPLE):
        first = -((half + phase) // OVERSAMPLE)
        last = (half - phase) // OVERSAMPLE
        taps = _FILTER[half + phase + OVERSAMPLE * np.arange(first, last + 1)]
        phases.append((taps, -first))
    return phases


_PHASES = _phases()


def _peak_magnitudes(track: np.ndarray) -> np.ndarray:
    """Per sample, the largest magnitude among it and the OVERSAMPLE − 1 interpolated points
    after it (polyphase: each phase is a short convolution of the samples themselves)."""
    out: np.ndarray = np.abs(track)
    for taps, shift in _PHASES[1:]:  # phase 0 is the sample itself (sinc is 0 at integers)
        full = np.convolve(track, taps)
        np.maximum(out, np.abs(full[shift : shift + len(track)]), out=out)
    return out


def _true_peaks(
    track: np.ndarray, level: float, near: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The indices (sorted) of the samples whose true peak, the largest magnitude among the
    sample and the points interpolated after it, reaches ``level``, and those peaks. Only
    samples within INTERSAMPLE_DB of ``level`` are candidates (and with ``near``, sorted
    indices, only those within PEAK_PAD of one of them): ranges of PEAK_PAD samples around
    them are joined end to end and oversampled in one pass; a range's edges, which see its
    neighbour's samples, are not used."""
    hits = np.flatnonzero(np.abs(track) >= level * 10 ** (-INTERSAMPLE_DB / 20))
    if near is not None and len(hits):
        hits = hits[_within(hits, near, PEAK_PAD)]
    if not len(hits):
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    ranges = _ranges(hits, 2 * PEAK_PAD, PEAK_PAD, PEAK_PAD, len(track))
    source, within = ranges.source, ranges.within
    peaks = _peak_magnitudes(track[source].astype(np.float64))
    margin = PEAK_PAD // 2
    inner = (within >= margin) & (within < np.repeat(ranges.lengths, ranges.lengths) - margin)
    inner |= (source < margin) | (source >= len(track) - margin)  # true edges of the track
    keep = inner & (peaks >= level)
    return source[keep], peaks[keep]


def _within(values: np.ndarray, sorted_points: np.ndarray, distance: int) -> np.ndarray:
    """A mask of the ``values`` within ``distance`` of one of ``sorted_points``."""
    if not len(sorted_points):
        return np.zeros(len(values), dtype=bool)
    after = np.searchsorted(sorted_points, values)
    right = sorted_points[np.minimum(after, len(sorted_points) - 1)]
    left = sorted_points[np.maximum(after - 1, 0)]
    mask: np.ndarray = (np.abs(right - values) <= distance) | (np.abs(values - left) <= distance)
    return mask


def true_peak_db(track: np.ndarray) -> float:
    """True peak in dBTP (4× oversampling)."""
    if not len(track):
        return -math.inf
    loudest = float(np.max(np.abs(track)))
    if loudest <= 0:
        return -math.inf
    _, peaks = _true_peaks(track, loudest)
    return 20 * math.log10(max(loudest, float(np.max(peaks, initial=0.0))))


def peak_between(track: np.ndarray, start: int, stop: int) -> float:
    """The largest true-peak magnitude (linear) among ``track[start:stop]``, oversampled with
    the samples around them: a window of a longer track, with context on either side."""
    if stop <= start:
        return 0.0
    loudest = float(np.max(np.abs(track[start:stop])))
    if loudest <= 0:
        return 0.0
    where, peaks = _true_peaks(track, loudest)
    inside = (where >= start) & (where < stop)
    return max(loudest, float(np.max(peaks[inside], initial=0.0)))


def _running_min(values: np.ndarray, width: int) -> np.ndarray:
    """The minimum of every ``width`` consecutive values (van Herk/Gil-Werman: prefix and
    suffix minima inside blocks of ``width``, so the cost does not grow with the width)."""
    count = len(values) - width + 1
    blocks = -(-len(values) // width) + 1
    padded = np.full(blocks * width, np.inf)
    padded[: len(values)] = values
    rows = padded.reshape(blocks, width)
    prefix = np.minimum.accumulate(rows, axis=1).ravel()
    suffix = np.minimum.accumulate(rows[:, ::-1], axis=1)[:, ::-1].ravel()
    return np.minimum(suffix[:count], prefix[width - 1 : width - 1 + count])


def _limiter_gain(
    where: np.ndarray, needed: np.ndarray, size: int, half: int
) -> tuple[np.ndarray, np.ndarray]:
    """The limiter's gain around the samples ``where`` that need gain ``needed`` (< 1): held
    at its minimum over ±``half`` samples, then averaged over ``half``+1 samples, so it never
    exceeds the gain needed anywhere near. Returns the indices it covers and the gain there
    (elsewhere it is 1). The ranges around each group of samples are joined end to end:
    they begin and end in unity gain, so the joins change nothing."""
    width = half + 1
    reach = 2 * half + width
    ranges = _ranges(where, 2 * reach, reach, reach, size)
    gain = np.ones(len(ranges.source))
    gain[ranges.position] = needed
    held = _running_min(np.pad(gain, half, constant_values=1.0), 2 * half + 1)
    edge = np.pad(held, (width // 2, width - 1 - width // 2), mode="edge")
    sums = np.concatenate(([0.0], np.cumsum(edge)))
    smooth = (sums[width:] - sums[:-width]) / width
    return ranges.source, np.minimum(smooth, gain)


def _limit(
    track: np.ndarray, rate: int, ceiling_db: float, near: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Where the limiter acts, and its gain there (``near``: look only around these samples,
    the ones the last pass changed; a true peak depends on the samples within the
    interpolator's 12 on either side, so no other can have changed)."""
    ceiling = 10 ** (ceiling_db / 20)
    where, peaks = _true_peaks(track, ceiling, near)
    over = peaks > ceiling * (1 + CEILING_SLACK)  # (float32 rounding alone: done)
    if not over.any():
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return _limiter_gain(where[over], ceiling / peaks[over], len(track), max(1, rate // 100))


def limit(track: np.ndarray, rate: int, ceiling_db: float) -> np.ndarray:
    """A look-ahead limiter on the oversampled envelope: no true peak passes the ceiling, and
    the gain moves smoothly over about 10 ms. Only the samples near a peak are touched."""
    out = np.array(track, dtype=np.float32)
    changed = None
    for _ in range(LIMIT_PASSES):  # a changing gain can itself raise an inter-sample peak a
        where, gain = _limit(out, rate, ceiling_db, changed)  # hair: look again, near it
        if not len(where):
            break
        touched = gain < 1
        out[where] = out[where] * gain
        changed = where[touched]
    return out


def resample(track: np.ndarray, source: int, target: int) -> np.ndarray:
    """Fourier resampling (for joining engines with different sample rates)."""
    if source == target or not len(track):
        return track
    length = round(len(track) * target / source)
    spectrum = np.fft.rfft(track)
    size = length // 2 + 1
    resized = np.zeros(size, dtype=complex)
    keep = min(size, len(spectrum))
    resized[:keep] = spectrum[:keep]
    return np.asarray(np.fft.irfft(resized, length) * (length / len(track)), dtype=np.float32)
