"""extract.py + blocks.py: small hand-written pages become the right model structure."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from newsvoice.errors import ConfigError
from newsvoice.extract.article import extract_article
from newsvoice.extract.blocks import language_tag
from newsvoice.extract.rules import load_rules
from newsvoice.model import (
    Article,
    Block,
    Code,
    Emphasis,
    Figure,
    Foreign,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Preformatted,
    Quote,
    Strong,
    Table,
    Text,
    block_text,
    inline_text,
)

if TYPE_CHECKING:
    from pathlib import Path

URL = "https://news.example.com/local/2024/02/28/budget.html"
HEADLINE = "Council agrees budget after a long debate"
FILLER = (
    "The council met on Tuesday evening to discuss the budget, which has grown by a quarter "
    "over the last five years, and to hear from residents who oppose the plan. "
)
FIRST = FILLER + "Officials said the vote was the closest in a decade."
LAST = FILLER + "The plan takes effect in April, officials said."


def page(body: str, *, head: str = "", header: str = "", lang: str = "en") -> str:
    """A minimal article page: a headline, ``header`` after it, then ``body`` between two
    long paragraphs so the body container is found."""
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{HEADLINE} - Gazette</title>{head}</head>
<body>
<article>
<h1>{HEADLINE}</h1>
{header}
<div class="article-body">
<p>{FIRST}</p>
{body}
<p>{LAST}</p>
</div>
</article>
</body></html>"""


def extract(body: str, **kwargs: Any) -> Article:
    return extract_article(page(body, **kwargs), URL)


def middle(article: Article) -> list[Block]:
    """The blocks between the filler paragraphs."""
    texts = [block_text(b) for b in article.blocks]
    assert texts[0] == FIRST
    assert texts[-1] == LAST
    return list(article.blocks[1:-1])


def only(article: Article) -> Block:
    blocks = middle(article)
    assert len(blocks) == 1, blocks
    return blocks[0]


def paragraph(article: Article) -> tuple[Inline, ...]:
    block = only(article)
    assert isinstance(block, Paragraph)
    return block.inlines


def everything(article: Article) -> str:
    return json.dumps(article.to_dict(), ensure_ascii=False)


# --- inlines -------------------------------------------------------------------------------


def test_emphasis_strong_and_code() -> None:
    inlines = paragraph(
        extract(
            "<p>Officials used <em>stress</em> and <i>italics</i>, <strong>bold</strong> and "
            "<b>heavy</b> words, and <code>x = 1</code> in their reply.</p>"
        )
    )
    assert inlines == (
        Text("Officials used "),
        Emphasis((Text("stress"),)),
        Text(" and "),
        Emphasis((Text("italics"),)),
        Text(", "),
        Strong((Text("bold"),)),
        Text(" and "),
        Strong((Text("heavy"),)),
        Text(" words, and "),
        Code("x = 1"),
        Text(" in their reply."),
    )


def test_nested_formatting_is_kept() -> None:
    inlines = paragraph(extract("<p>The <strong>very <em>important</em></strong> vote.</p>"))
    assert inlines == (
        Text("The "),
        Strong((Text("very "), Emphasis((Text("important"),)))),
        Text(" vote."),
    )


def test_links_are_absolute_against_the_url() -> None:
    inlines = paragraph(
        extract(
            '<p>Read <a href="/about/budget">the papers</a>, the <a href="report.pdf">report</a>'
            ' and <a href="https://other.example.org/x?y=1">a review</a> of the plan.</p>'
        )
    )
    links = [n for n in inlines if isinstance(n, Link)]
    assert [(link.href, inline_text(link.children)) for link in links] == [
        ("https://news.example.com/about/budget", "the papers"),
        ("https://news.example.com/local/2024/02/28/report.pdf", "report"),
        ("https://other.example.org/x?y=1", "a review"),
    ]


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "java&#10;script:alert(1)",
        " JAVASCRIPT:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;",
        "#comments",
    ],
)
def test_unsafe_links_are_unwrapped_to_text(href: str) -> None:
    article = extract(f'<p>The mayor <a href="{href}">clicked here</a> to see the plan.</p>')
    inlines = paragraph(article)
    assert not any(isinstance(n, Link) for n in inlines)
    assert inline_text(inlines) == "The mayor clicked here to see the plan."
    assert "script:" not in everything(article).lower()


