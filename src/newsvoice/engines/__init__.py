"""Text-to-speech engines behind one protocol (``base.Engine``), found by name.

Built-in engines and third-party ones are both registered as entry points in the group
``newsvoice.engines`` (``name = "module:Class"``); the built-ins are also known here so that
a source checkout works without installed metadata. Engines are imported only when used.
"""

from __future__ import annotations

import importlib
from functools import cache
from importlib.metadata import entry_points

from ..errors import ConfigError, EngineUnavailable
from .base import AudioChunk, Engine, EngineCaps, VoiceInfo, VoiceSpec

__all__ = [
    "ENTRY_POINT_GROUP",
    "AudioChunk",
    "Engine",
    "EngineCaps",
    "VoiceInfo",
    "VoiceSpec",
    "engine_names",
    "load_engine",
    "new_engine",
]

ENTRY_POINT_GROUP = "newsvoice.engines"
BUILTIN = {
    "hibari": "newsvoice.engines.hibari:HibariEngine",
    "piper": "newsvoice.engines.piper:PiperEngine",
    "espeak": "newsvoice.engines.espeak:EspeakEngine",
    "gtts": "newsvoice.engines.gtts:GttsEngine",
    "fake": "newsvoice.engines.fake:FakeEngine",
}
HIDDEN = frozenset({"fake"})  # for tests; not offered to users


def _targets() -> dict[str, str]:
    found = dict(BUILTIN)
    for point in entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(point.name, point.value)
    return found


def engine_names(*, include_hidden: bool = False) -> list[str]:
    return sorted(n for n in _targets() if include_hidden or n not in HIDDEN)


@cache
def load_engine(name: str) -> Engine:
    """The engine called ``name`` (one shared instance per process)."""
    return new_engine(name)


def new_engine(name: str) -> Engine:
    """A fresh instance of the engine called ``name`` (for a worker thread of its own)."""
    targets = _targets()
    if name not in targets:
        raise ConfigError(
            f"unknown engine {name!r}", hint=f"available: {', '.join(engine_names())}"
        )
    module_name, _, class_name = targets[name].partition(":")
    try:
        engine_class = getattr(importlib.import_module(module_name), class_name)
        engine = engine_class()
    except (ImportError, AttributeError, TypeError) as exc:
        raise EngineUnavailable(
            f"engine {name!r} cannot be loaded ({type(exc).__name__}: {exc})",
            hint="check that its package is installed",
        ) from exc
    if not isinstance(engine, Engine):
        raise EngineUnavailable(f"engine {name!r} does not implement the Engine protocol")
    return engine
