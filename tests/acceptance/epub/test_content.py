"""What is inside the books: structure, metadata, images, navigation, determinism."""

from __future__ import annotations

import itertools
import re
import uuid
from typing import TYPE_CHECKING

import pytest
from lxml import etree

from newsvoice import load
from newsvoice.errors import ConfigError, NoContentFound
from newsvoice.model import Article, Figure, Heading, Image, Paragraph, Provenance, Text
from newsvoice.render.epub import EpubOptions, render_epub
from tests.acceptance.epub.books import SAMPLES, SEED_HTML, XHTML, Book, build
from tests.helpers import run_newsvoice

if TYPE_CHECKING:
    from pathlib import Path

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
CHROME = ["free articles", "Subscribe", "$11/month", "Get unlimited", "stories this month"]
STANDFIRST = (
    "The two countries agreed that a UN resolution condemning North Korea's most recent "
    "nuclear test was necessary. But deep-rooted suspicions could stunt specific action."
)


def _text(el: etree._Element) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


def _meta(book: Book, prop: str) -> list[str]:
    opf = book.xml("EPUB/content.opf")
    return [m.text for m in opf.iter(f"{OPF}meta") if m.get("property") == prop]


def _body_paragraphs(chapter: etree._Element) -> list[etree._Element]:
    """<p>s of the article body: not in the header, a figure caption or the footer."""
    out = []
    for p in chapter.iter(f"{XHTML}p"):
        ancestors = {etree.QName(a).localname for a in p.iterancestors()}
        if not ancestors & {"header", "figcaption", "footer", "blockquote"}:
            out.append(p)
    return out


# --- the seed ------------------------------------------------------------------------------


def test_seed_chapter_structure(seed_book: Book) -> None:
    (chapter,) = seed_book.chapters().values()
    assert chapter.get("lang") == "en-US"
    assert chapter.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-US"
    section = chapter.find(f".//{XHTML}section")
    assert section is not None
    assert section.get("{http://www.idpf.org/2007/ops}type") == "chapter"
    assert section.get("role") == "doc-chapter"
    header = section.find(f"{XHTML}header")
    assert header is not None
    assert _text(header.find(f"{XHTML}h1")) == (
        "Are the US and China ready to cooperate more on N. Korea?"
    )
    (subtitle,) = [p for p in header.iter(f"{XHTML}p") if p.get("role") == "doc-subtitle"]
    assert _text(subtitle) == STANDFIRST
    time = header.find(f".//{XHTML}time")
    assert time is not None
    assert time.get("datetime") == "2016-01-27T12:58:00-05:00"
    assert "By Nathan Corbett, Staff writer" in _text(header)
    caption = chapter.find(f".//{XHTML}figcaption")
    assert caption is not None
    assert _text(caption).startswith("US Secretary of State John Kerry leaves a news conference")
    credit = caption.find(f"{XHTML}span[@class='credit']")
    assert credit is not None
    assert _text(credit) == "Jacquelyn Martin/Reuters/Pool"
    paragraphs = _body_paragraphs(chapter)
    assert len(paragraphs) == 14
    assert _text(paragraphs[0]).startswith("US Secretary of State John Kerry and China’s")
    assert _text(paragraphs[-1]).startswith("The so-called six-party talks")


def test_seed_has_no_paywall_chrome_anywhere(seed_book: Book) -> None:
    for name, data in seed_book.members().items():
        if name.endswith((".xhtml", ".opf", ".ncx")):
            text = data.decode("utf-8")
            for phrase in CHROME:
                assert phrase not in text, (name, phrase)