def test_br_is_a_line_break() -> None:
    inlines = paragraph(extract("<p>The first line of the address.<br>The second line.</p>"))
    assert inlines == (
        Text("The first line of the address."),
        LineBreak(),
        Text("The second line."),
    )


def test_double_br_splits_paragraphs() -> None:
    blocks = middle(
        extract("<p>The first paragraph of text.<br><br>\n<br>The second paragraph of text.</p>")
    )
    assert blocks == [
        Paragraph((Text("The first paragraph of text."),)),
        Paragraph((Text("The second paragraph of text."),)),
    ]


@pytest.mark.parametrize(
    "html",
    [
        "<p>Prices rose <b>sharply</b> in May.</p>",
        "<p>Prices  rose\n   <b> sharply </b>   in May.</p>",
        "<p>\n  Prices rose<b> sharply</b> in May. </p>",
        "<p>Prices rose <b>sharply </b>in May.</p>",
        "<p>Prices <span>rose</span> <b><i>sharply</i></b> in\tMay.</p>",
    ],
)
def test_white_space_collapses_across_inline_boundaries(html: str) -> None:
    inlines = paragraph(extract(html))
    assert inline_text(inlines) == "Prices rose sharply in May."


def test_space_is_not_invented_between_adjacent_inlines() -> None:
    inlines = paragraph(extract("<p>The <b>re</b>vote was <i>un</i>likely, they said.</p>"))
    assert inline_text(inlines) == "The revote was unlikely, they said."


# --- blocks --------------------------------------------------------------------------------


def test_lists_with_a_nested_list() -> None:
    blocks = middle(
        extract(
            "<ul><li>Moving staff out of the offices</li>"
            "<li>Higher parking charges<ul><li>Quayside car park</li><li>Town centre</li></ul>"
            "</li></ul>"
            "<ol><li>Bills go out in March</li><li>Charges rise in April</li></ol>"
        )
    )
    assert len(blocks) == 2
    bullets, numbered = blocks
    assert isinstance(bullets, ListBlock)
    assert isinstance(numbered, ListBlock)
    assert not bullets.ordered
    assert numbered.ordered
    assert [inline_text(i.inlines) for i in bullets.items] == [
        "Moving staff out of the offices",
        "Higher parking charges",
    ]
    assert bullets.items[0].sublist is None
    sub = bullets.items[1].sublist
    assert isinstance(sub, ListBlock)
    assert [inline_text(i.inlines) for i in sub.items] == ["Quayside car park", "Town centre"]
    assert [inline_text(i.inlines) for i in numbered.items] == [
        "Bills go out in March",
        "Charges rise in April",
    ]


def test_blockquote_with_cite_is_a_quote_with_attribution() -> None:
    block = only(
        extract(
            "<blockquote><p>I won’t pretend this budget is painless.</p>"
            "<cite>— Cllr Raj Bhatt, cabinet member for finance</cite></blockquote>"
        )
    )
    assert block == Quote(
        (Paragraph((Text("I won’t pretend this budget is painless."),)),),
        attribution="Cllr Raj Bhatt, cabinet member for finance",
    )


def test_data_table_keeps_header_cells_and_caption() -> None:
    block = only(
        extract(
            "<table><caption>Net budget by area</caption>"
            "<thead><tr><th>Area</th><th>2023/24 (£m)</th><th>2024/25 (£m)</th></tr></thead>"
            "<tbody><tr><td>Roads</td><td>4.1</td><td>4.5</td></tr>"
            "<tr><td>Parks</td><td>1.2</td><td><b>1.0</b></td></tr></tbody></table>"
        )
    )
    assert isinstance(block, Table)
    assert block.caption == "Net budget by area"
    assert [[c.header for c in row] for row in block.rows] == [
        [True, True, True],
        [False, False, False],
        [False, False, False],
    ]
    assert [[inline_text(c.inlines) for c in row] for row in block.rows] == [
        ["Area", "2023/24 (£m)", "2024/25 (£m)"],
        ["Roads", "4.1", "4.5"],
        ["Parks", "1.2", "1.0"],
    ]
    assert block.rows[2][2].inlines == (Strong((Text("1.0"),)),)


