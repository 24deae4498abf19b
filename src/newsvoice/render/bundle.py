"""Editions made of several outputs at once, narrating each article once.

``render_bundle``: one article → its EPUB, MP3, WebVTT transcript and Podcasting 2.0
chapters, and (when asked) a read-along EPUB holding the same MP3, a DAISY 2.02 book (zipped)
and a braille file; used by ``batch --out`` and by the podcast publisher. Each edition's
accessibility summary names the others made with it. ``render_readalong``: articles → one
read-along EPUB (``epub --narrate``). Both go through
``recording``, which keeps what a read-along book needs of a narration.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..narration.synth import SynthStats
from .audio import AudioOptions, AudioResult, render_audio
from .braille import BrailleOptions, BrailleResult, render_braille
from .daisy import DaisyOptions, DaisyResult, render_daisy
from .epub import EpubOptions, RenderResult, render_epub
from .kinds import Edition, Format
from .overlay import Recording

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..model import Article


@dataclass(frozen=True, slots=True)
class BundleOptions:
    audio: AudioOptions = field(default_factory=AudioOptions)  # transcript, chapters_json too
    epub: EpubOptions = field(default_factory=EpubOptions)
    book: bool = True  # NAME.epub
    readalong: bool = False  # NAME.readalong.epub: the text with the narration inside
    daisy: bool = False  # NAME.daisy.zip: a DAISY 2.02 talking book
    braille: bool = False  # NAME.brf: braille in the article's language's table
    braille_options: BrailleOptions = field(default_factory=BrailleOptions)

    @property
    def editions(self) -> tuple[Edition, ...]:
        made = {
            Edition.EPUB: self.book,
            Edition.AUDIO: True,
            Edition.READALONG: self.readalong,
            Edition.DAISY: self.daisy,
            Edition.BRAILLE: self.braille,
        }
        return tuple(edition for edition, wanted in made.items() if wanted)

    def others(self, edition: Edition) -> tuple[Edition, ...]:
        """The editions made beside ``edition``, for its accessibility summary."""
        return tuple(e for e in self.editions if e is not edition)


@dataclass(frozen=True, slots=True)
class Bundle:
    audio: AudioResult  # NAME.mp3 (or .m4b), and its transcript and chapters files if asked
    book: RenderResult | None = None
    readalong: RenderResult | None = None
    daisy: DaisyResult | None = None
    braille: BrailleResult | None = None

    @property
    def paths(self) -> list[Path]:
        """Every file written, the audio first."""
        names = [self.audio.path, self.audio.transcript, self.audio.chapters_file]
        done = (self.book, self.readalong, self.daisy, self.braille)
        names += [r.path for r in done if r is not None]
        return [Path(name) for name in names if name]


def recording(result: AudioResult, captions_read: bool = False) -> Recording:
    """What a read-along book needs of a narration written to ``result.path``."""
    return Recording(
        audio=Path(result.path).read_bytes(),
        script=result.script,
        timing=result.timing,
        voice=", ".join(result.voices),
        read_captions=captions_read,
    )


def render_bundle(
    article: Article, folder: Path, name: str, options: BundleOptions | None = None
) -> Bundle:
    """Write ``article``'s outputs into ``folder`` as ``name.*``; each file is written whole
    (a failure may leave the files written before it, each complete)."""
    options = options or BundleOptions()
    audio_options = options.audio
    if options.readalong:  # EPUB Media Overlays play MP3
        audio_options = replace(audio_options, format=Format.MP3)
    # the narration first: once it is done its sentences are in the cache, whatever happens
    audio = render_audio([article], folder / f"{name}.{audio_options.format}", audio_options)
    book = readalong = daisy = braille = None
    if options.book:
        epub = replace(options.epub, also=options.others(Edition.EPUB))
        book = render_epub([article], folder / f"{name}.epub", epub)
    if options.readalong:
        narrated = recording(audio, audio_options.captions == "read")
        readalong = render_epub(
            [article],
            folder / f"{name}.readalong.epub",
            replace(options.epub, narration=(narrated,), also=options.others(Edition.READALONG)),
        )
    if options.daisy:  # the sentences are cached now: no engine calls
        daisy = render_daisy(
            [article],
            folder / f"{name}.daisy.zip",
            DaisyOptions(audio=options.audio, also=options.others(Edition.DAISY)),
        )
    if options.braille:
        braille = render_braille(
            [article],
            folder / f"{name}.brf",
            replace(options.braille_options, also=options.others(Edition.BRAILLE)),
        )
    return Bundle(audio, book, readalong, daisy, braille)


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
    audio = replace(
        audio or AudioOptions(), format=Format.MP3, transcript=False, chapters_json=False
    )
    recordings = []
    calls = hits = 0
    seconds = engine_seconds = 0.0
    with tempfile.TemporaryDirectory(prefix="newsvoice-readalong-") as scratch:
        for number, article in enumerate(articles):
            result = render_audio([article], Path(scratch) / f"{number}.mp3", audio)
            recordings.append(recording(result, audio.captions == "read"))
            calls += result.stats.engine_calls
            hits += result.stats.cache_hits
            seconds += result.stats.seconds
            engine_seconds += result.stats.engine_seconds
    book = render_epub(articles, path, replace(options, narration=tuple(recordings)))
    return ReadalongResult(book, SynthStats(calls, hits, seconds, engine_seconds))
