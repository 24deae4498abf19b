"""Article → speech script: chapters of sentence segments, each with its display text (for
transcripts and read-along), its spoken text (normalised, lexicon applied) and the pause
that follows it.

Chapters: Headline; Standfirst (the standfirst, then "By …"), when there is one; Body
(subheadings, paragraphs, list items, quotes, table rows). Several articles make one
chapter each. Captions are read only when asked ("Photo caption: …"); credits never are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from ..model import (
    Article,
    Block,
    Emphasis,
    Figure,
    Foreign,
    Heading,
    Inline,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Strong,
    Table,
    inline_text,
)
from ..text import squash
from .normalize import normalize
from .sentences import split_sentences

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from .lexicon import Lexicon
    from .presets import Pauses


class CaptionPolicy(StrEnum):
    """Whether picture captions are read aloud."""

    SKIP = "skip"
    READ = "read"


MAX_SEGMENT_CHARS = 400


@dataclass(frozen=True, slots=True)
class Segment:
    index: int
    chapter: int
    article: int
    kind: str  # headline, standfirst, byline, heading, paragraph, item, quote, row, caption
    block: int  # the body block it comes from; -1 for headline, standfirst and byline
    text: str  # as displayed
    spoken: str  # as given to the engine
    pause_after_ms: int
    ordinal: int = 0  # which piece of this (article, kind, block): the nth list item, ...
    part: int = 0  # which sentence of that piece (or part of one, see ``language``)
    language: str = ""  # a run in another language than the article's ("es"); "" for its own


@dataclass(frozen=True, slots=True)
class ChapterMark:
    title: str
    article: int


@dataclass(frozen=True, slots=True)
class Script:
    chapters: tuple[ChapterMark, ...]
    segments: tuple[Segment, ...]

    def chapter_segments(self, chapter: int) -> list[Segment]:
        return [s for s in self.segments if s.chapter == chapter]


@dataclass(slots=True)
class _Piece:
    """A run of display text before it is cut into sentences."""

    kind: str
    block: int
    text: str
    pause: str  # which pause follows the run: sentence, paragraph, heading, chapter
    runs: tuple[tuple[int, int, str], ...] = ()  # (start, end, language) of foreign text


class _Builder:
    def __init__(self, lexicon: Lexicon, pauses: Pauses, language: str) -> None:
        self.lexicon = lexicon
        self.pauses = pauses
        self.language = language
        self.chapters: list[ChapterMark] = []
        self.segments: list[Segment] = []
        self.seen: dict[tuple[int, str, int], int] = {}  # pieces so far per (article, kind, block)

    def chapter(self, title: str, article: int, pieces: list[_Piece]) -> None:
        """Add a chapter of the pieces' sentences; nothing when none of them is spoken."""
        # (piece number, display, spoken, language, whether the next continues the sentence)
        spoken: list[tuple[int, str, str, str, bool]] = []
        ordinals: list[int] = []
        for number, piece in enumerate(pieces):
            key = (article, piece.kind, piece.block)
            ordinals.append(self.seen.get(key, 0))
            self.seen[key] = ordinals[-1] + 1
            cursor = 0
            for sentence in split_sentences(piece.text, self.language, MAX_SEGMENT_CHARS):
                start = piece.text.find(sentence, cursor)
                cursor = start + len(sentence) if start >= 0 else cursor
                cut = _language_parts(sentence, start, piece.runs) if start >= 0 else []
                said_parts = []
                for text, language in cut or [(sentence, "")]:
                    # the lexicon sees the text as written (its graphemes), then normalisation
                    said = normalize(self.lexicon.apply(text), language or self.language)
                    if said.strip():
                        said_parts.append((text, said.strip(), language))
                for n, (text, said, language) in enumerate(said_parts):
                    spoken.append((number, text, said, language, n < len(said_parts) - 1))
        if not spoken:
            return
        chapter = len(self.chapters)
        self.chapters.append(ChapterMark(title, article))
        parts: dict[int, int] = {}
        for position, (number, sentence, said, language, continued) in enumerate(spoken):
            piece = pieces[number]
            following = spoken[position + 1][0] if position + 1 < len(spoken) else None
            if continued:  # a quote in another language and the sentence around it
                pause = self.pauses.sentence // 3
            elif following is None:
                pause = self.pauses.chapter
            elif following == number:
                pause = self.pauses.sentence
            elif pieces[following].kind == "heading":
                pause = self.pauses.heading
            else:
                pause = getattr(self.pauses, piece.pause)
            self.segments.append(
                Segment(
                    index=len(self.segments),
                    chapter=chapter,
                    article=article,
                    kind=piece.kind,
                    block=piece.block,
                    text=sentence,
                    spoken=said,
                    pause_after_ms=pause,
                    ordinal=ordinals[number],
                    part=parts.get(number, 0),
                    language=language,
                )
            )
            parts[number] = parts.get(number, 0) + 1


