"""Hostile pages whose point is what reaches an OUTPUT (tests/data/hostile/outputs/).

Each data file names its expectation in a header comment, feedparser-style::

    <!--
    description: script and event handlers in the headline
    expect: clean                         or: expect: refused 3 "no article text"
    headline: Harbour wall repairs        (optional) the exact headline
    language: ar                          (optional) the article's language
    keep: some text | other text          (optional) must reach the EPUB chapter text
    forbid: pwn3d | root:x:0              (optional) must reach no output, escaped or not
    images: 0                             (optional) pictures embedded in the EPUB
    cover: auto                           (optional) draw the cover from the title, as the
                                          CLI does by default (slower: only title cases)
    narrate: yes                          (optional) also narrate it and check the WebVTT
    editions: yes                         (optional) also make a DAISY book and braille of it
                                          (or "braille": braille only)
                                          (tests/acceptance/daisy/test_hostile.py)
    -->

Files that cannot hold a comment (plain text) carry the same lines in ``NAME.expect``.

For ``clean`` the page is loaded like a file given on the command line, and every output is
built from it: the EPUB (``render_epub``), a podcast episode made from the article without
audio (fake timings from the real speech script) and from it the feed, the episode page and
the index page, the WebVTT transcript and the chapters JSON. ``findings`` then looks, with its
own rules, for active content: script, event handlers, javascript:/data: URLs, frames and
plugins, remote resources, XML entities and DTDs, unsafe file names.
"""

from __future__ import annotations

import contextlib
import gzip
import html
import io
import json
import re
import shlex
import threading
import time
import zipfile
import zlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from newsvoice import extract_article, load
from newsvoice.errors import NewsvoiceError, NoContentFound
from newsvoice.extract import fetch
from newsvoice.io import slugify
from newsvoice.narration.lexicon import Lexicon
from newsvoice.narration.presets import Pauses
from newsvoice.narration.script import build_script
from newsvoice.narration.timing import (
    TimedSegment,
    TimingTable,
    chapters_json,
    timing_table,
    webvtt,
)
from newsvoice.podcast.config import PodcastConfig
from newsvoice.podcast.episode import Episode, Line
from newsvoice.podcast.feed import build_feed
from newsvoice.podcast.listening import episode_page
from newsvoice.podcast.site import index_page
from newsvoice.render.check import allowlist_findings
from newsvoice.render.epub import EpubOptions, render_epub
from tests.helpers import need, run_newsvoice

if TYPE_CHECKING:
    from collections.abc import Callable

    from newsvoice.model import Article

HERE = Path(__file__).resolve().parents[1] / "data" / "hostile" / "outputs"
BASE_URL = "https://podcast.example/listen/"
CONFIG = PodcastConfig(
    base_url=BASE_URL, owner_email="desk@podcast.example", title="Hostile corpus"
)
BUILT = datetime(2026, 1, 1, tzinfo=UTC)
HEADER_KEYS = {
    "description",
    "expect",
    "headline",
    "language",
    "keep",
    "forbid",
    "images",
    "narrate",
    "cover",
    "editions",
}

# --- what counts as active or remote content -------------------------------------------------

ACTIVE_ELEMENTS = frozenset(
    {
        "script",
        "noscript",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "param",
        "form",
        "input",
        "button",
        "textarea",
        "select",
        "option",
        "style",
        "base",
        "svg",
        "math",
        "template",
        "portal",
        "video",
        "audio",
        "source",
        "track",
        "canvas",
        "slot",
        "xmp",
        "plaintext",
        "include",  # XInclude
    }
)
# in a feed, RSS has its own <source>, <image>, ...: only these are active there
FEED_ACTIVE = frozenset({"script", "iframe", "object", "embed", "style", "base", "form", "input"})
FOREIGN = frozenset(
    {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1998/Math/MathML",
        "http://www.w3.org/2001/XInclude",
        "http://www.w3.org/1999/XSL/Transform",
    }
)
# attributes holding a URL that a reader fetches or follows
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "srcset",
        "action",
        "formaction",
        "poster",
        "data",
        "background",
        "cite",
        "longdesc",
        "usemap",
        "lowsrc",
        "dynsrc",
        "ping",
        "url",
        "xlink:href",
    }
)
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "file:", "about:", "blob:", "filesystem:")
XHTML_NS = "{http://www.w3.org/1999/xhtml}"
SAFE_MEMBER = re.compile(r"^[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{n}" for p in ("com", "lpt") for n in range(10)
}
# XML-illegal controls and non-characters, and the bidi overrides that disguise text
ILLEGAL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
VTT_TIMING = re.compile(r"^\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}$")
_SAFE_XML = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
)


