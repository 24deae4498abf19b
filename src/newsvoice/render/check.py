"""The EPUB self-check that runs on every build: container sanity, well-formed XML, no active
or remote content, every image present and described, ids unique across the book."""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections import Counter
from urllib.parse import unquote, urlsplit

from lxml import etree

XHTML = "http://www.w3.org/1999/xhtml"
FORBIDDEN = frozenset(
    {
        "script",
        "iframe",
        "object",
        "embed",
        "applet",
        "form",
        "input",
        "button",
        "textarea",
        "select",
        "style",
        "frame",
        "frameset",
        "base",
        "meta-refresh",
        "svg",
        "math",
        "video",
        "audio",
        "canvas",
        "template",
    }
)
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
)


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def check_epub(data: bytes) -> list[str]:
    """Findings (empty when the book is sound)."""
    findings: list[str] = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        return [f"not a zip file: {exc}"]
    with archive:
        infos = archive.infolist()
        if not infos or infos[0].filename != "mimetype":
            findings.append("mimetype is not the first member")
        elif infos[0].compress_type != zipfile.ZIP_STORED:
            findings.append("mimetype is compressed")
        elif archive.read("mimetype") != b"application/epub+zip":
            findings.append("mimetype has the wrong content")
        names = set(archive.namelist())
        if "META-INF/container.xml" not in names:
            findings.append("META-INF/container.xml is missing")
        ids: Counter[str] = Counter()
        for name in sorted(names):
            if not name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
                continue
            try:
                root = etree.fromstring(archive.read(name), _PARSER)
            except etree.XMLSyntaxError as exc:
                findings.append(f"{name} is not well-formed XML: {exc}")
                continue
            if name.endswith(".xhtml"):
                findings.extend(_check_document(name, root, names, ids))
        findings.extend(f"id {i!r} is used {n} times" for i, n in ids.items() if n > 1)
    return findings


def _check_document(
    name: str, root: etree._Element, names: set[str], ids: Counter[str]
) -> list[str]:
    found: list[str] = []
    if not root.get("lang") or not root.get("{http://www.w3.org/XML/1998/namespace}lang"):
        found.append(f"{name}: <html> lacks lang and xml:lang")
    folder = posixpath.dirname(name)
    for el in root.iter():
        tag = _local(el.tag)
        if not tag:
            continue  # comments, processing instructions
        if tag in FORBIDDEN:
            found.append(f"{name}: <{tag}> element")
        if tag == "link" and el.get("rel") != "stylesheet":
            found.append(f"{name}: <link rel={el.get('rel')!r}>")
        for attr, value in el.attrib.items():
            local = _local(attr)
            if local.lower().startswith("on") or local == "style":
                found.append(f"{name}: {local} attribute on <{tag}>")
            if local in ("href", "src") and value.strip().lower().startswith(BAD_SCHEMES):
                found.append(f"{name}: {local}={value[:40]!r}")
        if el.get("id"):
            ids[el.get("id")] += 1
        if tag in ("img", "link"):
            ref = el.get("src") if tag == "img" else el.get("href")
            if not ref or urlsplit(ref).scheme or ref.startswith("//"):
                found.append(f"{name}: remote or empty resource {ref!r}")
                continue
            target = posixpath.normpath(posixpath.join(folder, unquote(urlsplit(ref).path)))
            if target not in names:
                found.append(f"{name}: {ref} is not in the book")
        if tag == "img" and el.get("alt") is None:
            found.append(f"{name}: <img> without alt")
    if name.rsplit("/", 1)[-1].startswith("article-"):
        text = "".join(
            t for el in root.iter(f"{{{XHTML}}}p", f"{{{XHTML}}}li") for t in el.itertext()
        )
        if not text.strip():
            found.append(f"{name}: no body text")
    return found
