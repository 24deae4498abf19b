"""Articles → a mastered narration: the voice plan, synthesis, layout and loudness.

Pipeline: choose the voice preset per article (``plan_voices``) → build the speech script →
synthesise sentences (cache, parallel workers), handed on one at a time → lay them out with
pauses into a track on disk, recording the timing table from sample counts (``lay_out``) →
master it window by window to −16 LUFS (ITU-R BS.1770) with a true-peak limiter
(``master_track``). The result is a ``Narration``: mastered 16-bit PCM in a temporary file,
with its timing table, script, synthesis stats and voices. Memory does not grow with the
narration's length. Encoding it (``render/audio.py``) is the renderers' business.
"""

from __future__ import annotations

import contextlib
import tempfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from ..engines import AudioChunk, load_engine
from ..errors import ConfigError, EngineUnavailable, RenderError, reason
from . import loudness
from .cache import SegmentCache, default_cache_dir
from .presets import (
    Preset,
    choose_preset,
    first_usable,
    preset_lexicon,
    voice_label,
    with_overrides,
)
from .script import CaptionPolicy, Script, build_script
from .synth import Job, SynthStats, speak
from .timing import TimedSegment, TimingTable, timing_table
from .track import Track, master

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from pathlib import Path
    from types import TracebackType

    from ..model import Article

TARGET_LUFS = -16.0
# A 64 kbit/s MP3 (and AAC) loses about 0.3-0.6 LU to the encoder's low-pass filter, so the
# PCM aims that much higher for the file to measure -16 LUFS.
ENCODER_LOSS_LU = 0.4
CEILING_DBTP = -1.5  # leaves room for the encoder's overshoot: the file measures ≤ −1 dBTP


@dataclass(frozen=True, slots=True)
class NarrationOptions:
    """How articles are read aloud (not how the audio is encoded)."""

    voice: str = "auto"  # a preset name or file; "auto" chooses by the article's language
    engine: str | None = None
    speed: float | None = None
    online: bool = False  # "auto" may choose an online voice (gTTS) before eSpeak NG
    jobs: int | None = None
    captions: CaptionPolicy = CaptionPolicy.SKIP
    lexicons: tuple[Path, ...] = ()
    cache_dir: Path | str | None = None  # None: NEWSVOICE_CACHE or the user cache directory
    use_cache: bool = True
    progress: Callable[[int], None] | None = None
    start_progress: Callable[[int], None] | None = None


@dataclass(slots=True)
class Narration:
    """The mastered narration of some articles. ``pcm`` is a temporary file of mono 16-bit
    PCM at ``rate``, read from the start; ``close()`` (or ``with``) removes it."""

    pcm: BinaryIO
    rate: int
    timing: TimingTable
    script: Script
    stats: SynthStats
    voices: tuple[str, ...]  # engine/voice of each preset used, in order
    loudness_lufs: float  # as the encoded file will measure
    true_peak_dbtp: float
    presets: tuple[Preset, ...] = field(default=())

    def close(self) -> None:
        self.pcm.close()

    def __enter__(self) -> Narration:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


# --- the voice plan ------------------------------------------------------------------------


def plan_voices(articles: Sequence[Article], options: NarrationOptions) -> list[Preset]:
    """Each article's preset, checked before any work: EngineUnavailable says why not."""
    presets = []
    for article in articles:
        language = article.speech_language
        preset = with_overrides(
            choose_preset(options.voice, language, options.online),
            engine=options.engine,
            speed=options.speed,
        )
        if not preset.speaks(language):
            raise EngineUnavailable(
                f"voice {preset.name!r} speaks {preset.language}, but the article is in {language}",
                hint="use --voice espeak (or --voice auto) for other languages",
            )
        load_engine(preset.engine).check(preset.spec(language))
        presets.append(preset)
    return presets


def _quote_voices(script: Script, options: NarrationOptions) -> dict[str, Preset]:
    """The voice for each language the articles quote in (``Segment.language``): the one
    ``auto`` would choose for an article in it. A language no voice here speaks is left out,
    and its text is read by the article's voice."""
    found: dict[str, Preset] = {}
    for language in dict.fromkeys(s.language for s in script.segments if s.language):
        preset = first_usable(language, options.online)
        if preset is not None:
            found[language] = with_overrides(preset, engine=None, speed=options.speed)
    return found


# --- layout and loudness -------------------------------------------------------------------