def test_pre_keeps_newlines_and_indentation() -> None:
    block = only(extract("<pre>def total(xs):\n    return sum(xs)\n\nprint(total([1, 2]))\n</pre>"))
    assert block == Preformatted("def total(xs):\n    return sum(xs)\n\nprint(total([1, 2]))")


def test_figure_with_caption_and_credit() -> None:
    block = only(
        extract(
            '<figure><img src="/img/chamber.jpg" alt="The council chamber" width="800" '
            'height="533"><figcaption>Councillors debate the plan on Tuesday. '
            '<span class="credit">Jane Smith/Gazette</span></figcaption></figure>'
        )
    )
    assert isinstance(block, Figure)
    assert block.image is not None
    assert block.image.url == "https://news.example.com/img/chamber.jpg"
    assert (block.image.width, block.image.height) == (800, 533)
    assert block.alt == "The council chamber"
    assert block.caption == "Councillors debate the plan on Tuesday."
    assert block.credit == "Jane Smith/Gazette"


def test_figure_captions_are_not_body_text() -> None:
    article = extract(
        '<figure><img src="/img/a.jpg" alt="x"><figcaption>A CAPTION here.</figcaption></figure>'
    )
    assert "A CAPTION" not in article.text


def test_figure_before_the_text_is_the_lead_figure() -> None:
    html = page("").replace(
        '<div class="article-body">',
        '<div class="article-body"><figure><img src="/img/lead.jpg" alt="The Guildhall">'
        "<figcaption>The Guildhall on Tuesday.</figcaption></figure>",
    )
    article = extract_article(html, URL)
    assert article.lead_figure is not None
    assert article.lead_figure.image is not None
    assert article.lead_figure.image.url == "https://news.example.com/img/lead.jpg"
    assert article.lead_figure.caption == "The Guildhall on Tuesday."
    assert not any(isinstance(b, Figure) for b in article.blocks)


def test_h2_and_h3_become_heading_levels() -> None:
    blocks = middle(
        extract(
            "<h2>What happens next</h2>"
            "<p>The plan now goes to a vote of the full council, which meets next month.</p>"
            "<h3>Details of the plan</h3>"
            "<p>Officials will publish the details of the plan before the next meeting.</p>"
        )
    )
    assert blocks[0] == Heading(2, (Text("What happens next"),))
    assert blocks[2] == Heading(3, (Text("Details of the plan"),))
    assert isinstance(blocks[1], Paragraph)
    assert isinstance(blocks[3], Paragraph)


# --- what never reaches the model ----------------------------------------------------------

HOSTILE = """
<script>var LEAK_SCRIPT = "x";</script>
<style>.LEAK_STYLE { color: red }</style>
<noscript><p>LEAK_NOSCRIPT please enable javascript to read this site.</p></noscript>
<iframe src="https://evil.example/">LEAK_IFRAME</iframe>
<object data="x.swf">LEAK_OBJECT</object>
<form action="/subscribe"><p>LEAK_FORM Enter your email address to get our updates.</p>
<input name="email" value="LEAK_INPUT"><button>LEAK_BUTTON</button></form>
<p onclick="LEAK_ONCLICK()" onmouseover="LEAK_HOVER()">Residents spoke against the plan at
the meeting, and several asked for a new consultation.</p>
<p><img src="x.jpg" onerror="LEAK_ONERROR()" alt=""><a href="/x" onfocus="LEAK_FOCUS()">A
link</a> inside a sentence about the plan.</p>
<svg><script>LEAK_SVG</script><text>LEAK_SVGTEXT</text></svg>
"""


