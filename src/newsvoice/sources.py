"""Sources → Articles: files, directories, stdin and http(s) URLs, files listing URLs and RSS
or Atom feeds; HTML or plain text.

``expand`` turns the command line's SRC… into article sources (directories into their files,
URL lists and feeds into their links); ``read`` gets one source's bytes; ``article_from``
decodes and extracts them. ``load_many`` is the one loading loop of the commands: every
source in order, each failure an ``Outcome`` with its error; ``load_all`` applies a
``Policy`` to them (stop: nothing unless everything loads; partial: what loaded, and exit 7;
skip: what loaded, failures only reported).
"""

from __future__ import annotations

import logging
import re
import sys
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ExitStatus, InputError, InputTooLarge, NewsvoiceError, reason
from .extract.article import decode_page, extract_article
from .extract.decode import gunzip_capped
from .extract.plaintext import extract_text
from .extract.rules import Rules, default_rules
from .limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from .model import Article

log = logging.getLogger(__name__)
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
        raise InputError(f"cannot read directory {src}: {reason(exc)}") from exc
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
        from .extract.fetch import fetch  # httpx is imported only when a URL is read

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
        raise InputError(f"cannot read {src}: {reason(exc)}") from exc
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
    text, provenance = decode_page(
        raw.content,
        raw.source,
        final_url=raw.final_url,
        header_charset=raw.charset,
        given=options.encoding,
        url=raw.source if is_url(raw.source) else None,
        limits=options.limits,
    )
    url = raw.final_url or (raw.source if is_url(raw.source) else None)
    rules = options.rules or default_rules()
    if _is_text(raw, text):
        return extract_text(text, rules=rules, provenance=provenance, url=url)
    local = raw.source != "-" and not is_url(raw.source)
    return extract_article(
        text,
        url,
        rules=rules,
        limits=options.limits,
        provenance=provenance,
        resources=Path(raw.source).parent if local else None,
    )


def load(src: str, options: Options = Options()) -> Article:
    """One Article from a file path, ``-`` (stdin) or an http(s) URL."""
    return article_from(read(src, options), options)


# --- expanding SRC… ------------------------------------------------------------------------


def _url_list(path: Path) -> list[str] | None:
    """The URLs of a file that holds only URLs (one per line; # comments), else None."""
    try:
        if path.stat().st_size > 5_000_000:
            return None
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    if lines and all(is_url(ln) and " " not in ln for ln in lines):
        return lines
    return None