def _plain_url(value: str) -> str:
    """A URL as a browser reads its scheme: no white space or controls, lower case."""
    return re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(value)).lower()


def _attr_name(attr: str) -> str:
    if attr.startswith("{http://www.w3.org/1999/xlink}"):
        return "xlink:href"
    return etree.QName(attr).localname.lower() if attr.startswith("{") else attr.lower()


def _element_findings(
    where: str,
    root: etree._Element,
    *,
    allowed: frozenset[str] = frozenset(),
    remote_ok: frozenset[str] = frozenset({"a"}),
    feed: bool = False,
) -> list[str]:
    """Active elements, handlers, style, bad or remote URLs in one parsed document.

    ``allowed``: active element names this document may hold (checked by the caller);
    ``remote_ok``: elements whose URLs may point off the document (links people follow).
    """
    found: list[str] = []
    for el in root.iter():
        if isinstance(el, etree._Entity):
            found.append(f"{where}: entity reference &{el.name};")
            continue
        if isinstance(el, etree._ProcessingInstruction):
            found.append(f"{where}: processing instruction <?{el.target}?>")
            continue
        if not isinstance(el.tag, str):
            continue
        qname = etree.QName(el)
        tag = qname.localname.lower()
        if qname.namespace in FOREIGN:
            found.append(f"{where}: <{tag}> element in {qname.namespace}")
        elif (
            tag in (FEED_ACTIVE if feed else ACTIVE_ELEMENTS)
            and tag not in allowed
            and qname.namespace in (None, XHTML_NS[1:-1])  # not dc:source, psc:chapter, ...
        ):
            found.append(f"{where}: <{tag}> element")
        if tag == "meta" and (el.get("http-equiv") or "").lower() not in (
            "",
            "content-security-policy",
        ):
            found.append(f"{where}: <meta http-equiv={el.get('http-equiv')!r}>")
        if (
            tag == "link"
            and not feed
            and (el.get("rel") or "").lower()
            not in (
                "stylesheet",
                "icon",
                "alternate",
                "related",
                "self",
            )
        ):
            found.append(f"{where}: <link rel={el.get('rel')!r}>")
        for attr, value in el.attrib.items():
            name = _attr_name(attr)
            if name.startswith("on"):
                found.append(f"{where}: {name} handler on <{tag}>")
            if name in ("style", "srcdoc", "formaction"):
                found.append(f"{where}: {name} attribute on <{tag}>")
            if name not in URL_ATTRIBUTES:
                continue
            url = _plain_url(value)
            if url.startswith(BAD_SCHEMES):
                found.append(f"{where}: {name}={value[:60]!r} on <{tag}>")
            elif (
                url.startswith(("http:", "https:", "//", "ftp:"))
                and tag not in remote_ok
                and name != "xlink:href"
                and not (tag == "link" and (el.get("rel") or "").lower() == "alternate")
            ):  # an alternate link points feed readers and CMSs (oEmbed); nothing fetches it
                found.append(f"{where}: remote resource {name}={value[:60]!r} on <{tag}>")
            elif ":" in url.split("/")[0] and not url.startswith(("http:", "https:", "mailto:")):
                found.append(f"{where}: unexpected URL scheme {value[:60]!r} on <{tag}>")
    return found


def _xml_findings(where: str, data: bytes) -> tuple[etree._Element | None, list[str]]:
    """Parse XML safely; DTDs, entity declarations and references are findings."""
    found: list[str] = []
    if b"<!ENTITY" in data:
        found.append(f"{where}: entity declaration")
    try:
        root = etree.fromstring(data, _SAFE_XML)
    except etree.XMLSyntaxError as exc:
        return None, [*found, f"{where}: not well-formed XML ({exc})"]
    docinfo = root.getroottree().docinfo
    if docinfo.doctype not in ("", "<!DOCTYPE html>") or re.search(rb"<!DOCTYPE[^>\[]*\[", data):
        found.append(f"{where}: DOCTYPE {docinfo.doctype!r} with an external DTD or a subset")
    return root, found


