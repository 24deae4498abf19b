"""Plain text → Article.

The shape newsletters and copy desks paste: the first line is the headline; a following
short paragraph is the standfirst; a credit line with a caption right after it is the lead
figure; an optional "By …" line is the byline; the rest are body paragraphs (lines inside a
paragraph are joined). Paywall and page chrome lines are removed by the same rules as HTML.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from ..errors import NoContentFound
from ..model import Article, Block, Figure, Heading, Paragraph, Provenance, Text, article_id
from ..text import clean_chars, squash
from .article import EXTRACTOR_VERSION
from .language import guess_language
from .metadata import split_byline
from .rules import Rules, default_rules

STANDFIRST_MAX = 350
CREDIT_MAX = 100
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n")
_SENTENCE_END = re.compile(r"[.!?…]['\"’”»)]*\s")
_CREDIT_HINT = re.compile(
    r"/|©|\b(?:photo|photograph|image|picture|credit|courtesy|getty|reuters|ap|afp|epa|pool|"
    r"staff|file)\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^by\s+\S.{0,120}$", re.IGNORECASE)
_HEADING = re.compile(r"^#{1,6}\s+(.+)$")


def _paragraphs(text: str, rules: Rules) -> list[list[str]]:
    """Paragraphs as lists of lines, with chrome lines removed."""
    text = clean_chars(text.replace("\r\n", "\n").replace("\r", "\n"))
    paragraphs: list[list[str]] = []
    for chunk in _PARAGRAPH_BREAK.split(text):
        lines = [squash(line) for line in chunk.split("\n")]
        kept = [line for line in lines if line and not _is_chrome(line, rules)]
        if kept:
            paragraphs.append(kept)
    return paragraphs


def _is_chrome(line: str, rules: Rules) -> bool:
    if len(line) >= 300:
        return False
    return rules.paywall.matches_text(line) or rules.boilerplate.matches_text(line)


def _is_credit(line: str) -> bool:
    return (
        len(line) <= CREDIT_MAX
        and not line.endswith((".", "!", "?"))
        and _CREDIT_HINT.search(line) is not None
    )


def _picture(lines: list[str]) -> Figure | None:
    """A credit line and a caption line, in either order: the lead picture."""
    if len(lines) != 2:
        return None
    one, two = lines
    if _is_credit(one) and not _is_credit(two):
        return Figure(image=None, caption=two, credit=one)
    if _is_credit(two) and not _is_credit(one):
        return Figure(image=None, caption=one, credit=two)
    return None


def _sentences(text: str) -> int:
    return len(_SENTENCE_END.findall(text + " "))


def extract_text(
    text: str,
    *,
    rules: Rules | None = None,
    provenance: Provenance | None = None,
    url: str | None = None,
) -> Article:
    """Build an Article from plain text in the shape described in the module docstring."""
    rules = rules or default_rules()
    provenance = provenance or Provenance(source="<string>", media_type="text/plain")
    provenance = replace(
        provenance,
        media_type="text/plain",
        sha256=provenance.sha256 or hashlib.sha256(text.encode("utf-8", "replace")).hexdigest(),
        extractor_version=EXTRACTOR_VERSION,
    )
    paragraphs = _paragraphs(text, rules)
    if not paragraphs:
        raise NoContentFound("no article text found", hint="the input holds only white space")
    first = paragraphs.pop(0)
    headline = first[0]
    if len(first) > 1:
        paragraphs.insert(0, first[1:])

    byline = ""
    if paragraphs and len(paragraphs[0]) == 1 and _BYLINE.match(paragraphs[0][0]):
        byline = paragraphs.pop(0)[0]

    standfirst = ""
    if len(paragraphs) > 1 and _picture(paragraphs[0]) is None:
        candidate = " ".join(paragraphs[0])
        if len(candidate) <= STANDFIRST_MAX and _sentences(candidate) <= 3:
            standfirst = candidate
            paragraphs.pop(0)

    lead = _picture(paragraphs[0]) if paragraphs else None
    if lead is not None:
        paragraphs.pop(0)

    if not byline and paragraphs and len(paragraphs[0]) == 1 and _BYLINE.match(paragraphs[0][0]):
        byline = paragraphs.pop(0)[0]

    blocks: list[Block] = []
    for lines in paragraphs:
        heading = _HEADING.match(lines[0]) if len(lines) == 1 else None
        if heading:
            level = min(6, max(2, lines[0].index(" ")))
            blocks.append(Heading(level, (Text(heading.group(1).strip()),)))
        else:
            blocks.append(Paragraph((Text(" ".join(lines)),)))
    if not any(isinstance(b, Paragraph) for b in blocks):
        raise NoContentFound(
            "no article text found", hint="plain text needs a headline line and body paragraphs"
        )
    body = "\n\n".join(" ".join(lines) for lines in paragraphs)
    removed_chrome = _had_chrome(text, rules)
    return Article(
        id=article_id(url, "", headline, ""),
        headline=headline,
        standfirst=standfirst,
        byline=byline,
        authors=tuple(split_byline(byline)) if byline else (),
        url=url,
        language=guess_language(body),
        lead_figure=lead,
        blocks=tuple(blocks),
        paywall="unknown" if removed_chrome else "open",
        provenance=provenance,
    )


def _had_chrome(text: str, rules: Rules) -> bool:
    return any(
        rules.paywall.matches_text(squash(line))
        for line in text.splitlines()
        if 0 < len(line) < 300
    )
