"""Engine output → mono 16-bit PCM, through pydub: the MP3 that gTTS returns (pydub runs
ffmpeg, on PATH or the static one from imageio-ffmpeg), the WAV that espeak-ng writes (read
by pydub itself, no subprocess), and a tempo change with the pitch kept (ffmpeg's ``atempo``
through pydub's export).

Every failure is a SegmentFailed naming the engine and the text, never pydub's own exception.
"""

from __future__ import annotations

import io
import warnings
from functools import cache
from typing import TYPE_CHECKING, Any

from ..errors import EngineUnavailable, SegmentFailed, one_line
from ..io import ffmpeg_path
from .base import AudioChunk

if TYPE_CHECKING:
    from pathlib import Path

MIN_TEMPO, MAX_TEMPO = 0.5, 2.0  # ffmpeg atempo's range in one pass
_FFMPEG_HINT = "apt-get install ffmpeg, or pip install imageio-ffmpeg"


@cache
def _pydub() -> Any:
    """pydub's AudioSegment. Importing pydub warns that audioop is deprecated (Python 3.11,
    3.12) and that no ffmpeg is on PATH; neither matters here, so both are silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            from pydub import AudioSegment
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise EngineUnavailable("pydub is not installed", hint="pip install pydub") from exc
    return AudioSegment


def ffmpeg(what: str) -> str:
    """The ffmpeg that pydub will run, or EngineUnavailable saying ``what`` needs it."""
    found = ffmpeg_path()
    if found is None:
        raise EngineUnavailable(f"{what} needs ffmpeg and none was found", hint=_FFMPEG_HINT)
    return found


def _pcm(segment: Any) -> AudioChunk:
    mono = segment.set_channels(1).set_sample_width(2)
    return AudioChunk(bytes(mono.raw_data), int(mono.frame_rate))


def _segment_failed(engine: str, text: str, exc: BaseException, hint: str) -> SegmentFailed:
    return SegmentFailed(
        f"{engine} audio for {text[:40]!r} cannot be decoded ({one_line(exc)})", hint=hint
    )


def mp3_to_pcm(data: bytes, *, engine: str, text: str, hint: str) -> AudioChunk:
    """Decode MP3 bytes (``engine`` made them for ``text``) to mono 16-bit PCM at its rate."""
    segment_class = _pydub()
    segment_class.converter = ffmpeg(f"decoding {engine}'s MP3")
    try:
        # the codec named: pydub then skips its ffprobe call (imageio-ffmpeg has no ffprobe)
        segment = segment_class.from_file(io.BytesIO(data), format="mp3", codec="mp3")
    except Exception as exc:  # pydub raises CouldntDecodeError, OSError, IndexError
        raise _segment_failed(engine, text, exc, hint) from exc
    return _pcm(segment)


def wav_to_pcm(path: Path, *, engine: str, text: str, hint: str) -> AudioChunk:
    """Read the WAV file ``engine`` wrote for ``text`` as mono 16-bit PCM at its own rate."""
    segment_class = _pydub()
    try:
        segment = segment_class.from_wav(io.BytesIO(path.read_bytes()))  # pydub leaves a path open
    except Exception as exc:  # CouldntDecodeError, OSError, EOFError, wave.Error
        raise _segment_failed(engine, text, exc, hint) from exc
    return _pcm(segment)


def change_tempo(chunk: AudioChunk, tempo: float, *, engine: str, text: str) -> AudioChunk:
    """``chunk`` played ``tempo`` times as fast, the pitch kept (0.5 ≤ tempo ≤ 2; ffmpeg's
    atempo filter, run by pydub)."""
    tempo = max(MIN_TEMPO, min(MAX_TEMPO, tempo))
    if tempo == 1.0 or not chunk.pcm:
        return chunk
    segment_class = _pydub()
    segment_class.converter = ffmpeg(f"changing {engine}'s tempo")
    source = segment_class(data=chunk.pcm, sample_width=2, frame_rate=chunk.sample_rate, channels=1)
    try:
        out = source.export(
            io.BytesIO(), format="wav", parameters=["-filter:a", f"atempo={tempo:.4f}"]
        )
        stretched = segment_class.from_wav(out)
    except Exception as exc:  # CouldntEncodeError, OSError
        raise _segment_failed(engine, text, exc, "try the voice's own speed (1.0)") from exc
    return _pcm(stretched)
