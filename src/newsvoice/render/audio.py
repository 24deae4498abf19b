"""Articles → a narrated MP3 (or M4B) with chapter markers, and its transcript and chapters.

Pipeline: choose the voice preset per article → build the speech script → synthesise
sentences (cache, parallel workers), handed on one at a time → lay them out with pauses
into a track on disk, recording the timing table from sample counts → master it window by
window to −16 LUFS (ITU-R BS.1770) with a true-peak limiter (``track.py``) → one ffmpeg pass
that encodes, tags, embeds the cover and writes the chapters → WebVTT and Podcasting 2.0
chapters from the same table. Memory does not grow with the narration's length. Every file
is written atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

import numpy as np

from .. import loudness
from ..cache import SegmentCache, default_cache_dir
from ..engines import AudioChunk, load_engine
from ..errors import ConfigError, EngineUnavailable, RenderError
from ..io import atomic_writer
from ..presets import Preset, choose_preset, preset_lexicon, with_overrides
from ..speech.script import CaptionPolicy, Script, build_script
from ..synth import Job, SynthStats, speak
from .cover import cover_png, cover_text
from .timing import (
    TimedSegment,
    TimingTable,
    chapters_json,
    ffmetadata,
    timing_table,
    webvtt,
)
from .track import Track, master

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from ..model import Article

Format = Literal["mp3", "m4b"]
TARGET_LUFS = -16.0
# A 64 kbit/s MP3 (and AAC) loses about 0.3-0.6 LU to the encoder's low-pass filter, so the
# PCM aims that much higher for the file to measure -16 LUFS.
ENCODER_LOSS_LU = 0.4
CEILING_DBTP = -1.5  # leaves room for the encoder's overshoot: the file measures ≤ −1 dBTP
ISO_639_2 = {
    "en": "eng",
    "de": "deu",
    "fr": "fra",
    "es": "spa",
    "it": "ita",
    "pt": "por",
    "nl": "nld",
    "sv": "swe",
    "da": "dan",
    "no": "nor",
    "fi": "fin",
    "pl": "pol",
    "cs": "ces",
    "ru": "rus",
    "uk": "ukr",
    "tr": "tur",
    "el": "ell",
    "ar": "ara",
    "he": "heb",
    "zh": "zho",
    "ja": "jpn",
    "ko": "kor",
    "hi": "hin",
}


@dataclass(frozen=True, slots=True)
class AudioOptions:
    voice: str = "auto"  # a preset name or file; "auto" chooses by the article's language
    engine: str | None = None
    speed: float | None = None
    format: Format = "mp3"
    transcript: bool = False  # write OUT.vtt
    chapters_json: bool = False  # write OUT.chapters.json
    jobs: int | None = None
    captions: CaptionPolicy = "skip"
    lexicons: tuple[Path, ...] = ()
    cache_dir: Path | None = None  # None: NEWSVOICE_CACHE or the user cache directory
    use_cache: bool = True
    bitrate: str = "64k"
    sample_rate: int = 44100
    title: str | None = None  # of an edition
    progress: Callable[[int], None] | None = None
    start_progress: Callable[[int], None] | None = None


@dataclass(frozen=True, slots=True)
class AudioResult:
    path: str
    format: str
    duration_ms: int
    size: int
    sha256: str
    timing: TimingTable
    loudness_lufs: float
    true_peak_dbtp: float
    voices: tuple[str, ...]
    stats: SynthStats
    seconds: float
    transcript: str | None = None
    chapters_file: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    script: Script | None = None  # what was read, segment by segment (for read-along books)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "duration_ms": self.duration_ms,
            "size": self.size,
            "sha256": self.sha256,
            "chapters": self.timing.to_dict()["chapters"],
            "sentences": len(self.timing.segments),
            "loudness_lufs": round(self.loudness_lufs, 2),
            "true_peak_dbtp": round(self.true_peak_dbtp, 2),
            "voices": list(self.voices),
            "engine_calls": self.stats.engine_calls,
            "cache_hits": self.stats.cache_hits,
            "synthesis_seconds": round(self.stats.seconds, 3),
            "engine_seconds": round(self.stats.engine_seconds, 3),
            "seconds": round(self.seconds, 3),
            "transcript": self.transcript,
            "chapters_json": self.chapters_file,
        }


# --- the voice plan ------------------------------------------------------------------------


def plan_voices(articles: Sequence[Article], options: AudioOptions) -> list[Preset]:
    """Each article's preset, checked before any work: EngineUnavailable says why not."""
    presets = []
    for article in articles:
        language = article.language if article.language != "und" else "en"
        preset = with_overrides(
            choose_preset(options.voice, language), engine=options.engine, speed=options.speed
        )
        if not preset.speaks(language):
            raise EngineUnavailable(
                f"voice {preset.name!r} speaks {preset.language}, but the article is in {language}",
                hint="use --voice espeak (or --voice auto) for other languages",
            )
        load_engine(preset.engine).check(preset.spec(language))
        presets.append(preset)
    return presets


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


