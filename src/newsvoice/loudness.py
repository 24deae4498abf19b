"""Loudness (ITU-R BS.1770-4) and true peak, in numpy alone.

The K-weighting filter (a high shelf and a high pass, RBJ biquads designed for the track's
sample rate, as BS.1770 specifies them for 48 kHz) is applied by FFT convolution with its
impulse response, truncated after 0.25 s where it has decayed far below the measurement's
resolution. Gating: 400 ms blocks every 100 ms, −70 LUFS absolute, −10 LU relative.
True peak: 4× oversampling by a windowed-sinc interpolator, computed only around the samples
that could hold a peak near the level asked about.
"""

from __future__ import annotations

import math

import numpy as np

ABSOLUTE_GATE = -70.0
RELATIVE_GATE = -10.0
BLOCK_S = 0.4
STEP_S = 0.1
IMPULSE_S = 0.25
OVERSAMPLE = 4
# How far a true peak may rise above its neighbouring samples. Band-limited speech stays far
# below this; a contrived signal (one full-scale sample amid a ±0.6 pattern) can exceed it,
# and then the true peak is underestimated.
INTERSAMPLE_DB = 3.5
PEAK_PAD = 32  # samples of context around a candidate peak


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


FFT_BLOCK = 1 << 16


def _fft_convolve(signal: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """``signal`` filtered by the FIR ``kernel`` (overlap-save in cache-sized blocks)."""
    taps = len(kernel)
    block = max(FFT_BLOCK, 1 << (2 * taps - 1).bit_length())
    step = block - taps + 1
    response = np.fft.rfft(kernel, block)
    padded = np.concatenate((np.zeros(taps - 1), signal, np.zeros(block)))
    out = np.empty(len(signal))
    for start in range(0, len(signal), step):
        piece = np.fft.irfft(np.fft.rfft(padded[start : start + block]) * response, block)
        count = min(step, len(signal) - start)
        out[start : start + count] = piece[taps - 1 : taps - 1 + count]
    return out


def integrated_loudness(track: np.ndarray, rate: int) -> float:
    """Gated integrated loudness of a mono track, in LUFS (−inf for silence)."""
    block = int(BLOCK_S * rate)
    step = int(STEP_S * rate)
    if len(track) < block:
        return -math.inf
    weighted = _fft_convolve(track.astype(np.float64), k_kernel(rate))
    energy = np.concatenate(([0.0], np.cumsum(weighted * weighted)))
    starts = np.arange(0, len(track) - block + 1, step)
    power = (energy[starts + block] - energy[starts]) / block
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10 * np.log10(power)
    gated = power[levels >= ABSOLUTE_GATE]
    if not len(gated):
        return -math.inf
    relative = -0.691 + 10 * math.log10(float(np.mean(gated))) + RELATIVE_GATE
    final = power[(levels >= ABSOLUTE_GATE) & (levels >= relative)]
    return -0.691 + 10 * math.log10(float(np.mean(final)))


def _interpolator() -> np.ndarray:
    """A 4× windowed-sinc interpolation filter (Kaiser window, 12 taps a phase)."""
    taps = 12 * OVERSAMPLE
    n = np.arange(-taps, taps + 1)
    return np.sinc(n / OVERSAMPLE) * np.kaiser(len(n), 8.0)


_FILTER = _interpolator()


def _oversample(track: np.ndarray) -> np.ndarray:
    stuffed = np.zeros(len(track) * OVERSAMPLE)
    stuffed[::OVERSAMPLE] = track
    half = len(_FILTER) // 2
    padded = np.concatenate((stuffed, np.zeros(half)))
    return _fft_convolve(padded, _FILTER)[half:]


def _windows(track: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Start indices and lengths of merged ranges around every sample at or above
    ``threshold`` (each with PEAK_PAD samples of context on both sides)."""
    hits = np.flatnonzero(np.abs(track) >= threshold)
    if not len(hits):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    breaks = np.flatnonzero(np.diff(hits) > 2 * PEAK_PAD)
    firsts = hits[np.concatenate(([0], breaks + 1))]
    lasts = hits[np.concatenate((breaks, [len(hits) - 1]))]
    starts = np.maximum(0, firsts - PEAK_PAD)
    ends = np.minimum(len(track), lasts + PEAK_PAD + 1)
    return starts, ends - starts


def envelope(track: np.ndarray, level: float) -> np.ndarray:
    """Per sample, the largest oversampled magnitude around it, worked out only where a true
    peak could reach ``level``; elsewhere the plain magnitude. The candidate ranges are
    joined end to end and oversampled in one pass; a range's edges, which see its
    neighbour's samples, are not written back."""
    out: np.ndarray = np.abs(track).astype(np.float64)
    starts, lengths = _windows(track, level * 10 ** (-INTERSAMPLE_DB / 20))
    if not len(starts):
        return out
    total = int(lengths.sum())
    offsets = np.cumsum(lengths) - lengths  # where each range begins in the joined array
    within = np.arange(total) - np.repeat(offsets, lengths)
    source = within + np.repeat(starts, lengths)
    joined = track[source].astype(np.float64)
    over = np.abs(_oversample(joined)).reshape(-1, OVERSAMPLE).max(axis=1)
    margin = PEAK_PAD // 2
    inner = (within >= margin) & (within < np.repeat(lengths, lengths) - margin)
    inner |= (source < margin) | (source >= len(track) - margin)  # true edges of the track
    where = source[inner]
    out[where] = np.maximum(out[where], over[inner])
    return out


def true_peak_db(track: np.ndarray) -> float:
    """True peak in dBTP (4× oversampling)."""
    if not len(track):
        return -math.inf
    loudest = float(np.max(np.abs(track)))
    if loudest <= 0:
        return -math.inf
    return 20 * math.log10(float(np.max(envelope(track, loudest))))


def _smoothed_gain(gain: np.ndarray, half: int) -> np.ndarray:
    """The gain held at its minimum over ±``half`` samples, then averaged over ``half``+1
    samples (so it never exceeds the gain needed anywhere near): computed only around the
    samples that need less than unity gain."""
    out = gain.copy()
    low = np.flatnonzero(gain < 1.0)
    if not len(low):
        return out
    width = half + 1
    reach = 2 * half + width
    breaks = np.flatnonzero(np.diff(low) > 2 * reach) + 1
    for group in np.split(low, breaks):
        start = max(0, int(group[0]) - reach)
        end = min(len(gain), int(group[-1]) + reach + 1)
        padded = np.pad(gain[start:end], half, constant_values=1.0)
        held = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1).min(axis=1)
        edge = np.pad(held, (width // 2, width - 1 - width // 2), mode="edge")
        sums = np.concatenate(([0.0], np.cumsum(edge)))
        out[start:end] = (sums[width:] - sums[:-width]) / width
    return out


def limit(track: np.ndarray, rate: int, ceiling_db: float) -> np.ndarray:
    """A look-ahead limiter on the oversampled envelope: no true peak passes the ceiling, and
    the gain moves smoothly over about 10 ms."""
    ceiling = 10 ** (ceiling_db / 20)
    gain = np.minimum(1.0, ceiling / np.maximum(envelope(track, ceiling), 1e-12))
    smooth = _smoothed_gain(gain, max(1, rate // 100))
    return np.asarray(track * np.minimum(smooth, gain), dtype=np.float32)


def normalise(
    track: np.ndarray, rate: int, target_lufs: float, ceiling_db: float
) -> tuple[np.ndarray, float, float]:
    """The track at ``target_lufs`` with true peaks under ``ceiling_db``; returns it with its
    measured loudness and true peak. The peak ceiling wins: when the limiter has to take
    more than the make-up gain may give back, the track ends a little quieter."""
    loudness = integrated_loudness(track, rate)
    if not math.isfinite(loudness):
        return track, loudness, true_peak_db(track)
    out = np.asarray(track * 10 ** ((target_lufs - loudness) / 20), dtype=np.float32)
    loudness = target_lufs
    for _ in range(4):
        if true_peak_db(out) <= ceiling_db:
            return out, loudness, true_peak_db(out)
        out = limit(out, rate, ceiling_db - 0.2)
        loudness = integrated_loudness(out, rate)
        if target_lufs - loudness > 0.3:  # make up what the limiter took, then look again
            out = np.asarray(out * 10 ** ((target_lufs - loudness) / 20), dtype=np.float32)
            loudness = target_lufs
    if true_peak_db(out) > ceiling_db:
        out = limit(out, rate, ceiling_db - 0.2)
        loudness = integrated_loudness(out, rate)
    return out, loudness, true_peak_db(out)


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
