"""Text-to-speech engines behind one protocol (``base.Engine``), found by name.

Engines are registered as entry points (``name = "module:Class"``) in the group
``newsvoice.engines.v1``; the group of earlier releases, ``newsvoice.engines``, is still read,
so plugins written against it keep working. The built-ins are also known here so that a
source checkout works without installed metadata, and they win over a plugin of the same
name. Engines are imported only when used. A plugin that cannot be loaded is a warning naming
its package (and an EngineUnavailable when it is the engine asked for); the others go on.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points

from ..errors import ConfigError, EngineUnavailable, one_line
from .base import AudioChunk, BaseEngine, Engine, EngineCaps, VoiceInfo, VoiceSpec

__all__ = [
    "ENTRY_POINT_GROUP",
    "LEGACY_GROUP",
    "AudioChunk",
    "BaseEngine",
    "Engine",
    "EngineCaps",
    "VoiceInfo",
    "VoiceSpec",
    "broken_plugins",
    "engine_names",
    "load_engine",
    "new_engine",
]

ENTRY_POINT_GROUP = "newsvoice.engines.v1"
LEGACY_GROUP = "newsvoice.engines"  # before 0.x: still read
BUILTIN = {
    "hibari": "newsvoice.engines.hibari:HibariEngine",
    "piper": "newsvoice.engines.piper:PiperEngine",
    "espeak": "newsvoice.engines.espeak:EspeakEngine",
    "gtts": "newsvoice.engines.gtts:GttsEngine",
    "kokoro": "newsvoice.engines.kokoro:KokoroEngine",
    "fake": "newsvoice.engines.fake:FakeEngine",
}
HIDDEN = frozenset({"fake"})  # for tests; not offered to users
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Target:
    value: str  # "module:Class"
    package: str = "newsvoice"  # the distribution that registered it


def _targets() -> dict[str, _Target]:
    found = {name: _Target(value) for name, value in BUILTIN.items()}
    for group in (ENTRY_POINT_GROUP, LEGACY_GROUP):
        for point in entry_points(group=group):
            dist = point.dist
            package = f"{dist.name} {dist.version}" if dist is not None else point.value
            found.setdefault(point.name, _Target(point.value, package))
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
    target = targets[name]
    module_name, _, class_name = target.value.partition(":")
    try:
        engine_class = getattr(importlib.import_module(module_name), class_name)
        engine = engine_class()
    except Exception as exc:
        raise EngineUnavailable(
            f"engine {name!r} from {target.package} cannot be loaded ({one_line(exc)})",
            hint=f"reinstall or remove the package {target.package.split()[0]}",
        ) from exc
    if not isinstance(engine, Engine):
        raise EngineUnavailable(
            f"engine {name!r} from {target.package} does not implement the Engine protocol"
        )
    return engine


def broken_plugins() -> list[str]:
    """Each third-party engine that cannot be loaded, as a warning naming its package (also
    logged, so the CLI says it on stderr)."""
    problems = []
    for name in sorted(_targets()):
        if name in BUILTIN:
            continue
        try:
            load_engine(name)
        except EngineUnavailable as exc:
            problems.append(str(exc))
            log.warning("%s", exc)
    return problems