def epub_findings(data: bytes) -> list[str]:
    found: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        for info in book.infolist():
            name = info.filename
            if not SAFE_MEMBER.match(name) or ".." in name.split("/"):
                found.append(f"epub: unsafe member name {name!r}")
            if info.file_size > 50_000_000:
                found.append(f"epub: {name} is {info.file_size} bytes")
            member = book.read(name)
            if name.endswith(".css"):
                text = member.decode("utf-8", "replace").lower()
                if "@import" in text or re.search(r"url\(\s*['\"]?\s*(?:[a-z]+:|//)", text):
                    found.append(f"epub: {name} imports or loads a URL")
            if not name.endswith((".xhtml", ".opf", ".ncx", ".xml", ".smil")):
                continue
            root, problems = _xml_findings(f"epub:{name}", member)
            found += problems
            if root is None:
                continue
            found += _element_findings(f"epub:{name}", root)
            if name.endswith(".opf"):
                dc = "{http://purl.org/dc/elements/1.1/}"
                for el in root.iter(f"{dc}source", f"{dc}identifier", f"{dc}relation"):
                    if _plain_url(el.text or "").startswith(BAD_SCHEMES):
                        found.append(f"epub: <dc:{etree.QName(el).localname}> {el.text!r}")
                for item in root.iter("{http://www.idpf.org/2007/opf}item"):
                    href = item.get("href", "")
                    if ":" in href or href.startswith(("/", "..")):
                        found.append(f"epub: manifest item {href!r} is not inside the book")
                    if "scripted" in (item.get("properties") or ""):
                        found.append(f"epub: manifest item {href!r} is scripted")
    return found


def _fragment_findings(where: str, markup: str) -> list[str]:
    """HTML held as text (a feed description): what a reader would render from it."""
    if not markup.strip():
        return []
    found: list[str] = []
    for part in lxml_html.fragments_fromstring(markup):
        if isinstance(part, str):
            continue
        found += _element_findings(where, part)
        for el in part.iter():
            if isinstance(el.tag, str) and el.tag not in ("p", "a", "br", "em", "strong"):
                found.append(f"{where}: unexpected <{el.tag}> in the HTML")
    return found


def feed_findings(data: bytes) -> list[str]:
    root, found = _xml_findings("feed", data)
    if root is None:
        return found
    found += _element_findings("feed", root, remote_ok=_ALL, feed=True)  # URLs: on the site, below
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = etree.QName(el).localname
        for attr in ("url", "href"):
            value = el.get(attr)
            if value is not None and not value.startswith(BASE_URL):
                found.append(f"feed: <{tag} {attr}={value[:60]!r}> is not on the site")
        if tag == "link" and el.text is not None and not el.text.startswith(BASE_URL):
            found.append(f"feed: <link>{el.text[:60]!r} is not on the site")
        if tag in ("description", "encoded") and el.text:
            found += _fragment_findings(f"feed:<{tag}>", el.text)
    return found


class _Everything(frozenset[str]):
    def __contains__(self, item: object) -> bool:
        return True


_ALL: frozenset[str] = _Everything()  # every element may name a URL (checked separately)


_CONTROLS = ("button", "select", "option", "input")
_OWNERS = ("controls", "resume", "search")  # the classes of the site's control groups