def test_scripts_styles_embeds_forms_and_handlers_never_appear() -> None:
    article = extract(HOSTILE)
    dumped = everything(article)
    assert "Residents spoke against the plan" in article.text
    assert "inside a sentence about the plan." in article.text
    assert "LEAK" not in dumped
    assert "onclick" not in dumped.lower()
    assert "onerror" not in dumped.lower()


CHROME = """
<div class="share-bar"><a href="https://twitter.com/share">Twitter</a>
<a href="https://facebook.com/share">Facebook</a> CHROME_SHARE</div>
<div class="newsletter-box"><p>CHROME_NEWSLETTER Sign up for our daily briefing, delivered
to your inbox every morning.</p></div>
<p>Advertisement</p>
<div class="ad-slot">ADVERTISEMENT</div>
<p>Residents spoke against the plan at the meeting, and several asked for a new
consultation.</p>
<ul class="related-links"><li><a href="/a">CHROME_RELATED one story about the harbour</a></li>
<li><a href="/b">CHROME_RELATED another story about parking charges</a></li></ul>
<p>Related stories:</p>
<ul><li><a href="/c">CHROME_LINKLIST Council tax bills explained for residents</a></li>
<li><a href="/d">CHROME_LINKLIST What the budget means for your bins</a></li>
<li><a href="/e">CHROME_LINKLIST Harbour plan delayed again after vote</a></li></ul>
"""


def test_share_newsletter_ads_and_related_links_are_dropped() -> None:
    article = extract(CHROME)
    dumped = everything(article)
    assert "CHROME" not in dumped
    assert "Advertisement" not in dumped
    assert "ADVERTISEMENT" not in dumped
    assert "Twitter" not in dumped
    assert "Related stories" not in dumped
    assert [block_text(b) for b in middle(article)] == [
        "Residents spoke against the plan at the meeting, and several asked for a new consultation."
    ]


@pytest.mark.parametrize(
    "attrs",
    [
        'style="display:none"',
        'style="color: red; DISPLAY : none"',
        'style="visibility: hidden"',
        "hidden",
        'aria-hidden="true"',
    ],
)
def test_hidden_paragraph_is_dropped(attrs: str) -> None:
    article = extract(
        f"<p {attrs}>HIDDEN text that a sighted reader never sees, so no one should hear it.</p>"
        "<p>Residents spoke against the plan at the meeting, and several asked for more.</p>"
    )
    assert "HIDDEN" not in everything(article)
    assert "Residents spoke" in article.text


# --- decoding ------------------------------------------------------------------------------


def test_bytes_are_decoded_by_their_declared_charset() -> None:
    html = page("<p>Straße und Café: „Grüße“ from the naïve Bürger of the town – 50 €.</p>")
    raw = html.replace('<meta charset="utf-8">', '<meta charset="windows-1252">').encode("cp1252")
    article = extract_article(raw, URL)
    assert "Straße und Café: „Grüße“ from the naïve Bürger of the town – 50 €." in article.text
    assert article.provenance.encoding == "windows-1252"
    assert article.provenance.source == "<bytes>"
    assert len(article.provenance.sha256) == 64


def test_utf8_bytes_decode() -> None:
    article = extract_article(page("<p>Ein Gespräch über Grüße und Größe.</p>").encode(), URL)
    assert "Ein Gespräch über Grüße und Größe." in article.text


# --- header: standfirst and byline ---------------------------------------------------------

DEK = "Councillors back savings and higher parking charges after a three-hour debate."
HEADER = f'<p class="dek">{DEK}</p><p class="byline">By Ann Lee and Bob Roe</p>'


def test_standfirst_and_byline_are_found_and_not_repeated() -> None:
    article = extract("", header=HEADER)
    assert article.headline == HEADLINE
    assert article.standfirst == DEK
    assert article.byline == "By Ann Lee and Bob Roe"
    assert article.authors == ("Ann Lee", "Bob Roe")
    assert DEK not in article.text
    assert "Ann Lee" not in article.text
    assert HEADLINE not in article.text
    assert [block_text(b) for b in article.blocks] == [FIRST, LAST]


