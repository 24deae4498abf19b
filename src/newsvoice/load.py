"""Sources → Articles: files, directories, stdin and http(s) URLs, HTML or plain text."""

from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .decode import binary_kind, decode_bytes, gunzip_capped
from .errors import InputError, InputTooLarge, NewsvoiceError, NotHTML
from .extract import extract_article
from .limits import DEFAULT_LIMITS, Limits
from .model import Article, Provenance
from .plaintext import extract_text
from .rules import Rules, default_rules

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

SOURCE_SUFFIXES = (".html", ".htm", ".txt")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")
TEXT_SUFFIXES = (".txt", ".text", ".txt.gz")
_HTML_SNIFF = re.compile(
    r"^\s*(?:<!doctype\s+html|<html|<head|<body|<meta|<title|<article|<div|<p[\s>]|<!--)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Options:
    """How sources are read. The CLI fills it from its flags."""

    allow_private: bool = False
    encoding: str | None = None
    rules: Rules | None = None
    limits: Limits = DEFAULT_LIMITS


@dataclass(frozen=True, slots=True)
class Raw:
    """Bytes of one source and what is known about them before decoding."""

    source: str
    content: bytes
    final_url: str | None = None
    media_type: str = ""  # from HTTP, if any
    charset: str | None = None  # from HTTP, if any


def is_url(src: str) -> bool:
    return src.lower().startswith(("http://", "https://"))


def is_directory(src: str) -> bool:
    """Is SRC a directory on disk? False for stdin, URLs and names the OS rejects."""
    if src == "-" or is_url(src):
        return False
    try:
        return Path(src).is_dir()
    except (OSError, ValueError):
        return False


def directory_files(src: str) -> list[str]:
    """The article files directly in a directory, sorted by name."""
    try:
        files = sorted(
            p for p in Path(src).iterdir() if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES
        )
    except OSError as exc:
        raise InputError(f"cannot read directory {src}: {exc.strerror or exc}") from exc
    if not files:
        raise InputError(f"directory {src} has no .html, .htm or .txt files")
    return [str(p) for p in files]


def read(src: str, options: Options = Options()) -> Raw:
    """The raw bytes of a source, within the size cap."""
    limits = options.limits
    if src == "-":
        data = sys.stdin.buffer.read(limits.max_input_bytes + 1)
        _check_size("standard input", len(data), limits)
        return Raw("-", _maybe_gunzip(data, "standard input", limits))
    if is_url(src):
        from .fetch import fetch  # httpx is imported only when a URL is read

        got = fetch(src, allow_private=options.allow_private, limits=limits)
        return Raw(src, got.content, got.final_url, got.media_type, got.charset)
    path = Path(src)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputError(f"{src} is a directory; pass it alone to read the files in it")
        _check_size(src, size, limits)
        with path.open("rb") as handle:
            data = handle.read(limits.max_input_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read {src}: {exc.strerror or exc}") from exc
    _check_size(src, len(data), limits)
    return Raw(src, _maybe_gunzip(data, src, limits))


def _check_size(name: str, size: int, limits: Limits) -> None:
    if size > limits.max_input_bytes:
        raise InputTooLarge(
            f"{name} is larger than the {limits.max_input_bytes:,}-byte limit",
            hint="newsvoice reads one article page at a time",
        )


def _maybe_gunzip(data: bytes, name: str, limits: Limits) -> bytes:
    if data[:2] == b"\x1f\x8b":
        return gunzip_capped(data, limits.max_input_bytes, what=name)
    return data


def _is_text(raw: Raw, decoded: str) -> bool:
    name = raw.source.lower()
    if raw.media_type:
        return raw.media_type == "text/plain"
    if name.endswith(TEXT_SUFFIXES):
        return True
    if name.endswith(HTML_SUFFIXES):
        return False
    return _HTML_SNIFF.match(decoded[:2048]) is None


def article_from(raw: Raw, options: Options = Options()) -> Article:
    """Decode and extract one source's bytes."""
    kind = binary_kind(raw.content)
    if kind is not None:
        raise NotHTML(f"{raw.source} is {kind}, not HTML or text")
    decoded = decode_bytes(
        raw.content, header_charset=raw.charset, given=options.encoding, limits=options.limits
    )
    provenance = Provenance(
        source=raw.source,
        final_url=raw.final_url,
        media_type="text/html",
        encoding=decoded.encoding,
        encoding_source=decoded.source,
        encoding_was_guessed=decoded.guessed,
        sha256=hashlib.sha256(raw.content).hexdigest(),
    )
    url = raw.final_url or (raw.source if is_url(raw.source) else None)
    rules = options.rules or default_rules()
    if _is_text(raw, decoded.text):
        return extract_text(decoded.text, rules=rules, provenance=provenance, url=url)
    local = raw.source != "-" and not is_url(raw.source)
    return extract_article(
        decoded.text,
        url,
        rules=rules,
        limits=options.limits,
        provenance=provenance,
        resources=Path(raw.source).parent if local else None,
    )


def load(src: str, options: Options = Options()) -> Article:
    """One Article from a file path, ``-`` (stdin) or an http(s) URL."""
    return article_from(read(src, options), options)


@dataclass(frozen=True, slots=True)
class Outcome:
    source: str
    article: Article | None = None
    error: NewsvoiceError | None = None


def load_many(sources: Sequence[str], options: Options = Options()) -> Iterator[Outcome]:
    """Every source in input order, directories expanded to their files; each failure is an
    Outcome with its error, and the other sources go on."""
    for src in sources:
        try:
            files = directory_files(src) if is_directory(src) else [src]
        except NewsvoiceError as exc:
            yield Outcome(src, error=exc)
            continue
        for file in files:
            try:
                yield Outcome(file, article=load(file, options))
            except NewsvoiceError as exc:
                yield Outcome(file, error=exc)