def page_findings(where: str, data: bytes, root_path: str) -> list[str]:
    """A site page: only the site's own script, player and stylesheet; links may leave."""
    found: list[str] = []
    if b"<!ENTITY" in data:
        found.append(f"{where}: entity declaration")
    document = lxml_html.document_fromstring(data)
    found += _element_findings(
        where, document, allowed=frozenset({"script", "audio", "track", *_CONTROLS}),
        remote_ok=_LINKS,
    )  # fmt: skip
    for control in document.iter(*_CONTROLS):  # only the player's own, never from the page
        owner = next((a for a in control.iterancestors() if a.get("class") in _OWNERS), None)
        if owner is None or (
            control.tag == "input" and control.get("type") not in ("checkbox", "search")
        ):
            found.append(f"{where}: a <{control.tag}> that is not the player's")
    for script in document.iter("script"):
        if script.get("type") == "application/ld+json":
            text = script.text or ""
            if "<" in text or not isinstance(json.loads(text), dict):
                found.append(f"{where}: JSON-LD that could close its element")
        elif (
            script.get("src") not in (f"{root_path}player.js", f"{root_path}search.js")
            or (script.text or "").strip()
        ):
            found.append(f"{where}: a script that is not the site's own")
    for el in document.iter("img", "audio", "track", "source", "link"):
        if el.tag == "link" and el.get("rel") == "alternate":
            continue  # a pointer for feed readers and CMSs (oEmbed); browsers never fetch it
        ref = el.get("src") or el.get("href") or ""
        if re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", ref, re.IGNORECASE):
            found.append(f"{where}: remote resource {ref[:60]!r} on <{el.tag}>")
    policy = [m.get("content") for m in document.iter("meta") if m.get("http-equiv")]
    if not policy or "default-src 'none'" not in (policy[0] or ""):
        found.append(f"{where}: no Content-Security-Policy")
    return found


_LINKS = frozenset({"a"})


def vtt_findings(text: str) -> list[str]:
    found: list[str] = []
    lines = text.split("\n")
    if lines[0] != "WEBVTT":
        found.append("vtt: does not start with WEBVTT")
    if "<" in text or "\x00" in text:
        found.append("vtt: markup (or NUL) in the transcript")
    for number, line in enumerate(lines):
        if "-->" in line and not VTT_TIMING.match(line):
            found.append(f"vtt: line {number + 1} looks like a timing line: {line[:60]!r}")
        if re.search(r"&(?!amp;|lt;|gt;)", line) and not line.startswith("NOTE"):
            found.append(f"vtt: unescaped & on line {number + 1}")
    return found


def slug_findings(headline: str, article_id: str) -> list[str]:
    slug = slugify(headline, article_id)
    found = []
    if not SLUG.match(slug) or len(slug.encode()) > 60 or slug in WINDOWS_RESERVED:
        found.append(f"slug {slug!r} is not a safe file name")
    if Path(slug).name != slug or slug in (".", ".."):
        found.append(f"slug {slug!r} is a path")
    return found


# --- building every output from one article -----------------------------------------------------


@dataclass(slots=True)
class Outputs:
    epub: bytes
    feed: bytes
    episode_page: bytes
    index_page: bytes
    vtt: str
    chapters: str
    slug: str
    images: int
    chapter_text: str = ""
    chapter_lang: str = ""
    chapter_dir: str = ""

    def all_text(self) -> list[tuple[str, str]]:
        """Every output as text, raw and with character references decoded."""
        with zipfile.ZipFile(io.BytesIO(self.epub)) as book:
            members = [
                (f"epub:{n}", book.read(n))
                for n in book.namelist()
                if not n.startswith("EPUB/images/")  # pictures: checked by Pillow, not text
            ]
        texts = [
            (name, data.decode("utf-8", "replace"))
            for name, data in [
                *members,
                ("feed", self.feed),
                ("episode page", self.episode_page),
                ("index page", self.index_page),
            ]
        ] + [("vtt", self.vtt), ("chapters", self.chapters)]
        return texts + [(f"{n} (unescaped)", html.unescape(html.unescape(t))) for n, t in texts]


def timing_for(article: Article) -> TimingTable:
    """The real speech script of ``article`` (captions read) with made-up times."""
    language = article.language if article.language != "und" else "en"
    script = build_script([article], [Lexicon((), language)], Pauses(), "read")
    segments = []
    position = 300
    for s in script.segments:
        end = position + 50 * max(1, len(s.text))
        segments.append(
            TimedSegment(s.index, s.chapter, position, end, s.text, s.kind, s.block, s.article)
        )
        position = end + s.pause_after_ms
    return timing_table([mark.title for mark in script.chapters], segments, position)


def episode_for(article: Article, timing: TimingTable) -> Episode:
    """An episode record as ``publish`` makes it, without audio."""
    slug = slugify(article.headline, article.id)
    kinds = {"audio": "mp3", "epub": "epub", "transcript": "vtt", "chapters": "chapters.json"}
    return Episode.of(
        article,
        slug,
        timing,
        files={kind: f"{slug}-0000000000.{ext}" for kind, ext in kinds.items()}
        | {"image": f"{slug}-0000000000.png"},
        sizes={"audio": 1000, "epub": 1000},
        voice="fake/none",
        published=article.published or BUILT,
        updated=BUILT,
    )


