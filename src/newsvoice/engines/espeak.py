"""eSpeak NG through a subprocess: 100+ languages, offline, deterministic; the voice for
articles that are not in English.

The text goes in on stdin as plain UTF-8 (never SSML, never as an argument) and the audio
comes back through a temporary WAV file, read by pydub: the WAV that ``--stdout`` writes has
placeholder sizes. Voice ``"auto"`` picks the voice from the text's language tag, the way
BCP 47 lookup does: the whole tag first ("en-GB" → en-gb), then shorter prefixes ("de-CH" →
de), each as a voice id or as a language a voice declares it speaks ("en" → en-gb, "es-MX" →
es-419).

The version is read from the installed program when this module is imported.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from ..errors import EngineUnavailable, SegmentFailed, reason
from . import decode
from .base import AudioChunk, BaseEngine, EngineCaps, VoiceInfo, VoiceSpec

SAMPLE_RATE = 22_050  # what espeak-ng writes; synthesize() reports the file's own rate
DEFAULT_WPM = 175  # espeak's default speaking rate, words per minute
MIN_WPM, MAX_WPM = 80, 450  # the range espeak-ng accepts
AUTO = "auto"
TIMEOUT_S = 60.0  # one text
PROBE_TIMEOUT_S = 10.0  # --version, --voices
_NOT_INSTALLED = "espeak-ng is not installed"
_INSTALL_HINT = "apt-get install espeak-ng (or your system's package)"
_SUGGESTED = ("en-us", "en-gb", "de", "fr-fr", "es", "it", "pt-br", "ru", "cmn", "ja")

_VOICE_LINE = re.compile(r"^\s*(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)(.*)$")
_ALIAS = re.compile(r"\(([^\s()]+)\s+(\d+)\)")
_VERSION = re.compile(r"text-to-speech:\s*(\S+)")


def _executable() -> str | None:
    return shutil.which("espeak-ng") or shutil.which("espeak")


def _require_executable() -> str:
    executable = _executable()
    if executable is None:
        raise EngineUnavailable(_NOT_INSTALLED, hint=_INSTALL_HINT)
    return executable


def _probe_version() -> str:
    executable = _executable()
    if executable is None:
        return "espeak-ng missing"
    try:
        result = subprocess.run(  # noqa: S603 - a fixed argument list, no shell
            [executable, "--version"],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=PROBE_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "espeak-ng unknown"
    found = _VERSION.search(result.stdout)
    return f"espeak-ng {found.group(1) if found else 'unknown'}"


@dataclass(frozen=True, slots=True)
class _Catalog:
    voices: tuple[VoiceInfo, ...]
    ids: frozenset[str]
    aliases: dict[str, str]  # a language a voice declares ("en", "es-mx") -> its best voice


def parse_voices(listing: str) -> _Catalog:
    """Read the table that ``espeak-ng --voices`` prints."""
    voices: dict[str, VoiceInfo] = {}
    best: dict[str, tuple[int, int, str]] = {}  # alias -> (priority, order, voice id)
    for line in listing.splitlines():
        match = _VOICE_LINE.match(line)
        if match is None:
            continue  # the header
        _priority, language, _age_gender, name, _file, rest = match.groups()
        voice_id = language.lower()
        if voice_id in voices:
            continue  # e.g. two "yue" voices: the first is the one -v yue picks
        voices[voice_id] = VoiceInfo(
            id=voice_id, language=voice_id, description=name.replace("_", " ")
        )
        for alias, priority in _ALIAS.findall(rest):
            key = (int(priority), len(voices), voice_id)
            if alias.lower() not in best or key < best[alias.lower()]:
                best[alias.lower()] = key
    return _Catalog(
        voices=tuple(voices.values()),
        ids=frozenset(voices),
        aliases={alias: key[2] for alias, key in best.items()},
    )


_catalogs: dict[str, _Catalog] = {}  # executable path -> its voices
_catalogs_lock = threading.Lock()


def _catalog(executable: str) -> _Catalog:
    with _catalogs_lock:
        catalog = _catalogs.get(executable)
        if catalog is None:
            try:
                result = subprocess.run(  # noqa: S603 - a fixed argument list, no shell
                    [executable, "--voices"],
                    capture_output=True,
                    encoding="utf-8",
                    errors="replace",
                    timeout=PROBE_TIMEOUT_S,
                    check=True,
                )
            except (OSError, subprocess.SubprocessError) as exc:
                raise EngineUnavailable(
                    f"cannot list the espeak-ng voices ({type(exc).__name__})",
                    hint="check that `espeak-ng --voices` works",
                ) from exc
            catalog = parse_voices(result.stdout)
            _catalogs[executable] = catalog
        return catalog


def _lookup(catalog: _Catalog, language: str) -> str | None:
    """The voice for a BCP 47 tag: longest matching prefix, as a voice id or an alias."""
    subtags = language.strip().replace("_", "-").lower().split("-")
    for end in range(len(subtags), 0, -1):
        if len(subtags[end - 1]) == 1:
            continue  # a singleton ("x" in "en-x-foo") never ends a prefix
        tag = "-".join(subtags[:end])
        if tag in catalog.ids:
            return tag
        if tag in catalog.aliases:
            return catalog.aliases[tag]
    return None


def _examples(catalog: _Catalog) -> str:
    return ", ".join(v for v in _SUGGESTED if v in catalog.ids)


def _resolve(catalog: _Catalog, voice: VoiceSpec) -> str:
    if voice.voice.lower() != AUTO:
        if voice.voice.lower() in catalog.ids:
            return voice.voice.lower()
        raise EngineUnavailable(
            f"espeak-ng has no voice {voice.voice!r}",
            hint=f"use 'auto' or a language such as {_examples(catalog)} (espeak-ng --voices)",
        )
    found = _lookup(catalog, voice.language)
    if found is None:
        raise EngineUnavailable(
            f"espeak-ng has no voice for the language {voice.language!r}",
            hint=f"pass a voice such as {_examples(catalog)} (espeak-ng --voices lists all)",
        )
    return found


def _words_per_minute(speed: float) -> int:
    return max(MIN_WPM, min(MAX_WPM, round(DEFAULT_WPM * speed)))


def _plain(text: str) -> str:
    """Text espeak-ng reads literally: no NULs, and no ``[[`` (its phoneme-input syntax)."""
    return text.replace("\x00", " ").replace("[[", "[ [")


def _first_line(data: bytes) -> str:
    lines = data.decode("utf-8", "replace").strip().splitlines()
    return lines[0] if lines else "no message"


_CAPS = EngineCaps(
    sample_rate=SAMPLE_RATE,
    max_chars=1000,
    parallel_safe=True,
    needs_network=False,
    languages=(),
)


class EspeakEngine(BaseEngine):
    """eSpeak NG (or classic eSpeak) found on PATH, one subprocess per sentence."""

    name: ClassVar[str] = "espeak"
    version: ClassVar[str] = _probe_version()
    CAPS: ClassVar[EngineCaps] = _CAPS
    install_hint: ClassVar[str] = _INSTALL_HINT

    @classmethod
    def installed(cls) -> bool:
        return _executable() is not None

    def voices(self) -> list[VoiceInfo]:
        executable = _executable()
        if executable is None:
            return []
        return list(_catalog(executable).voices)

    def check(self, voice: VoiceSpec) -> None:
        _resolve(_catalog(_require_executable()), voice)
        if voice.speed <= 0:
            raise EngineUnavailable(
                f"espeak-ng cannot speak at speed {voice.speed}", hint="use a speed above 0"
            )

    def voice_for(self, voice: VoiceSpec) -> str:
        """The espeak-ng voice id that ``voice`` resolves to (``auto`` → from the language)."""
        return _resolve(_catalog(_require_executable()), voice)

    def synthesize(self, text: str, voice: VoiceSpec) -> AudioChunk:
        executable = _require_executable()
        voice_id = _resolve(_catalog(executable), voice)
        if not text.strip():
            return AudioChunk(b"", SAMPLE_RATE)
        with tempfile.TemporaryDirectory(prefix="newsvoice-espeak-") as scratch:
            wav_path = Path(scratch) / "out.wav"
            command = [
                executable,
                "-b", "1",  # UTF-8 input
                "-v", voice_id,
                "-s", str(_words_per_minute(voice.speed)),
                "-w", str(wav_path),
                "--stdin",
            ]  # fmt: skip
            try:
                result = subprocess.run(  # noqa: S603 - a fixed argument list, no shell
                    command,
                    input=_plain(text).encode("utf-8"),
                    capture_output=True,
                    timeout=TIMEOUT_S,
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                raise SegmentFailed(
                    f"espeak-ng took longer than {TIMEOUT_S:.0f} s on {text[:40]!r}",
                    hint="split the text, or try another engine",
                ) from exc
            except OSError as exc:
                raise EngineUnavailable(
                    f"cannot run espeak-ng ({reason(exc)})", hint=_INSTALL_HINT
                ) from exc
            if result.returncode != 0:
                raise SegmentFailed(
                    f"espeak-ng failed on {text[:40]!r} (exit {result.returncode}:"
                    f" {_first_line(result.stderr)})",
                    hint="try another voice or engine",
                )
            return decode.wav_to_pcm(
                wav_path, engine="espeak-ng", text=text, hint="try another voice or engine"
            )
