"""Text normalisation shared by every stage: NFC, no XML-illegal code points, tidy spaces."""

from __future__ import annotations

import re
import unicodedata

# C0 controls except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF, and the bidi overrides and
# isolates that can disguise text (U+202A-U+202E, U+2066-U+2069).
_ILLEGAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)
# C1 controls usually mean cp1252 bytes were decoded as latin-1.
_C1 = re.compile("[\x80-\x9f]")
_SPACES = re.compile(r"[ \t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")  # soft hyphen, zero-width space, BOM
# Any character one of the three above would change: most strings have none.
_ANY_TO_CLEAN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069"
    "\u00ad\u200b\u2060\ufeff]"
)


def _c1_to_cp1252(match: re.Match[str]) -> str:
    try:
        return match.group().encode("latin-1").decode("cp1252")
    except UnicodeDecodeError:
        return ""


def clean_chars(text: str) -> str:
    """NFC, C1 controls read as cp1252, XML-illegal and invisible characters removed."""
    if _ANY_TO_CLEAN.search(text) is None:
        return unicodedata.normalize("NFC", text)
    text = _C1.sub(_c1_to_cp1252, text)
    text = _ILLEGAL.sub("", text)
    text = _INVISIBLE.sub("", text)
    return unicodedata.normalize("NFC", text)


def squash(text: str) -> str:
    """``clean_chars`` plus every run of white space collapsed to one space, ends trimmed."""
    return _SPACES.sub(" ", clean_chars(text)).strip()


def collapse_spaces(text: str) -> str:
    """Collapse white space runs to one space without trimming (for inline runs)."""
    return _SPACES.sub(" ", text)


_SPACE_BEFORE = re.compile(r"\s+([,.;:!?%)\]”’»])")
_SPACE_AFTER = re.compile(r"([(\[“«])\s+")


def tidy(text: str) -> str:
    """Remove the spaces that joining markup pieces leaves before punctuation:
    ``By Jane Doe , Staff`` → ``By Jane Doe, Staff``."""
    return _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", text))


_WORD = re.compile(r"\w+")


def word_count(text: str) -> int:
    return len(_WORD.findall(text))
