"""markdown.py and formats.py: escaped CommonMark, and the JSON contract."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import pytest
from markdown_it import MarkdownIt

from newsvoice.model import (
    Article,
    Block,
    Cell,
    Code,
    Emphasis,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Preformatted,
    Quote,
    Strong,
    Table,
    Text,
)
from newsvoice.render.formats import as_json, json_line
from newsvoice.render.markdown import article_md, block_md, escape, inlines_md
from tests.helpers import CONTRACT_KEYS

if TYPE_CHECKING:
    from markdown_it.token import Token

# CommonMark with raw HTML allowed (the default of the preset), plus GFM tables.
MD = MarkdownIt("commonmark").enable("table")
PUBLISHED = datetime(2024, 2, 28, 19, 5, tzinfo=timezone(timedelta(hours=5, minutes=30)))


def _tokens(markdown: str) -> list[Token]:
    out: list[Token] = []
    for token in MD.parse(markdown):
        out.append(token)
        out.extend(token.children or [])
    return out


def _kinds(markdown: str) -> Counter[str]:
    return Counter(t.type for t in _tokens(markdown) if t.type != "text")


def _text(markdown: str) -> str:
    return "".join(t.content for t in _tokens(markdown) if t.type in ("text", "code_inline"))


def _p(*inlines: Inline) -> Paragraph:
    return Paragraph(tuple(inlines))


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<!-- comment -->",
    "[x](javascript:alert(1))",
    "[x][1]",
    "[1]: https://evil.example/",
    "<https://evil.example/>",
    "<evil@example.com>",
    "![x](https://evil.example/a.png)",
    "*bold*",
    "**strong**",
    "_under_",
    "__under__",
    "`code`",
    "# not a heading",
    "###### not a heading",
    "1. not a list",
    "1) not a list",
    "2024. not a list",
    "- not a list",
    "+ not a list",
    "* not a list",
    "> not a quote",
    "```",
    "~~~",
    "| a | b |",
    "a \\*b\\* c",
    "=",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_paragraph_text_stays_plain_text(text: str) -> None:
    markdown = block_md(_p(Text(text)))
    assert set(_kinds(markdown)) == {"paragraph_open", "inline", "paragraph_close"}, markdown
    assert _text(markdown) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_inside_formatting_stays_plain(text: str) -> None:
    markdown = block_md(_p(Text("Before "), Strong((Text(text),)), Text(" after.")))
    kinds = _kinds(markdown)
    assert kinds["strong_open"] == 1
    assert set(kinds) == {
        "paragraph_open",
        "inline",
        "paragraph_close",
        "strong_open",
        "strong_close",
    }
    assert _text(markdown) == f"Before {text} after."


@pytest.mark.parametrize(
    "text", ["1. not a list", "- not a list", "# not a heading", "> not a quote", "===", "---"]
)
def test_line_starts_after_a_line_break_stay_plain(text: str) -> None:
    markdown = block_md(_p(Text("Breaking news"), LineBreak(), Text(text)))
    kinds = _kinds(markdown)
    assert set(kinds) == {"paragraph_open", "inline", "paragraph_close", "hardbreak"}, markdown
    assert _text(markdown) == f"Breaking news{text}"


def test_entity_lookalikes_are_literal_text() -> None:
    text = "AT&amp;T said &copy; 2024 and &#60;b&#62; are literal"
    markdown = block_md(_p(Text(text)))
    assert _text(markdown) == text


def _article(text: str) -> Article:
    """An article carrying ``text`` in every place article text can go."""
    return Article(
        id="x",
        headline=text,
        standfirst=text,
        byline=text,
        site_name=text,
        published=PUBLISHED,
        lead_figure=Figure(
            Image(url="https://img.example.com/a.jpg"), alt=text, caption=text, credit=text
        ),
        blocks=(
            Heading(2, (Text(text),)),
            _p(
                Text(text),
                Text(" "),
                Emphasis((Text(text),)),
                Text(" "),
                Link("https://e.com/", (Text(text),)),
            ),
            Quote((_p(Text(text)),), attribution=text),
            ListBlock(
                False, (ListItem((Text(text),), ListBlock(True, (ListItem((Text(text),)),))),)
            ),
            Table(((Cell((Text(text),), True), Cell((Text("x"),), True)), (Cell((Text(text),)),))),
            Figure(Image(url="https://img.example.com/b.jpg"), alt=text, caption=text),
        ),
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_anywhere_in_an_article_changes_no_structure(text: str) -> None:
    hostile = article_md(_article(text))
    plain = article_md(_article("plain"))
    assert _kinds(hostile) == _kinds(plain), hostile
    rendered = MD.render(hostile)
    assert "<script" not in rendered
    assert "<img src=x" not in rendered
    assert 'href="javascript' not in rendered
    assert "evil.example" not in "".join(
        str(t.attrs.get("href", "")) + str(t.attrs.get("src", "")) for t in _tokens(hostile)
    )


def test_every_md_special_character_is_escaped() -> None:
    assert escape("\\`*_[]<>{}()#!|~") == "\\\\\\`\\*\\_\\[\\]\\<\\>\\{\\}\\(\\)\\#\\!\\|\\~"
    assert escape("1. a") == "1\\. a"
    assert escape("  - a") == "  \\- a"
    assert escape("1.5 million") == "1.5 million"


# --- rendering -----------------------------------------------------------------------------


def test_links_render_as_angle_bracket_destinations() -> None:
    markdown = inlines_md(
        (
            Text("See "),
            Link("https://example.com/a b?x=<1>", (Text("the "), Emphasis((Text("report"),)))),
            Text(" or "),
            Link("mailto:desk@example.com", (Text("write"),)),
        )
    )
    assert markdown == (
        "See [the *report*](<https://example.com/a%20b?x=%3C1%3E>) or "
        "[write](<mailto:desk@example.com>)"
    )
    links = [t for t in _tokens(markdown) if t.type == "link_open"]
    assert [t.attrs["href"] for t in links] == [
        "https://example.com/a%20b?x=%3C1%3E",
        "mailto:desk@example.com",
    ]


def test_inline_formatting_renders() -> None:
    markdown = inlines_md(
        (Text("a "), Emphasis((Text("b"),)), Text(" "), Strong((Text("c"),)), Text(" "), Code("d"))
    )
    assert markdown == "a *b* **c** `d`"
    assert MD.render(markdown) == "<p>a <em>b</em> <strong>c</strong> <code>d</code></p>\n"


def test_formatting_with_spaces_inside_still_renders() -> None:
    # what extraction makes of "Prices rose <b>sharply </b>in May."
    markdown = inlines_md((Text("Prices rose "), Strong((Text("sharply "),)), Text("in May.")))
    assert MD.render(markdown) == "<p>Prices rose <strong>sharply</strong> in May.</p>\n"


@pytest.mark.parametrize(
    "code", ["x = 1", "a`b", "`<img src=x onerror=alert(1)>", "<b>x</b>``", "``"]
)
def test_code_spans_never_leak_html(code: str) -> None:
    markdown = inlines_md((Text("Run "), Code(code), Text(" now.")))
    kinds = _kinds(markdown)
    assert "html_inline" not in kinds, markdown
    assert kinds["code_inline"] == 1, markdown


def test_line_break_renders_as_hard_break() -> None:
    assert inlines_md((Text("a"), LineBreak(), Text("b"))) == "a\\\nb"
    assert "<br />" in MD.render("a\\\nb")


def test_headings_render_at_their_level() -> None:
    assert block_md(Heading(2, (Text("What next"),))) == "## What next"
    assert block_md(Heading(4, (Text("Small"),))) == "#### Small"


def test_nested_list_renders() -> None:
    block = ListBlock(
        False,
        (
            ListItem((Text("one"),)),
            ListItem(
                (Text("two"),),
                ListBlock(True, (ListItem((Text("two a"),)), ListItem((Text("two b"),)))),
            ),
        ),
    )
    markdown = block_md(block)
    assert markdown == "- one\n- two\n  1. two a\n  2. two b"
    html = MD.render(markdown)
    assert html.count("<ul>") == 1
    assert html.count("<ol>") == 1
    assert html.index("<ol>") > html.index("two")


def test_ordered_list_nesting_indents_past_the_marker() -> None:
    block = ListBlock(
        True,
        (
            *(ListItem((Text(f"item {n}"),)) for n in range(1, 10)),
            ListItem((Text("ten"),), ListBlock(False, (ListItem((Text("sub"),)),))),
        ),
    )
    html = MD.render(block_md(block))
    assert html.count("<ol>") == 1
    assert html.count("<ul>") == 1
    assert html.index("<ul>") > html.index("ten")


def test_quote_renders_with_attribution() -> None:
    block = Quote((_p(Text("One.")), _p(Text("Two."))), attribution="Cllr Raj Bhatt")
    markdown = block_md(block)
    assert markdown == "> One.\n>\n> Two.\n>\n> — Cllr Raj Bhatt"
    html = MD.render(markdown)
    assert html.startswith("<blockquote>")
    assert html.count("<p>") == 3
    assert "— Cllr Raj Bhatt" in html


def test_table_renders_with_header_row_and_caption() -> None:
    table = Table(
        (
            (Cell((Text("Area"),), True), Cell((Text("£m"),), True)),
            (Cell((Text("Roads"),)), Cell((Text("4.5"),))),
            (Cell((Text("Parks | gardens"),)),),
        ),
        caption="Net budget",
    )
    markdown = block_md(table)
    assert markdown == (
        "*Net budget*\n\n| Area | £m |\n| --- | --- |\n| Roads | 4.5 |\n| Parks \\| gardens |  |"
    )
    html = MD.render(markdown)
    assert "<th>Area</th>" in html
    assert "<td>Parks | gardens</td>" in html
    assert "<em>Net budget</em>" in html


@pytest.mark.parametrize(
    "text",
    [
        "def f():\n    return 1",
        "*not emphasis* <b>not html</b>",
        "```\ncode inside\n```",
        "~~~\ntildes\n~~~",
        "```\n~~~~\n<script>alert(1)</script>",
    ],
)
def test_preformatted_renders_verbatim_in_one_fence(text: str) -> None:
    markdown = block_md(Preformatted(text))
    blocks = [t for t in MD.parse(markdown) if t.block and t.nesting == 0]
    assert [t.type for t in blocks] == ["fence"], markdown
    assert blocks[0].content == text + "\n"


def test_article_md_shape() -> None:
    article = Article(
        id="x",
        headline="Bridge to open in spring",
        standfirst="The cost is settled.",
        byline="By Ann Lee",
        site_name="Gazette",
        published=PUBLISHED,
        url="https://example.com/story",
        lead_figure=Figure(
            Image(url="https://img.example.com/a.jpg"),
            alt="The bridge",
            caption="Work in January.",
            credit="Tom Ellery",
        ),
        blocks=(_p(Text("Body text.")),),
    )
    assert article_md(article) == (
        "# Bridge to open in spring\n\n"
        "*The cost is settled.*\n\n"
        "By Ann Lee · 2024-02-28 · Gazette\n\n"
        "![The bridge](<https://img.example.com/a.jpg>)\n\n"
        "*Work in January. (Tom Ellery)*\n\n"
        "Body text.\n\n"
        "Source: <https://example.com/story>\n"
    )


def test_figures_without_url_render_caption_only() -> None:
    block: Block = Figure(Image(data=b"\x89PNG"), caption="A chart.")
    assert block_md(block) == "*A chart.*"


# --- formats -------------------------------------------------------------------------------

JSON_KEYS = CONTRACT_KEYS


def _full_article() -> Article:
    return Article(
        id="x",
        headline="Headline “quoted”",
        standfirst="Standfirst.",
        byline="By Ann Lee",
        authors=("Ann Lee",),
        published=PUBLISHED,
        modified=PUBLISHED,
        language="de-CH",
        site_name="Gazette",
        url="https://example.com/story",
        lead_figure=Figure(Image(url="https://img.example.com/a.jpg"), caption="Lead."),
        paywall="truncated",
        blocks=(
            _p(Text("First paragraph.")),
            Preformatted("line one\nline two"),
            _p(Text("Grüße aus Zürich."), LineBreak(), Text("Zweite Zeile.")),
        ),
    )


def test_as_json_has_the_contract_keys() -> None:
    data = as_json(_full_article())
    assert set(data) >= JSON_KEYS
    assert (
        data["text"] == "First paragraph.\n\nline one\nline two\n\nGrüße aus Zürich. Zweite Zeile."
    )
    assert data["word_count"] == 11
    assert data["published"] == "2024-02-28T19:05:00+05:30"
    assert data["paywall"] == "truncated"
    assert data["authors"] == ["Ann Lee"]
    assert Article.from_dict(data) == _full_article()


def test_json_line_is_one_line_of_json() -> None:
    line = json_line(_full_article())
    assert "\n" not in line
    assert "\r" not in line
    assert json.loads(line) == as_json(_full_article())
    assert "Grüße" in line  # not \u-escaped
