"""Pronunciation lexicons: respellings ("aliases") of names that engines say wrong.

A lexicon maps graphemes ("Pyongyang", "Wang Yi") to aliases an English engine reads right
("Pyong yahng", "Wahng Yee"). ``Lexicon.apply`` replaces whole words, case-sensitively, the
longest grapheme first, so "Kim Jong-un" wins over "Kim". Apply it to the display text before
``normalize`` (the aliases are plain words, so the order rarely matters).

Files are W3C PLS 1.0 (``.pls``/``.xml``) or TOML (``.toml``)::

    <lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
             alphabet="ipa" xml:lang="en">
      <lexeme><grapheme>Pyongyang</grapheme><alias>Pyong yahng</alias></lexeme>
    </lexicon>

    language = "en"
    [aliases]
    "Wang Yi" = "Wahng Yee"

Only ``<alias>`` is used: the engines newsvoice drives (hibari, piper, espeak-ng without SSML)
take plain text, not phonemes, so ``<phoneme>``-only lexemes are skipped. PLS is parsed with
a locked-down lxml parser (no DTD, no entity expansion, no network, no huge trees) and any
DOCTYPE is refused, so XML bombs and external entities cannot expand. A bad file raises
``ConfigError`` (exit 2) with one line naming the file.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from lxml import etree

from ..errors import ConfigError, reason
from ..xmlsafe import xml_parser

if TYPE_CHECKING:
    from pathlib import Path

PLS_NAMESPACE = "http://www.w3.org/2005/01/pronunciation-lexicon"
MAX_LEXICON_BYTES = 2_000_000
MAX_ENTRIES = 10_000
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")
_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_ANY_LANGUAGE = frozenset({"und", "mul"})
_PLS_SUFFIXES = frozenset({".pls", ".xml"})


@dataclass(frozen=True, slots=True)
class Lexicon:
    """``(grapheme, alias)`` pairs for one language; a later pair for a grapheme wins."""

    entries: tuple[tuple[str, str], ...]
    language: str

    def apply(self, text: str) -> str:
        """``text`` with every whole-word grapheme replaced by its alias (longest first)."""
        if not self.entries:
            return text
        pattern, table = _matcher(self.entries)
        return pattern.sub(lambda m: table[" ".join(m.group().split())], text)

    @property
    def digest(self) -> str:
        """SHA-256 of the effective entries (sorted), for cache keys."""
        table = sorted(dict(self.entries).items())
        data = json.dumps(table, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


# scripts written without spaces between words: a grapheme that starts or ends with one of
# these matches inside a run of text (Japanese "文在寅大統領"), not only as a whole word
_UNSPACED_RANGES = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_UNSPACED = re.compile(rf"[{_UNSPACED_RANGES}]")
_SPACED_WORD = rf"[^\W{_UNSPACED_RANGES}]"  # a letter or digit of a script with spaces


def _alternative(grapheme: str) -> str:
    """The regex for one grapheme: its words with any white space between them, bounded as a
    whole word on each side that is not in an unspaced script ("Kyiv" in "Kyivの", not in
    "Kyivan")."""
    body = r"\s+".join(re.escape(word) for word in grapheme.split())
    before = "" if _UNSPACED.match(grapheme[0]) else rf"(?<!{_SPACED_WORD})"
    after = "" if _UNSPACED.match(grapheme[-1]) else rf"(?!{_SPACED_WORD})"
    return f"{before}{body}{after}"


@lru_cache(maxsize=16)
def _matcher(entries: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex for all graphemes (longest first; any white space between words)."""
    table = dict(entries)
    graphemes = sorted(table, key=len, reverse=True)
    pattern = re.compile("|".join(f"(?:{_alternative(g)})" for g in graphemes))
    return pattern, table


def merge(*lexicons: Lexicon) -> Lexicon:
    """One lexicon; later lexicons override earlier entries for the same grapheme.

    The language is the first one that is not "und"; lexicons for different languages
    (by primary subtag) cannot be merged.
    """
    languages = [lex.language for lex in lexicons if lex.language.lower() not in _ANY_LANGUAGE]
    primaries = {lang.split("-")[0].lower() for lang in languages}
    if len(primaries) > 1:
        raise ConfigError(f"cannot merge lexicons for different languages: {sorted(primaries)}")
    table: dict[str, str] = {}
    for lexicon in lexicons:
        table.update(lexicon.entries)
    return Lexicon(tuple(table.items()), languages[0] if languages else "und")


