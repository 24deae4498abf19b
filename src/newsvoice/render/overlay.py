"""EPUB 3 Media Overlays (read-along) from the narration's timing table: the cues the XHTML
marks, one SMIL document per content document, and a timing lint for what EPUBCheck and Ace
do not check (overlap, clips past the end of the audio, durations against the clips).

Clip times come from PCM sample counts (the timing table), never from the encoded file: an
MP3's decoder delay and padding make ffprobe and mutagen durations about 60 ms long. Each clip
is its sentence's audio alone; the pauses between sentences are outside every clip.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from ..narration.timing import clock
from ..xmlsafe import xml_parser
from .xhtml import Cue

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..narration.script import Script
    from ..narration.timing import TimingTable
    from .xhtml import Cues

SMIL_NS = "http://www.w3.org/ns/SMIL"
EPUB_NS = "http://www.idpf.org/2007/ops"
OPF_NS = "http://www.idpf.org/2007/opf"
CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"
ACTIVE_CLASS = "-epub-media-overlay-active"
PLAYING_CLASS = "-epub-media-overlay-playing"
# Black on yellow: a contrast ratio of about 18:1, whatever the reader's theme.
CSS = f"""
.{ACTIVE_CLASS} {{ background-color: #ffeb3b; color: #000000; }}
"""


@dataclass(frozen=True, slots=True)
class Recording:
    """One article's encoded narration, as a read-along book needs it."""

    audio: bytes  # the MP3
    script: Script
    timing: TimingTable
    voice: str  # engine/voice, e.g. hibari/heart
    read_captions: bool = False


@dataclass(frozen=True, slots=True)
class Clip:
    target: str  # the element id in the content document
    begin_ms: int
    end_ms: int


def cue_id(prefix: str, index: int) -> str:
    return f"{prefix}-s{index + 1}"


def cues(narration: Recording, prefix: str) -> Cues:
    """Each narrated piece's sentences, keyed as the XHTML writer counts pieces."""
    table: dict[tuple[str, int, int], list[Cue]] = {}
    for segment in narration.script.segments:
        key = (segment.kind, segment.block, segment.ordinal)
        table.setdefault(key, []).append(Cue(cue_id(prefix, segment.index), segment.text))
    return table


def clips(narration: Recording, prefix: str, placed: Mapping[str, str]) -> list[Clip]:
    """The clips in reading order: one per marked element, from its first sentence's start to
    its last sentence's end (one per sentence wherever the sentence has its own span)."""
    out: list[Clip] = []
    for segment, timed in zip(narration.script.segments, narration.timing.segments, strict=True):
        target = placed.get(cue_id(prefix, segment.index))
        if target is None:
            continue  # said but not shown as such (a quote's "X said:"): audio between clips
        if out and out[-1].target == target:
            out[-1] = Clip(target, out[-1].begin_ms, timed.end_ms)
        else:
            out.append(Clip(target, timed.start_ms, timed.end_ms))
    return out


def smil(document: str, audio: str, clip_list: list[Clip]) -> bytes:
    """The SMIL document for one content document (paths relative to the SMIL, which sits
    beside it)."""
    root = etree.Element(f"{{{SMIL_NS}}}smil", nsmap={None: SMIL_NS, "epub": EPUB_NS})
    root.set("version", "3.0")
    body = etree.SubElement(root, f"{{{SMIL_NS}}}body")
    seq = etree.SubElement(body, f"{{{SMIL_NS}}}seq", id="seq1")
    seq.set(f"{{{EPUB_NS}}}textref", document)
    seq.set(f"{{{EPUB_NS}}}type", "bodymatter chapter")
    for number, clip in enumerate(clip_list, start=1):
        par = etree.SubElement(seq, f"{{{SMIL_NS}}}par", id=f"par{number}")
        etree.SubElement(par, f"{{{SMIL_NS}}}text", src=f"{document}#{clip.target}")
        etree.SubElement(
            par,
            f"{{{SMIL_NS}}}audio",
            src=audio,
            clipBegin=clock(clip.begin_ms, "smil"),
            clipEnd=clock(clip.end_ms, "smil"),
        )
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return out


def duration_ms(clip_list: list[Clip]) -> int:
    return sum(c.end_ms - c.begin_ms for c in clip_list)


# --- the timing lint ------------------------------------------------------------------------


def seconds(value: str) -> float:
    """A SMIL clock value (full or partial clock, or a timecount) in seconds."""
    value = value.strip()
    if ":" in value:
        parts = [float(p) for p in value.split(":")]
        total = parts[-1] + 60 * parts[-2]
        return total + (3600 * parts[-3] if len(parts) == 3 else 0)
    match = re.fullmatch(r"([\d.]+)(h|min|s|ms)?", value)
    if not match:
        raise ValueError(f"not a clock value: {value!r}")
    number, unit = match.groups()
    return float(number) * {"h": 3600.0, "min": 60.0, "s": 1.0, "ms": 0.001, None: 1.0}[unit]


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, xml_parser())


def lint(book: bytes, audio_ms: Mapping[str, int]) -> list[str]:
    """What is wrong with the book's overlays that EPUBCheck does not report: text targets
    that do not exist or are out of reading order, clips that overlap, run backwards or past
    the end of their audio (``audio_ms``: path in the zip → PCM length), and media:duration
    values that are not the sums of their clips. Empty when all is well."""
    problems: list[str] = []
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        container = _parse(archive.read("META-INF/container.xml"))
        rootfile = container.find(f".//{{{CONTAINER_NS}}}rootfile")
        if rootfile is None:
            return ["no rootfile in META-INF/container.xml"]
        opf_path = rootfile.get("full-path", "")
        base = posixpath.dirname(opf_path)
        opf = _parse(archive.read(opf_path))
        items = {i.get("id"): i for i in opf.iter(f"{{{OPF_NS}}}item")}
        durations: dict[str, float] = {}
        for meta in opf.iter(f"{{{OPF_NS}}}meta"):
            if meta.get("property") == "media:duration":
                durations[meta.get("refines", "").lstrip("#")] = seconds(meta.text or "")
        total = 0.0
        for item_id, item in items.items():
            if item.get("media-type") != "application/smil+xml":
                continue
            path = posixpath.normpath(posixpath.join(base, item.get("href", "")))
            document = _parse(archive.read(path))
            here = posixpath.dirname(path)
            order: dict[str, list[str]] = {}  # content document → its ids in document order
            reached: dict[str, int] = {}  # content document → position of the last target
            last_end: dict[str, float] = {}
            clip_sum = 0.0
            for par in document.iter(f"{{{SMIL_NS}}}par"):
                text = par.find(f"{{{SMIL_NS}}}text")
                audio = par.find(f"{{{SMIL_NS}}}audio")
                if text is None or audio is None:
                    problems.append(f"{path} {par.get('id')}: a par needs text and audio")
                    continue
                target, _, fragment = text.get("src", "").partition("#")
                target = posixpath.normpath(posixpath.join(here, target))
                if target not in order:
                    ids = _parse(archive.read(target)).xpath("//@id")
                    order[target] = [str(i) for i in ids]
                if fragment not in order[target]:
                    problems.append(f"{path}: text target #{fragment} is not in {target}")
                else:
                    position = order[target].index(fragment)
                    if position <= reached.get(target, -1):
                        problems.append(f"{path}: #{fragment} comes before the text before it")
                    reached[target] = position
                source = posixpath.normpath(posixpath.join(here, audio.get("src", "")))
                begin = seconds(audio.get("clipBegin", "0"))
                end = seconds(audio.get("clipEnd", "0"))
                if end <= begin:
                    problems.append(f"{path} {par.get('id')}: clip {begin:.3f}-{end:.3f} is empty")
                if begin < last_end.get(source, 0.0) - 0.0005:
                    problems.append(
                        f"{path} {par.get('id')}: clip {begin:.3f}-{end:.3f} overlaps the one "
                        f"before (ends {last_end[source]:.3f})"
                    )
                length = audio_ms.get(source)
                if length is None:
                    problems.append(f"{path}: unknown audio {source}")
                elif end > length / 1000 + 0.0005:
                    problems.append(
                        f"{path} {par.get('id')}: clipEnd {end:.3f} is past the end of "
                        f"{source} ({length / 1000:.3f})"
                    )
                last_end[source] = end
                clip_sum += end - begin
            declared = durations.get(item_id)
            if declared is None or abs(declared - clip_sum) > 0.0015:
                problems.append(
                    f"media:duration of #{item_id} is {declared} but its clips sum to "
                    f"{clip_sum:.3f}"
                )
            total += clip_sum
        overall = durations.get("")
        if overall is None or abs(overall - total) > 0.0015 * max(1, len(durations) - 1):
            problems.append(f"total media:duration {overall} is not the sum of clips {total:.3f}")
    return problems