# "By" in the article's language; a language not here says the names alone
_BY = {
    "en": "By", "fr": "Par", "de": "Von", "es": "Por", "it": "Di", "pt": "Por", "nl": "Door",
    "sv": "Av", "da": "Af", "no": "Av", "nb": "Av", "fi": "", "pl": "Autor:", "ca": "Per",
}  # fmt: skip
_AND = {"en": "and", "fr": "et", "de": "und", "es": "y", "it": "e", "pt": "e", "nl": "en"}
_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


MIN_FOREIGN_WORDS = 3  # a shorter run in another language is read by the article's voice
_LEADING_PUNCTUATION = re.compile(r"[^\w\s«“‘\"'(¿¡]+")


def _language_parts(
    sentence: str, start: int, runs: Sequence[tuple[int, int, str]]
) -> list[tuple[str, str]]:
    """``sentence`` (at ``start`` in its piece) cut where a run in another language of at
    least three words begins and ends: (text, language) parts, "" for the article's own.
    Punctuation that opens a part (", she said") closes the one before it."""
    end = start + len(sentence)
    inside = []  # the runs, clipped to the sentence and made relative to it
    for a, b, lang in runs:
        lo, hi = max(a, start) - start, min(b, end) - start
        if lo < hi and len(sentence[lo:hi].split()) >= MIN_FOREIGN_WORDS:
            inside.append((lo, hi, lang))
    if not inside:
        return []
    parts: list[tuple[str, str]] = []
    cursor = 0
    for a, b, lang in inside:
        parts.extend([(sentence[cursor:a], ""), (sentence[a:b], lang)])
        cursor = b
    parts.append((sentence[cursor:], ""))
    out: list[tuple[str, str]] = []
    for text, lang in parts:
        text = text.strip()
        lead = _LEADING_PUNCTUATION.match(text)
        if out and lead:  # ", she said": the comma closes the part before
            out[-1] = (out[-1][0] + lead.group(), out[-1][1])
            text = text[lead.end() :].strip()
        if text:
            out.append((text, lang))
    return out


def _runs(inlines: Sequence[Inline], text: str) -> tuple[tuple[int, int, str], ...]:
    """Where each ``Foreign`` of ``inlines`` lies in ``text`` (their squashed text)."""
    found: list[tuple[int, int, str]] = []
    cursor = 0
    for node in _foreign(inlines):
        words = squash(inline_text(node.children))
        at = text.find(words, cursor) if words else -1
        if at >= 0:
            found.append((at, at + len(words), node.lang))
            cursor = at + len(words)
    return tuple(found)


def _foreign(inlines: Sequence[Inline]) -> Iterator[Foreign]:
    for node in inlines:
        if isinstance(node, Foreign):
            yield node
        elif isinstance(node, Link | Emphasis | Strong):
            yield from _foreign(node.children)


def _byline(article: Article) -> str:
    """The byline as said in the article's language: "By …" becomes "Par …", "Von …"; a
    language without such a word (Chinese, Japanese, …) says the names alone."""
    language = article.speech_language.split("-")[0].lower()
    byline = article.byline.strip()
    if not byline and article.authors:
        names = list(article.authors)
        byline = f" {_AND.get(language, 'and')} ".join(
            [", ".join(names[:-1]), names[-1]] if len(names) > 1 else names
        )
    if not byline:
        return ""
    by = _BY.get(language, "")
    if byline.lower().startswith("by ") and language != "en":
        byline = byline[3:].strip()  # the model's English "By" (made from the authors)
    if not by or byline.lower().startswith(f"{by.lower()} "):
        return byline
    return f"{by} {byline}"


