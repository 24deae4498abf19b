"""Narration: articles → a mastered, timed reading.

``narrate(articles, options) -> Narration`` chooses the voice per article (``presets``), builds
the speech script (``script``, with ``normalize``, ``sentences`` and ``lexicon`` turning display
text into words an engine reads correctly), synthesises it (``synth``, through the sentence
``cache``, with the ``engines``), lays it out on a ``track`` with one ``timing`` table and
masters it to −16 LUFS (``loudness``). Encoding the result is ``render.audio``'s job.

``narrate`` and its values are imported when first used, so that the light modules (the
timing table, the script) do not load numpy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .narrate import Narration, NarrationOptions, narrate, plan_voices

__all__ = ["Narration", "NarrationOptions", "narrate", "plan_voices"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module(".narrate", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
