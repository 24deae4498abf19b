"""extract/metadata.py: the page's own evidence first (JSON-LD, then OpenGraph and <meta>),
the on-page header after."""

from __future__ import annotations

from datetime import UTC, datetime

from newsvoice.extract.metadata import read_metadata, split_byline
from newsvoice.extract.tree import parse_html

LD = """<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "@id": "#site", "name": "Harbour Gazette"},
  {"@type": "NewsArticle", "headline": "Ferry plan approved", "isPartOf": {"@id": "#site"},
   "author": [{"@type": "Person", "name": "Ana Ruiz"}, {"@type": "Person", "name": "Tom Bell"}],
   "datePublished": "2024-03-05T09:30:00+01:00", "dateModified": "2024-03-05T12:00:00Z",
   "articleSection": "Local", "isAccessibleForFree": "False",
   "hasPart": {"@type": "WebPageElement", "isAccessibleForFree": false,
               "cssSelector": ".paywalled"}}]}</script>"""


def meta(head: str, body: str = "<p>Text.</p>", base: str | None = None):  # type: ignore[no-untyped-def]
    return read_metadata(parse_html(f"<html><head>{head}</head><body>{body}</body></html>"), base)


def test_json_ld_gives_headline_authors_dates_section_and_paywall() -> None:
    found = meta(LD)
    assert found.headline == "Ferry plan approved"
    assert found.authors == ["Ana Ruiz", "Tom Bell"]
    assert found.published == datetime(2024, 3, 5, 8, 30, tzinfo=UTC)
    assert found.modified == datetime(2024, 3, 5, 12, 0, tzinfo=UTC)
    assert found.section == "Local"
    assert found.accessible_for_free is False
    assert found.paywalled_selectors == [".paywalled"]


def test_opengraph_and_meta_fill_in_without_json_ld() -> None:
    head = (
        '<meta property="og:title" content="Quay reopens">'
        '<meta property="og:site_name" content="Harbour Gazette">'
        '<meta property="og:url" content="/news/quay">'
        '<meta name="author" content="Ana Ruiz">'
        '<meta property="article:published_time" content="2024-03-05">'
    )
    found = meta(head, base="https://gazette.example/page?id=1")
    assert found.headline == "Quay reopens"
    assert found.site_name == "Harbour Gazette"
    assert found.url == "https://gazette.example/news/quay"
    assert found.authors == ["Ana Ruiz"]
    assert found.published is not None
    assert found.published.date().isoformat() == "2024-03-05"


def test_the_on_page_header_gives_headline_dek_and_byline() -> None:
    body = (
        "<article><h1>Quay reopens after repairs</h1>"
        '<p class="standfirst">Boats can berth again from Monday.</p>'
        '<p class="byline">By Ana Ruiz</p><p>' + "Body text. " * 40 + "</p></article>"
    )
    found = meta("<title>Quay reopens after repairs - Gazette</title>", body)
    assert found.headline == "Quay reopens after repairs"
    assert found.standfirst == "Boats can berth again from Monday."
    assert "Ana Ruiz" in found.byline


def test_the_page_language_is_normalised() -> None:
    page = parse_html('<html lang="EN_gb"><body><p>Text.</p></body></html>')
    assert read_metadata(page, None).language == "en-GB"


def test_split_byline_reads_lists_of_names() -> None:
    assert split_byline("By Ana Ruiz and Tom Bell") == ["Ana Ruiz", "Tom Bell"]
    assert split_byline("Ana Ruiz, Tom Bell and Li Wei") == ["Ana Ruiz", "Tom Bell", "Li Wei"]
