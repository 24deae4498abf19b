"""The timing table — the single source of every timed output (MP3/M4B chapters, WebVTT,
chapters JSON, read-along) — and the files made from it.

Times are integer milliseconds taken from PCM sample counts, never from the encoded file.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from collections.abc import Sequence

VTT_LINE = 65  # characters per cue line
VTT_LINES = 2  # lines per cue


@dataclass(frozen=True, slots=True)
class TimedSegment:
    index: int
    chapter: int
    start_ms: int
    end_ms: int
    text: str  # display text
    kind: str = ""  # the script segment's kind: headline, standfirst, byline, paragraph, ...
    block: int = -1  # the body block it comes from (-1: headline, standfirst, byline)
    article: int = 0
    part: int = 0  # which sentence of its piece (paragraph, list item, ...): 0 starts one
    language: str = ""  # a quote in another language than the article's ("" for its own)


@dataclass(frozen=True, slots=True)
class TimedChapter:
    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True, slots=True)
class TimingTable:
    segments: tuple[TimedSegment, ...]
    chapters: tuple[TimedChapter, ...]
    duration_ms: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "duration_ms": self.duration_ms,
            "chapters": [
                {"title": c.title, "start_ms": c.start_ms, "end_ms": c.end_ms}
                for c in self.chapters
            ],
            "segments": [
                {
                    "index": s.index,
                    "chapter": s.chapter,
                    "start_ms": s.start_ms,
                    "end_ms": s.end_ms,
                    "text": s.text,
                    "kind": s.kind,
                    "block": s.block,
                    "article": s.article,
                }
                for s in self.segments
            ],
        }


def timing_table(
    titles: Sequence[str], segments: Sequence[TimedSegment], duration_ms: int
) -> TimingTable:
    """The table of timed ``segments``, with chapters named ``titles``: the first starts at 0,
    each other where its first segment starts, and each ends where the next one starts (the
    last at ``duration_ms``)."""
    starts = [
        0 if index == 0 else min(s.start_ms for s in segments if s.chapter == index)
        for index in range(len(titles))
    ]
    ends = [*starts[1:], duration_ms]
    chapters = tuple(map(TimedChapter, titles, starts, ends))
    return TimingTable(tuple(segments), chapters, duration_ms)


ClockStyle = Literal["vtt", "smil", "player"]


def clock(ms: int, style: ClockStyle = "vtt") -> str:
    """A time of integer milliseconds as text, in one of three styles:

    - ``vtt``: ``00:04:21.275``, as WebVTT and Podlove Simple Chapters write times;
    - ``smil``: ``0:04:21.275``, a SMIL full clock value (EPUB Media Overlays);
    - ``player``: ``4:21`` or ``1:02:03``, whole seconds, as players show a time.
    """
    if style == "player":
        hours, rest = divmod(ms // 1000, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    seconds, ms = divmod(ms, 1000)
    hour = f"{hours:02d}" if style == "vtt" else str(hours)
    return f"{hour}:{minutes:02d}:{seconds:02d}.{ms:03d}"


def _vtt_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# spaces a line never breaks at: before closing guillemets and French-spaced ! ? : ; and
# after opening guillemets (« Oui », a-t-il dit)
_GLUED = re.compile(r" (?=[»›!?:;])|(?<=[«‹]) ")


def _cues(segment: TimedSegment) -> list[tuple[int, int, list[str]]]:
    """A sentence as one or more cues of at most two 65-character lines, the sentence's time
    shared out by length."""
    text = _GLUED.sub("\u00a0", " ".join(segment.text.split()))
    lines = [
        line.replace("\u00a0", " ")
        for line in textwrap.wrap(text, VTT_LINE, break_long_words=True, break_on_hyphens=False)
    ] or [""]
    groups = [lines[i : i + VTT_LINES] for i in range(0, len(lines), VTT_LINES)]
    total = sum(len(" ".join(g)) for g in groups) or 1
    cues = []
    start = segment.start_ms
    span = segment.end_ms - segment.start_ms
    for number, group in enumerate(groups):
        if number == len(groups) - 1:
            end = segment.end_ms
        else:
            end = start + round(span * len(" ".join(group)) / total)
        cues.append((start, end, group))
        start = end
    return cues


def webvtt(table: TimingTable) -> str:
    """A WebVTT transcript: one cue per sentence (split when longer than two lines)."""
    out = ["WEBVTT", ""]
    number = 0
    for chapter_index, chapter in enumerate(table.chapters):
        out += [f"NOTE Chapter {chapter_index + 1}: {chapter.title.replace('-->', '->')}", ""]
        for segment in table.segments:
            if segment.chapter != chapter_index:
                continue
            for start, end, lines in _cues(segment):
                number += 1
                out.append(str(number))
                out.append(f"{clock(start)} --> {clock(end)}")
                out.extend(_vtt_text(line) for line in lines)
                out.append("")
    return "\n".join(out)


def chapters_json(table: TimingTable, title: str = "", file_name: str = "") -> str:
    """Podcasting 2.0 JSON chapters (version 1.2.0), times in seconds."""
    doc: dict[str, Any] = {"version": "1.2.0"}
    if title:
        doc["title"] = title
    if file_name:
        doc["fileName"] = file_name
    doc["chapters"] = [
        {"startTime": c.start_ms / 1000, "endTime": c.end_ms / 1000, "title": c.title}
        for c in table.chapters
    ]
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def ffmetadata(table: TimingTable, tags: dict[str, str]) -> str:
    """ffmpeg's metadata file: global tags, then one [CHAPTER] per chapter."""

    def escape(value: str) -> str:
        for char in ("\\", "=", ";", "#", "\n"):
            value = value.replace(char, "\\" + char)
        return value

    lines = [";FFMETADATA1"]
    lines += [f"{key}={escape(value)}" for key, value in tags.items() if value]
    for chapter in table.chapters:
        lines += [
            "",
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={chapter.start_ms}",
            f"END={chapter.end_ms}",
            f"title={escape(chapter.title)}",
        ]
    return "\n".join(lines) + "\n"
