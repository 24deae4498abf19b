"""A typographic cover drawn with Pillow: site name, headline and date, dark on light.

The same picture serves as the EPUB cover and as MP3 and podcast artwork (any size, square
included). Colours: #141414 text on #FAF8F2 (about 17:1) and #FAF8F2 on a #1B2A41 band
(about 13:1), well over WCAG's 4.5:1. Fonts are DejaVu (shipped in the package); characters
they lack (CJK, for example) are left out of the picture, never drawn as boxes: the cover's
text alternative carries the full title.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw, ImageFont

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..model import Article

if TYPE_CHECKING:
    from datetime import datetime

PAPER = (250, 248, 242)
INK = (20, 20, 20)
BAND = (27, 42, 65)
RULE = (160, 40, 40)
SERIF_BOLD = "DejaVuSerif-Bold.ttf"
SANS = "DejaVuSans.ttf"


@dataclass(frozen=True, slots=True)
class CoverText:
    title: str
    site: str = ""
    date: datetime | None = None
    subtitle: str = ""  # e.g. "Edition · 21 articles"

    @property
    def alt(self) -> str:
        """The text alternative of the cover picture."""
        parts = [f"Cover: {self.title}"]
        if self.site:
            parts.append(self.site)
        if self.date:
            parts.append(_date(self.date))
        return ", ".join(parts)


@cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    data = resources.files("newsvoice").joinpath(f"data/fonts/{name}").read_bytes()
    return ImageFont.truetype(io.BytesIO(data), size)


def _missing(font: ImageFont.FreeTypeFont, char: str) -> bool:
    """Does the font lack ``char`` (so that it would draw the "no glyph" box)?"""
    if char.isspace():
        return False
    return _glyph(font, char) == _glyph(font, "\uffff")


@cache
def _glyph(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    mask = font.getmask(char)
    return bytes(mask) + repr(mask.size).encode()


def drawable(font: ImageFont.FreeTypeFont, text: str) -> bool:
    return bool(text.strip()) and not any(_missing(font, c) for c in set(text))


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _fit_headline(
    draw: ImageDraw.ImageDraw, text: str, width: int, height: int
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest headline size whose wrapped lines fit the box."""
    size = max(24, height // 4)
    while True:
        font = _font(SERIF_BOLD, size)
        lines = _wrap(draw, text, font, width)
        widest = max(draw.textlength(line, font=font) for line in lines)
        if (len(lines) * size * 1.2 <= height and widest <= width) or size <= 24:
            return font, lines
        size = int(size * 0.92)


def _date(value: datetime) -> str:
    return f"{value.day} {value:%B %Y}"


def cover_png(text: CoverText, size: tuple[int, int] = (1600, 2400)) -> bytes:
    """The cover as PNG bytes (deterministic for the same text and size)."""
    width, height = size
    margin = width // 12
    image = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(image)

    band = height // 7
    draw.rectangle((0, 0, width, band), fill=BAND)
    site = text.site.upper()
    site_font = _font(SANS, max(16, band // 4))
    if site and drawable(site_font, site):
        lines = _wrap(draw, site, site_font, width - 2 * margin)[:2]
        y = (band - len(lines) * site_font.size * 1.2) / 2
        for line in lines:
            draw.text((margin, y), line, font=site_font, fill=PAPER)
            y += site_font.size * 1.2

    top = band + height // 14
    draw.rectangle((margin, top, margin + width // 6, top + max(4, height // 300)), fill=RULE)
    box_top = top + height // 30
    box_height = int(height * 0.55)
    if drawable(_font(SERIF_BOLD, 40), text.title):
        font, lines = _fit_headline(draw, text.title, width - 2 * margin, box_height)
        y = float(box_top)
        for line in lines:
            draw.text((margin, y), line, font=font, fill=INK)
            y += font.size * 1.2

    footer_font = _font(SANS, max(14, height // 45))
    footer = [s for s in (text.subtitle, _date(text.date) if text.date else "") if s]
    y = height - margin - len(footer) * footer_font.size * 1.4
    for line in footer:
        if drawable(footer_font, line):
            draw.text((margin, y), line, font=footer_font, fill=INK)
        y += footer_font.size * 1.4

    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def cover_text(articles: Sequence[Article], title: str) -> CoverText:
    """What the generated cover shows (and its text alternative)."""
    if len(articles) == 1:
        first = articles[0]
        return CoverText(first.headline, first.site_name, first.published)
    return CoverText(
        title=title,
        site=_only({a.site_name for a in articles if a.site_name}),
        date=max((a.published for a in articles if a.published), default=None),
        subtitle=f"{len(articles)} articles",
    )


def _only(values: set[str]) -> str:
    return next(iter(values)) if len(values) == 1 else ""
