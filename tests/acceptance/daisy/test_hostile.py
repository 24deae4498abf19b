"""Hostile pages (tests/data/hostile/outputs/, the cases whose header says ``editions: yes``,
or ``editions: braille`` for text too long to narrate in a test)
made into a DAISY book and a braille file: nothing active, remote or illegal reaches the NCC,
the text or the SMIL files; the book passes its structural check; the braille pages fit, the
BRF is ASCII braille and the PEF is well-formed. The fake engine speaks (the text is what is
under test here; the real voices are in test_editions.py), liblouis translates for real."""

from __future__ import annotations

import shutil
import zipfile
from typing import TYPE_CHECKING

import pytest
from lxml import etree

from newsvoice import load
from newsvoice.errors import ConfigError
from newsvoice.render.audio import AudioOptions
from newsvoice.render.braille import BLANK, BRF, LANGUAGE_TABLES, BrailleOptions, render_braille
from newsvoice.render.daisy import DaisyOptions, render_daisy
from newsvoice.render.daisycheck import check
from tests.acceptance.test_hostile_outputs import (
    CASES,
    ILLEGAL_CHARS,
    SAFE_MEMBER,
    _element_findings,
    _split,
    read_header,
)
from tests.helpers import need
from tests.unit.render.test_audio import fake_preset

if TYPE_CHECKING:
    from pathlib import Path

EDITIONS = [p for p in CASES if read_header(p).get("editions") in ("yes", "braille")]
BOOKS = [p for p in EDITIONS if read_header(p)["editions"] == "yes"]  # "braille": too long
_SAFE_XML = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
)
ASCII_BRAILLE = frozenset(BRF) | {"\n", "\f", "\r"}


def test_the_cases_cover_the_ways_in() -> None:
    assert len(EDITIONS) >= 12
    names = {p.name for p in EDITIONS}
    assert {"headline-script.html", "rtl-arabic.html", "long-word.html"} <= names


CHARSET = "<meta http-equiv='Content-Type'>"  # DAISY 2.02 asks for it; its value is checked


def _text_findings(where: str, data: bytes, forbid: list[str]) -> list[str]:
    try:
        root = etree.fromstring(data, _SAFE_XML)
    except etree.XMLSyntaxError as exc:
        return [f"{where}: not well-formed ({exc})"]
    smil = where.endswith(".smil")  # its <audio> elements play the book's own MP3s
    found = [
        f for f in _element_findings(where, root, allowed=frozenset({"audio"} if smil else ()))
        if not f.endswith(CHARSET)
    ]  # fmt: skip
    found += [
        f"{where}: <meta http-equiv content={meta.get('content')!r}>"
        for meta in root.iter("{*}meta")
        if meta.get("http-equiv") and meta.get("content") != "text/html; charset=utf-8"
    ]
    found += [
        f"{where}: <audio src={audio.get('src')!r}> is not the book's"
        for audio in root.iter("{*}audio")
        if not SAFE_MEMBER.match(audio.get("src", "")) or "/" in audio.get("src", "")
    ]
    text = data.decode("utf-8")
    if "<!ENTITY" in text:
        found.append(f"{where}: entity declaration")
    bad = ILLEGAL_CHARS.search(text)
    if bad:
        found.append(f"{where}: character U+{ord(bad.group()):04X}")
    found += [f"{where}: {secret!r} reached it" for secret in forbid if secret in text]
    return found


@pytest.mark.parametrize("path", BOOKS, ids=[p.name for p in BOOKS])
def test_a_hostile_page_as_a_daisy_book(path: Path, tmp_path: Path) -> None:
    article = load(str(path))
    audio = AudioOptions(voice=fake_preset(tmp_path), cache_dir=tmp_path / "cache", jobs=1)
    book = tmp_path / "book.daisy.zip"
    result = render_daisy([article], book, DaisyOptions(audio=audio))
    assert check(book, {"a001.mp3": result.duration_ms}) == []
    forbid = _split(read_header(path).get("forbid"))
    found: list[str] = []
    with zipfile.ZipFile(book) as archive:
        for name in archive.namelist():
            if not SAFE_MEMBER.match(name):
                found.append(f"unsafe member name {name!r}")
            if name.endswith((".html", ".smil")):
                found += _text_findings(name, archive.read(name), forbid)
        content = etree.fromstring(archive.read("book/content.html"), _SAFE_XML)
    assert not found, "\n".join(found)
    language = read_header(path).get("language", "")
    if language.split("-")[0] in ("ar", "he"):  # the text keeps its direction
        (section,) = content.iter("{*}div")
        assert (section.get("lang"), section.get("dir")) == (language, "rtl")


@pytest.mark.parametrize("path", EDITIONS, ids=[p.name for p in EDITIONS])
def test_a_hostile_page_in_braille(path: Path, tmp_path: Path) -> None:
    need("lou_translate (liblouis-bin)", shutil.which("lou_translate"))
    article = load(str(path))
    if article.language.split("-")[0] not in LANGUAGE_TABLES:
        with pytest.raises(ConfigError) as refused:  # no table here: said, on one line
            render_braille([article], tmp_path / "page.brf")
        assert "\n" not in str(refused.value)
        assert "--table" in (refused.value.hint or "")
        assert not (tmp_path / "page.brf").exists()
        return
    result = render_braille([article], tmp_path / "page.brf", BrailleOptions(cells=32))
    data = (tmp_path / "page.brf").read_bytes()
    assert set(data.decode("ascii")) <= ASCII_BRAILLE
    for page in data.decode("ascii").split("\f"):
        lines = page.strip("\n").split("\n")
        assert len(lines) <= 25
        assert max(len(line.rstrip("\r")) for line in lines) <= 32
    cells = {chr(c) for c in range(0x2800, 0x2840)} | {BLANK}  # 6-dot: what BRF can hold
    assert all(set(line) <= cells for page in result.pages for line in page)
    if result.table.startswith("en-"):  # (he-IL.utb, for one, does not translate back)
        assert result.agreement >= 0.9
    pef = render_braille([article], tmp_path / "page.pef", BrailleOptions(cells=32, pef=True))
    found = _text_findings("pef", (tmp_path / "page.pef").read_bytes(), [])
    assert not found, "\n".join(found)
    assert pef.pages == result.pages