def test_language_comes_from_the_page() -> None:
    assert extract("", lang="en_gb").language == "en-GB"


def test_same_page_gives_the_same_id() -> None:
    assert extract("").id == extract("").id


# --- JSON-LD -------------------------------------------------------------------------------


def _ld(**changes: Any) -> str:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": HEADLINE,
        "datePublished": "2024-02-28T19:05:00+05:30",
        "dateModified": "2024-02-29T08:12:47-08:00",
        "author": [
            {"@type": "Person", "name": "Ann Lee"},
            {"@type": "Person", "name": "Bob Roe"},
        ],
        "publisher": {"@type": "Organization", "name": "Harbourton Gazette"},
        "mainEntityOfPage": {"@id": "https://news.example.com/budget-canonical"},
    }
    data.update(changes)
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_json_ld_news_article_fields() -> None:
    article = extract("", head=_ld())
    assert article.headline == HEADLINE
    assert article.published is not None
    assert article.published.isoformat() == "2024-02-28T19:05:00+05:30"
    assert article.modified is not None
    assert article.modified.isoformat() == "2024-02-29T08:12:47-08:00"
    assert article.authors == ("Ann Lee", "Bob Roe")
    assert article.byline == "By Ann Lee and Bob Roe"
    assert article.site_name == "Harbourton Gazette"
    assert article.url == "https://news.example.com/budget-canonical"
    assert article.paywall == "open"


def test_paywalled_part_present_in_the_page_is_open() -> None:
    head = _ld(
        isAccessibleForFree=False,
        hasPart={
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": ".article-body",
        },
    )
    assert extract("", head=head).paywall == "open"


@pytest.mark.parametrize(
    "selector", [".not-on-this-page", "#premium-content", "$$ not css", ".article-body::before"]
)
def test_paywalled_part_missing_from_the_page_is_not_open(selector: str) -> None:
    head = _ld(
        isAccessibleForFree="False",
        hasPart={
            "@type": "WebPageElement",
            "isAccessibleForFree": "False",
            "cssSelector": selector,
        },
    )
    assert extract("", head=head).paywall != "open"


def test_id_comes_from_the_canonical_url() -> None:
    a = extract("", head=_ld())
    b = extract("<p>A different body paragraph that changes the page bytes.</p>", head=_ld())
    assert a.id == b.id


# --- rules ---------------------------------------------------------------------------------


def test_user_selector_rule_removes_elements(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[boilerplate]\nselectors = ["p.gazette-aside"]\n', "utf-8")
    article = extract_article(
        page('<p class="gazette-aside">SELECTED paragraph that the user rules remove.</p>'),
        URL,
        rules=load_rules([path]),
    )
    assert "SELECTED" not in everything(article)


@pytest.mark.parametrize("selector", ["$$ not css", "p::first-line"])
def test_bad_user_selector_is_a_config_error(tmp_path: Path, selector: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(f'[boilerplate]\nselectors = ["{selector}"]\n', "utf-8")
    with pytest.raises(ConfigError) as info:
        extract_article(page(""), URL, rules=load_rules([path]))
    assert info.value.exit_code == 2


def _png(width: int, height: int) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 0))
        + chunk(b"IEND", b"")
    )


def test_inline_data_image_becomes_bytes() -> None:
    import base64

    picture = _png(20, 20)
    src = "data:image/png;base64," + base64.b64encode(picture).decode()
    body = "<p>" + "Councillors met on Tuesday to agree the budget, after a debate. " * 5 + "</p>"
    html = (
        f"<html><body><article><h1>Budget agreed</h1><figure><img src='{src}' alt='A square'>"
        f"<figcaption>The square.</figcaption></figure>{body}{body}</article></body></html>"
    )
    lead = extract_article(html).lead_figure
    assert lead is not None
    assert lead.image is not None
    assert lead.image.data == picture
    assert lead.image.media_type == "image/png"
    assert lead.alt == "A square"


