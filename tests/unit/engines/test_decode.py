"""engines/decode.py: the engines' MP3 and WAV through pydub, and the tempo change."""

from __future__ import annotations

import shutil
import subprocess
import wave
from typing import TYPE_CHECKING

import numpy as np
import pytest

from newsvoice.engines import AudioChunk, decode
from newsvoice.errors import EngineUnavailable, SegmentFailed

if TYPE_CHECKING:
    from pathlib import Path

TEXT = "A sentence the engine spoke."


def _ffmpeg_bytes(*args: str) -> bytes:
    ffmpeg = shutil.which("ffmpeg")
    assert ffmpeg, "ffmpeg is installed by the project's setup"
    command = [ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "lavfi", *args, "pipe:1"]
    return subprocess.run(command, capture_output=True, check=True).stdout


def _tone_mp3(rate: int, seconds: float, channels: int = 1) -> bytes:
    return _ffmpeg_bytes(
        "-i", f"sine=frequency=330:sample_rate={rate}:duration={seconds}",
        "-ac", str(channels), "-f", "mp3",
    )  # fmt: skip


def test_mp3_is_decoded_to_mono_16_bit_at_its_rate() -> None:
    chunk = decode.mp3_to_pcm(_tone_mp3(24_000, 1.5, channels=2), engine="x", text=TEXT, hint="")
    assert chunk.sample_rate == 24_000
    assert 1450 <= chunk.duration_ms <= 1650  # the encoder's padding, not more
    pcm = np.frombuffer(chunk.pcm, dtype="<i2")
    assert int(np.abs(pcm.astype(np.int32)).max()) > 2000  # lavfi sine: 1/8 of full scale


def test_a_broken_mp3_is_a_segment_failure_naming_the_engine_and_text() -> None:
    with pytest.raises(SegmentFailed) as caught:
        decode.mp3_to_pcm(b"<html>rate limited</html>", engine="gTTS", text=TEXT, hint="later")
    message = str(caught.value)
    assert message.startswith("gTTS audio for 'A sentence the engine spoke.' cannot be decoded")
    assert "\n" not in message
    assert caught.value.hint == "later"


def _write_wav(path: Path, *, channels: int, width: int, rate: int, frames: bytes) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(width)
        out.setframerate(rate)
        out.writeframes(frames)


def test_wav_is_read_at_its_own_rate_and_made_mono_16_bit(tmp_path: Path) -> None:
    stereo_8_bit = bytes([128, 128, 200, 56] * 2205)  # 0.1 s at 22.05 kHz
    _write_wav(tmp_path / "a.wav", channels=2, width=1, rate=22_050, frames=stereo_8_bit)
    chunk = decode.wav_to_pcm(tmp_path / "a.wav", engine="espeak-ng", text=TEXT, hint="")
    assert chunk.sample_rate == 22_050
    assert chunk.frames == 4410
    assert len(chunk.pcm) == 2 * chunk.frames


@pytest.mark.parametrize("content", [b"", b"RIFF\x00\x00\x00\x00WAVEjunk", b"not audio"])
def test_an_unreadable_wav_is_a_segment_failure(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "bad.wav").write_bytes(content)
    with pytest.raises(SegmentFailed, match=r"espeak-ng audio for .* cannot be decoded"):
        decode.wav_to_pcm(tmp_path / "bad.wav", engine="espeak-ng", text=TEXT, hint="h")


def test_a_missing_wav_is_a_segment_failure(tmp_path: Path) -> None:
    with pytest.raises(SegmentFailed, match="cannot be decoded"):
        decode.wav_to_pcm(tmp_path / "none.wav", engine="espeak-ng", text=TEXT, hint="h")


@pytest.mark.parametrize(
    ("tempo", "low", "high"), [(2.0, 480, 560), (0.5, 1950, 2100), (4.0, 480, 560)]
)
def test_tempo_changes_the_length_not_the_rate(tempo: float, low: float, high: float) -> None:
    tone = decode.mp3_to_pcm(_tone_mp3(24_000, 1.0), engine="x", text=TEXT, hint="")
    changed = decode.change_tempo(tone, tempo, engine="x", text=TEXT)
    assert changed.sample_rate == 24_000
    assert low <= changed.duration_ms <= high  # 4.0 is held to atempo's 2.0


def test_tempo_one_and_silence_are_left_alone() -> None:
    chunk = AudioChunk(b"\x01\x00" * 100, 24_000)
    assert decode.change_tempo(chunk, 1.0, engine="x", text=TEXT) is chunk
    empty = AudioChunk(b"", 24_000)
    assert decode.change_tempo(empty, 1.5, engine="x", text=TEXT) is empty


def test_no_ffmpeg_is_an_engine_unavailable_with_the_install_hint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(decode, "ffmpeg_path", lambda: None)
    with pytest.raises(EngineUnavailable) as caught:
        decode.mp3_to_pcm(b"", engine="gTTS", text=TEXT, hint="")
    assert caught.value.message == "decoding gTTS's MP3 needs ffmpeg and none was found"
    assert "imageio-ffmpeg" in (caught.value.hint or "")
