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


LETTER = "".join(
    f"<p><span>Paragraph {n} of an open letter argues at length that free debate, the "
    "exchange of ideas and the right to disagree are the lifeblood of a liberal society, "
    f"and that their loss would harm us all.</span></p>"
    for n in range(5)
)
NAMES = "".join(
    f"<span>Firstname Lastname {n}, University of Somewhere, historian, author</span><br>"
    for n in range(40)
)
SIGNATORIES = f"<tr><td>{NAMES}</td><td>{NAMES}</td></tr>"


def test_many_short_comma_rich_cells_do_not_beat_the_prose_around_them() -> None:
    # Readability's comma count favours a long table of names; the letter above it is the
    # article, and the table (inside the same container) comes with it
    text = body_text(
        f"<html><body><div class='page'><div class='wysiwyg'>{LETTER}"
        f"<table><tbody>{SIGNATORIES}</tbody></table></div></div></body></html>"
    )
    assert "Paragraph 0 of an open letter" in text
    assert "Paragraph 4 of an open letter" in text


def test_the_articles_header_with_its_lead_joins_the_body() -> None:
    lead = (
        "<p>The lead paragraph sits in the article's header, above the body, and says in two "
        "full sentences what the story is about. It is part of what a listener must hear.</p>"
    )
    text = body_text(
        f"<html><body><article><div class='head'><h1>Headline</h1>{lead}</div>"
        f"<div class='story-body'>{STORY}</div></article></body></html>"
    )
    assert "The lead paragraph sits" in text
    assert "Paragraph 7 of the story" in text


def test_prose_after_the_body_is_kept_only_between_parts_of_it() -> None:
    bio = (
        "<div class='box'><p>Jane Doe has written about farming for twenty years and lives "
        "on the coast with her family, two dogs and a great many books.</p></div>"
    )
    text = body_text(
        f"<html><body><div class='wrap'><div class='story-body'>{STORY}</div>{bio}"
        "</div></body></html>"
    )
    assert "Paragraph 7 of the story" in text
    assert "Jane Doe" not in text


def test_teaser_summaries_are_not_running_text() -> None:
    teasers = "".join(
        f"<div><h3><a href='/t{n}'>Other story {n}</a></h3><p>A summary of another story that "
        "runs for more than eighty characters and stops short...</p></div>"
        for n in range(6)
    )
    text = body_text(
        f"<html><body><div class='page'><div class='story-body'>{STORY}</div>"
        f"<div class='more'>{teasers}</div></div></body></html>"
    )
    assert "Paragraph 0 of the story" in text
    assert "A summary of another story" not in text


def test_a_small_box_named_body_does_not_outrank_the_article() -> None:
    paragraphs = "".join(
        f"<div class='paragraph'>Paragraph {n} of the report, which runs on for a good few "
        "clauses, with commas, and with more than enough words to be running text.</div>"
        for n in range(3)
    )
    text = body_text(
        "<html><body><div class='player'><div class='info'><span class='link-body'>Watch "
        "the video, with the mayor, and the council</span></div><div class='time'>2:31</div>"
        f"</div><div class='box'>{paragraphs}</div></body></html>"
    )
    assert "Paragraph 0 of the report" in text
    assert "Paragraph 2 of the report" in text
    assert "Watch the video" not in text
