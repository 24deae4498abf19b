"""Bytes to text: BOM, HTTP charset, ``<meta charset>``, then UTF-8 or a labelled guess.

The order follows the WHATWG encoding sniffing algorithm. A declared encoding is honoured as a
browser honours it: a page declared UTF-8 whose text is wholly in a legacy encoding is
re-detected, and the odd stray byte of a mostly-UTF-8 page is read as windows-1252 (the usual
mix-up: a template saved in Latin-1). An undeclared page that is not UTF-8 is detected among the
encodings of its language (``<html lang>``, ``Content-Language``, the address's top-level
domain), with windows-1252 the default for Latin-script pages, as browsers do; the guess is
recorded so callers can warn about it.
"""

from __future__ import annotations

import codecs
import re
import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit

import charset_normalizer

from ..errors import ConfigError, DecodeError, InputError, InputTooLarge, NotHTML
from ..limits import DEFAULT_LIMITS, Limits

__all__ = [
    "CappedInflater",
    "Decoded",
    "binary_kind",
    "decode_bytes",
    "gunzip_capped",
    "looks_binary",
]

_HINT = "pass --encoding to choose one"
_MIN_GUESS_BYTES = 32  # httpie's rule: below this a detector's answer is noise
_PRESCAN_BYTES = 1024
_SNIFF_BYTES = 4096


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    """Canonical codec name, lower case: "utf-8", "windows-1252", "utf-16-le", "shift_jis"."""
    source: str
    """How it was chosen: "given", "bom", "http-header", "meta", "detected" or "default"."""
    guessed: bool
    """True only when the encoding was detected rather than declared."""


# --- encoding labels -------------------------------------------------------------------------

# WHATWG names (and the Python codec that decodes them) for Python's canonical codec names.
# Only these are honoured when a document declares its own encoding: that keeps out UTF-7,
# bytes-to-bytes codecs such as "base64", and other labels no browser accepts.
_WHATWG: dict[str, tuple[str, str]] = {
    "utf-8": ("utf-8", "utf-8"),
    "utf-16-le": ("utf-16-le", "utf-16-le"),
    "utf-16-be": ("utf-16-be", "utf-16-be"),
    "cp866": ("ibm866", "cp866"),
    "koi8-r": ("koi8-r", "koi8-r"),
    "koi8-u": ("koi8-u", "koi8-u"),
    "mac-roman": ("macintosh", "mac-roman"),
    "mac-cyrillic": ("x-mac-cyrillic", "mac-cyrillic"),
    "cp874": ("windows-874", "cp874"),
    "gb18030": ("gb18030", "gb18030"),
    "big5": ("big5", "big5hkscs"),
    "big5hkscs": ("big5", "big5hkscs"),
    "euc_jp": ("euc-jp", "euc_jp"),
    "iso2022_jp": ("iso-2022-jp", "iso2022_jp"),
    "shift_jis": ("shift_jis", "cp932"),  # WHATWG Shift_JIS is Microsoft's superset
    "cp932": ("shift_jis", "cp932"),
    "euc_kr": ("euc-kr", "cp949"),  # likewise EUC-KR is windows-949
    "cp949": ("euc-kr", "cp949"),
    **{f"cp125{n}": (f"windows-125{n}", f"cp125{n}") for n in range(9)},
    **{f"iso8859-{n}": (f"iso-8859-{n}", f"iso8859-{n}") for n in (2, 3, 4, 5, 6, 7, 8, 10)},
    **{f"iso8859-{n}": (f"iso-8859-{n}", f"iso8859-{n}") for n in (13, 14, 15, 16)},
}

