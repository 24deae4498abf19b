"""A stand-in engine for tests: a quiet 220 Hz tone, 40 ms per character of text.

Deterministic and dependency-free, so tests of timing, chapters, caching and failure
handling run in milliseconds. ``FakeEngine.calls`` counts synthesize calls (reset it to 0
in a test); a text containing ``FAIL-SEGMENT`` raises SegmentFailed.
"""

from __future__ import annotations

import math
import struct
from typing import ClassVar

from ..errors import EngineUnavailable, SegmentFailed
from .base import AudioChunk, BaseEngine, EngineCaps, VoiceInfo, VoiceSpec

SAMPLE_RATE = 16_000
TONE_HZ = 220  # a whole number of cycles per second, so whole seconds repeat seamlessly
AMPLITUDE = 0.3
MS_PER_CHAR = 40
VOICE_ID = "tone"
FAIL_MARKER = "FAIL-SEGMENT"

_CAPS = EngineCaps(
    sample_rate=SAMPLE_RATE,
    max_chars=500,
    parallel_safe=True,
    needs_network=False,
    languages=(),
)

# one second of the tone as s16le PCM; any length is a prefix of it repeated
_SECOND = struct.pack(
    f"<{SAMPLE_RATE}h",
    *(
        round(AMPLITUDE * 32767 * math.sin(2 * math.pi * TONE_HZ * i / SAMPLE_RATE))
        for i in range(SAMPLE_RATE)
    ),
)


def tone(duration_ms: int) -> bytes:
    """``duration_ms`` of the tone, starting at phase 0."""
    size = 2 * (SAMPLE_RATE * duration_ms // 1000)
    whole, rest = divmod(size, len(_SECOND))
    return _SECOND * whole + _SECOND[:rest]


class FakeEngine(BaseEngine):
    """Speaks any text as a tone whose length is proportional to the text."""

    name: ClassVar[str] = "fake"
    version: ClassVar[str] = "fake/1"
    CAPS: ClassVar[EngineCaps] = _CAPS
    calls: ClassVar[int] = 0  # synthesize calls in this process

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo(VOICE_ID, "und", f"a {TONE_HZ} Hz sine tone, for tests")]

    def check(self, voice: VoiceSpec) -> None:
        if voice.voice != VOICE_ID:
            raise EngineUnavailable(
                f"the fake engine has no voice {voice.voice!r}", hint=f"use {VOICE_ID!r}"
            )

    def synthesize(self, text: str, voice: VoiceSpec) -> AudioChunk:
        FakeEngine.calls += 1
        if FAIL_MARKER in text:
            raise SegmentFailed(f"the fake engine fails on {text[:40]!r} ({FAIL_MARKER})")
        return AudioChunk(tone(len(text) * MS_PER_CHAR), SAMPLE_RATE)
