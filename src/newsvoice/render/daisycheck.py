"""A structural check of DAISY 2.02 books: what the specification requires of the NCC, the
SMIL files and the text, and that the times add up. It runs on every book newsvoice writes
(as the timing lint does for read-along EPUBs) and on any book folder or zip.

What it checks: the NCC is well-formed XHTML whose first body element is ``h1 class="title"``;
the required metadata is there once each (``dc:format`` "Daisy 2.02", ``ncc:charset`` …);
headings go h1…h6 without skipping a level, each with one link; every link and every
``text src`` resolves to an element id; each SMIL's clips are in order, do not overlap and lie
within their audio; ``seq dur`` is the sum of its clips, ``ncc:timeInThisSmil`` and
``ncc:totalElapsedTime`` agree with it, and ``ncc:totalTime``, ``ncc:files``,
``ncc:tocItems`` and ``ncc:depth`` are what the book holds.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from typing import TYPE_CHECKING

from lxml import etree

from ..xmlsafe import xml_parser

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

XHTML_NS = "http://www.w3.org/1999/xhtml"
REQUIRED = (
    "dc:title",
    "dc:creator",
    "dc:date",
    "dc:format",
    "dc:identifier",
    "dc:language",
    "dc:publisher",
    "ncc:charset",
    "ncc:generator",
    "ncc:narrator",
    "ncc:totalTime",
    "ncc:files",
    "ncc:tocItems",
    "ncc:depth",
    "ncc:pageFront",
    "ncc:pageNormal",
    "ncc:pageSpecial",
    "ncc:maxPageNormal",
    "ncc:footnotes",
    "ncc:sidebars",
    "ncc:prodNotes",
    "ncc:setInfo",
    "ncc:multimediaType",
)
MULTIMEDIA_TYPES = (
    "audioOnly",
    "audioNcc",
    "audioPartText",
    "audioFullText",
    "textPartAudio",
    "textNcc",
)
HEADINGS = tuple(f"h{n}" for n in range(1, 7))
PAGES = ("page-front", "page-normal", "page-special")
TIME_SLACK = 1.0  # seconds: hh:mm:ss values are whole seconds


def hms(ms: int) -> str:
    """``hh:mm:ss``, the clock DAISY 2.02 metadata uses (rounded to the second)."""
    seconds = round(ms / 1000)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def npt(ms: int) -> str:
    """A SMIL 1.0 clip time: ``npt=12.345s``."""
    return f"npt={ms / 1000:.3f}s"


def parse_npt(value: str) -> float:
    match = re.fullmatch(r"npt=(\d+(?:\.\d+)?)s", value.strip())
    if not match:
        raise ValueError(f"not an npt clip value: {value!r}")
    return float(match[1])


def parse_hms(value: str) -> float:
    match = re.fullmatch(r"(\d+):([0-5]\d):([0-5]\d(?:\.\d+)?)", value.strip())
    if not match:
        raise ValueError(f"not an hh:mm:ss value: {value!r}")
    return int(match[1]) * 3600 + int(match[2]) * 60 + float(match[3])


def _files(book: Path) -> dict[str, bytes]:
    """Name → bytes of the book's files, from a folder or a zip (whose files may sit in one
    folder inside it)."""
    if book.is_dir():
        return {p.name: p.read_bytes() for p in book.iterdir() if p.is_file()}
    with zipfile.ZipFile(book) as archive:
        names = [n for n in archive.namelist() if not n.endswith("/")]
        ncc = [n for n in names if posixpath.basename(n).lower() == "ncc.html"]
        base = posixpath.dirname(ncc[0]) if ncc else ""
        return {
            posixpath.relpath(n, base or "."): archive.read(n)
            for n in names
            if posixpath.dirname(n) == base
        }


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def check(book: Path, audio_ms: Mapping[str, int] | None = None) -> list[str]:
    """What is wrong with the DAISY 2.02 book at ``book`` (a folder or a zip); empty when all
    is well. ``audio_ms`` gives each MP3's length (file name → ms) to check clips against;
    without it, only the order of the clips is checked."""
    try:
        files = _files(book)
    except (OSError, zipfile.BadZipFile) as exc:
        return [f"cannot read {book}: {exc}"]
    problems: list[str] = []
    parsed: dict[str, etree._Element] = {}

    def document(name: str) -> etree._Element | None:
        if name not in parsed:
            if name not in files:
                return None
            try:
                parsed[name] = etree.fromstring(files[name], xml_parser())
            except etree.XMLSyntaxError as exc:
                problems.append(f"{name} is not well-formed: {exc}")
                return None
        return parsed[name]

    def ids(name: str) -> set[str]:
        root = document(name)
        return set() if root is None else {str(i) for i in root.xpath("//@id")}

    ncc_name = next((n for n in files if n.lower() == "ncc.html"), None)
    ncc = document(ncc_name) if ncc_name else None
    if ncc is None:
        return [*problems, "no ncc.html"] if ncc_name is None else problems
    meta: dict[str, list[str]] = {}
    for node in ncc.iter(f"{{{XHTML_NS}}}meta"):
        if node.get("name"):
            meta.setdefault(str(node.get("name")), []).append(str(node.get("content", "")))
    for name in REQUIRED:
        values = meta.get(name, [])
        if len(values) != 1 or not values[0].strip():
            problems.append(f"ncc.html: {name} must be given once (found {len(values)})")
    if meta.get("dc:format", [""])[0] != "Daisy 2.02":
        problems.append('ncc.html: dc:format must be "Daisy 2.02"')
    if meta.get("ncc:multimediaType", [""])[0] not in MULTIMEDIA_TYPES:
        problems.append("ncc.html: ncc:multimediaType is not one of the specification's")
    body = ncc.find(f"{{{XHTML_NS}}}body")
    elements = [] if body is None else [e for e in body if isinstance(e.tag, str)]
    if not elements or _local(elements[0].tag) != "h1" or elements[0].get("class") != "title":
        problems.append('ncc.html: the first element of the body must be h1 class="title"')
    nav_ids = [str(i) for i in ncc.xpath("//@id")]
    if len(nav_ids) != len(set(nav_ids)):
        problems.append("ncc.html: ids are not unique")

    # headings and pages: their links, in reading order
    level = 0
    depth = 0
    toc = 0
    normal = 0  # page-normal spans
    smil_order: list[str] = []
    for element in elements:
        tag = _local(element.tag)
        if tag in HEADINGS:
            number = int(tag[1])
            if number > level + 1:
                problems.append(f"ncc.html: {tag} #{element.get('id')} skips a level")
            level = number
            depth = max(depth, number)
        elif tag == "span" and element.get("class") in PAGES:
            normal += element.get("class") == "page-normal"
        elif tag in ("div", "span", "p"):
            continue  # groups, sidebars, notes: allowed, not counted here
        else:
            problems.append(f"ncc.html: unexpected element {tag}")
            continue
        toc += 1
        links = element.findall(f"{{{XHTML_NS}}}a")
        if len(links) != 1 or not element.get("id"):
            problems.append(f"ncc.html: {tag} must have an id and one link")
            continue
        href = str(links[0].get("href", ""))
        target, _, fragment = href.partition("#")
        if not target.endswith(".smil") or fragment not in ids(target):
            problems.append(f"ncc.html: link {href} does not resolve")
        elif target not in smil_order:
            smil_order.append(target)

    def declared(name: str) -> str:
        return meta.get(name, [""])[0]

    for name, value in (("ncc:tocItems", toc), ("ncc:depth", depth), ("ncc:pageNormal", normal)):
        if declared(name) != str(value):
            problems.append(f"ncc.html: {name} is {declared(name)!r} but the NCC holds {value}")
    if declared("ncc:files") != str(len(files)):
        problems.append(f"ncc.html: ncc:files is {declared('ncc:files')!r}, the book has "
                        f"{len(files)}")  # fmt: skip

    # every SMIL file, in the order the NCC reaches them
    smils = smil_order + sorted(n for n in files if n.endswith(".smil") and n not in smil_order)
    elapsed = 0.0
    for name in smils:
        root = document(name)
        if root is None:
            problems.append(f"{name} is missing")
            continue
        smil_meta = {str(m.get("name")): str(m.get("content", "")) for m in root.iter("meta")}
        if smil_meta.get("dc:format") != "Daisy 2.02":
            problems.append(f'{name}: dc:format must be "Daisy 2.02"')
        seq = root.find("body/seq")
        if seq is None:
            problems.append(f"{name}: no body/seq")
            continue
        total = 0.0
        last_end: dict[str, float] = {}
        reached: dict[str, int] = {}
        order: dict[str, list[str]] = {}
        for par in seq.iter("par"):
            text, audio = par.find("text"), par.find("audio")
            if text is None or audio is None:
                problems.append(f"{name} {par.get('id')}: a par needs text and audio")
                continue
            target, _, fragment = str(text.get("src", "")).partition("#")
            if target not in order:
                root_text = document(target)
                found = [] if root_text is None else root_text.xpath("//@id")
                order[target] = [str(i) for i in found]
            if fragment not in order[target]:
                problems.append(f"{name}: text {target}#{fragment} does not resolve")
            else:
                position = order[target].index(fragment)
                if position <= reached.get(target, -1):
                    problems.append(f"{name}: #{fragment} comes before the text before it")
                reached[target] = position
            source = str(audio.get("src", ""))
            if source not in files:
                problems.append(f"{name}: audio {source} is missing")
            try:
                begin = parse_npt(str(audio.get("clip-begin", "")))
                end = parse_npt(str(audio.get("clip-end", "")))
            except ValueError as exc:
                problems.append(f"{name} {par.get('id')}: {exc}")
                continue
            if end <= begin:
                problems.append(f"{name} {par.get('id')}: clip {begin:.3f}-{end:.3f} is empty")
            if begin < last_end.get(source, 0.0) - 0.0005:
                problems.append(f"{name} {par.get('id')}: clip {begin:.3f} overlaps the one before")
            length = None if audio_ms is None else audio_ms.get(source)
            if length is not None and end > length / 1000 + 0.0015:
                problems.append(
                    f"{name} {par.get('id')}: clip-end {end:.3f} is past the end of {source} "
                    f"({length / 1000:.3f})"
                )
            last_end[source] = end
            total += end - begin
        duration = seq.get("dur", "")
        match = re.fullmatch(r"(\d+(?:\.\d+)?)s", duration)
        if not match or abs(float(match[1]) - total) > 0.0015:
            problems.append(f"{name}: seq dur {duration!r} is not the sum of its clips "
                            f"({total:.3f}s)")  # fmt: skip
        for key, expected in (("ncc:timeInThisSmil", total), ("ncc:totalElapsedTime", elapsed)):
            try:
                if abs(parse_hms(smil_meta.get(key, "")) - expected) > TIME_SLACK:
                    problems.append(f"{name}: {key} {smil_meta[key]} is not {expected:.1f}s")
            except ValueError:
                problems.append(f"{name}: {key} is missing or not hh:mm:ss")
        elapsed += total
    try:
        if abs(parse_hms(declared("ncc:totalTime")) - elapsed) > TIME_SLACK:
            problems.append(f"ncc.html: ncc:totalTime {declared('ncc:totalTime')} is not the "
                            f"sum of the SMIL files ({elapsed:.1f}s)")  # fmt: skip
    except ValueError:
        problems.append("ncc.html: ncc:totalTime is not hh:mm:ss")
    return problems