# Labels where WHATWG and Python disagree, or that Python does not know.
_ALIASES: dict[str, str] = {
    **dict.fromkeys(
        ("ascii", "us-ascii", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "cp819"),
        "cp1252",
    ),
    **dict.fromkeys(("iso-8859-9", "iso8859-9", "latin5", "l5"), "cp1254"),
    **dict.fromkeys(("iso-8859-11", "iso8859-11", "tis-620", "windows-874"), "cp874"),
    **dict.fromkeys(("gb2312", "gbk", "x-gbk", "chinese", "csgb2312", "gb_2312-80"), "gb18030"),
    **dict.fromkeys(("x-sjis", "windows-31j", "ms_kanji", "csshiftjis"), "shift_jis"),
    **dict.fromkeys(("utf8", "unicode-1-1-utf-8", "unicode11utf8", "x-unicode20utf8"), "utf-8"),
    **dict.fromkeys(("utf-16", "utf-16le", "unicode", "ucs-2", "csunicode"), "utf-16-le"),
    "utf-16be": "utf-16-be",
    "x-mac-cyrillic": "mac-cyrillic",
    "x-mac-roman": "mac-roman",
    "iso-8859-8-i": "iso8859-8",
    "x-cp1252": "cp1252",
}

_BOMS = (  # UTF-32 first: its little-endian BOM begins with the UTF-16 one
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


_LABEL = re.compile(r"[a-z0-9._:()+\-]{1,40}")


def _python_name(label: str) -> str | None:
    key = label.strip().strip("\"'").lower()
    if not _LABEL.fullmatch(key):
        return None
    key = _ALIASES.get(key, key)
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def _whatwg(label: str) -> tuple[str, str] | None:
    """``(canonical name, Python codec)`` for a label a browser would honour, else None."""
    name = _python_name(label)
    return _WHATWG.get(name) if name else None


_NOT_DOCUMENT_CODECS = frozenset(
    {"idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined", "charmap"}
)


def _any_text_codec(label: str) -> tuple[str, str] | None:
    """Like ``_whatwg`` but also any other Python text codec (for the user's own choice)."""
    found = _whatwg(label)
    if found:
        return found
    name = _python_name(label)
    if name is None or name in _NOT_DOCUMENT_CODECS:
        return None
    try:
        b"a".decode(name, "replace")
    except (LookupError, UnicodeError, ValueError):  # "base64", "rot13": bytes-to-bytes codecs
        return None
    return name, name


def _c1_passthrough(exc: UnicodeError) -> tuple[str, int]:
    """WHATWG maps the five undefined windows-125x bytes in 0x80-0x9F to C1 controls."""
    if isinstance(exc, UnicodeDecodeError) and exc.end == exc.start + 1:
        byte = exc.object[exc.start]
        if 0x80 <= byte <= 0x9F:
            return chr(byte), exc.end
    raise exc


codecs.register_error("newsvoice-c1", _c1_passthrough)


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 read as windows-1252, one by one."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return bad.decode("cp1252", "newsvoice-c1"), exc.end


codecs.register_error("newsvoice-cp1252", _cp1252_fallback)


# --- sniffing ---------------------------------------------------------------------------------

_COMMENT = re.compile(rb"<!--.*?(?:-->|$)", re.DOTALL)
_META_CHARSET = re.compile(
    rb"<meta\s[^>]*?charset\s*=\s*[\"']?\s*([a-z0-9._:()+\-]+)", re.IGNORECASE | re.DOTALL
)


def _meta_charset(raw: bytes) -> str | None:
    """The charset of the first ``<meta>`` that declares one in the first 1024 bytes."""
    head = _COMMENT.sub(b"", raw[:_PRESCAN_BYTES])
    match = _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _bom(raw: bytes) -> tuple[str, int] | None:
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name, len(bom)
    return None


def _utf16_pattern(raw: bytes) -> str | None:
    """BOM-less UTF-16: the byte order if every other byte of the start is NUL, else None."""
    head = raw[:512]
    head = head[: len(head) - len(head) % 2]
    if len(head) < 4:
        return None
    evens, odds = head[0::2], head[1::2]
    if odds.count(0) == len(odds) and evens.count(0) == 0:
        return "utf-16-le"
    if evens.count(0) == len(evens) and odds.count(0) == 0:
        return "utf-16-be"
    return None


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"PK\x07\x08", "ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x7fELF", "ELF executable"),
    (b"ID3", "MP3 audio"),
    (b"\xff\xfb", "MP3 audio"),
    (b"\xff\xf3", "MP3 audio"),
    (b"\xff\xf2", "MP3 audio"),
    (b"OggS", "Ogg media"),
    (b"fLaC", "FLAC audio"),
    (b"\x1a\x45\xdf\xa3", "Matroska/WebM video"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office document"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x00asm", "WebAssembly module"),
)
_RIFF = {b"WAVE": "WAV audio", b"WEBP": "WebP image", b"AVI ": "AVI video"}


