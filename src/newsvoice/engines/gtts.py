"""gTTS: Google Translate's text-to-speech service. Online only; many languages.

``check`` fails fast when the service's host (or the HTTPS proxy that gTTS would go
through) does not resolve, so an offline run stops before any work with a one-line remedy.
The service returns MP3, which pydub decodes (with ffmpeg) to mono PCM at its own rate
(24 kHz). The service can change its voice at any time, so its output is not reproducible
and the cache key only says which gTTS client made it.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.parse
import urllib.request
from typing import Any, ClassVar

from ..errors import EngineUnavailable, SegmentFailed, one_line
from . import decode
from .base import AudioChunk, BaseEngine, EngineCaps, VoiceInfo, VoiceSpec, distribution_versions

SAMPLE_RATE = 24_000
VOICE_ID = "default"
HOST = "translate.google.com"
RESOLVE_TIMEOUT_S = 3.0
REQUEST_TIMEOUT_S = (5.0, 30.0)  # connect, read
ONLINE_FOR_S = 300.0  # how long a successful check is trusted
OFFLINE_MESSAGE = "gTTS needs internet access; use --engine hibari"
_INSTALL_HINT = "pip install gtts"
# BCP 47 primary subtags that gTTS knows under another (older) code
_ALIASES = {"he": "iw", "jv": "jw", "nb": "no", "fil": "tl"}
_REVISION = 2  # bump when newsvoice changes how it calls gTTS or decodes its MP3


_CAPS = EngineCaps(
    sample_rate=SAMPLE_RATE,
    max_chars=500,  # gTTS itself cuts text into requests of at most 100 characters
    parallel_safe=False,  # one client at a time: be gentle with a free web service
    needs_network=True,
    languages=(),
)

_online_until = 0.0  # monotonic time until which the last successful check holds


def _gtts() -> Any:
    try:
        import gtts
    except ImportError as exc:
        raise EngineUnavailable("the gtts engine is not installed", hint=_INSTALL_HINT) from exc
    return gtts


def _languages() -> dict[str, str]:
    from gtts.lang import tts_langs

    languages: dict[str, str] = tts_langs()
    return languages


def language_code(tag: str) -> str:
    """The gTTS language for a BCP 47 tag: its primary subtag ("de-CH" → "de")."""
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return _ALIASES.get(primary, primary)


def _resolves(host: str, timeout: float) -> bool:
    """Whether ``host`` resolves within ``timeout`` seconds (a stuck resolver counts as no)."""
    outcome: list[bool] = []
    done = threading.Event()

    def resolve() -> None:
        try:
            socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            outcome.append(False)
        else:
            outcome.append(True)
        finally:
            done.set()

    # a daemon thread: if the resolver hangs, the process can still exit
    threading.Thread(target=resolve, name="newsvoice-gtts-dns", daemon=True).start()
    return done.wait(timeout) and outcome == [True]


def _reachable_through() -> str:
    """The host a request to the service goes to first: the HTTPS proxy that gTTS will use
    (gTTS sends through ``urllib.request.getproxies()``: HTTPS_PROXY and the like), unless
    NO_PROXY bypasses it for the service, else the service itself."""
    proxy = urllib.request.getproxies().get("https")
    if proxy and not urllib.request.proxy_bypass(HOST):
        host = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}").hostname
        if host:
            return host
    return HOST


def _is_connection_problem(exc: BaseException) -> bool:
    import requests

    if isinstance(exc, requests.ConnectionError | requests.Timeout):
        return True
    if getattr(exc, "rsp", "absent") is None:
        return True  # gTTSError without a response: the request never got an answer
    context = exc.__cause__ or exc.__context__
    return context is not None and _is_connection_problem(context)


class GttsEngine(BaseEngine):
    """gTTS 2.5 with the service's one voice per language."""

    name: ClassVar[str] = "gtts"
    version: ClassVar[str] = f"{distribution_versions('gtts')}/{_REVISION}"
    CAPS: ClassVar[EngineCaps] = _CAPS
    requires: ClassVar[tuple[str, ...]] = ("gtts",)
    install_hint: ClassVar[str] = _INSTALL_HINT

    def reset(self) -> None:
        global _online_until
        _online_until = 0.0  # check the network again

    def voices(self) -> list[VoiceInfo]:
        installed = self.installed()
        return [
            VoiceInfo(
                id=VOICE_ID,
                language="mul",
                description="Google Translate's voice for the text's language (online)",
                offline=False,
                installed=installed,
            )
        ]

    def check(self, voice: VoiceSpec) -> None:
        global _online_until
        _gtts()
        if voice.voice != VOICE_ID:
            raise EngineUnavailable(
                f"gtts has no voice {voice.voice!r}", hint=f"use the voice {VOICE_ID!r}"
            )
        code = language_code(voice.language)
        if code not in _languages():
            raise EngineUnavailable(
                f"gTTS does not speak {voice.language!r}", hint="use --engine espeak"
            )
        decode.ffmpeg("gTTS")
        if time.monotonic() < _online_until:
            return
        if not _resolves(_reachable_through(), RESOLVE_TIMEOUT_S):
            raise EngineUnavailable(OFFLINE_MESSAGE)
        _online_until = time.monotonic() + ONLINE_FOR_S

    def synthesize(self, text: str, voice: VoiceSpec) -> AudioChunk:
        if not text.strip():
            return AudioChunk(b"", SAMPLE_RATE)
        gtts = _gtts()
        try:
            client = gtts.gTTS(text, lang=language_code(voice.language), timeout=REQUEST_TIMEOUT_S)
            mp3 = b"".join(client.stream())
        except Exception as exc:
            if _is_connection_problem(exc):
                raise EngineUnavailable(OFFLINE_MESSAGE) from exc
            raise SegmentFailed(
                f"gTTS failed on {text[:40]!r} ({one_line(exc)})",
                hint="try again later, or use --engine hibari",
            ) from exc
        hint = "try again later, or use --engine hibari"
        chunk = decode.mp3_to_pcm(mp3, engine="gTTS", text=text, hint=hint)
        return decode.change_tempo(chunk, voice.speed, engine="gTTS", text=text)