def _feed_links(data: bytes) -> list[str] | None:
    """The article links of an RSS or Atom feed, else None (not a feed)."""
    from lxml import etree

    head = data[:512].lstrip().lower()
    if not (head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed"))):
        return None
    from .xmlsafe import xml_parser

    try:
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError:
        return None
    atom = "{http://www.w3.org/2005/Atom}"
    if root.tag == "rss":
        links = [(item.findtext("link") or "").strip() for item in root.iter("item")]
    elif root.tag == f"{atom}feed":
        links = []
        for entry in root.iter(f"{atom}entry"):
            candidates = entry.findall(f"{atom}link")
            chosen = [c for c in candidates if c.get("rel", "alternate") == "alternate"]
            if chosen:
                links.append((chosen[0].get("href") or "").strip())
    else:
        return None
    return [link for link in links if is_url(link)]


@dataclass(frozen=True, slots=True)
class Found:
    """One article source, and its bytes when expanding had to read them already (a URL that
    turned out not to be a feed), or the error that stopped its expansion."""

    source: str
    raw: Raw | None = None
    error: NewsvoiceError | None = None


def expand(sources: Sequence[str], options: Options = Options()) -> Iterator[Found]:
    """Every article source, in order: directories become their article files, files that
    list URLs (one per line, # comments) their URLs, RSS and Atom feeds their items' links."""
    for src in sources:
        try:
            if is_directory(src):
                for file in directory_files(src):
                    yield Found(file)
                continue
            if not is_url(src) and src != "-":
                listed = _url_list(Path(src))
                if listed is not None:
                    for url in listed:
                        yield Found(url)
                    continue
            if src.lower().endswith((".xml", ".rss", ".atom")) or is_url(src):
                raw = read(src, options)
                links = _feed_links(raw.content)
                if links is None:
                    yield Found(src, raw)
                    continue
                if not links:
                    raise InputError(f"{src} is a feed without article links")
                for link in links:
                    yield Found(link)
                continue
            yield Found(src)
        except NewsvoiceError as exc:
            yield Found(src, error=exc)


# --- the loading loop ----------------------------------------------------------------------


class Policy(StrEnum):
    """What a run does when some sources fail to load."""

    STOP = "stop"  # nothing is made; every failure is named; the first one's exit code
    PARTIAL = "partial"  # what loaded is made; exit 7 (PARTIAL) if anything failed
    SKIP = "skip"  # what loaded is made; failures are reported, and the exit code is 0


@dataclass(frozen=True, slots=True)
class Outcome:
    source: str
    article: Article | None = None
    error: NewsvoiceError | None = None


def load_many(sources: Sequence[str], options: Options = Options()) -> Iterator[Outcome]:
    """Every article of ``sources`` in input order (see ``expand``); each failure is an
    Outcome with its error, and the other sources go on."""
    for found in expand(sources, options):
        if found.error is not None:
            yield Outcome(found.source, error=found.error)
            continue
        try:
            raw = found.raw or read(found.source, options)
            yield Outcome(found.source, article=article_from(raw, options))
        except NewsvoiceError as exc:
            yield Outcome(found.source, error=exc)


@dataclass(slots=True)
class Loading:
    """One run of the loading loop, for a command: iterate it for the articles, then ask
    ``status`` what the run exits with. With a single source its error is raised as it is;
    with several, each failure goes to ``report`` and the ``policy`` decides."""

    sources: Sequence[str]
    options: Options = field(default_factory=Options)
    policy: Policy = Policy.STOP
    report: Callable[[str, NewsvoiceError], None] | None = None
    loaded: int = 0
    failures: list[tuple[str, NewsvoiceError]] = field(default_factory=list)

    def __iter__(self) -> Iterator[Article]:
        many = len(self.sources) > 1 or is_directory(self.sources[0])
        for outcome in load_many(self.sources, self.options):
            many = many or outcome.source != self.sources[0]  # a URL list or a feed
            if outcome.error is not None:
                if not many:
                    raise outcome.error
                self.failures.append((outcome.source, outcome.error))
                if self.report is not None:
                    self.report(outcome.source, outcome.error)
            elif outcome.article is not None:
                self.loaded += 1
                if outcome.article.incomplete:
                    log.warning(
                        "%s may be incomplete: %s", outcome.source, outcome.article.incomplete
                    )
                yield outcome.article

    def articles(self) -> list[Article]:
        """Every article; under STOP, the first failure's error if any source failed."""
        articles = list(self)
        if self.policy is Policy.STOP and self.failures:
            raise Stopped(self.failures)
        return articles

    def status(self) -> ExitStatus:
        """The exit status of the run once its articles were used."""
        if not self.failures or (self.policy is Policy.SKIP and self.loaded):
            return ExitStatus.OK
        if self.policy is Policy.PARTIAL and self.loaded:
            return ExitStatus.PARTIAL
        return self.failures[0][1].exit_code


class Stopped(InputError):
    """Some of several sources failed under the STOP policy (each was reported); the exit
    code is the first failure's."""

    def __init__(self, failures: Sequence[tuple[str, NewsvoiceError]]) -> None:
        count = len(failures)
        super().__init__(
            f"{count} source{'s' * (count != 1)} failed, so nothing was made",
            hint="fix or leave them out, or pass --on-error skip (or partial)",
        )
        self.exit_code = failures[0][1].exit_code