def binary_kind(raw: bytes) -> str | None:
    """A human name for binary input ("PNG image", "binary data"), or None for text.

    gzip is reported too: decompress ``.gz`` input with ``gunzip_capped`` before asking.
    """
    if raw.startswith(b"PK\x03\x04") and raw[30:58] == b"mimetypeapplication/epub+zip":
        return "EPUB book"
    for magic, name in _MAGIC:
        if raw.startswith(magic):
            return name
    if raw.startswith(b"RIFF"):
        return _RIFF.get(raw[8:12], "RIFF media")
    if raw[4:8] == b"ftyp":
        return "MP4/QuickTime media"
    if raw.startswith(b"BZh") and raw[4:10] == b"1AY&SY":
        return "bzip2-compressed data"
    head = raw[:_SNIFF_BYTES]
    if b"\x00" in head and _bom(head) is None and _utf16_pattern(head) is None:
        return "binary data"
    return None


def looks_binary(raw: bytes) -> bool:
    """True for images, archives, executables and other data that is not HTML or text."""
    return binary_kind(raw) is not None


# --- decompression ----------------------------------------------------------------------------


class CappedInflater:
    """Incremental gzip or deflate decompression that refuses to grow past ``limit`` bytes.

    ``encoding`` is "gzip" (several members allowed) or "deflate" (zlib-wrapped or raw);
    ``what`` names the input in error messages.
    """

    def __init__(self, limit: int, encoding: str = "gzip", *, what: str = "input") -> None:
        if encoding not in ("gzip", "x-gzip", "deflate"):
            raise ValueError(f"unsupported encoding {encoding!r}")
        self._gzip = encoding != "deflate"
        self._limit = limit
        self._what = what
        self._size = 0
        self._started = False
        self._obj = zlib.decompressobj(31 if self._gzip else 15)

    def feed(self, data: bytes) -> bytes:
        """Decompress the next piece; raises InputTooLarge or InputError (corrupt data)."""
        try:
            return self._feed(data)
        except zlib.error as exc:
            if self._gzip or self._started:
                raise InputError(f"{self._what} is not valid {self._kind} data ({exc})") from None
            self._obj = zlib.decompressobj(-15)  # servers often send raw deflate
            try:
                return self._feed(data)
            except zlib.error as exc2:
                msg = f"{self._what} is not valid {self._kind} data ({exc2})"
                raise InputError(msg) from None
        finally:
            self._started = self._started or bool(data)

    def finish(self) -> None:
        """Raise InputError if the compressed stream stopped before its end."""
        if self._started and not self._obj.eof:
            raise InputError(f"{self._what} is truncated {self._kind} data")

    @property
    def _kind(self) -> str:
        return "gzip" if self._gzip else "deflate"

    def _feed(self, data: bytes) -> bytes:
        out: list[bytes] = []
        while data:
            if self._obj.eof:
                if not self._gzip or not data.strip(b"\x00"):
                    break  # trailing garbage after a deflate stream, or NUL padding
                self._obj = zlib.decompressobj(31)  # the next gzip member
            chunk = self._obj.decompress(data, self._limit - self._size + 1)
            self._size += len(chunk)
            if self._size > self._limit:
                raise InputTooLarge(
                    f"{self._what} is larger than the {self._limit:,}-byte limit when decompressed",
                    hint="check that this is an article, not a download or an archive",
                )
            out.append(chunk)
            data = self._obj.unconsumed_tail or self._obj.unused_data
        return b"".join(out)


