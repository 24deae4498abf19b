"""extract/clean.py: code, embeds, hidden elements and chrome removed in place; paywall
prompts counted; the headline's ancestors kept whatever their class."""

from __future__ import annotations

from typing import Any

import pytest

from newsvoice.extract.clean import clean, declared_entry, is_hidden
from newsvoice.extract.rules import default_rules
from newsvoice.extract.tree import measure, parse_html

TEXT = "The council met on Tuesday and agreed the plan after a long debate. " * 10


def cleaned(html: str, headline: bool = False) -> tuple[str, int]:
    page = parse_html(html)
    h1 = page.soup.find("h1") if headline else None
    report = clean(page.soup, measure(page.soup, page.elements), default_rules(), h1)  # type: ignore[arg-type]
    return str(page.soup), report.paywall_prompts


def test_scripts_styles_iframes_and_forms_go() -> None:
    html, _ = cleaned(
        f"<html><head><style>p{{}}</style></head><body><p>{TEXT}</p>"
        "<script>alert(1)</script><iframe src='https://x.example/'></iframe>"
        "<form><input name=q></form></body></html>"
    )
    assert "<p>" in html
    for gone in ("<script", "<style", "<iframe", "<form", "alert(1)"):
        assert gone not in html


def test_hidden_elements_go() -> None:
    html, _ = cleaned(
        f"<html><body><p>{TEXT}</p><div hidden>secret one</div>"
        "<div style='display: none'>secret two</div><p aria-hidden='true'>secret three</p>"
        "</body></html>"
    )
    assert "secret" not in html
    page = parse_html("<div style='display:none'>x</div><div>y</div>")
    assert [is_hidden(d) for d in page.by_name("div")] == [True, False]


def test_chrome_goes_and_paywall_prompts_are_counted() -> None:
    html, prompts = cleaned(
        f"<html><body><nav class='site-nav'><a href='/'>Home</a></nav><p>{TEXT}</p>"
        "<div class='paywall'>Subscribe to continue reading</div>"
        "<aside class='related-articles'><a href='/a'>More</a></aside></body></html>"
    )
    assert "Home" not in html
    assert "More" not in html
    assert "Subscribe to continue reading" not in html
    assert prompts == 1
    assert TEXT.strip() in html


def test_the_headline_container_stays_though_its_class_is_chrome_like() -> None:
    html, _ = cleaned(
        f"<html><body><div class='header'><h1>Council agrees the plan</h1></div><p>{TEXT}</p>"
        "</body></html>",
        headline=True,
    )
    assert "Council agrees the plan" in html


PROSE_P = (
    "<p>This paragraph is running text of the article, long enough to read as prose, with "
    "clauses, commas and a full stop at the end of each of its two sentences. It goes on a "
    "little more so that the element holds well over two hundred characters of text.</p>"
)


def test_a_token_that_qualifies_a_part_does_not_remove_prose() -> None:
    # Drupal's "the label is hidden", a page builder's text widget, a responsive utility
    for cls in ("field field--label-hidden", "elementor-widget-text-editor", "hidden-xs"):
        text, _ = cleaned(f"<html><body><div class='{cls}'>{PROSE_P}</div></body></html>")
        assert "running text of the article" in text, cls


def test_what_an_element_is_still_removes_it() -> None:
    for cls in ("hidden", "sidebar", "widget", "comments-area"):
        text, _ = cleaned(
            f"<html><body><div class='story'>{PROSE_P * 3}</div>"
            f"<div class='{cls}'>{PROSE_P.replace('running text', 'aside text')}</div>"
            "</body></html>"
        )
        assert "aside text" not in text, cls


def test_an_articles_header_with_a_lead_stays_but_the_site_banner_goes() -> None:
    text, _ = cleaned(
        "<html><body><header><p>Site banner with a long slogan that runs on and on for more "
        "than a hundred characters of text, just to be sure.</p></header><article><header>"
        f"<h1>Title</h1>{PROSE_P}</header><p>Body.</p></article></body></html>"
    )
    assert "running text of the article" in text
    assert "Site banner" not in text


def test_article_text_in_noscript_is_kept_and_a_noscript_notice_is_not() -> None:
    text, _ = cleaned(
        f"<html><body><noscript>{PROSE_P}</noscript>"
        "<noscript><p>Please enable JavaScript to view the comments.</p></noscript>"
        "</body></html>"
    )
    assert "running text of the article" in text
    assert "noscript" not in text
    assert "enable JavaScript" not in text


def _stats(html: str) -> tuple[Any, Any]:
    page = parse_html(html)
    return page.soup, measure(page.soup, page.elements)


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ("<div class='post hentry' id='x'></div><div class='post'></div>", "x"),
        ("<div class='h-entry' id='x'></div>", "x"),
        ("<div class='hentry' id='a'></div><div class='hentry' id='b'></div>", None),  # a list
        ("<div class='hentry' id='a'><div itemprop='articleBody' id='x'></div></div>", "x"),
        ("<div itemprop='articleBody'></div><div itemprop='articleBody'></div>", None),
        ("<div class='post'></div>", None),
    ],
)
def test_declared_entry_is_the_one_element_the_markup_names(html: str, found: str | None) -> None:
    _, stats = _stats(f"<html><body>{html}</body></html>")
    entry = declared_entry(stats)
    assert (entry.get("id") if entry is not None else None) == found


@pytest.mark.parametrize("cls", ["field field--label-hidden", "l-hidden-xs l-text"])
def test_a_short_field_whose_class_names_a_part_or_a_component_stays(cls: str) -> None:
    short = "Oats, milk, vanilla and cinnamon, simmered for five minutes."  # under 200 chars
    html, _ = cleaned(
        f"<html><body><p>{TEXT}</p><div class='{cls}'><p>{short}</p></div></body></html>"
    )
    assert short in html


@pytest.mark.parametrize("cls", ["hidden", "visually-hidden", "cmp-banner cookie-consent"])
def test_a_class_that_says_the_element_is_hidden_or_consent_still_removes_it(cls: str) -> None:
    html, _ = cleaned(
        f"<html><body><p>{TEXT}</p><div class='{cls}'><p>Gone now.</p></div></body></html>"
    )
    assert "Gone now." not in html


def test_a_components_prose_stays_though_cmp_also_names_consent_platforms() -> None:
    part = "The second part of the story, in a text component of its own, goes on here. " * 4
    html, _ = cleaned(
        f"<html><body><p>{TEXT}</p><p>{TEXT}</p><p>{TEXT}</p>"
        f"<div class='cmp-text'><p>{part}</p></div></body></html>"
    )
    assert part.strip() in html


def test_a_story_lead_in_a_teaser_class_stays_and_a_card_linking_elsewhere_goes() -> None:
    lead = "The ferry plan was agreed after a night of talks between the council and the port."
    html, _ = cleaned(
        f"<html><body><div class='teaser-text'><p>{lead}</p></div><p>{TEXT}</p>"
        "<div class='teaser'><h3><a href='/other'>Another story</a></h3>"
        "<p>What happened elsewhere in the town this week, in brief.</p></div></body></html>"
    )
    assert lead in html
    assert "Another story" not in html


@pytest.mark.parametrize("cls", ["entry-meta", "post-meta", "postmetadata", "article-meta"])
def test_a_posts_metadata_line_goes(cls: str) -> None:
    html, _ = cleaned(
        f"<html><body><p>{TEXT}</p><div class='{cls}'>Posted on Tuesday 6 May 2014 at 23:30 "
        "and filed under Linux, Tutorials. Comments are closed.</div></body></html>"
    )
    assert "filed under" not in html
