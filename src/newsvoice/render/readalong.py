"""Read-along books: narrate each article (through the sentence cache), then write the EPUB
with the narration inside, each sentence marked and timed by a Media Overlay."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..synth import SynthStats
from .audio import AudioOptions, render_audio
from .epub import EpubOptions, RenderResult, render_epub
from .overlay import Narration

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..model import Article


@dataclass(frozen=True, slots=True)
class ReadalongResult:
    book: RenderResult
    stats: SynthStats  # synthesis over all articles: engine calls and cache hits


def render_readalong(
    articles: Sequence[Article],
    path: Path | str,
    options: EpubOptions | None = None,
    audio: AudioOptions | None = None,
) -> ReadalongResult:
    """Write a read-along EPUB of ``articles`` at ``path``: one MP3 and one SMIL per article."""
    options = options or EpubOptions()
    audio = replace(audio or AudioOptions(), format="mp3", transcript=False, chapters_json=False)
    narrations = []
    calls = hits = 0
    seconds = engine_seconds = 0.0
    with tempfile.TemporaryDirectory(prefix="newsvoice-readalong-") as scratch:
        for number, article in enumerate(articles):
            target = Path(scratch) / f"{number}.mp3"
            result = render_audio([article], target, audio)
            assert result.script is not None  # noqa: S101 - render_audio always sets it
            narrations.append(
                Narration(
                    audio=target.read_bytes(),
                    script=result.script,
                    timing=result.timing,
                    voice=", ".join(result.voices),
                    read_captions=audio.captions == "read",
                )
            )
            calls += result.stats.engine_calls
            hits += result.stats.cache_hits
            seconds += result.stats.seconds
            engine_seconds += result.stats.engine_seconds
    book = render_epub(articles, path, replace(options, narration=tuple(narrations)))
    return ReadalongResult(book, SynthStats(calls, hits, seconds, engine_seconds))
