"""plaintext.py: the pasted-text shape (headline, standfirst, lead figure, byline, body)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from newsvoice.errors import ExitStatus, NoContentFound
from newsvoice.extract.plaintext import extract_text
from newsvoice.model import Block, Figure, Heading, Paragraph, Text, article_id, block_text

if TYPE_CHECKING:
    from pathlib import Path

HEADLINE = "Are the US and China ready to cooperate more on N. Korea?"
STANDFIRST = (
    "The two countries agreed that a UN resolution condemning North Korea's most recent "
    "nuclear test was necessary. But deep-rooted suspicions could stunt specific action."
)
CREDIT = "Jacquelyn Martin/Reuters/Pool"
CAPTION = (
    "US Secretary of State John Kerry leaves a news conference with Chinese Foreign Minister "
    "Wang Yi at the Ministry of Foreign Affairs in Beijing on Wednesday."
)
BODY1 = (
    "US Secretary of State John Kerry and China’s foreign minister agreed Wednesday on the need "
    "for a UN resolution condemning North Korea for its latest nuclear test. But the two men did "
    "not agree on specific actions to take."
)
BODY2 = (
    "The announcement followed an apparently tense five-hour meeting in Beijing between the two "
    "top diplomats. While the decision offers a hint of progress, it also highlights the wide "
    "gulf between the US and China on what should be done."
)
BODY3 = (
    "China voted in the UN Security Council to sanction North Korea over its previous nuclear "
    "tests and condemned the latest, which took place on Jan. 6."
)


def _join(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def _body(blocks: tuple[Block, ...]) -> list[str]:
    return [block_text(b) for b in blocks]


def test_full_shape_credit_then_caption() -> None:
    text = _join(HEADLINE, STANDFIRST, f"{CREDIT}\n{CAPTION}", BODY1, BODY2, BODY3)
    article = extract_text(text)
    assert article.headline == HEADLINE
    assert article.standfirst == STANDFIRST
    assert article.lead_figure == Figure(image=None, caption=CAPTION, credit=CREDIT)
    assert article.byline == ""
    assert _body(article.blocks) == [BODY1, BODY2, BODY3]
    assert all(isinstance(b, Paragraph) for b in article.blocks)
    assert article.paywall == "open"
    assert article.language == "en"
    assert article.provenance.media_type == "text/plain"


def test_caption_then_credit() -> None:
    text = _join(HEADLINE, STANDFIRST, f"{CAPTION}\nPhoto: AP", BODY1, BODY2)
    article = extract_text(text)
    assert article.lead_figure is not None
    assert article.lead_figure.caption == CAPTION
    assert "AP" in article.lead_figure.credit
    assert _body(article.blocks) == [BODY1, BODY2]


def test_lead_figure_without_standfirst() -> None:
    text = _join(HEADLINE, f"{CREDIT}\n{CAPTION}", BODY1, BODY2)
    article = extract_text(text)
    assert article.lead_figure == Figure(image=None, caption=CAPTION, credit=CREDIT)
    assert CREDIT not in article.standfirst
    assert _body(article.blocks) == [BODY1, BODY2]


@pytest.mark.parametrize("where", ["after headline", "after figure"])
def test_byline(where: str) -> None:
    byline = "By Ann Lee and Bob Roe"
    if where == "after headline":
        text = _join(HEADLINE, byline, STANDFIRST, f"{CREDIT}\n{CAPTION}", BODY1, BODY2)
    else:
        text = _join(HEADLINE, STANDFIRST, f"{CREDIT}\n{CAPTION}", byline, BODY1, BODY2)
    article = extract_text(text)
    assert article.byline == byline
    assert article.authors == ("Ann Lee", "Bob Roe")
    assert article.standfirst == STANDFIRST
    assert article.lead_figure is not None
    assert _body(article.blocks) == [BODY1, BODY2]


def test_lines_inside_a_paragraph_are_joined() -> None:
    wrapped = BODY1.replace(" for a UN", "\nfor a UN").replace(" But the", "\n   But the")
    article = extract_text(_join(HEADLINE, STANDFIRST, wrapped, BODY2))
    assert _body(article.blocks) == [BODY1, BODY2]


def test_chrome_lines_are_removed() -> None:
    chrome = (
        "of stories this month > Get unlimited stories\n"
        "You've read\u00a0\u00a0of\u00a0\u00a0free articles. Subscribe to continue."
    )
    text = _join(
        HEADLINE,
        STANDFIRST,
        BODY1,
        "Advertisement",
        BODY2,
        chrome,
        "Unlimited digital access $11/month.",
        "Get unlimited Monitor journalism.",
    )
    article = extract_text(text)
    assert _body(article.blocks) == [BODY1, BODY2]
    assert article.paywall == "unknown"  # a paywall was there: the text may be cut


def test_crlf_input() -> None:
    text = _join(HEADLINE, STANDFIRST, f"{CREDIT}\n{CAPTION}", BODY1, BODY2).replace("\n", "\r\n")
    article = extract_text(text)
    assert article.headline == HEADLINE
    assert article.standfirst == STANDFIRST
    assert article.lead_figure == Figure(image=None, caption=CAPTION, credit=CREDIT)
    assert _body(article.blocks) == [BODY1, BODY2]
    assert "\r" not in article.text


def test_old_mac_line_endings_and_nbsp_blank_lines() -> None:
    text = f"{HEADLINE}\r\r{STANDFIRST}\n \u00a0\n{BODY1}\n\t\n{BODY2}"
    article = extract_text(text)
    assert article.standfirst == STANDFIRST
    assert _body(article.blocks) == [BODY1, BODY2]


def test_trailing_nbsp_and_control_characters_are_cleaned() -> None:
    article = extract_text(_join(HEADLINE, STANDFIRST, BODY1 + "\u00a0", "Pr\x00ices\x92 rose."))
    assert _body(article.blocks) == [BODY1, "Prices’ rose."]


def test_markdown_style_headings_become_heading_blocks() -> None:
    text = _join(HEADLINE, STANDFIRST, BODY1, "# What happened", BODY2, "### The details", BODY3)
    article = extract_text(text)
    assert article.blocks == (
        Paragraph((Text(BODY1),)),
        Heading(2, (Text("What happened"),)),
        Paragraph((Text(BODY2),)),
        Heading(3, (Text("The details"),)),
        Paragraph((Text(BODY3),)),
    )


def test_only_a_headline_raises_no_content_found() -> None:
    with pytest.raises(NoContentFound) as info:
        extract_text(HEADLINE + "\n\n")
    assert info.value.exit_code == ExitStatus.INPUT


def test_headline_and_chrome_only_raises() -> None:
    with pytest.raises(NoContentFound):
        extract_text(_join(HEADLINE, "Advertisement", "Get unlimited Monitor journalism."))


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n", "\r\n\t \u00a0\r\n", "\x00\x01"])
def test_white_space_only_raises(text: str) -> None:
    with pytest.raises(NoContentFound):
        extract_text(text)


def test_id_is_stable_and_uses_the_url() -> None:
    text = _join(HEADLINE, STANDFIRST, BODY1, BODY2)
    assert extract_text(text).id == extract_text(text).id
    url = "https://www.csmonitor.com/World/2016/0127/story"
    with_url = extract_text(text, url=url)
    assert with_url.id == article_id(url)
    assert with_url.url == url


def test_the_seed_sample(samples: Path) -> None:
    article = extract_text((samples / "seed-kerry-china.txt").read_text("utf-8"))
    assert article.headline == HEADLINE
    assert article.standfirst == STANDFIRST
    assert article.lead_figure == Figure(image=None, caption=CAPTION, credit=CREDIT)
    assert len(article.blocks) == 14
    assert all(isinstance(b, Paragraph) for b in article.blocks)
    assert block_text(article.blocks[0]).startswith("US Secretary of State John Kerry and China")
    assert block_text(article.blocks[-1]).endswith("including the one on Jan. 6.")
    assert "unlimited" not in article.text.lower()
    assert "free articles" not in article.text
    assert article.language == "en"
