"""hibari-tts: the default engine. Its "heart" voice ships inside the wheel and runs offline.

The other hibari voices are downloaded from Hugging Face the first time they are used, so
``check`` refuses them until they are in hibari's cache: newsvoice never downloads a model
behind the user's back. One model per voice per process, with one ONNX thread (parallelism
comes from worker processes). ``seed=0`` makes the output bit-identical from run to run.
"""

from __future__ import annotations

import threading
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
    from collections.abc import Mapping

SAMPLE_RATE = 24_000
DEFAULT_VOICE = "heart"
MIN_SPEED, MAX_SPEED = 0.5, 2.0  # the range hibari documents
_REVISION = 1  # bump when newsvoice changes how it calls hibari
_INSTALL_HINT = "pip install hibari-tts"


_CAPS = EngineCaps(
    sample_rate=SAMPLE_RATE,
    max_chars=500,
    parallel_safe=True,
    needs_network=False,
    languages=("en",),
)

_models: dict[str, Any] = {}  # voice id -> hibari.Hibari, loaded on first use
_models_lock = threading.Lock()
_g2p_lock = threading.Lock()


def _registry() -> Mapping[str, Mapping[str, Any]]:
    try:
        from hibari import voices
    except ImportError as exc:
        raise EngineUnavailable("hibari-tts is not installed", hint=_INSTALL_HINT) from exc
    registry: Mapping[str, Mapping[str, Any]] = voices.VOICES
    return registry


def _is_installed(name: str) -> bool:
    from hibari import voices

    try:
        voices.voice_path(name, download_missing=False)
    except FileNotFoundError:
        return False
    return True


def _describe(entry: Mapping[str, Any]) -> str:
    accent = str(entry.get("accent", "")).strip()
    gender = str(entry.get("gender", "")).strip()
    language = str(entry.get("language", "en"))
    return " ".join(part for part in (accent, gender) if part) + f" ({language})"


def _model(voice: str) -> Any:
    with _models_lock:
        model = _models.get(voice)
        if model is None:
            import hibari

            model = hibari.Hibari(voice=voice, threads=1)
            _models[voice] = model
        return model


class HibariEngine(BaseEngine):
    """hibari-tts voices; English text only. The models are shared by the process's threads."""

    name: ClassVar[str] = "hibari"
    version: ClassVar[str] = f"{distribution_versions('hibari-tts')}/{_REVISION}"
    CAPS: ClassVar[EngineCaps] = _CAPS
    requires: ClassVar[tuple[str, ...]] = ("hibari",)
    install_hint: ClassVar[str] = _INSTALL_HINT

    def reset(self) -> None:
        with _models_lock:
            _models.clear()

    def voices(self) -> list[VoiceInfo]:
        try:
            registry = _registry()
        except EngineUnavailable:
            return []
        found = []
        for name, entry in registry.items():
            installed = _is_installed(name)
            found.append(
                VoiceInfo(
                    id=name,
                    language=str(entry.get("language", "en")),
                    description=_describe(entry),
                    offline=installed,
                    installed=installed,
                )
            )
        return found

    def check(self, voice: VoiceSpec) -> None:
        registry = _registry()
        if voice.voice not in registry:
            raise EngineUnavailable(
                f"hibari has no voice {voice.voice!r}",
                hint=f"known voices: {', '.join(registry)}",
            )
        if not voice.language.lower().startswith("en"):
            raise EngineUnavailable(
                f"hibari speaks English only, not {voice.language!r}",
                hint="use --engine espeak for other languages",
            )
        if not MIN_SPEED <= voice.speed <= MAX_SPEED:
            raise EngineUnavailable(
                f"hibari cannot speak at speed {voice.speed}",
                hint=f"use a speed from {MIN_SPEED} to {MAX_SPEED}",
            )
        if not _is_installed(voice.voice):
            raise EngineUnavailable(
                f"hibari voice {voice.voice!r} is not installed and would be downloaded from"
                " Hugging Face on first use; this needs the network",
                hint=f"use the bundled voice {DEFAULT_VOICE!r}, or download it once with network "
                f'access: hibari "hello" --voice {voice.voice} -o /tmp/hello.wav',
            )

    def synthesize(self, text: str, voice: VoiceSpec) -> AudioChunk:
        if not text.strip():
            return AudioChunk(b"", SAMPLE_RATE)
        import numpy as np

        try:
            model = _model(voice.voice)
            with _g2p_lock:  # the G2P is Python and shared; the ONNX runs in parallel
                phonemes = model.phonemize(text)
            rng = np.random.default_rng(0)  # as hibari's own seed=0: bit-identical output
            parts = [model.from_ids(model.ids(p), voice.speed, rng) for p in phonemes]
            audio = np.concatenate(parts) if parts else np.zeros(0, np.float32)
        except Exception as exc:
            raise SegmentFailed(
                f"hibari failed on {text[:40]!r}: {one_line(exc)}",
                hint="rephrase or remove that text, or try --engine espeak",
            ) from exc
        return AudioChunk(pcm16(audio), SAMPLE_RATE)