def build_outputs(article: Article, folder: Path, *, cover: str = "none") -> Outputs:
    book = folder / "book.epub"
    result = render_epub([article], book, EpubOptions(cover=cover))
    timing = timing_for(article)
    episode = episode_for(article, timing)
    epub = book.read_bytes()
    with zipfile.ZipFile(book) as archive:
        (name,) = [n for n in archive.namelist() if n.rsplit("/", 1)[-1].startswith("article-")]
        chapter = etree.fromstring(archive.read(name), _SAFE_XML)
    return Outputs(
        epub=epub,
        feed=build_feed(CONFIG, [episode], BASE_URL + "artwork.png", existing=None, built=BUILT),
        episode_page=episode_page(CONFIG, episode),
        index_page=index_page(CONFIG, [episode]),
        vtt=webvtt(timing),
        chapters=chapters_json(timing, article.headline, episode.audio),
        slug=episode.slug,
        images=result.images,
        chapter_text=" ".join("".join(chapter.itertext()).split()),
        chapter_lang=chapter.get("lang", ""),
        chapter_dir=chapter.get("dir", ""),
    )


def findings(article: Article, outputs: Outputs) -> list[str]:
    """Everything wrong with the outputs of one article; empty when they are safe."""
    found = epub_findings(outputs.epub)
    found += feed_findings(outputs.feed)
    found += page_findings("episode page", outputs.episode_page, "../../")
    found += page_findings("index page", outputs.index_page, "")
    found += vtt_findings(outputs.vtt)
    try:
        json.loads(outputs.chapters)
    except ValueError as exc:
        found.append(f"chapters: not JSON ({exc})")
    found += slug_findings(article.headline, article.id)
    for name, text in outputs.all_text()[: len(outputs.all_text()) // 2]:
        bad = ILLEGAL_CHARS.search(text)
        if bad:
            found.append(f"{name}: character U+{ord(bad.group()):04X}")
    return found


# --- the corpus ----------------------------------------------------------------------------------


def read_header(path: Path) -> dict[str, str]:
    """The ``key: value`` lines of a case: its sidecar ``.expect`` file or its first comment."""
    sidecar = path.with_name(path.name + ".expect")
    if sidecar.exists():
        text = sidecar.read_text("utf-8")
    else:
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        head = data[:4000]
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:8]:
            little = head.startswith(b"\xff\xfe") or head[1:2] == b"\x00"
            head = head.decode("utf-16-le" if little else "utf-16-be", "replace").encode()
        match = re.search(rb"<!--(.*?)-->", head, re.DOTALL)
        assert match, f"{path.name}: no header comment"
        text = _header_text(match.group(1), head)
    header: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.strip().partition(":")
        if sep and key.strip() in HEADER_KEYS:
            header[key.strip()] = value.strip()
    return header


def _header_text(comment: bytes, head: bytes) -> str:
    """The comment as text: UTF-8, else the page's declared charset (a CJK page's header is
    written in the page's own encoding), else Latin-1."""
    try:
        return comment.decode("utf-8")
    except UnicodeDecodeError:
        label = re.search(rb"charset=[\"']?([\w-]+)", head)
        return comment.decode(label.group(1).decode() if label else "latin-1", "replace")


CASES = sorted(
    p
    for p in HERE.iterdir()
    if p.is_file() and not p.name.endswith(".expect") and not p.name.startswith("_")
)


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split("|") if part.strip()]


def test_every_case_says_what_it_expects() -> None:
    assert len(CASES) >= 40
    for path in CASES:
        header = read_header(path)
        assert header.get("description"), path.name
        assert re.match(r"^(clean|refused \d+ \".+\")$", header.get("expect", "")), path.name