def test_seed_package_metadata(seed_book: Book) -> None:
    opf = seed_book.xml("EPUB/content.opf")
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-US"
    identifier = opf.find(f".//{DC}identifier")
    assert identifier is not None
    canonical = (
        "https://www.csmonitor.com/World/Asia-Pacific/2016/0127/"
        "Are-the-US-and-China-ready-to-cooperate-more-on-N.-Korea"
    )
    assert identifier.text == f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, canonical)}"
    assert opf.find(f".//{DC}date").text == "2016-01-27T17:58:00Z"
    assert _meta(seed_book, "dcterms:modified") == ["2016-01-27T19:21:00Z"]
    assert opf.find(f".//{DC}creator").text == "Nathan Corbett"
    assert opf.find(f".//{DC}publisher").text == "The Christian Science Monitor"
    assert _meta(seed_book, "schema:accessMode") == ["textual"]
    assert _meta(seed_book, "schema:accessModeSufficient") == ["textual"]
    assert _meta(seed_book, "schema:accessibilityHazard") == ["none"]
    features = _meta(seed_book, "schema:accessibilityFeature")
    assert {"tableOfContents", "readingOrder", "structuralNavigation"} <= set(features)
    assert "alternativeText" not in features  # no image was embedded: nothing to describe
    (summary,) = _meta(seed_book, "schema:accessibilitySummary")
    assert "could not be included" in summary  # the photo was remote and not fetched
    assert _meta(seed_book, "dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert _meta(seed_book, "a11y:certifiedBy")


def test_seed_cover_page(seed_book: Book) -> None:
    cover = seed_book.xml("EPUB/cover.xhtml")
    (img,) = cover.iter(f"{XHTML}img")
    assert img.get("role") == "doc-cover"
    assert img.get("alt") == (
        "Cover: Are the US and China ready to cooperate more on N. Korea?, "
        "The Christian Science Monitor, 27 January 2016"
    )
    assert seed_book.members()[f"EPUB/{img.get('src')}"].startswith(b"\x89PNG")


def test_missing_images_leave_no_dangling_reference(seed_book: Book) -> None:
    (chapter,) = seed_book.chapters().values()
    assert list(chapter.iter(f"{XHTML}img")) == []
    assert seed_book.result.images_left_out == (
        "https://images.csmonitor.com/csm/2016/01/kerry-wang.jpg: "
        "remote image not fetched (use --fetch-images)",
    )


# --- editions ------------------------------------------------------------------------------


def test_edition_nav_lists_every_article(edition_book: Book) -> None:
    nav = edition_book.xml("EPUB/nav.xhtml")
    toc = next(
        n for n in nav.iter(f"{XHTML}nav") if n.get("{http://www.idpf.org/2007/ops}type") == "toc"
    )
    top = toc.find(f"{XHTML}ol")
    assert top is not None
    entries = top.findall(f"{XHTML}li")
    assert len(entries) == 21
    titles = [_text(li.find(f"{XHTML}a")) for li in entries]
    assert titles == [a.headline for a in edition_book.articles]
    ncx = edition_book.xml("EPUB/toc.ncx")
    nav_map = ncx.find("{http://www.daisy.org/z3986/2005/ncx/}navMap")
    assert len(nav_map.findall("{http://www.daisy.org/z3986/2005/ncx/}navPoint")) == 21


def test_edition_ids_are_unique_across_chapters(edition_book: Book) -> None:
    ids: list[str] = []
    for chapter in edition_book.chapters().values():
        ids += [el.get("id") for el in chapter.iter() if el.get("id")]
    assert len(ids) == len(set(ids)) > 21


def test_every_chapter_declares_its_language(edition_book: Book) -> None:
    for name, chapter in edition_book.chapters().items():
        lang = chapter.get("lang")
        assert lang, name
        assert chapter.get("{http://www.w3.org/XML/1998/namespace}lang") == lang


def test_samples_embed_the_local_chart(samples_book: Book) -> None:
    members = samples_book.members()
    images = [n for n in members if n.startswith("EPUB/images/a")]
    assert len(images) == 1
    assert members[images[0]].startswith(b"\x89PNG")
    alts = [
        img.get("alt")
        for chapter in samples_book.chapters().values()
        for img in chapter.iter(f"{XHTML}img")
    ]
    assert len(alts) == 1
    assert alts[0].startswith("Bar chart: in midsummer")
    assert "visual" in _meta(samples_book, "schema:accessMode")
    assert "alternativeText" in _meta(samples_book, "schema:accessibilityFeature")
    assert "textual,visual" in _meta(samples_book, "schema:accessModeSufficient")


def test_samples_keep_tables_lists_and_quotes(samples_book: Book) -> None:
    chapters = samples_book.chapters()
    local = next(c for c in chapters.values() if "Harbourton" in _text(c))
    table = local.find(f".//{XHTML}table")
    assert table is not None
    assert [_text(th) for th in table.iter(f"{XHTML}th")][:4] == [
        "Service area",
        "2023/24 (£m)",
        "2024/25 (£m)",
        "Change",
    ]
    assert local.find(f".//{XHTML}ol") is not None
    assert local.find(f".//{XHTML}ul") is not None
    quote = local.find(f".//{XHTML}figure[@class='quote']")
    assert quote is not None
    assert _text(quote.find(f"{XHTML}figcaption")) == (
        "— Cllr Raj Bhatt, cabinet member for finance"
    )
    levels = [int(h.tag[-1]) for h in local.iter() if re.fullmatch(r".*h[1-6]", str(h.tag))]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


# --- determinism and atomicity -------------------------------------------------------------


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    article = load(str(SEED_HTML))
    first = render_epub([article], tmp_path / "one.epub")
    second = render_epub([load(str(SEED_HTML))], tmp_path / "two.epub")
    assert (tmp_path / "one.epub").read_bytes() == (tmp_path / "two.epub").read_bytes()
    assert first.sha256 == second.sha256


def test_cli_builds_are_byte_identical(tmp_path: Path) -> None:
    for name in ("a.epub", "b.epub"):
        done = run_newsvoice("epub", str(SAMPLES), "-o", str(tmp_path / name), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "a.epub").read_bytes() == (tmp_path / "b.epub").read_bytes()


def test_zip_layout(seed_book: Book) -> None:
    import zipfile

    with zipfile.ZipFile(seed_book.path) as z:
        infos = z.infolist()
    assert infos[0].filename == "mimetype"
    assert infos[0].compress_type == zipfile.ZIP_STORED
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def _bare(headline: str, blocks: tuple[object, ...]) -> Article:
    return Article(
        id=str(uuid.uuid4()),
        headline=headline,
        blocks=blocks,  # type: ignore[arg-type]
        language="en",
        provenance=Provenance(source="test"),
    )


def test_an_article_without_body_gives_an_error_and_no_file(tmp_path: Path) -> None:
    target = tmp_path / "empty.epub"
    with pytest.raises(NoContentFound):
        render_epub([_bare("Only a headline", ())], target)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_build_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "book.epub"
    target.write_bytes(b"the previous book")
    with pytest.raises(ConfigError):
        render_epub([load(str(SEED_HTML))], target, EpubOptions(cover=str(tmp_path / "no.png")))
    assert target.read_bytes() == b"the previous book"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.epub"]


def test_images_without_a_text_alternative_are_left_out(tmp_path: Path) -> None:
    chart = (SAMPLES / "science-explainer_files" / "heat-gap-chart.png").read_bytes()
    article = _bare(
        "A chart without words",
        (
            Paragraph((Text("Some text that is the body of this short article."),)),
            Figure(image=Image(data=chart), alt="", caption=""),
            Figure(image=Image(data=chart), alt="", caption="Described by its caption."),
            Heading(2, (Text("More"),)),
            Paragraph((Text("The end."),)),
        ),
    )
    result = render_epub([article], tmp_path / "b.epub")
    assert result.images == 1
    assert result.images_left_out == ("an embedded image: no text alternative (alt or caption)",)


def test_bad_cover_is_a_usage_error(tmp_path: Path) -> None:
    not_image = tmp_path / "cover.png"
    not_image.write_text("not a picture")
    done = run_newsvoice(
        "epub", str(SEED_HTML), "-o", str(tmp_path / "x.epub"), "--cover", str(not_image)
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: cover")
    assert not (tmp_path / "x.epub").exists()


def test_cover_none_and_file(tmp_path: Path) -> None:
    article = load(str(SEED_HTML))
    plain = build(tmp_path, "none.epub", [article], cover="none")
    assert "EPUB/cover.xhtml" not in plain.members()
    chart = SAMPLES / "science-explainer_files" / "heat-gap-chart.png"
    own = build(tmp_path, "own.epub", [article], cover=str(chart))
    assert own.members()["EPUB/images/cover.png"] == chart.read_bytes()


def test_cli_epub_of_an_empty_file_fails_cleanly(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    done = run_newsvoice("epub", str(empty), "-o", str(tmp_path / "x.epub"), cwd=tmp_path)
    assert done.returncode == 3
    assert done.stderr.strip() == "error: input is empty"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.html"]


def test_cli_json_result(tmp_path: Path) -> None:
    import json

    done = run_newsvoice(
        "epub", str(SAMPLES / "seed-kerry-china.txt"), "-o", str(tmp_path / "seed.epub"), "--json"
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["articles"] == 1
    assert result["title"] == "Are the US and China ready to cooperate more on N. Korea?"
    assert result["accessibility"]["conforms_to"]


def test_quotes_keep_their_language(quote_book: Book) -> None:
    """Text the page marked with lang keeps it, as lang and xml:lang, with its direction;
    a mark that only repeats the article's language is dropped."""
    (chapter,) = quote_book.chapters().values()
    spans = {
        "".join(s.itertext()): (
            s.get("lang"),
            s.get("{http://www.w3.org/XML/1998/namespace}lang"),
            s.get("dir"),
        )
        for s in chapter.iter("{*}span")
        if s.get("lang")
    }
    assert spans == {
        "es la fiesta más bonita del año": ("es", "es", "ltr"),
        "bon appétit": ("fr", "fr", "ltr"),
        "شكرا على هذا اليوم الجميل": ("ar", "ar", "rtl"),
    }
