"""The narration track on disk, mastered window by window.

A narration is laid out into a ``Track``: 16-bit mono PCM in an unnamed temporary file (gone
with the process, even one that is killed). Mastering reads it back in 10-second windows,
each with CONTEXT samples on either side, so memory stays the same for a three-minute
article and a three-hour edition:

1. measure: the integrated loudness (K-weighting carried from window to window, 100 ms step
   energies for the gating) and the true peak;
2. if the gain that brings the track to the target would lift a true peak over the ceiling,
   measure again with the gain and the look-ahead limiter, and make up what the limiter took
   (at most MAKEUP_PASSES times: the peak ceiling wins over the last tenths of a LU);
3. each pass with the gain writes its 16-bit PCM to a second unnamed file, and the last one
   written is what the encoder reads.

The limiter and the true-peak search only look a few hundred samples around a peak, far less
than CONTEXT, so a window's middle comes out as it would from the whole track at once.
"""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from ..engines.base import pcm16
from . import loudness

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from types import TracebackType

WINDOW_STEPS = 100  # a window is 100 gating steps of 100 ms
CONTEXT = 1 << 14  # samples read on either side of a window
MAKEUP_PASSES = 4
MAKEUP_LU = 0.3  # what the limiter may take before the gain is raised to make it up
LIMIT_BELOW_DB = 0.2  # the limiter aims this far under the ceiling
SILENCE = np.zeros(1 << 15, dtype="<i2").tobytes()


class Track:
    """Mono 16-bit PCM at ``rate``, appended to an unnamed temporary file."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.length = 0  # samples
        self.file = tempfile.TemporaryFile(prefix="newsvoice-track-")  # noqa: SIM115 - closed by close()

    def __enter__(self) -> Track:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.file.close()

    def append(self, pcm: bytes) -> None:
        """16-bit little-endian samples at the track's rate."""
        self.file.seek(0, os.SEEK_END)
        self.file.write(pcm)
        self.length += len(pcm) // 2

    def append_float(self, samples: np.ndarray) -> None:
        self.append(pcm16(samples))

    def silence(self, count: int) -> None:
        while count > 0:
            piece = min(count, len(SILENCE) // 2)
            self.append(SILENCE[: 2 * piece])
            count -= piece

    def read(self, start: int, stop: int) -> np.ndarray:
        """Samples ``start`` to ``stop`` as float32 in [-1, 1)."""
        self.file.seek(2 * start)
        data = self.file.read(2 * (stop - start))
        return np.frombuffer(data, dtype="<i2").astype(np.float32) / np.float32(32768.0)

    def windows(self, context: int) -> Iterator[tuple[np.ndarray, int, int]]:
        """Every window of the track with up to ``context`` samples on either side: yields
        the samples read and where the window itself lies among them."""
        size = WINDOW_STEPS * int(loudness.STEP_S * self.rate)
        for start in range(0, self.length, size):
            stop = min(start + size, self.length)
            first, last = max(0, start - context), min(self.length, stop + context)
            yield self.read(first, last), start - first, stop - first


@dataclass(frozen=True, slots=True)
class Mastering:
    """How a track is mastered, and what it then measures."""

    gain: float
    limit_db: float | None  # the limiter's ceiling, or None when it is not needed
    loudness: float  # LUFS
    peak_db: float  # dBTP


def _level(peak: float) -> float:
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def master_pass(
    track: Track, gain: float, limit_db: float | None, sink: Callable[[bytes], object] | None
) -> tuple[float, float]:
    """One pass over the track with ``gain`` and the limiter at ``limit_db`` (None: off):
    its loudness and true peak, and the 16-bit PCM handed to ``sink`` when one is given."""
    weighting = loudness.KWeighting(track.rate)
    meter = loudness.GatedMeter(track.rate)
    context = CONTEXT if limit_db is not None else 2 * loudness.PEAK_PAD
    peak = 0.0
    for window, start, stop in track.windows(context):
        samples = window * np.float32(gain) if gain != 1.0 else window
        if limit_db is not None:
            samples = loudness.limit(samples, track.rate, limit_db)
        middle = samples[start:stop]
        meter.add(weighting(middle.astype(np.float64)))
        peak = max(peak, loudness.peak_between(samples, start, stop))
        if sink is not None:
            sink(pcm16(middle))
    return meter.loudness(), _level(peak)


def master(track: Track, target_lufs: float, ceiling_db: float, pcm: BinaryIO) -> Mastering:
    """Write ``track`` to ``pcm`` as 16-bit PCM at ``target_lufs`` with no true peak over
    ``ceiling_db``; the peak ceiling wins when the two cannot both be met. The pass that is
    kept is the last one written, so a limited track is not limited once more to write it."""

    def written(gain: float, limit_db: float | None) -> Mastering:
        pcm.seek(0)
        pcm.truncate()
        measured, peak = master_pass(track, gain, limit_db, pcm.write)
        pcm.flush()
        pcm.seek(0)
        return Mastering(gain, limit_db, measured, peak)

    measured, peak = master_pass(track, 1.0, None, None)
    if not math.isfinite(measured):  # silence, or shorter than a gating block
        return written(1.0, None)
    gain_db = target_lufs - measured
    if peak + gain_db <= ceiling_db:
        return written(10 ** (gain_db / 20), None)
    limit_db = ceiling_db - LIMIT_BELOW_DB
    for _ in range(MAKEUP_PASSES):
        mastering = written(10 ** (gain_db / 20), limit_db)
        if target_lufs - mastering.loudness <= MAKEUP_LU:
            break
        gain_db += target_lufs - mastering.loudness
    return mastering