def check_case(path: Path, tmp_path: Path) -> tuple[Article | None, Outputs | None]:
    """Run one case and assert its expectations; returns what was made, for further checks."""
    header = read_header(path)
    expect = header["expect"]
    if expect.startswith("refused"):
        _, code, fragment = shlex.split(expect)
        with pytest.raises(NewsvoiceError) as caught:
            load(str(path))
        assert caught.value.exit_code == int(code), caught.value
        message = str(caught.value)
        assert fragment in message
        assert "\n" not in message
        return None, None
    article = load(str(path))
    outputs = build_outputs(article, tmp_path, cover=header.get("cover", "none"))
    problems = findings(article, outputs)
    assert not problems, "\n".join(problems)
    if "headline" in header:
        assert article.headline == header["headline"]
    if "language" in header:
        assert article.language == header["language"]
        assert outputs.chapter_lang == header["language"]
        rtl = header["language"].split("-")[0] in ("ar", "he", "fa", "ur", "yi")
        assert outputs.chapter_dir == ("rtl" if rtl else "")
    for text in _split(header.get("keep")):
        assert text in outputs.chapter_text, text
    for secret in _split(header.get("forbid")):
        for name, text in outputs.all_text():
            assert secret not in text, (secret, name)
    if "images" in header:
        assert outputs.images == int(header["images"])
    return article, outputs


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_hostile_output(path: Path, tmp_path: Path) -> None:
    check_case(path, tmp_path)


NARRATED = [p for p in CASES if read_header(p).get("narrate") == "yes"]


