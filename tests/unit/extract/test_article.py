"""extract/article.py: the orchestration of the HTML stages — decoding with provenance, the
headline and standfirst, block filtering, the lead figure and the paywall state."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from newsvoice.errors import NoContentFound, NotHTML
from newsvoice.extract import extract_article
from newsvoice.extract.article import EXTRACTOR_VERSION, decode_page
from newsvoice.model import Article, Figure, Heading, Paragraph

BODY = " ".join(f"Sentence {n} of the council story says something new." for n in range(40))


def page(body: str = f"<p>{BODY}</p><p>{BODY}</p>", head: str = "", lang: str = "en") -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><title>Council votes | Gazette</title>'
        f"{head}</head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>Council votes on the ferry plan</h1>{body}</article>"
        "<footer>© Gazette</footer></body></html>"
    )


def test_decode_page_records_where_the_text_came_from() -> None:
    data = page().encode("windows-1252")
    text, provenance = decode_page(data, "saved.html", header_charset="windows-1252")
    assert "Council votes" in text
    assert provenance.source == "saved.html"
    assert provenance.encoding_source == "http-header"
    assert provenance.sha256 == hashlib.sha256(data).hexdigest()


def test_decode_page_refuses_binary_data() -> None:
    with pytest.raises(NotHTML, match="not HTML or text"):
        decode_page(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "picture.html")


def test_bytes_and_str_give_the_same_article_but_their_own_provenance() -> None:
    html = page()
    from_str = extract_article(html, "https://example.org/ferry")
    from_bytes = extract_article(html.encode("utf-8"), "https://example.org/ferry")
    assert from_str.blocks == from_bytes.blocks
    assert from_str.headline == from_bytes.headline == "Council votes on the ferry plan"
    assert from_str.provenance.source == "<string>"
    assert from_bytes.provenance.source == "<bytes>"
    assert from_bytes.provenance.sha256 == hashlib.sha256(html.encode()).hexdigest()
    assert from_bytes.provenance.extractor_version == EXTRACTOR_VERSION


def test_navigation_and_footer_stay_out_of_the_body() -> None:
    article = extract_article(page(), "https://example.org/ferry")
    assert all(isinstance(b, Paragraph) for b in article.blocks)
    assert "Home" not in article.text
    assert "©" not in article.text
    assert article.language == "en"


def test_a_description_that_is_not_an_excerpt_becomes_the_standfirst() -> None:
    head = '<meta name="description" content="Ferries may run again by the summer, it says.">'
    article = extract_article(page(head=head))
    assert article.standfirst == "Ferries may run again by the summer, it says."


def test_a_description_that_repeats_the_body_is_not_a_standfirst() -> None:
    head = f'<meta name="description" content="{BODY[:120]}">'
    assert extract_article(page(head=head)).standfirst == ""


def test_the_repeated_headline_is_dropped_from_the_body() -> None:
    body = f"<h2>Council votes on the ferry plan</h2><p>{BODY}</p><h2>What next</h2><p>{BODY}</p>"
    article = extract_article(page(body))
    headings = [b for b in article.blocks if isinstance(b, Heading)]
    assert [h.inlines[0].text for h in headings] == ["What next"]  # type: ignore[union-attr]


def test_the_declared_image_is_the_lead_figure_when_the_body_has_none() -> None:
    head = (
        '<meta property="og:image" content="https://example.org/quay.jpg">'
        '<meta property="og:image:alt" content="The quay at dawn">'
    )
    lead = extract_article(page(head=head), "https://example.org/ferry").lead_figure
    assert isinstance(lead, Figure)
    assert lead.image is not None
    assert lead.image.url == "https://example.org/quay.jpg"
    assert lead.alt == "The quay at dawn"


def test_a_paywalled_teaser_is_truncated_and_a_free_article_open() -> None:
    teaser = "<p>The council met on Tuesday and voted on the ferry plan for the harbour.</p>"
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "Council votes on the ferry plan", "isAccessibleForFree": false}</script>'
    )
    assert extract_article(page(teaser, head=ld)).paywall == "truncated"
    assert extract_article(page()).paywall == "open"


def test_a_page_without_article_text_is_refused() -> None:
    with pytest.raises(NoContentFound, match="no article text"):
        extract_article("<html><body><nav><a href='/'>Home</a></nav></body></html>")


# --- completeness ---------------------------------------------------------------------------

COMPLETENESS = Path(__file__).parents[2] / "data" / "completeness"
SAMPLES = Path(__file__).parents[3] / "samples"


@pytest.mark.parametrize(
    ("name", "reason", "words"),
    [
        ("declared-longer.html", "declared-body-longer", "658 characters"),
        ("next-page.html", "next-page", "https://news.example/2024/05/new-library/2/"),
        ("paywall-teaser.html", "paywall", "paywall"),
    ],
)
def test_evidence_of_a_gap_is_recorded(name: str, reason: str, words: str) -> None:
    article = extract_article((COMPLETENESS / name).read_bytes())
    assert [gap.reason for gap in article.completeness] == [reason]
    assert words in article.incomplete
    assert article.to_dict()["completeness"][0]["reason"] == reason
    assert Article.from_dict(article.to_dict()) == article


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.html")))
def test_a_complete_page_has_no_completeness_field(name: str) -> None:
    article = extract_article((SAMPLES / name).read_bytes())
    assert article.completeness == ()
    assert "completeness" not in article.to_dict()


def test_a_declared_body_the_markup_does_not_hold_is_used() -> None:
    declared = " ".join(f"Sentence {n} of the declared story, told in full." for n in range(12))
    html = page(
        "<p>Log in to read more.</p>",
        head='<script type="application/ld+json">{"@type": "NewsArticle", "headline": "H", '
        f'"articleBody": "{declared}"}}</script>',
    )
    article = extract_article(html)
    assert "Sentence 11 of the declared story" in article.text
    assert article.completeness == ()


def test_a_link_to_the_next_article_is_not_a_next_page() -> None:
    html = page(
        head='<link rel="canonical" href="https://news.example/a/">'
        '<link rel="next" href="https://news.example/another-story/">'
    )
    assert extract_article(html, "https://news.example/a/").completeness == ()


def test_a_bold_paragraph_sub_heading_is_kept() -> None:
    html = page(f"<p>{BODY}</p><p><strong>Right-wing resistance</strong></p><p>{BODY}</p>")
    assert "Right-wing resistance" in extract_article(html).text


def test_a_short_label_paragraph_is_still_furniture() -> None:
    html = page(f"<p>{BODY}</p><p>Advertisement</p><p>{BODY}</p>")
    assert "Advertisement" not in extract_article(html).text


# --- no false "no article" ------------------------------------------------------------------

LINES = "".join(f"Line {n} of the song about the long road home<br>" for n in range(12))
LABELS = "".join(
    f"<li><a href='/label/{n}'>Singer {n}</a> (songs from {n} albums and the tours)</li>"
    for n in range(150)
)


def test_a_post_in_a_widget_is_kept_when_the_markup_says_it_is_the_entry() -> None:
    # a blog whose layout is all widgets, with a list of labels longer than the post: the
    # post is the page's one hAtom entry, so its widget is not removed for its class
    html = (
        "<html><head><title>Song lyrics</title></head><body>"
        f"<div class='widget Blog'><div class='post hentry'>"
        f"<div class='post-body'>{LINES}</div></div></div>"
        f"<div class='widget Label'><ul>{LABELS}</ul></div></body></html>"
    )
    article = extract_article(html)
    assert "Line 0 of the song" in article.text
    assert "Line 11 of the song" in article.text


def test_a_slideshow_is_read_from_its_captions() -> None:
    slides = "".join(
        f"<section class='gallery-slide'><img src='/s{n}.jpg' alt='Slide {n}'><h2>Part {n}</h2>"
        f"<caption>Slide {n} tells how the new phone compares with the old one, its screen"
        " and its price.</caption></section>"
        for n in range(4)
    )
    html = f"<html><head><title>The phone</title></head><body><main>{slides}</main></body></html>"
    article = extract_article(html, "https://example.org/phone")
    texts = [b for b in article.blocks if isinstance(b, Paragraph)]
    assert len(texts) == 4
    assert "Slide 3 tells how the new phone" in article.text
    figures = [b for b in (article.lead_figure, *article.blocks) if isinstance(b, Figure)]
    assert figures
    assert all(not f.caption for f in figures)  # the caption is read once, as text


def test_few_short_captions_are_still_no_article() -> None:
    html = (
        "<html><body><main><figure><img src='/a.jpg'><figcaption>Beach</figcaption></figure>"
        "</main></body></html>"
    )
    with pytest.raises(NoContentFound):
        extract_article(html)


def test_a_how_to_page_is_read_from_its_declared_steps() -> None:
    steps = [{"@type": "HowToStep", "text": f"Step {n}: cut the cloth along the chalk line."}
             for n in range(1, 6)]  # fmt: skip
    how_to = {
        "@context": "https://schema.org", "@type": "HowTo", "name": "A round tablecloth",
        "description": "<p>A round table needs a round cloth, and making one takes an hour"
        " with a pair of scissors, a tape measure and a piece of chalk.</p>",
        "step": [{"@type": "HowToSection", "itemListElement": steps[:2]}, *steps[2:]],
    }  # fmt: skip
    import json

    head = f'<script type="application/ld+json">{json.dumps(how_to)}</script>'
    html = f"<html><head><title>Cloth</title>{head}</head><body><div id='app'></div></body></html>"
    article = extract_article(html)
    assert article.text.startswith("A round table needs a round cloth")
    assert [p for p in article.text.split("\n\n") if p.startswith("Step")] == [
        f"Step {n}: cut the cloth along the chalk line." for n in range(1, 6)
    ]
    assert article.completeness == ()  # steps are a fallback, not evidence of a gap


def test_declared_steps_do_not_replace_a_visible_article() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "Recipe", "description": "'
        + "Soup. " * 60
        + '", "recipeInstructions": ["Boil the water."]}</script>'
    )
    article = extract_article(page(head=head))
    assert "Soup." not in article.text
    assert "Sentence 0 of the council story" in article.text


def test_when_the_scored_choice_holds_no_text_the_whole_page_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import newsvoice.extract.article as stage

    pictures = "".join(f"<img src='/p/{n}.jpg' alt='Picture {n}'>" for n in range(6))
    html = f"<html><body><div id='box'>{pictures}</div><div><p>{BODY}</p></div></body></html>"

    def pictures_only(root: Any, stats: Any) -> list[Any]:  # a scorer's choice with no text
        return [root.find(id="box")]

    monkeypatch.setattr(stage, "find_body", pictures_only)
    article = extract_article(html, "https://example.org/story")
    assert article.text == BODY


@pytest.mark.parametrize(
    "line",
    [
        "Titelbild: Geyres Christophe/picture-alliance",
        "Bildquelle: Pixabay",
        "Crédits photos : Bestimage",
        "Crédit : AFP",
        "Fot. Jan Kowalski",
        "Über den Autor",
        "Kommentare geschlossen",
        "Wird geladen...",
        "War der Artikel nützlich?",
        "Möchten Sie den Artikel teilen?",
        "Photo credit: Catwalkpictures",
        "Aktualisiert: 11.04.2020, 10:27",
        "23.06.2016 um 16:14 Uhr",
        "Publié le 3 mars 2021 à 10h12",
        "Actualizado el 5 de mayo de 2022",
        "Read more: Looted colonial art goes home",
        "Lesen Sie auch: Der Rat tagt wieder",
        "À lire aussi : le conseil vote",
    ],
)
def test_page_furniture_in_other_languages_is_left_out(line: str) -> None:
    article = extract_article(page(f"<p>{BODY}</p><p>{line}</p>", lang="de"))
    assert line not in article.text
    assert BODY in article.text


def test_a_sentence_that_starts_like_a_label_stays() -> None:
    line = "Bildung ist das Thema, über das der Rat am längsten sprach."
    article = extract_article(page(f"<p>{BODY}</p><p>{line}</p>", lang="de"))
    assert line in article.text


def test_a_date_word_inside_a_sentence_does_not_make_it_a_timestamp() -> None:
    line = "Am 3. Mai stimmte der Rat um 10 Uhr ab."
    article = extract_article(page(f"<p>{BODY}</p><p>{line}</p>", lang="de"))
    assert line in article.text
