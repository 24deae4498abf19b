"""The Engine protocol every text-to-speech backend implements, and the values it trades in.

An engine turns one short text (a sentence) into mono PCM. It loads its model lazily, says
what it can do (``caps``), checks before any work whether a voice can run here (``check``,
raising EngineUnavailable with a remedy), and raises SegmentFailed when one text fails.
Same ``(name, version, voice spec, text)`` ⇒ interchangeable audio: that is the cache key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class EngineCaps:
    sample_rate: int  # of the PCM the engine returns
    max_chars: int  # longest text it takes in one call
    parallel_safe: bool  # may run in several worker processes at once
    needs_network: bool  # every call goes over the network
    languages: tuple[str, ...] = ()  # primary language subtags; () means many or unknown


@dataclass(frozen=True, slots=True)
class VoiceInfo:
    id: str  # what --voice / a preset's `voice` names
    language: str  # BCP 47
    description: str = ""
    offline: bool = True  # usable without the network once installed
    installed: bool = True  # its model files are on this machine


@dataclass(frozen=True, slots=True)
class VoiceSpec:
    """How to speak: the engine's voice id, a speed factor (1.0 = the voice's own), and
    the language of the text."""

    voice: str
    speed: float = 1.0
    language: str = "en"


@dataclass(frozen=True, slots=True)
class AudioChunk:
    """Mono 16-bit little-endian PCM."""

    pcm: bytes
    sample_rate: int

    @property
    def frames(self) -> int:
        return len(self.pcm) // 2

    @property
    def duration_ms(self) -> float:
        return 1000.0 * self.frames / self.sample_rate


@runtime_checkable
class Engine(Protocol):
    name: ClassVar[str]
    version: ClassVar[str]  # change it when output for the same input changes

    @property
    def caps(self) -> EngineCaps: ...

    def check(self, voice: VoiceSpec) -> None:
        """Raise EngineUnavailable (with what to do) if ``voice`` cannot run here."""

    def voices(self) -> list[VoiceInfo]: ...

    def synthesize(self, text: str, voice: VoiceSpec) -> AudioChunk:
        """Speak ``text``; raise SegmentFailed when the engine fails on it."""
        ...


def one_line(exc: BaseException) -> str:
    """An engine library's exception as one line for a SegmentFailed message."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