@pytest.mark.parametrize("path", NARRATED, ids=[p.name for p in NARRATED])
def test_narrated_transcript(path: Path, tmp_path: Path) -> None:
    """A few cases are narrated for real (espeak-ng, quick): the CLI's own WebVTT is clean."""
    need("espeak-ng")
    header = read_header(path)
    result = run_newsvoice(
        "audio",
        path,
        "-o",
        tmp_path / "episode.mp3",
        "--engine",
        "espeak",
        "--transcript",
        "vtt",
        "--chapters-json",
        "--captions",
        "read",
        "--no-cache",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    vtt = (tmp_path / "episode.vtt").read_text("utf-8")
    assert not vtt_findings(vtt)
    json.loads((tmp_path / "episode.chapters.json").read_text("utf-8"))
    for secret in _split(header.get("forbid")):
        assert secret not in vtt
        assert secret not in html.unescape(vtt)


# --- the checks themselves --------------------------------------------------------------------


def _rezip(epub: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(epub)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, change(data) if info.filename == name else data)
    return out.getvalue()


CHAPTER = "EPUB/article-001.xhtml"
BROKEN_BOOKS = {
    "script": b"<p>ok</p><script>x()</script>",
    "handler": b'<p onclick="x()">ok</p>',
    "javascript link": b'<p><a href=" jav&#x09;ascript:x()">ok</a></p>',
    "data link": b'<p><a href="DATA:text/html,x">ok</a></p>',
    "remote image": b'<p><img src="https://tracker.example/p.gif" alt=""/>ok</p>',
    "protocol-relative image": b'<p><img src="//tracker.example/p.gif" alt=""/>ok</p>',
    "iframe": b'<p>ok</p><iframe src="a.xhtml"/>',
    "svg": b'<p>ok</p><svg xmlns="http://www.w3.org/2000/svg"/>',
    "style": b'<p style="color:red">ok</p>',
    "entity": b"<p>&ent;</p>",
}


@pytest.mark.parametrize("what", list(BROKEN_BOOKS))
def test_the_checks_find_active_content_in_a_book(what: str, tmp_path: Path) -> None:
    """The checker is not vacuous: planted in a clean book, each shape is found."""
    article = load(str(HERE / "headline-script.html"))
    outputs = build_outputs(article, tmp_path)
    assert not findings(article, outputs)
    planted = BROKEN_BOOKS[what]

    def plant(data: bytes) -> bytes:
        if what == "entity":
            data = data.replace(b"<!DOCTYPE html>", b'<!DOCTYPE html [<!ENTITY ent "x">]>')
        return data.replace(b"</section>", planted + b"</section>")

    outputs.epub = _rezip(outputs.epub, CHAPTER, plant)
    assert epub_findings(outputs.epub), what


BROKEN_FEEDS = {
    "script in a description": (b"<description>", b"<description>&lt;script&gt;x()&lt;/script&gt;"),
    "handler in a description": (b"<description>&lt;p&gt;", b"<description>&lt;p onclick=x&gt;"),
    "javascript: in a description": (b'href="https://podcast', b'href="javascript:x()" x="'),
    "foreign enclosure": (b'<enclosure url="https://podcast.example', b'<enclosure url="https://e'),
    "doctype": (b"<rss", b'<!DOCTYPE rss SYSTEM "http://e.example/d.dtd"><rss'),
}


@pytest.mark.parametrize("what", list(BROKEN_FEEDS))
def test_the_checks_find_active_content_in_a_feed(what: str, tmp_path: Path) -> None:
    article = load(str(HERE / "headline-script.html"))
    outputs = build_outputs(article, tmp_path)
    old, new = BROKEN_FEEDS[what]
    assert old in outputs.feed
    assert feed_findings(outputs.feed.replace(old, new, 1)), what


def test_the_checks_find_active_content_in_pages_and_transcripts(tmp_path: Path) -> None:
    article = load(str(HERE / "headline-script.html"))
    outputs = build_outputs(article, tmp_path)
    page = outputs.episode_page
    assert page_findings("p", page.replace(b"<main", b"<script>x()</script><main", 1), "../../")
    assert page_findings("p", page.replace(b"<main", b'<main onload="x()"', 1), "../../")
    assert page_findings("p", page.replace(b'src="', b'src="https://e.example/', 1), "../../")
    assert vtt_findings(outputs.vtt + "\n\n99\n00:00:00.000 --> 00:00:01.000 extra\n<c>x</c>\n")
    assert slug_findings("../x", "0") == []  # slugify makes it safe: "x"


# --- property: any text in any field -------------------------------------------------------------

# every code point (lone surrogates, category Cs, are left out by default), and often the
# characters that break XML, feeds, file names and transcripts
NASTY = "\ud800\udfff\x00\x01\x0b\x1b\x7f\x85\x9f\ufffe\uffff\u202e\u2066\ufeff\u00ad<>&\"'/.\\:-]"
FIELD_TEXT = st.text(
    st.one_of(st.characters(exclude_categories=()), st.sampled_from(NASTY)), max_size=80
)
FIELD = st.one_of(FIELD_TEXT.map(html.escape), FIELD_TEXT)  # as text, or as raw markup
FILLER = (
    "<p>The council voted on Tuesday to repair the harbour wall before the winter storms, "
    "after engineers warned that two sections could fail if the tides are high.</p>"
)


@st.composite
def field_pages(draw: st.DrawFn) -> str:
    """A plausible article page with hypothesis' text in every field that reaches an output."""
    f = {name: draw(FIELD) for name in ("title", "h1", "byline", "dek", "caption", "body")}
    alt, href, lang = (draw(FIELD_TEXT) for _ in range(3))
    ld = json.dumps(
        {"@type": "NewsArticle", "headline": draw(FIELD_TEXT), "author": {"name": draw(FIELD)}},
        ensure_ascii=draw(st.booleans()),
    ).replace("</", "<\\/")
    return (
        f'<html lang="{html.escape(lang)}"><head><title>{f["title"]}</title>'
        f'<script type="application/ld+json">{ld}</script></head><body><article>'
        f'<h1>{f["h1"]}</h1><p class="standfirst">{f["dek"]}</p><p class="byline">{f["byline"]}</p>'
        f'<figure><img src="https://img.example/a.jpg" alt="{html.escape(alt)}" width="900">'
        f"<figcaption>{f['caption']}</figcaption></figure>{FILLER}"
        f'<p>{f["body"]} <a href="{html.escape(href)}">{f["body"]}</a> and more words.</p>'
        f"{FILLER}</article></body></html>"
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(page=field_pages())
def test_any_text_in_any_field_makes_safe_outputs(page: str, tmp_path: Path) -> None:
    """Whatever text sits in the headline, byline, standfirst, caption, alt, link, language
    or JSON-LD (lone surrogates and controls included; given as a str, not bytes), every
    output builds, parses and carries no active content."""
    try:
        article = extract_article(page, "https://news.example/story")
    except NewsvoiceError:
        return
    try:
        outputs = build_outputs(article, tmp_path)
    except NoContentFound:
        return
    assert not findings(article, outputs)


# --- images fetched from a (loopback) server ---------------------------------------------------


def _png(width: int, height: int, padding: int = 300) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data).to_bytes(4, "big")
        return len(data).to_bytes(4, "big") + kind + data + crc

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    pixels = zlib.compress(b"\x00" + b"\xff" * 3 * min(width, 64))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"Comment\x00" + b"x" * padding)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


