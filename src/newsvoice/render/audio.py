"""A narration → an MP3 (or M4B) with chapter markers, and its transcript and chapters files.

``narration/narrate.py`` reads the articles aloud into mastered PCM with one timing table;
this module encodes it in one ffmpeg pass that also writes the tags, embeds the cover and
writes the chapters, then the WebVTT and Podcasting 2.0 chapters sidecars from the same
table. Every file is written atomically: nothing is left half-written if any step fails.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from ..errors import RenderError, reason
from ..io import atomic_writer, ffmpeg_path, sha256_file
from ..narration.narrate import NarrationOptions, narrate
from ..narration.script import CaptionPolicy, Script
from ..narration.timing import TimingTable, chapters_json, ffmetadata, webvtt
from .cover import cover_png, cover_text
from .kinds import Format

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ..model import Article
    from ..narration.narrate import Narration
    from ..narration.synth import SynthStats


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
    online: bool = False  # "auto" may choose an online voice (gTTS) before eSpeak NG
    format: Format = Format.MP3
    transcript: bool = False  # write OUT.vtt
    chapters_json: bool = False  # write OUT.chapters.json
    jobs: int | None = None
    captions: CaptionPolicy = CaptionPolicy.SKIP
    lexicons: tuple[Path, ...] = ()
    cache_dir: Path | str | None = None  # None: NEWSVOICE_CACHE or the user cache directory
    use_cache: bool = True
    bitrate: str = "64k"
    sample_rate: int = 44100
    title: str | None = None  # of an edition
    progress: Callable[[int], None] | None = None
    start_progress: Callable[[int], None] | None = None

    @property
    def narration(self) -> NarrationOptions:
        """The options that say how the articles are read (the rest say how it is encoded)."""
        return NarrationOptions(
            voice=self.voice,
            engine=self.engine,
            speed=self.speed,
            online=self.online,
            jobs=self.jobs,
            captions=self.captions,
            lexicons=self.lexicons,
            cache_dir=self.cache_dir,
            use_cache=self.use_cache,
            progress=self.progress,
            start_progress=self.start_progress,
        )


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
    script: Script  # what was read, segment by segment (for read-along books)
    transcript: str | None = None
    chapters_file: str | None = None

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


# --- encoding ------------------------------------------------------------------------------


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
        ffmpeg = ffmpeg_path()
        if ffmpeg is None:
            raise RenderError(
                "ffmpeg is not available", hint="install ffmpeg, or pip install imageio-ffmpeg"
            )
        command = [
            ffmpeg,
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
                "copy",  # our own PNG as it is: re-encoded, ffmpeg holds every audio packet
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
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            if done.returncode != 0 or said:
                raise RenderError(
                    f"ffmpeg could not encode {target.name}: "
                    f"{said[-1] if said else done.returncode}"
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
    with narrate(articles, options.narration) as narration:
        return write_audio(narration, articles, Path(path), options, started)


def write_audio(
    narration: Narration,
    articles: Sequence[Article],
    target: Path,
    options: AudioOptions,
    started: float | None = None,
) -> AudioResult:
    """Encode ``narration`` (of ``articles``) into ``target`` with its sidecars."""
    started = time.perf_counter() if started is None else started
    table = narration.timing
    title = articles[0].headline if len(articles) == 1 else (options.title or "News edition")
    encoded = encode(
        narration.pcm,
        narration.rate,
        target,
        options.format,
        ffmetadata(table, _tags(articles, title, narration.voices)),
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
            for sidecar, body in sidecars:
                out = renames.enter_context(atomic_writer(sidecar))
                out.write(body.encode("utf-8"))
                out.flush()
                os.fsync(out.fileno())
            encoded.replace(target)
    except OSError as exc:
        raise RenderError(f"cannot write next to {target}: {reason(exc)}") from exc
    finally:
        encoded.unlink(missing_ok=True)
    return AudioResult(
        path=str(target),
        format=options.format,
        duration_ms=table.duration_ms,
        size=target.stat().st_size,
        sha256=sha256_file(target),
        timing=table,
        loudness_lufs=narration.loudness_lufs,
        true_peak_dbtp=narration.true_peak_dbtp,
        voices=narration.voices,
        stats=narration.stats,
        seconds=time.perf_counter() - started,
        script=narration.script,
        transcript=transcript,
        chapters_file=chapters_file,
    )
