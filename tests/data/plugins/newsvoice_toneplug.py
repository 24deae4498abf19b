"""A third-party engine written against newsvoice's first plugin API: the bare ``Engine``
protocol (no BaseEngine) registered in the old entry-point group ``newsvoice.engines``.
It speaks every sentence as a 330 Hz tone, 30 ms per character."""

from __future__ import annotations

import math
import struct
from typing import ClassVar

from newsvoice.engines.base import AudioChunk, EngineCaps, VoiceInfo, VoiceSpec
from newsvoice.errors import EngineUnavailable

RATE = 16_000


class ToneEngine:
    name: ClassVar[str] = "toneplug"
    version: ClassVar[str] = "toneplug 0.1"

    @property
    def caps(self) -> EngineCaps:
        return EngineCaps(RATE, 400, True, False)

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo("beep", "en", "a 330 Hz tone")]

    def check(self, voice: VoiceSpec) -> None:
        if voice.voice != "beep":
            raise EngineUnavailable(f"toneplug has no voice {voice.voice!r}")

    def synthesize(self, text: str, voice: VoiceSpec) -> AudioChunk:
        frames = RATE * 30 * len(text) // 1000
        samples = (round(8000 * math.sin(2 * math.pi * 330 * i / RATE)) for i in range(frames))
        return AudioChunk(struct.pack(f"<{frames}h", *samples), RATE)