def load_lexicon(path: Path) -> Lexicon:
    """A lexicon from a PLS (``.pls``, ``.xml``) or TOML (``.toml``) file."""
    suffix = path.suffix.lower()
    if suffix not in _PLS_SUFFIXES and suffix != ".toml":
        raise ConfigError(
            f"lexicon {path}: unknown file type {suffix or '(none)'!r}",
            hint="use a .pls, .xml or .toml file",
        )
    data = _read(path)
    if suffix == ".toml":
        return _from_toml(data, path)
    return _from_pls(data, path)


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_LEXICON_BYTES:
            raise ConfigError(f"lexicon {path} is larger than {MAX_LEXICON_BYTES} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read lexicon {path}: {reason(exc)}") from exc


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _checked(entries: list[tuple[str, str]], language: object, path: Path) -> Lexicon:
    """A Lexicon once the language tag, entry count and every entry are valid."""
    if not isinstance(language, str) or not _LANGUAGE_TAG.fullmatch(language):
        raise ConfigError(f"lexicon {path}: missing or invalid language tag {language!r}")
    if len(entries) > MAX_ENTRIES:
        raise ConfigError(f"lexicon {path}: more than {MAX_ENTRIES} entries")
    for grapheme, alias in entries:
        if not grapheme or not alias:
            raise ConfigError(f"lexicon {path}: empty grapheme or alias near {grapheme!r}")
    return Lexicon(tuple(entries), language)


# --- PLS ---------------------------------------------------------------------------------


def _parse_xml(data: bytes, path: Path) -> Any:
    """The root element of a well-formed document without a DOCTYPE."""
    if _DTD.search(data):
        raise ConfigError(f"lexicon {path}: DOCTYPE and ENTITY declarations are not allowed")
    try:
        root = etree.fromstring(data, xml_parser(remove_comments=True, remove_pis=True))
    except etree.XMLSyntaxError as exc:
        message = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise ConfigError(f"lexicon {path} is not well-formed XML: {message}") from exc
    if root.getroottree().docinfo.doctype:
        raise ConfigError(f"lexicon {path}: DOCTYPE and ENTITY declarations are not allowed")
    return root


def _local(element: Any) -> str:
    return str(etree.QName(element).localname)


def _namespace_ok(element: Any) -> bool:
    return etree.QName(element).namespace in (None, PLS_NAMESPACE)


def _texts(lexeme: Any, name: str) -> list[str]:
    return [
        _clean("".join(child.itertext()))
        for child in lexeme
        if _namespace_ok(child) and _local(child) == name
    ]


def _from_pls(data: bytes, path: Path) -> Lexicon:
    root = _parse_xml(data, path)
    if _local(root) != "lexicon" or not _namespace_ok(root):
        raise ConfigError(f"lexicon {path}: the root element is not a PLS <lexicon>")
    entries: list[tuple[str, str]] = []
    lexemes = [child for child in root if _namespace_ok(child) and _local(child) == "lexeme"]
    for number, lexeme in enumerate(lexemes, start=1):
        graphemes, aliases = _texts(lexeme, "grapheme"), _texts(lexeme, "alias")
        if not graphemes:
            raise ConfigError(f"lexicon {path}: lexeme {number} has no <grapheme>")
        if aliases:  # phoneme-only lexemes are skipped: the engines take text
            entries.extend((grapheme, aliases[0]) for grapheme in graphemes)
    return _checked(entries, root.get(_XML_LANG), path)


# --- TOML --------------------------------------------------------------------------------


def _from_toml(data: bytes, path: Path) -> Lexicon:
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"lexicon {path} is not valid TOML: {exc}") from exc
    unknown = sorted(set(raw) - {"language", "aliases"})
    if unknown:
        raise ConfigError(
            f"lexicon {path}: unknown key {unknown[0]!r}", hint="use language and [aliases]"
        )
    aliases = raw.get("aliases", {})
    if not isinstance(aliases, dict) or not all(isinstance(v, str) for v in aliases.values()):
        raise ConfigError(f"lexicon {path}: [aliases] must map names to strings")
    entries = [(_clean(grapheme), _clean(alias)) for grapheme, alias in aliases.items()]
    return _checked(entries, raw.get("language"), path)
