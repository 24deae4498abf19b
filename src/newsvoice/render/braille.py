"""Braille editions: the article translated by liblouis and laid out on braille pages, as
ASCII braille (BRF) for embossers and braille displays, or PEF (the XML braille format).

liblouis (Debian's ``liblouis-bin``) is called as ``lou_translate`` with its ``unicode.dis``
display table, so the layout works on braille cells (one Unicode character each) whatever the
table, and BRF is mapped from the dots by the North American ASCII braille code.

The layout follows the common braille formatting conventions: the headline centred with a
blank line after it, sub-headings from cell 5 after a blank line, paragraphs from cell 3 with
runovers at cell 1, list items from cell 1 with runovers at cell 3, quotes indented two cells;
words are never split unless longer than a line; the last line of each page carries the
braille page number at the right margin; pages end with a form feed. An edition starts with a
contents page, and each article on a new page.
"""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from ..errors import ConfigError, RenderError
from ..io import write_atomic
from ..model import Article, Figure, Heading, ListBlock, Paragraph, Quote, Table, inline_text
from ..text import squash
from .daisy import book_identifier, edition_date
from .kinds import Edition, also_available

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

# A language's literary table in liblouis (grade 2 where the language has contractions).
LANGUAGE_TABLES = {
    "en": "en-ueb-g2.ctb",
    "fr": "fr-bfu-g2.ctb",
    "de": "de-g2.ctb",
    "es": "es-g2.ctb",
    "it": "it-it-comp6.utb",
    "pt": "pt-pt-g2.ctb",
    "nl": "nl-NL-g0.utb",
    "sv": "sv-g2.ctb",
    "da": "da-dk-g26.ctb",
    "no": "no-no-g2.ctb",
    "nb": "no-no-g2.ctb",
    "fi": "fi.utb",
    "cs": "cs-g1.ctb",
    "hu": "hu-hu-g2.ctb",
    "tr": "tr-g2.ctb",
    "ru": "ru-litbrl.ctb",
    "ar": "ar-ar-g2.ctb",
    "he": "he-IL.utb",
    "ko": "ko-g2.ctb",
    "zh": "zhcn-g2.ctb",
}
INSTALL_HINT = "install liblouis (Debian/Ubuntu: apt-get install liblouis-bin)"
# Unicode braille cell (U+2800 + dots as bits 1-6) → North American ASCII braille.
BRF = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="
BLANK = "\u2800"
PEF_NS = "http://www.daisy.org/ns/2008/pef"
DC_NS = "http://purl.org/dc/elements/1.1/"
DIGITS = "⠚⠁⠃⠉⠙⠑⠋⠛⠓⠊"  # 0-9 as the letters a-j, after the number sign
NUMBER_SIGN = "⠼"


@dataclass(frozen=True, slots=True)
class BrailleOptions:
    table: str | None = None  # a liblouis table; None: by the article's language
    cells: int = 40
    lines: int = 25
    pef: bool = False
    title: str | None = None  # of an edition
    also: tuple[Edition, ...] = ()  # the other editions made beside it, named in a PEF


@dataclass(frozen=True, slots=True)
class BrailleResult:
    path: str
    format: str  # brf or pef
    table: str
    cells: int
    lines: int
    pages: tuple[tuple[str, ...], ...] = field(repr=False)  # Unicode braille, line by line
    agreement: float  # back-translated words that match the text's, 0..1
    articles: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "table": self.table,
            "cells": self.cells,
            "lines": self.lines,
            "pages": len(self.pages),
            "articles": self.articles,
            "back_translation_agreement": round(self.agreement, 4),
        }


# --- liblouis --------------------------------------------------------------------------------


def _lou() -> str:
    found = shutil.which("lou_translate")
    if found is None:
        raise RenderError("liblouis's lou_translate is not installed", hint=INSTALL_HINT)
    return found


def table_for(language: str, table: str | None = None) -> str:
    """The table to use: ``table`` if given, else the article language's."""
    if table:
        return table
    base = (language or "en").split("-")[0].lower()
    base = "en" if base == "und" else base
    found = LANGUAGE_TABLES.get(base)
    if found is None:
        raise ConfigError(
            f"no braille table for language {language!r}",
            hint="give one with --table (a liblouis table name, e.g. en-ueb-g1.ctb)",
        )
    return found