# --- encoding ------------------------------------------------------------------------------


def ffmpeg_path() -> str:
    """ffmpeg on PATH, else the static one inside the imageio-ffmpeg wheel."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError) as exc:
        raise RenderError(
            "ffmpeg is not available", hint="install ffmpeg, or pip install imageio-ffmpeg"
        ) from exc


def _tags(articles: Sequence[Article], title: str, voices: Sequence[str]) -> dict[str, str]:
    first = articles[0]
    artist = first.byline.removeprefix("By ").removeprefix("by ") if len(articles) == 1 else ""
    sites = {a.site_name for a in articles if a.site_name}
    dates = [a.published for a in articles if a.published]
    language = first.language.split("-")[0].lower()
    return {
        "title": title,
        "artist": artist or (first.site_name if len(sites) == 1 else "newsvoice"),
        "album": sites.pop() if len(sites) == 1 else "newsvoice edition",
        "date": max(dates).date().isoformat() if dates else "",
        "language": ISO_639_2.get(language, ""),
        "genre": "Speech",
        "comment": f"Narrated with a synthetic voice ({', '.join(voices)}) by newsvoice",
    }


def encode(
    pcm: BinaryIO,
    rate: int,
    target: Path,
    fmt: Format,
    metadata: str,
    cover: bytes | None,
    options: AudioOptions,
) -> Path:
    """One ffmpeg pass: 16-bit PCM in (read from the file ``pcm``, its standard input), the
    encoded file with tags, chapters and cover out, written
    to a temporary file beside the target, which is returned (fsynced) for the caller to
    rename into place once everything that goes with it is written too.

    ffmpeg 5.1 exits 0 when the disk fills up while it writes the trailer, and only says so
    on stderr: with ``-xerror`` and ``-loglevel error``, any word on stderr is a failure."""
    with tempfile.TemporaryDirectory(prefix="newsvoice-") as scratch:
        meta_path = Path(scratch) / "meta.txt"
        meta_path.write_text(metadata, "utf-8")
        command = [
            ffmpeg_path(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-xerror",
            "-y",
            "-f",
            "s16le",
            "-ar",
            str(rate),
            "-ac",
            "1",
            "-i",
            "pipe:0",
            "-i",
            str(meta_path),
        ]
        if cover:
            cover_path = Path(scratch) / "cover.png"
            cover_path.write_bytes(cover)
            command += ["-i", str(cover_path)]
        command += ["-map", "0:a", "-map_metadata", "1", "-map_chapters", "1"]
        if cover:
            command += [
                "-map",
                "2:v",
                "-c:v",
                "png",
                "-disposition:v",
                "attached_pic",
                "-metadata:s:v",
                "title=Album cover",
                "-metadata:s:v",
                "comment=Cover (front)",
            ]
        command += ["-ac", "1", "-ar", str(options.sample_rate), "-b:a", options.bitrate]
        if fmt == "mp3":
            command += [
                "-c:a",
                "libmp3lame",
                "-compression_level",
                "7",
                "-id3v2_version",
                "4",
                "-f",
                "mp3",
            ]
        else:
            command += ["-c:a", "aac", "-movflags", "+faststart", "-f", "ipod"]
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(handle)
        temp = Path(name)
        try:
            done = subprocess.run(  # noqa: S603 - fixed arguments, no shell
                [*command, str(temp)], stdin=pcm, capture_output=True, check=False
            )
            reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
            if done.returncode != 0 or reason:
                raise RenderError(
                    f"ffmpeg could not encode {target.name}: "
                    f"{reason[-1] if reason else done.returncode}"
                )
            with temp.open("rb") as written:
                os.fsync(written.fileno())
            temp.chmod(0o644)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    return temp


# --- the whole job -------------------------------------------------------------------------


def render_audio(
    articles: Sequence[Article], path: Path | str, options: AudioOptions | None = None
) -> AudioResult:
    """Narrate ``articles`` into ``path`` (MP3 or M4B), plus the transcript and chapters
    files when asked; nothing is left half-written if any step fails."""
    started = time.perf_counter()
    options = options or AudioOptions()
    if not articles:
        raise ConfigError("no articles to narrate")
    target = Path(path)
    presets = plan_voices(articles, options)
    lexicons = [preset_lexicon(p, options.lexicons) for p in presets]
    script = build_script(articles, lexicons, presets[0].pauses, options.captions)
    if not script.segments:
        raise RenderError("nothing to read aloud")
    jobs = [
        Job(
            engine=presets[s.article].engine,
            voice=presets[s.article].spec(_language(articles[s.article])),
            text=s.spoken,
            lexicon=lexicons[s.article].digest,
        )
        for s in script.segments
    ]
    cache = SegmentCache((options.cache_dir or default_cache_dir()) if options.use_cache else None)
    if options.start_progress:
        options.start_progress(len(jobs))
    stats = SynthStats()
    rate = max(load_engine(p.engine).caps.sample_rate for p in presets)
    title = articles[0].headline if len(articles) == 1 else (options.title or "News edition")
    voices = tuple(dict.fromkeys(f"{p.engine}/{p.voice}" for p in presets))
    with (
        Track(rate) as track,
        tempfile.TemporaryFile(prefix="newsvoice-master-") as pcm,
        contextlib.closing(speak(jobs, cache, stats, options.jobs, options.progress)) as chunks,
    ):
        try:
            pauses = presets[0].pauses
            table = lay_out(script, chunks, track, pauses.lead_in, pauses.tail)
            loudness, peak = master_track(track, pcm)
        except OSError as exc:
            raise RenderError(
                f"cannot write the narration's working files in {tempfile.gettempdir()}: "
                f"{exc.strerror or exc}",
                hint="free some space there, or point TMPDIR at a disk with room",
            ) from exc
        track.close()
        encoded = encode(
            pcm,
            rate,
            target,
            options.format,
            ffmetadata(table, _tags(articles, title, voices)),
            cover_png(cover_text(articles, title), (1400, 1400)),
            options,
        )
    transcript = chapters_file = None
    try:
        # the sidecars are written whole before anything is renamed, then the three renames
        # follow one another: a failure leaves the old set of files, not a mixed one
        with contextlib.ExitStack() as renames:
            sidecars: list[tuple[Path, str]] = []
            if options.transcript:
                transcript = str(target.with_suffix(".vtt"))
                sidecars.append((Path(transcript), webvtt(table)))
            if options.chapters_json:
                chapters_file = str(target.with_suffix(".chapters.json"))
                sidecars.append((Path(chapters_file), chapters_json(table, title, target.name)))
            for path, body in sidecars:
                out = renames.enter_context(atomic_writer(path))
                out.write(body.encode("utf-8"))
                out.flush()
                os.fsync(out.fileno())
            encoded.replace(target)
    except OSError as exc:
        raise RenderError(f"cannot write next to {target}: {exc.strerror or exc}") from exc
    finally:
        encoded.unlink(missing_ok=True)
    digest = hashlib.sha256()
    with target.open("rb") as written:
        for block in iter(lambda: written.read(1 << 20), b""):
            digest.update(block)
    return AudioResult(
        path=str(target),
        format=options.format,
        duration_ms=table.duration_ms,
        size=target.stat().st_size,
        sha256=digest.hexdigest(),
        timing=table,
        loudness_lufs=loudness,
        true_peak_dbtp=peak,
        voices=voices,
        stats=stats,
        seconds=time.perf_counter() - started,
        transcript=transcript,
        chapters_file=chapters_file,
        script=script,
    )


def _language(article: Article) -> str:
    return article.language if article.language != "und" else "en"
