"""The EPUB self-check that runs on every build: container sanity, well-formed XML, no active
or remote content, every image present and described, ids unique across the book."""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections import Counter
from copy import deepcopy as copy_element
from urllib.parse import unquote, urlsplit

import nh3
from lxml import etree
from lxml import html as lxml_html

from ..xmlsafe import xml_parser

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
# The second line of defence: an allowlist sanitiser (nh3, Rust's ammonia) must find nothing
# to remove from any content document's body.
ALLOWED_TAGS = {
    "section",
    "header",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "a",
    "em",
    "strong",
    "code",
    "br",
    "ul",
    "ol",
    "li",
    "blockquote",
    "figure",
    "figcaption",
    "img",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "pre",
    "time",
    "span",
    "nav",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "role", "aria-labelledby"},
    "a": {"href"},
    "img": {"src", "alt"},
    "time": {"datetime"},
    "th": {"scope"},
    "span": {"lang", "dir"},  # text in another language (model.Foreign), with its direction
}
_PARSER = xml_parser()


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
    body = root.find(f"{{{XHTML}}}body")
    if body is not None:
        found.extend(f"{name}: {problem}" for problem in allowlist_findings(body))
    if name.rsplit("/", 1)[-1].startswith("article-"):
        text = "".join(
            t for el in root.iter(f"{{{XHTML}}}p", f"{{{XHTML}}}li") for t in el.itertext()
        )
        if not text.strip():
            found.append(f"{name}: no body text")
    return found


def _shape(fragment: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    elements: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    for part in lxml_html.fragments_fromstring(fragment) if fragment.strip() else []:
        if isinstance(part, str):
            continue
        for el in part.iter():
            if isinstance(el.tag, str):
                attrs = tuple(
                    sorted((k, v) for k, v in el.attrib.items() if not k.startswith("xmlns"))
                )
                elements.append((el.tag, attrs))
    return elements


def _as_html(el: etree._Element) -> str:
    """An XHTML element as plain HTML (no namespaces, void elements written as such), without
    its text: only elements and attributes are judged, and nh3 takes quadratic time on a long
    text full of character references (a 10 MB page of "&amp;" took minutes)."""
    copy = copy_element(el)
    for node in copy.iter():
        node.tail = None
        if not isinstance(node.tag, str):
            continue
        node.text = None
        node.tag = etree.QName(node).localname
        for key in [k for k in node.attrib if k.startswith("{")]:
            del node.attrib[key]  # epub:type and xml:lang: ours, and not HTML
    etree.cleanup_namespaces(copy)
    html: str = lxml_html.tostring(copy, encoding="unicode")
    return html


def allowlist_findings(body: etree._Element) -> list[str]:
    """What nh3, with newsvoice's allowlist, would remove from a document body."""
    fragment = "".join(_as_html(child) for child in body)
    cleaned = nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )
    before, after = _shape(fragment), _shape(cleaned)
    if before == after:
        return []
    for ours, theirs in zip(before, after, strict=False):
        if ours != theirs:
            return [f"the allowlist sanitiser changes <{ours[0]} {dict(ours[1])}>"]
    return [f"the allowlist sanitiser removes {len(before) - len(after)} element(s)"]
