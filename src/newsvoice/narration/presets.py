"""Voice presets: which engine speaks, with which voice, how fast, with which pauses and
pronunciation lexicons. Shipped presets live in ``voices/`` (the ``newsvoice.voices``
package); ``--voice`` also takes the path of the user's own TOML file."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from ..engines import VoiceSpec, load_engine
from ..errors import ConfigError, EngineUnavailable, NewsvoiceError
from .lexicon import Lexicon, load_lexicon, merge

DEFAULT_VOICE = "auto"  # heart for English, espeak for other languages
ENGLISH_VOICE = "heart"
OTHER_LANGUAGES_VOICE = "espeak"
PAUSE_NAMES = ("sentence", "paragraph", "heading", "chapter", "lead_in", "tail")


@dataclass(frozen=True, slots=True)
class Pauses:
    sentence: int = 300
    paragraph: int = 700
    heading: int = 900
    chapter: int = 1200
    lead_in: int = 300
    tail: int = 800


@dataclass(frozen=True, slots=True)
class Preset:
    name: str
    engine: str
    voice: str
    language: str = "en"  # "auto": speaks whatever the article is in
    speed: float = 1.0
    lexicons: tuple[str, ...] = ()
    pauses: Pauses = field(default_factory=Pauses)
    description: str = ""

    def speaks(self, language: str) -> bool:
        if self.language == "auto":
            return True
        return language.split("-")[0].lower() == self.language.split("-")[0].lower()

    def spec(self, language: str) -> VoiceSpec:
        return VoiceSpec(voice=self.voice, speed=self.speed, language=language)


def _voices_dir() -> Any:
    return resources.files("newsvoice.voices")


def preset_names() -> list[str]:
    return sorted(p.name[:-5] for p in _voices_dir().iterdir() if p.name.endswith(".toml"))


def _parse(text: str, name: str, origin: str) -> Preset:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"voice preset {origin} is not valid TOML: {exc}") from exc
    try:
        pauses = data.get("pauses", {})
        unknown = set(pauses) - set(PAUSE_NAMES)
        if unknown:
            raise ConfigError(f"voice preset {origin}: unknown pause {sorted(unknown)[0]!r}")
        if any(not 0 <= int(v) <= 10_000 for v in pauses.values()):
            raise ConfigError(f"voice preset {origin}: pauses must be 0 to 10000 milliseconds")
        speed = float(data.get("speed", 1.0))
        if not 0.5 <= speed <= 2.0:
            raise ConfigError(f"voice preset {origin}: speed must be between 0.5 and 2.0")
        return Preset(
            name=name,
            engine=str(data["engine"]),
            voice=str(data.get("voice", "auto")),
            language=str(data.get("language", "auto")),
            speed=speed,
            lexicons=tuple(str(x) for x in data.get("lexicons", ())),
            pauses=Pauses(**{k: int(v) for k, v in pauses.items()}),
            description=str(data.get("description", "")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"voice preset {origin} is incomplete or malformed: {exc}") from exc


def load_preset(name_or_path: str) -> Preset:
    """A shipped preset by name, or a preset file by path."""
    path = Path(name_or_path)
    if name_or_path.endswith(".toml") or path.is_file():
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read voice preset {path}: {exc}") from exc
        return _parse(text, path.stem, str(path))
    entry = _voices_dir().joinpath(f"{name_or_path}.toml")
    if not entry.is_file():
        raise ConfigError(
            f"unknown voice {name_or_path!r}",
            hint=f"available: {', '.join(preset_names())}, or a preset file (.toml)",
        )
    return _parse(entry.read_text("utf-8"), name_or_path, f"voices/{name_or_path}.toml")


def _reading(language: str) -> str:
    """The language a text is read in: English when it is unknown ("", "und")."""
    return "en" if language.split("-")[0].lower() in ("", "und") else language


def resolved_voice(preset: Preset, language: str) -> str:
    """The preset's voice, a voice chosen by language ("auto") as the engine resolves it for
    ``language`` (eSpeak NG: "es", "cmn", "fr-fr")."""
    resolve = getattr(load_engine(preset.engine), "voice_for", None)
    if preset.voice == "auto" and callable(resolve):
        return str(resolve(preset.spec(language)))
    return preset.voice


def voice_label(preset: Preset, language: str) -> str:
    """ "engine/voice" as the listener should be told it ("espeak/es", "hibari/heart")."""
    return f"{preset.engine}/{resolved_voice(preset, language)}"


def candidates(language: str) -> list[Preset]:
    """The shipped presets ``auto`` considers for ``language``, best first: the offline voices
    made for that language (the default English voice first), then the online ones (gTTS),
    then the ones that speak any language (eSpeak NG)."""
    primary = _reading(language).split("-")[0].lower()
    presets = [load_preset(name) for name in preset_names()]
    own = [p for p in presets if p.language != "auto" and p.language.split("-")[0] == primary]
    own.sort(key=lambda p: p.name != ENGLISH_VOICE)
    anything = [p for p in presets if p.language == "auto"]
    online = [p for p in anything if load_engine(p.engine).caps.needs_network]
    return own + online + [p for p in anything if p not in online]


@dataclass(frozen=True, slots=True)
class Candidate:
    preset: Preset
    usable: bool
    reason: str  # why it can or cannot speak the language here
    chosen: bool = False


def _judge(preset: Preset, language: str, online: bool) -> Candidate:
    language = _reading(language)
    engine = load_engine(preset.engine)
    if engine.caps.needs_network and not online:
        return Candidate(preset, False, "an online voice: give --online to allow it")
    try:
        engine.check(preset.spec(language))
    except NewsvoiceError as exc:
        return Candidate(preset, False, str(exc))
    if preset.voice == "auto" and hasattr(engine, "voice_for"):
        voice = resolved_voice(preset, language)
        return Candidate(preset, True, f"{preset.engine} has the voice {voice!r}")
    if engine.caps.needs_network:
        return Candidate(preset, True, "online, and the service answers")
    return Candidate(preset, True, f"an offline voice made for {preset.language}")


def voice_plan(language: str, online: bool = False) -> list[Candidate]:
    """Every candidate for ``language`` with why it can or cannot speak it here; the first
    that can is the one ``auto`` chooses (``newsvoice voices --language``)."""
    judged = [_judge(p, language, online) for p in candidates(language)]
    first = next((n for n, c in enumerate(judged) if c.usable), None)
    return [replace(c, chosen=n == first) for n, c in enumerate(judged)]


def first_usable(language: str, online: bool = False) -> Preset | None:
    """The preset ``auto`` chooses for ``language``: the first candidate that can speak it
    here (with ``online``, gTTS comes before eSpeak NG); None when none can."""
    return next((p for p in candidates(language) if _judge(p, language, online).usable), None)


def choose_preset(voice: str, language: str, online: bool = False) -> Preset:
    """The preset for ``--voice``: ``auto`` takes ``first_usable``, or when none can speak
    the language the last resort, whose check then says why."""
    if voice != DEFAULT_VOICE:
        return load_preset(voice)
    return first_usable(language, online) or candidates(language)[-1]


def with_overrides(preset: Preset, *, engine: str | None, speed: float | None) -> Preset:
    """A preset changed by ``--engine`` (which then speaks with its automatic voice) and
    ``--speed``."""
    if engine is not None and engine != preset.engine:
        preset = replace(
            preset,
            engine=engine,
            voice="auto" if engine == "espeak" else _default_voice(engine),
            language="auto",
            lexicons=preset.lexicons,
        )
    if speed is not None:
        if not 0.5 <= speed <= 2.0:
            raise ConfigError("--speed must be between 0.5 and 2.0")
        preset = replace(preset, speed=speed)
    return preset


def _default_voice(engine: str) -> str:
    voices = load_engine(engine).voices()
    usable = [v for v in voices if v.installed] or voices
    return usable[0].id if usable else "default"


def _shipped_lexicon(name: str) -> Lexicon | None:
    entry = _voices_dir().joinpath("lexicons", f"{name}.pls")
    if not entry.is_file():
        return None
    with resources.as_file(entry) as path:
        return load_lexicon(path)


def preset_lexicon(preset: Preset, extra: tuple[Path, ...] = (), language: str = "") -> Lexicon:
    """The preset's shipped lexicons merged with the user's ``--lexicon`` files. A preset for
    any language ("auto": eSpeak NG, gTTS) takes the shipped lexicon of the ``language`` it
    reads, when there is one (``voices/lexicons/fr.pls`` for French)."""
    parts: list[Lexicon] = []
    for name in preset.lexicons:
        found = _shipped_lexicon(name)
        if found is None:
            raise ConfigError(f"voice preset {preset.name}: no lexicon named {name!r}")
        parts.append(found)
    if preset.language == "auto" and language and not preset.lexicons:
        found = _shipped_lexicon(_reading(language).split("-")[0].lower())
        parts.extend([found] if found is not None else [])
    parts.extend(load_lexicon(path) for path in extra)
    return merge(*parts) if parts else Lexicon(entries=(), language=preset.language)


@dataclass(frozen=True, slots=True)
class Usability:
    preset: Preset
    usable: bool
    reason: str = ""


def usability(name: str) -> Usability:
    """Can this preset speak here? (engine installed, voice present, network if needed)."""
    preset = load_preset(name)
    language = "en" if preset.language == "auto" else preset.language
    try:
        engine = load_engine(preset.engine)
        engine.check(preset.spec(language))
    except (EngineUnavailable, ConfigError) as exc:
        return Usability(preset, False, str(exc))
    except NewsvoiceError as exc:  # pragma: no cover - any other refusal, same report
        return Usability(preset, False, str(exc))
    note = "needs internet access" if engine.caps.needs_network else ""
    return Usability(preset, True, note)