def louis(lines: Sequence[str], table: str, *, backward: bool = False) -> list[str]:
    """``lines`` through liblouis (forward: text → Unicode braille; backward: the reverse),
    one line out per line in."""
    if not lines:
        return []
    clean = [line.replace("\n", " ").replace("\r", " ").replace("\f", " ") for line in lines]
    command = [_lou(), "--backward" if backward else "--forward", f"unicode.dis,{table}"]
    try:
        done = subprocess.run(  # noqa: S603 - our own argument list, no shell
            command,
            input="\n".join(clean) + "\n",
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            encoding="utf-8",
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RenderError(f"liblouis failed: {exc}", hint=INSTALL_HINT) from exc
    if done.returncode != 0 or "Cannot resolve table" in done.stderr:
        message = done.stderr.strip().splitlines()[-1:] or ["no output"]
        raise ConfigError(
            f"liblouis cannot use the table {table!r}: {message[0]}",
            hint="name a table in /usr/share/liblouis/tables (e.g. en-ueb-g2.ctb) with --table",
        )
    out = done.stdout.split("\n")
    return (out + [""] * len(clean))[: len(clean)]


def _six_dot(cells: str) -> bool:
    return all(0x2800 <= ord(c) < 0x2840 for c in cells)


def describe(char: str) -> str:
    """What stands in the text for a character the table has no braille for: nothing for
    marks that only shape or direct text (joiners, variation selectors, bidi controls), a
    compatibility form's letters where it has one (𝐀 → A), else its Unicode name in words,
    as screen readers say it (🌊 → "water wave")."""
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me", "Zl", "Zp"):
        return ""
    plain = unicodedata.normalize("NFKD", char)
    plain = "".join(c for c in plain if unicodedata.category(c) != "Mn")
    if plain and plain != char and plain.isascii():
        return plain
    name = unicodedata.name(char, "")
    return f" {name.lower()} " if name else ""


def translate(lines: Sequence[str], table: str) -> tuple[list[str], list[str]]:
    """``lines`` in Unicode braille (6-dot) with ``table``, and the text that was translated:
    liblouis writes a character its table does not define as an escape in 8-dot cells, which
    means nothing to a reader, so such characters are replaced (``describe``) and their lines
    translated again."""
    texts = [unicodedata.normalize("NFC", line) for line in lines]
    cells = louis(texts, table)
    wrong = [n for n, out in enumerate(cells) if not _six_dot(out)]
    if not wrong:
        return texts, cells
    suspects = sorted({c for n in wrong for c in texts[n] if not c.isascii()})
    alone = louis(suspects, table)  # each character by itself
    undefined = {
        c: describe(c) for c, out in zip(suspects, alone, strict=True) if not _six_dot(out)
    }
    for n in wrong:
        texts[n] = squash("".join(undefined.get(c, c) for c in texts[n]))
    for n, out in zip(wrong, louis([texts[n] for n in wrong], table), strict=True):
        cells[n] = out if _six_dot(out) else "".join(c for c in out if 0x2800 <= ord(c) < 0x2840)
    return texts, cells


def to_brf(line: str) -> str:
    """A line of Unicode braille (6-dot) as ASCII braille."""
    chars = []
    for char in line:
        code = ord(char) - 0x2800
        if not 0 <= code < 0x40:
            raise RenderError(f"U+{ord(char):04X} is not a 6-dot braille cell")
        chars.append(BRF[code])
    return "".join(chars)


def number(value: int) -> str:
    """A braille page number: the number sign and the digits as letters."""
    return NUMBER_SIGN + "".join(DIGITS[int(d)] for d in str(value))


# --- the text, piece by piece --------------------------------------------------------------

# kind → (first-line indent, runover indent)
INDENTS = {"paragraph": (2, 0), "item": (0, 2), "quote": (4, 2), "heading": (4, 4),
           "byline": (0, 0), "standfirst": (2, 0), "row": (0, 2), "caption": (2, 0)}  # fmt: skip


def pieces(article: Article) -> Iterator[tuple[str, str]]:
    """(kind, text) of the article as it is read in braille: headline, standfirst, byline,
    then the body's blocks (figures by their captions)."""
    yield "headline", squash(article.headline)
    if article.standfirst:
        yield "standfirst", squash(article.standfirst)
    if article.byline:
        yield "byline", squash(article.byline)
    yield from _blocks(article.blocks, "paragraph")


def _blocks(blocks: Sequence[object], paragraph: str) -> Iterator[tuple[str, str]]:
    for block in blocks:
        if isinstance(block, Heading):
            yield "heading", squash(inline_text(block.inlines))
        elif isinstance(block, Paragraph):
            yield paragraph, squash(inline_text(block.inlines))
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield "item", squash(inline_text(item.inlines))
                if item.sublist is not None:
                    yield from _blocks((item.sublist,), paragraph)
        elif isinstance(block, Quote):
            yield from _blocks(block.blocks, "quote")
            if block.attribution:
                yield "quote", f"— {squash(block.attribution)}"
        elif isinstance(block, Table):
            if block.caption:
                yield "row", squash(block.caption)
            for row in block.rows:
                cells = (squash(inline_text(c.inlines)) for c in row)
                yield "row", ", ".join(t for t in cells if t)
        elif isinstance(block, Figure) and block.caption:
            yield "caption", squash(block.caption)


# --- layout --------------------------------------------------------------------------------


def wrap(cells: str, width: int, first: int, runover: int) -> list[str]:
    """Braille ``cells`` in lines of at most ``width``: broken at blank cells, the first line
    indented by ``first`` cells and the others by ``runover``; a word longer than a line is
    split with a hyphen (dots 3-6) at the end of each part."""
    lines: list[str] = []
    line: str | None = None
    indent = first
    for word in (w for w in cells.split(BLANK) if w):
        while word:
            candidate = BLANK * indent + word if line is None else line + BLANK + word
            if len(candidate) <= width:
                line, word = candidate, ""
            elif line is not None:  # the word goes on the next line
                lines.append(line)
                line, indent = None, runover
            else:  # longer than a line: hyphenate
                cut = width - indent - 1
                lines.append(BLANK * indent + word[:cut] + "\u2824")
                word, indent = word[cut:], runover
    if line is not None:
        lines.append(line)
    return lines


def centred(cells: str, width: int) -> list[str]:
    lines = wrap(cells, width - 4, 0, 0)
    return [BLANK * ((width - len(line)) // 2) + line for line in lines]


class _Pages:
    """Lines laid out on pages of ``lines`` lines, the last one the page number line."""

    def __init__(self, cells: int, lines: int) -> None:
        self.cells, self.lines = cells, lines
        self.pages: list[list[str]] = []
        self.current: list[str] = []

    @property
    def body(self) -> int:
        return self.lines - 1

    @property
    def page_number(self) -> int:
        return len(self.pages) + 1

    def add(self, lines: list[str], keep: int = 1) -> None:
        """Add ``lines``; a page break comes first when fewer than ``keep`` of them fit."""
        if self.current and len(self.current) + min(keep, len(lines)) > self.body:
            self.new_page()
        for line in lines:
            if len(self.current) >= self.body:
                self.new_page()
            self.current.append(line)

    def blank(self) -> None:
        if self.current and len(self.current) < self.body:
            self.current.append("")

    def new_page(self) -> None:
        if not self.current:
            return
        page = self.current + [""] * (self.body - len(self.current))
        mark = number(self.page_number)
        page.append(BLANK * (self.cells - len(mark)) + mark)
        self.pages.append([line.rstrip(BLANK) for line in page])
        self.current = []

    def finish(self) -> list[tuple[str, ...]]:
        if self.current:
            self.new_page()
        return [tuple(page) for page in self.pages]


def _article(pages: _Pages, translated: Sequence[tuple[str, str]]) -> None:
    for kind, cells in translated:
        if kind == "headline":
            pages.add(centred(cells, pages.cells))
            pages.blank()
        elif kind == "heading":
            pages.blank()
            pages.add(wrap(cells, pages.cells, *INDENTS[kind]), keep=2)
        else:
            pages.add(wrap(cells, pages.cells, *INDENTS.get(kind, (2, 0))))


def _contents(pages: _Pages, title: str, headlines: Sequence[str], starts: Sequence[int]) -> None:
    """The edition's title and each article's headline with guide dots and its page."""
    pages.add(centred(title, pages.cells))
    pages.blank()
    for headline, start in zip(headlines, starts, strict=True):
        mark = number(start)
        lines = wrap(headline, pages.cells - len(mark) - 3, 0, 2)
        dots = pages.cells - len(lines[-1]) - len(mark) - 2
        lines[-1] += BLANK + "⠐" * max(1, dots) + BLANK + mark
        pages.add(lines, keep=len(lines))


def lay_out(
    translated: Sequence[Sequence[tuple[str, str]]], cells: int, lines: int, title: str | None
) -> list[tuple[str, ...]]:
    """Braille pages of the translated articles, each on new pages; with an edition
    ``title``, a contents page first (laid out again until its page numbers hold)."""
    starts = [1] * len(translated)
    while True:
        pages = _Pages(cells, lines)
        if title is not None:
            _contents(pages, title, [a[0][1] for a in translated], starts)
        found = []
        for article in translated:
            pages.new_page()
            found.append(pages.page_number)
            _article(pages, article)
        if title is None or found == starts:
            return pages.finish()
        starts = found


# --- checks ----------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def agreement(pages: Sequence[Sequence[str]], texts: Sequence[str], table: str) -> float:
    """The share of the text's words that back-translation of the pages gives again, in order
    (capitals and contractions liblouis cannot reverse count as misses). Page number lines and
    the contents page are left out; a word split over two lines is joined first."""
    lines = [line for page in pages for line in page[:-1] if line.strip(BLANK)]
    joined = "\n".join(line.strip(BLANK) for line in lines).replace("⠤\n", "")
    back = louis(joined.split("\n"), table, backward=True)
    found = words(" ".join(back))
    expected = words(" ".join(texts))
    matcher = difflib.SequenceMatcher(None, expected, found, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    return same / max(1, len(expected))


def problems(pages: Sequence[Sequence[str]], cells: int, lines: int) -> list[str]:
    out = []
    for number_, page in enumerate(pages, start=1):
        if not all(_six_dot(line) for line in page):
            out.append(f"page {number_} holds a cell that is not 6-dot braille")
        if len(page) > lines:
            out.append(f"page {number_} has {len(page)} lines (more than {lines})")
        out.extend(
            f"page {number_} line {n} has {len(line)} cells (more than {cells})"
            for n, line in enumerate(page, start=1)
            if len(line) > cells
        )
    return out


# --- output ----------------------------------------------------------------------------------


def brf(pages: Sequence[Sequence[str]]) -> bytes:
    """ASCII braille: CR LF line ends, a form feed after each page."""
    return "".join("\r\n".join(to_brf(line) for line in page) + "\r\n\f" for page in pages).encode(
        "ascii"
    )


def pef(
    pages: Sequence[Sequence[str]],
    articles: Sequence[Article],
    title: str,
    options: BrailleOptions,
    table: str,
) -> bytes:
    """PEF 2008-1: one volume of one section, each row a line of Unicode braille."""
    root = etree.Element(f"{{{PEF_NS}}}pef", nsmap={None: PEF_NS, "dc": DC_NS}, version="2008-1")
    head = etree.SubElement(root, f"{{{PEF_NS}}}head")
    meta = etree.SubElement(head, f"{{{PEF_NS}}}meta")
    language = articles[0].language if articles[0].language != "und" else "en"
    made = f"Braille (liblouis table {table}), {options.cells} cells by {options.lines} lines."
    description = " ".join(filter(None, (made, also_available(options.also))))
    for name, value in (
        ("format", "application/x-pef+xml"),
        ("identifier", book_identifier(articles)),
        ("title", title),
        ("creator", ", ".join(dict.fromkeys(n for a in articles for n in a.authors)) or ""),
        ("language", language),
        ("date", edition_date(articles)),
        ("publisher", ", ".join(dict.fromkeys(a.site_name for a in articles if a.site_name))),
        ("description", description),
    ):
        if value:
            etree.SubElement(meta, f"{{{DC_NS}}}{name}").text = value
    body = etree.SubElement(root, f"{{{PEF_NS}}}body")
    volume = etree.SubElement(
        body, f"{{{PEF_NS}}}volume", cols=str(options.cells), rows=str(options.lines),
        rowgap="0", duplex="false",
    )  # fmt: skip
    section = etree.SubElement(volume, f"{{{PEF_NS}}}section")
    for page in pages:
        page_node = etree.SubElement(section, f"{{{PEF_NS}}}page")
        for line in page:
            etree.SubElement(page_node, f"{{{PEF_NS}}}row").text = line
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def render_braille(
    articles: Sequence[Article], path: Path | str, options: BrailleOptions | None = None
) -> BrailleResult:
    """Translate ``articles`` and write them at ``path`` as BRF (or PEF), atomically; the pages
    are checked (line and page lengths) and back-translated before anything is written."""
    options = options or BrailleOptions()
    if not articles:
        raise RenderError("no articles to translate")
    if not 10 <= options.cells <= 100:
        raise ConfigError(f"--cells {options.cells} is out of range", hint="use 10 to 100")
    if not 5 <= options.lines <= 100:
        raise ConfigError(f"--lines {options.lines} is out of range", hint="use 5 to 100")
    table = table_for(articles[0].language, options.table)
    edition = len(articles) > 1
    title = (options.title or "News edition") if edition else articles[0].headline
    texts: list[str] = []
    translated = []
    for article in articles:
        kinds, plain = zip(*[(k, t) for k, t in pieces(article) if t], strict=True)
        said, cells = translate(plain, table)
        texts.extend(said)
        translated.append(list(zip(kinds, cells, strict=True)))
    title_cells = translate([title], table)[1][0] if edition else None
    pages = lay_out(translated, options.cells, options.lines, title_cells)
    wrong = problems(pages, options.cells, options.lines)
    if wrong:
        raise RenderError(f"the braille pages do not fit: {wrong[0]}")
    agreed = agreement(pages, texts, table)
    data = pef(pages, articles, title, options, table) if options.pef else brf(pages)
    write_atomic(Path(path), data)
    return BrailleResult(
        path=str(path),
        format="pef" if options.pef else "brf",
        table=table,
        cells=options.cells,
        lines=options.lines,
        pages=tuple(pages),
        agreement=agreed,
        articles=len(articles),
    )