def test_data_image_that_is_not_what_it_claims_is_dropped() -> None:
    import base64

    fake = base64.b64encode(b"<svg onload=alert(1)>" * 50).decode()
    body = "<p>" + "Councillors met on Tuesday to agree the budget, after a debate. " * 5 + "</p>"
    html = (
        f"<html><body><article><h1>Budget agreed</h1><figure>"
        f"<img src='data:image/png;base64,{fake}' alt='x'></figure>{body}{body}"
        "</article></body></html>"
    )
    article = extract_article(html)
    images = [b.image for b in article.blocks if isinstance(b, Figure) and b.image is not None]
    assert article.lead_figure is None
    assert images == []


def test_a_body_made_mostly_of_links_is_still_the_body() -> None:
    # a post that is a list of annotated links: a box of links inside a body is chrome,
    # but the chosen body itself is not dropped for its links
    from newsvoice.extract.blocks import BlockBuilder
    from newsvoice.extract.tree import measure, parse_html
    from newsvoice.model import block_text

    items = "".join(
        f"<p><a href='https://example.org/{n}'>A long linked title of story number {n} "
        f"that the post recommends</a> via example.org</p>"
        for n in range(6)
    )
    page = parse_html(f"<html><body><div class='post'>{items}</div></body></html>")
    body = page.soup.body
    assert body is not None
    post = body.find("div")
    blocks = BlockBuilder(None, set(), measure(body)).build([post])  # type: ignore[list-item]
    assert len(blocks) == 6
    assert "story number 5" in block_text(blocks[-1])


def test_a_slides_text_box_named_caption_is_prose_not_a_figure() -> None:
    from newsvoice.extract.blocks import BlockBuilder
    from newsvoice.extract.tree import measure, parse_html
    from newsvoice.model import Figure, Paragraph, block_text

    page = parse_html(
        "<html><body><div class='story'><div class='slide'><img src='https://example.org/1.jpg' "
        "alt='A hat'><div class='slide-caption'><p>With a bowler hat and a long coat, the "
        "look is complete.</p><p>Long hair or not, you can still pull it off.</p></div>"
        "</div></div></body></html>"
    )
    body = page.soup.body
    assert body is not None
    blocks = BlockBuilder(None, set(), measure(body)).build([body.find("div")])  # type: ignore[list-item]
    assert any(isinstance(b, Figure) for b in blocks)
    texts = [block_text(b) for b in blocks if isinstance(b, Paragraph)]
    assert any("Long hair or not" in t for t in texts)


@pytest.mark.parametrize(
    ("value", "tag"),
    [("es", "es"), ("PT-br", "pt-BR"), ("zh_Hant", "zh-Hant"), ("  fr ", "fr"), ("", None),
     ("x-klingon", None), ("und", None), ("en<script>", None), ("e", None), ("a" * 40, None),
     ('es" onload="x', None)],
)  # fmt: skip
def test_only_real_language_tags_mark_text(value: str, tag: str | None) -> None:
    assert language_tag(value) == tag


def test_text_in_another_language_is_kept_as_such() -> None:
    page = (
        '<html lang="en"><body><article><h1>Festival</h1><p>The visitors came from far away '
        "to see the boats and to hear the bands along the quay all day long. One said: "
        '<q lang="es">es la fiesta más bonita</q>, and <span lang="en">another</span> agreed '
        'with her.</p><p lang="fr">Une belle journée pour tout le monde sur le port.</p>'
        "</article></body></html>"
    )
    article = extract_article(page, "https://news.example/a")
    first, second = article.blocks
    assert isinstance(first, Paragraph)
    assert isinstance(second, Paragraph)
    foreign = [n for n in first.inlines if isinstance(n, Foreign)]
    assert foreign == [Foreign("es", (Text("es la fiesta más bonita"),))]  # "en": dropped
    assert inline_text(first.inlines).endswith("and another agreed with her.")
    assert second.inlines == (
        Foreign("fr", (Text("Une belle journée pour tout le monde sur le port."),)),
    )
    assert Article.from_dict(article.to_dict()).blocks == article.blocks
