"""Split normalised speech text into sentences a TTS engine takes one at a time.

A sentence ends at ``. ! ? …`` (and the closing quotes or brackets after it) followed by white
space and a capital letter, a digit, an opening quote or a letter of a script without case.
It never ends after a title ("Mr.", "Dr. Who"), nor at an initial or dotted letters ("John F.
Kennedy", "U.S. President") or another abbreviation from the language's table ("Inc.", "No. 5")
unless the next word is one that opens sentences ("Plan B. The"). CJK text ends sentences
after 。！？ without needing a space. Line breaks always end one. It works on display text too;
normalised text just has fewer periods left to judge.

Sentences longer than ``max_chars`` are halved again and again at "; ", ", " or a space near
the middle (a hard cut only for a run of ``max_chars`` characters without any space), so every
piece fits. Pieces are stripped and never empty; joining them with single spaces gives back
the input's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# the closing quotes and brackets after the terminator; French sets a space before » (‹ › too)
_LATIN_END = re.compile(r"([.!?…؟।]+)(?:[\"'”’»)\]」』）]|[ \u00a0\u202f][»›](?=\s))*(?=\s)")
_CJK_END = re.compile(r"[。！？]+[」』）”’\"']*")
_NEXT_WORD = re.compile(r"\s*([^\W_]+)")
_LETTERS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")  # "F", "U.S", "a.m"
_OPENERS = frozenset("\"“‘'([«¿¡「『（")
_BEFORE_WINDOW = 64  # characters looked at for the word before a period
_SOFT_CUTS = ("; ", "；", ", ", "，", "、")  # preferred places to halve a long sentence


@dataclass(frozen=True, slots=True)
class SplitRules:
    """What one language needs for splitting, as data.

    ``titles``: lower-case words after which a period never ends a sentence ("mr", "dr");
    ``abbreviations``: the same unless a starter follows ("inc", "etc");
    ``before_number``: the same, but only when a digit follows ("No. 5", "Jan. 6");
    ``starters``: words that open sentences ("The", "But").
    """

    titles: frozenset[str] = frozenset()
    abbreviations: frozenset[str] = frozenset()
    before_number: frozenset[str] = frozenset()
    starters: frozenset[str] = frozenset()


_EN_STARTERS = """
A About According After Also Although An And Another Any As At Because Before Both But By
Despite During Each Earlier Even Every For From He Her Here His How However I If In Instead
It Its Last Later Many Meanwhile More Most My Neither Next No Nor Now On One Only Or Other
Our Since So Some Still Such That The Their Then There These They This Those Though Today
Tomorrow Two Under Unlike We What When Where Whether Which While Who Why With Yesterday Yet
You Your
"""
_EN_TITLES = """
mr mrs ms dr prof sen rep gov gen lt col capt sgt rev mt ft pres adm maj cpl pvt supt msgr
hon fr det atty insp amb vs v
"""
_EN_ABBREVIATIONS = """
st co e.g i.e cf inc ltd corp jr sr bros dept univ assn ave blvd rd etc
"""
_EN_BEFORE_NUMBER = """
no nos fig vol p pp art sec ch jan feb mar apr jun jul aug sep sept oct nov dec approx ca
"""

_RULES: dict[str, SplitRules] = {
    "en": SplitRules(
        titles=frozenset(_EN_TITLES.split()),
        abbreviations=frozenset(_EN_ABBREVIATIONS.split()),
        before_number=frozenset(_EN_BEFORE_NUMBER.split()),
        starters=frozenset(_EN_STARTERS.split()),
    ),
}
_NEUTRAL = SplitRules()


def rules_for(language: str) -> SplitRules:
    """The splitting table for a BCP 47 tag (by primary subtag); a neutral one if none."""
    return _RULES.get(language.split("-")[0].split("_")[0].lower(), _NEUTRAL)


def opens_sentence(word: str, language: str = "en") -> bool:
    """True if ``word`` is one that starts sentences in ``language`` ("The", "But", "It")."""
    return word in rules_for(language).starters


def split_sentences(text: str, language: str = "en", max_chars: int = 400) -> list[str]:
    """Split normalised ``text`` into sentences of at most ``max_chars`` characters each."""
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    rules = rules_for(language)
    pieces: list[str] = []
    for raw_line in text.splitlines():
        line = " ".join(raw_line.split())  # one space between words, none at the ends
        for sentence in _sentences(line, rules):
            pieces.extend(_fit(sentence, max_chars))
    return pieces


def _sentences(line: str, rules: SplitRules) -> list[str]:
    """The sentences of one line, stripped, without empty ones."""
    cuts = [m.end() for m in _LATIN_END.finditer(line) if _ends_sentence(line, m, rules)]
    cuts += [m.end() for m in _CJK_END.finditer(line)]
    out: list[str] = []
    start = 0
    for cut in [*sorted(set(cuts)), len(line)]:
        piece = line[start:cut].strip()
        if piece:
            out.append(piece)
        start = cut
    return out


def _ends_sentence(line: str, match: re.Match[str], rules: SplitRules) -> bool:
    """Whether the terminator in ``match`` (one space follows it) ends a sentence."""
    first = line[match.end() + 1 : match.end() + 2]
    if not first or not _may_open(first):
        return False
    if match.group(1) != ".":
        return True  # ! ? … and runs like "?!" or ".."
    word = _word_before(line, match.start())
    key = word.lower()
    if key in rules.titles:
        return False
    following = _NEXT_WORD.match(line, match.end())
    next_word = following.group(1) if following else ""
    if next_word in rules.starters:
        return True
    if _LETTERS.fullmatch(word):
        return False  # an initial or dotted letters: "John F. Kennedy", "U.S. President"
    return key not in rules.abbreviations and not (key in rules.before_number and first.isdigit())


def _may_open(char: str) -> bool:
    """A character a sentence can start with: not a lower-case letter or stray symbol."""
    if char.islower():
        return False
    return char.isalpha() or char.isdigit() or char in _OPENERS


def _word_before(line: str, end: int) -> str:
    """The word just before position ``end``, without surrounding brackets or quotes."""
    window = line[max(0, end - _BEFORE_WINDOW) : end]
    token = window.rsplit(maxsplit=1)[-1] if window.strip() else ""
    return token.lstrip("\"'“‘([«")


def _fit(sentence: str, max_chars: int) -> list[str]:
    """``sentence`` cut near the middle, again and again, until every piece fits."""
    out: list[str] = []
    stack = [sentence]
    while stack:
        piece = stack.pop()
        if len(piece) <= max_chars:
            out.append(piece)
            continue
        left, right = _halve(piece)
        stack.extend((right, left))
    return out


def _halve(piece: str) -> tuple[str, str]:
    """Two non-empty stripped halves of a stripped ``piece`` of two or more characters."""
    size = len(piece)
    middle, quarter = size // 2, size // 4
    for cut in _SOFT_CUTS:
        at = _nearest(piece, cut, quarter, size - quarter, middle)
        if at >= 0:
            left, right = piece[: at + len(cut)].rstrip(), piece[at + len(cut) :].lstrip()
            if left and right:
                return left, right
    at = _nearest(piece, " ", 0, size, middle)
    if at > 0:
        return piece[:at].rstrip(), piece[at + 1 :].lstrip()
    return piece[:middle], piece[middle:]  # no space at all: a hard cut


def _nearest(text: str, needle: str, lo: int, hi: int, middle: int) -> int:
    """Index of the occurrence of ``needle`` in ``text[lo:hi]`` closest to ``middle``; -1."""
    before = text.rfind(needle, lo, middle + len(needle))
    after = text.find(needle, middle, hi)
    if before < 0:
        return after
    if after < 0:
        return before
    return before if middle - before <= after - middle else after