def gunzip_capped(raw: bytes, limit: int, *, what: str = "input") -> bytes:
    """Decompress gzip data (``.gz`` files); raises InputTooLarge past ``limit`` bytes."""
    inflater = CappedInflater(limit, what=what)
    data = inflater.feed(raw)
    inflater.finish()
    return data


# --- decoding ---------------------------------------------------------------------------------


def _display(name: str) -> str:
    return name.upper() if name.startswith("utf") else name


def _where(exc: UnicodeDecodeError, offset: int) -> str:
    return f"byte 0x{exc.object[exc.start]:02x} at offset {exc.start + offset}"


def _strict(raw: bytes, found: tuple[str, str], source: str, skip: int = 0) -> Decoded:
    """Decode with a declared encoding, as a browser does: never an error. Invalid bytes in
    declared UTF-8 are read as windows-1252 (a page that mixes the two); in other encodings
    they are dropped where a browser shows U+FFFD."""
    name, codec = found
    if codec == "utf-8":
        return Decoded(raw[skip:].decode("utf-8", "newsvoice-cp1252"), name, source, False)
    errors = "newsvoice-c1" if codec.startswith("cp125") else "strict"
    try:
        text = raw[skip:].decode(codec, errors)
    except UnicodeDecodeError:
        text = raw[skip:].decode(codec, "replace").replace("\ufffd", "")
    return Decoded(text, name, source, guessed=False)


def check_encoding(label: str) -> tuple[str, str]:
    """``(canonical name, codec)`` for a user's ``--encoding``; ConfigError if unknown."""
    found = _any_text_codec(label)
    if found is None:
        raise ConfigError(
            f"unknown encoding {label!r}", hint="use a name such as utf-8, windows-1252 or big5"
        )
    return found


def _given(raw: bytes, label: str) -> Decoded:
    name, codec = check_encoding(label)
    bom = _bom(raw)
    if bom and bom[0].split("-")[:2] == name.split("-")[:2]:
        name = codec = bom[0]  # "utf-16" given, the BOM tells which byte order
    text = raw.decode(codec, "replace").replace("\ufffd", "")
    return Decoded(text.removeprefix("\ufeff"), name, "given", guessed=False)


def _declared(raw: bytes, header_charset: str | None, url: str | None) -> Decoded | None:
    bom = _bom(raw)
    if bom:
        return _strict(raw, (bom[0], bom[0]), "bom", skip=bom[1])
    found = _whatwg(header_charset) if header_charset else None
    source = "http-header"
    if not found:
        label = _meta_charset(raw)
        found = _whatwg(label) if label else None
        source = "meta"
        if found and found[0].startswith("utf-16"):
            found = ("utf-8", "utf-8")  # WHATWG: an ASCII-readable meta cannot mean UTF-16
    if not found:
        return None
    if found[0] == "utf-8":
        try:
            return Decoded(raw.decode("utf-8"), "utf-8", source, guessed=False)
        except UnicodeDecodeError as exc:
            if not _has_utf8_sequence(raw):
                return _guess(raw, url, _where(exc, 0))  # the declaration is wrong
    return _strict(raw, found, source)


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def _has_utf8_sequence(raw: bytes) -> bool:
    """Does the (first MB of the) input hold at least one valid UTF-8 multi-byte sequence?"""
    return any(_valid_utf8(m.group()) for m in _UTF8_MULTIBYTE.finditer(raw, 0, 1 << 20))


def _valid_utf8(chunk: bytes) -> bool:
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# --- the page's language, for detection -------------------------------------------------------