def _ended(text: str) -> str:
    """Text with a full stop if it has no end punctuation, so that it is read as a sentence
    (an ideographic one after Chinese, Japanese or Korean text)."""
    text = text.strip()
    if text and text[-1] not in ".!?…:;\"”’'»)。！？」』）":
        return text + ("。" if _CJK.match(text[-1]) else ".")
    return text


def _caption(figure: Figure, block: int, captions: CaptionPolicy) -> Iterator[_Piece]:
    if captions == "read" and figure.caption:
        yield _Piece("caption", block, f"Photo caption: {_ended(figure.caption)}", "paragraph")


def _list_items(items: Sequence[ListItem], block: int) -> Iterator[_Piece]:
    for item in items:
        text = squash(inline_text(item.inlines))
        if text:
            yield _Piece("item", block, _ended(text), "sentence", _runs(item.inlines, text))
        if item.sublist is not None:
            yield from _list_items(item.sublist.items, block)


def _body(blocks: Sequence[Block], captions: CaptionPolicy) -> Iterator[_Piece]:
    for index, block in enumerate(blocks):
        if isinstance(block, Heading):
            text = squash(inline_text(block.inlines))
            yield _Piece("heading", index, _ended(text), "paragraph", _runs(block.inlines, text))
        elif isinstance(block, Paragraph):
            text = squash(inline_text(block.inlines))
            yield _Piece("paragraph", index, text, "paragraph", _runs(block.inlines, text))
        elif isinstance(block, ListBlock):
            items = list(_list_items(block.items, index))
            if items:
                items[-1].pause = "paragraph"
            yield from items
        elif isinstance(block, Quote):
            if block.attribution:
                yield _Piece(
                    "quote", index, f"{block.attribution.rstrip('.,;:')}, said:", "sentence"
                )
            yield from (
                _Piece("quote", index, p.text, p.pause, p.runs)
                for p in _body(block.blocks, captions)
            )
        elif isinstance(block, Table):
            if block.caption:
                yield _Piece("row", index, _ended(f"Table: {block.caption}"), "sentence")
            for row in block.rows:
                cells = [squash(inline_text(c.inlines)) for c in row]
                yield _Piece("row", index, _ended(", ".join(c for c in cells if c)), "sentence")
        elif isinstance(block, Figure):
            yield from _caption(block, index, captions)
        # preformatted text (code, ASCII art) is not read


def build_script(
    articles: Sequence[Article],
    lexicons: Sequence[Lexicon],
    pauses: Pauses,
    captions: CaptionPolicy = CaptionPolicy.SKIP,
) -> Script:
    """The narration of one article (three chapters) or an edition (one chapter per
    article); ``lexicons`` gives each article's pronunciation lexicon."""
    builder = _Builder(lexicons[0], pauses, "en")
    edition = len(articles) > 1
    for number, article in enumerate(articles):
        builder.lexicon = lexicons[number]
        builder.language = article.speech_language
        headline = [_Piece("headline", -1, _ended(article.headline), "chapter")]
        front: list[_Piece] = []
        if article.standfirst:
            front.append(_Piece("standfirst", -1, _ended(article.standfirst), "paragraph"))
        byline = _byline(article)
        if byline:
            front.append(_Piece("byline", -1, _ended(byline), "paragraph"))
        body: list[_Piece] = []
        if article.lead_figure is not None:
            body.extend(_caption(article.lead_figure, -1, captions))
        body.extend(_body(article.blocks, captions))
        if edition:
            for piece in headline + front:
                piece.pause = "paragraph"
            builder.chapter(article.headline, number, headline + front + body)
        else:
            builder.chapter("Headline", number, headline)
            builder.chapter("Standfirst", number, front)
            builder.chapter("Body", number, body)
    return Script(tuple(builder.chapters), tuple(builder.segments))
