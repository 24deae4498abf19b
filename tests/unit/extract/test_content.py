"""extract/content.py: the Readability-style choice of the body."""

from __future__ import annotations

from newsvoice.extract.content import class_weight, find_body
from newsvoice.extract.tree import measure, parse_html

STORY = "".join(
    f"<p>Paragraph {n} of the story, with commas, clauses, and enough words to count.</p>"
    for n in range(8)
)
LINKS = "".join(f"<p><a href='/s{n}'>Another story headline number {n}</a></p>" for n in range(8))


def body_text(html: str) -> str:
    page = parse_html(html)
    body = page.soup.body
    assert body is not None
    return " ".join(el.get_text(" ", strip=True) for el in find_body(body, measure(body)))


def test_the_story_wins_over_a_list_of_links() -> None:
    text = body_text(
        f"<html><body><div class='sidebar'>{LINKS}</div>"
        f"<div class='story-body'>{STORY}</div></body></html>"
    )
    assert "Paragraph 0 of the story" in text
    assert "Paragraph 7 of the story" in text
    assert "Another story headline" not in text


def test_class_vocabulary_weighs_for_and_against() -> None:
    page = parse_html("<div class='article-body'></div><div class='comments'></div>")
    good, bad = page.by_name("div")
    assert class_weight(good) > 0 > class_weight(bad)


def test_a_page_without_paragraphs_has_no_body() -> None:
    assert body_text("<html><body><img src='x.png'></body></html>") == ""