# Candidate encodings (Python codecs), most likely first, per writing system. The first is the
# browser default for that system when detection cannot choose.
_FAMILIES: dict[str, tuple[str, ...]] = {
    "western": ("cp1252",),
    "central": ("cp1250", "iso8859-2"),
    "cyrillic": ("cp1251", "koi8-r", "koi8-u", "iso8859-5", "cp866", "mac-cyrillic"),
    "greek": ("cp1253", "iso8859-7"),
    "turkish": ("cp1254",),
    "hebrew": ("cp1255", "iso8859-8"),
    "arabic": ("cp1256", "iso8859-6"),
    "baltic": ("cp1257", "iso8859-13", "iso8859-4"),
    "vietnamese": ("cp1258",),
    "thai": ("cp874",),
    "japanese": ("cp932", "euc_jp", "iso2022_jp"),
    "chinese-simplified": ("gb18030",),
    "chinese-traditional": ("big5hkscs",),
    "korean": ("cp949",),
}
_LANGUAGE_FAMILY: dict[str, str] = {
    **dict.fromkeys(("pl", "cs", "sk", "hu", "sl", "hr", "bs", "ro", "sq"), "central"),
    **dict.fromkeys(("ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "tg", "mn"), "cyrillic"),
    **dict.fromkeys(("lt", "lv", "et"), "baltic"),
    **dict.fromkeys(("tr", "az"), "turkish"),
    **dict.fromkeys(("he", "iw", "yi"), "hebrew"),
    **dict.fromkeys(("ar", "fa", "ur"), "arabic"),
    "el": "greek",
    "vi": "vietnamese",
    "th": "thai",
    "ja": "japanese",
    "ko": "korean",
    "zh": "chinese-simplified",
    "zh-tw": "chinese-traditional",
    "zh-hk": "chinese-traditional",
    "zh-mo": "chinese-traditional",
    "zh-hant": "chinese-traditional",
}
_TLD_FAMILY: dict[str, str] = {
    **dict.fromkeys(("pl", "cz", "sk", "hu", "si", "hr", "ba", "ro", "al"), "central"),
    **dict.fromkeys(("ru", "su", "ua", "by", "bg", "mk", "rs", "kz", "kg", "mn"), "cyrillic"),
    **dict.fromkeys(("lt", "lv", "ee"), "baltic"),
    **dict.fromkeys(("tr", "az"), "turkish"),
    **dict.fromkeys(("il",), "hebrew"),
    **dict.fromkeys(("sa", "eg", "ae", "iq", "jo", "sy", "ir"), "arabic"),
    **dict.fromkeys(("tw", "hk", "mo"), "chinese-traditional"),
    "gr": "greek",
    "vn": "vietnamese",
    "th": "thai",
    "jp": "japanese",
    "kr": "korean",
    "cn": "chinese-simplified",
}
_LATIN_SINGLE_BYTE = frozenset(
    {"cp1252", "cp1250", "cp1254", "cp1257", "mac-roman", "latin-1", "iso8859-1"}
    | {f"iso8859-{n}" for n in (2, 3, 4, 9, 10, 13, 14, 15, 16)}
)
_LANG_ATTR = re.compile(
    rb"<html\b[^>]*?\blang\s*=\s*[\"']?\s*([a-z]{2,3}(?:[-_][a-z0-9]{2,8})?)"
    rb"|<meta\s[^>]*?http-equiv\s*=\s*[\"']?content-language[\"']?[^>]*?content\s*=\s*"
    rb"[\"']?\s*([a-z]{2,3}(?:[-_][a-z0-9]{2,8})?)",
    re.IGNORECASE,
)


def _language_hint(raw: bytes, url: str | None) -> str | None:
    """The writing system the page declares (``lang``, Content-Language) or its address
    implies (top-level domain), as a key of ``_FAMILIES``; None when neither says."""
    match = _LANG_ATTR.search(raw, 0, 16384)
    if match:
        tag = (match.group(1) or match.group(2)).decode("ascii").lower().replace("_", "-")
        family = _LANGUAGE_FAMILY.get(tag) or _LANGUAGE_FAMILY.get(tag.split("-")[0])
        if tag.startswith("zh-") and tag.split("-")[1] in ("tw", "hk", "mo", "hant"):
            family = "chinese-traditional"
        return family or "western"
    if url:
        host = urlsplit(url).hostname or ""
        family = _TLD_FAMILY.get(host.rpartition(".")[2])
        if family:
            return family
    return None


def _undeclared(raw: bytes, url: str | None) -> Decoded:
    utf16 = _utf16_pattern(raw)
    if utf16:
        return Decoded(raw.decode(utf16, "replace"), utf16, "detected", guessed=True)
    try:
        return Decoded(raw.decode("utf-8"), "utf-8", "default", guessed=False)
    except UnicodeDecodeError as exc:
        return _guess(raw, url, _where(exc, 0))


def _guess(raw: bytes, url: str | None, where: str) -> Decoded:
    """Detect the encoding of a page that is not UTF-8 (``where`` names its first non-UTF-8
    byte): among its language's encodings when it names one, else by the detector, with
    windows-1252 for any Latin-script answer."""
    if len(raw) < _MIN_GUESS_BYTES:
        raise DecodeError(
            f"input is not valid UTF-8 ({where}) and too short to guess its encoding",
            hint=_HINT,
        )
    hint = _language_hint(raw, url)
    candidates = _FAMILIES[hint] if hint else ()
    for codec in _detect(raw, candidates):
        found = _any_text_codec(codec)
        if found is None or found[0] == "utf-7":
            continue
        errors = "newsvoice-c1" if found[1].startswith("cp125") else "strict"
        try:
            return Decoded(raw.decode(found[1], errors), found[0], "detected", guessed=True)
        except UnicodeDecodeError:
            continue
    raise DecodeError(f"cannot tell the input's encoding (it is not UTF-8: {where})", hint=_HINT)


_C1_BYTES = re.compile(rb"[\x80-\x9f]")


def _detect(raw: bytes, candidates: tuple[str, ...]) -> list[str]:
    """Codecs to try, best first."""
    if len(candidates) == 1:
        return [candidates[0], "cp1252"]
    if candidates == _FAMILIES["central"]:
        # windows-1250 writes š ž ś ź ť in 0x8A-0x9F, where ISO-8859-2 has only controls:
        # Central European text without one byte there is ISO-8859-2
        return list(candidates) if _C1_BYTES.search(raw) else list(reversed(candidates))
    if candidates:
        results = charset_normalizer.from_bytes(raw, cp_isolation=list(candidates))
        ranked = [m.encoding for m in results]
        return ranked + [c for c in candidates if c not in ranked]
    best = charset_normalizer.from_bytes(raw).best()
    if best is None:
        return ["cp1252"]
    name = _python_name(best.encoding) or best.encoding
    if name in _LATIN_SINGLE_BYTE:
        return ["cp1252", name]  # WHATWG: windows-1252 unless the page says otherwise
    return [name, "cp1252"]


def decode_bytes(
    raw: bytes,
    *,
    header_charset: str | None = None,
    given: str | None = None,
    url: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Decoded:
    """Decode a document: ``given``, BOM, HTTP charset, ``<meta>``, UTF-8, then a guess
    biased by the page's language or, failing that, ``url``'s top-level domain.

    Raises InputTooLarge, InputError (empty), NotHTML (binary), DecodeError, or ConfigError
    (unknown ``given``).
    """
    if len(raw) > limits.max_input_bytes:
        raise InputTooLarge(
            f"input is {len(raw)} bytes; the limit is {limits.max_input_bytes}",
            hint="check that this is an article, not a download or an archive",
        )
    if not raw:
        raise InputError("input is empty")
    kind = binary_kind(raw)
    if kind is not None:
        raise NotHTML(f"input is {kind}, not HTML or text")
    if given is not None:
        decoded = _given(raw, given)
    else:
        decoded = _declared(raw, header_charset, url) or _undeclared(raw, url)
    if not decoded.text or decoded.text.isspace():
        raise InputError("input is empty")
    return decoded