def _append(track: Track, chunk: AudioChunk) -> None:
    if chunk.sample_rate == track.rate:
        track.append(chunk.pcm)
        return
    audio = np.frombuffer(chunk.pcm, dtype="<i2").astype(np.float32) / 32768.0
    track.append_float(loudness.resample(audio, chunk.sample_rate, track.rate))


def lay_out(
    script: Script, chunks: Iterable[AudioChunk], track: Track, lead_in_ms: int, tail_ms: int
) -> TimingTable:
    """Append the narration to ``track``, sentence by sentence with the pauses between them,
    as the chunks arrive; returns its timing table, from the sample counts."""
    rate = track.rate
    track.silence(rate * lead_in_ms // 1000)
    timed: list[TimedSegment] = []
    last = len(script.segments) - 1
    for number, (segment, chunk) in enumerate(zip(script.segments, chunks, strict=True)):
        start = track.length
        _append(track, chunk)
        timed.append(
            TimedSegment(
                segment.index,
                segment.chapter,
                start * 1000 // rate,
                track.length * 1000 // rate,
                segment.text,
                segment.kind,
                segment.block,
                segment.article,
                segment.part,
                segment.language,
            )
        )
        track.silence(rate * (tail_ms if number == last else segment.pause_after_ms) // 1000)
    titles = [mark.title for mark in script.chapters]
    return timing_table(titles, timed, track.length * 1000 // rate)


def master_track(track: Track, pcm: BinaryIO) -> tuple[float, float]:
    """Write ``track`` to ``pcm`` at −16 LUFS (aimed ENCODER_LOSS_LU higher) with true peaks
    under the ceiling; returns its loudness (as the encoded file will measure) and true peak."""
    mastering = master(track, TARGET_LUFS + ENCODER_LOSS_LU, CEILING_DBTP, pcm)
    return mastering.loudness - ENCODER_LOSS_LU, mastering.peak_db


# --- the whole job -------------------------------------------------------------------------


def narrate(articles: Sequence[Article], options: NarrationOptions | None = None) -> Narration:
    """Read ``articles`` aloud into a mastered ``Narration`` (close it when done)."""
    options = options or NarrationOptions()
    if not articles:
        raise ConfigError("no articles to narrate")
    presets = plan_voices(articles, options)
    lexicons = [
        preset_lexicon(p, options.lexicons, a.speech_language)
        for p, a in zip(presets, articles, strict=True)
    ]
    script = build_script(articles, lexicons, presets[0].pauses, options.captions)
    if not script.segments:
        raise RenderError("nothing to read aloud")
    quoted = _quote_voices(script, options)
    jobs = []
    for s in script.segments:
        preset, language = presets[s.article], articles[s.article].speech_language
        if s.language in quoted:  # a quote in another language, in that language's voice
            preset, language = quoted[s.language], s.language
        jobs.append(
            Job(
                engine=preset.engine,
                voice=preset.spec(language),
                text=s.spoken,
                lexicon=lexicons[s.article].digest,
            )
        )
    used = [*presets, *quoted.values()]
    cache = SegmentCache((options.cache_dir or default_cache_dir()) if options.use_cache else None)
    if options.start_progress:
        options.start_progress(len(jobs))
    stats = SynthStats()
    rate = max(load_engine(p.engine).caps.sample_rate for p in used)
    labels = [voice_label(p, a.speech_language) for p, a in zip(presets, articles, strict=True)]
    labels += [voice_label(p, language) for language, p in quoted.items()]
    voices = tuple(dict.fromkeys(labels))
    pcm = tempfile.TemporaryFile(prefix="newsvoice-master-")  # noqa: SIM115 - Narration owns it
    try:
        with (
            Track(rate) as track,
            contextlib.closing(speak(jobs, cache, stats, options.jobs, options.progress)) as chunks,
        ):
            pauses = presets[0].pauses
            table = lay_out(script, chunks, track, pauses.lead_in, pauses.tail)
            level, peak = master_track(track, pcm)
        pcm.seek(0)
    except OSError as exc:
        pcm.close()
        raise RenderError(
            f"cannot write the narration's working files in {tempfile.gettempdir()}: {reason(exc)}",
            hint="free some space there, or point TMPDIR at a disk with room",
        ) from exc
    except BaseException:
        pcm.close()
        raise
    return Narration(pcm, rate, table, script, stats, voices, level, peak, tuple(presets))