IMAGE_ROUTES: dict[str, tuple[int, bytes, dict[str, str]]] = {
    "/bomb.png": (200, _png(30000, 30000), {"Content-Type": "image/png"}),
    "/script.svg": (
        200,
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="pwn3d()"><script>pwn3d()</script></svg>',
        {"Content-Type": "image/svg+xml"},
    ),
    "/page.png": (200, b"<html><script>pwn3d()</script></html>", {"Content-Type": "image/png"}),
    "/huge.png": (200, b"", {"Content-Type": "image/png", "Content-Length": "50000000"}),
    "/to-metadata.png": (302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"}),
    "/to-file.png": (302, b"", {"Location": "file:///etc/passwd"}),
    "/good.png": (200, _png(1, 1), {"Content-Type": "image/png"}),
}


class _ImageHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        status, body, headers = IMAGE_ROUTES.get(self.path, (404, b"", {}))
        self.send_response(status)
        headers = {"Content-Length": str(len(body)), **headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)


@pytest.mark.network_loopback
def test_fetched_images_are_checked_before_they_reach_the_book(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--fetch-images: bombs, SVG, HTML served as PNG, over-large bodies and redirects to
    metadata or file: URLs are all left out; only the real picture is embedded. The server
    passes for a public one (127.0.0.1 only), so the redirect meets the address check."""
    checked = fetch.check_address
    monkeypatch.setattr(
        fetch, "check_address", lambda ip: None if str(ip) == "127.0.0.1" else checked(ip)
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _ImageHandler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        figures = "".join(
            f'<figure><img src="{base}{route}" alt="picture {number}" width="900">'
            f"<figcaption>Caption {number}</figcaption></figure>"
            for number, route in enumerate(IMAGE_ROUTES)
        )
        page = (
            f"<html lang='en'><head><title>Harbour wall repairs approved</title></head><body>"
            f"<article><h1>Harbour wall repairs approved</h1>{FILLER}{figures}{FILLER}</article>"
            "</body></html>"
        )
        article = extract_article(page, f"{base}/story")
        book = tmp_path / "book.epub"
        options = EpubOptions(cover="none", fetch_images=True)
        result = render_epub([article], book, options)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
    left_out = {why.split(": ", 1)[0].removeprefix(base) for why in result.images_left_out}
    assert left_out == set(IMAGE_ROUTES) - {"/good.png"}, "\n".join(result.images_left_out)
    assert result.images == 1
    assert any("169.254.169.254 is link-local" in why for why in result.images_left_out)
    data = book.read_bytes()
    assert not epub_findings(data)
    assert b"pwn3d" not in data
    assert b"169.254" not in data


def test_a_huge_transcript_page_is_built_in_linear_time() -> None:
    """40,000 sentences in one paragraph: the episode page's transcript used lxml's len() and
    [-1] (which count the children) per sentence, about 30 s here; now well under a second."""
    lines = tuple(Line(0, 0, "paragraph", i, i + 1, f"Sentence {i}.", i) for i in range(40_000))
    article = load(str(HERE / "headline-script.html"))
    episode = replace(episode_for(article, timing_for(article)), lines=lines)
    started = time.monotonic()
    page = episode_page(CONFIG, episode)
    assert time.monotonic() - started < 5
    assert page.count(b'<span class="s" data-start=') == 40_000
    read_along = lxml_html.document_fromstring(page).find_class("read-along")[0]
    assert len(read_along) == 1  # one paragraph


def test_the_self_check_takes_linear_time_on_text_full_of_references() -> None:
    """The EPUB self-check's allowlist pass gave nh3 the chapter's text as well: nh3 takes
    quadratic time on character references, 16 s for 500,000 "&amp; word" in a paragraph (a
    10 MB page could take minutes). Only elements and attributes are judged now."""
    paragraphs = f'<p>{"&amp; word " * 500_000}</p><p onclick="x">y</p>'
    body = etree.fromstring(f'<body xmlns="{XHTML_NS[1:-1]}">{paragraphs}</body>')
    started = time.monotonic()
    problems = allowlist_findings(body)
    assert time.monotonic() - started < 3
    assert problems == ["the allowlist sanitiser changes <p {'onclick': 'x'}>"]
