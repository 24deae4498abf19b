"""Acceptance: the seed article, as plain text and as a real-looking news page, comes out
whole and clean in every output format."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from newsvoice import load
from newsvoice.model import Paragraph
from tests.helpers import CONTRACT_KEYS, run_newsvoice

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
SEED_SOURCES = ["seed-kerry-china.txt", "csmonitor-kerry-china.html"]
HEADLINE = "Are the US and China ready to cooperate more on N. Korea?"
STANDFIRST = (
    "The two countries agreed that a UN resolution condemning North Korea's most recent "
    "nuclear test was necessary. But deep-rooted suspicions could stunt specific action."
)
CAPTION = (
    "US Secretary of State John Kerry leaves a news conference with Chinese Foreign Minister "
    "Wang Yi at the Ministry of Foreign Affairs in Beijing on Wednesday."
)
CHROME = ["free articles", "Subscribe", "$11/month", "Get unlimited", "stories this month"]


def _cli(*args: str) -> str:
    done = run_newsvoice("extract", *args)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout


@pytest.mark.parametrize("name", SEED_SOURCES)
def test_seed_article(name: str) -> None:
    article = load(str(SAMPLES / name))
    assert article.headline == HEADLINE
    assert article.standfirst == STANDFIRST
    assert article.lead_figure is not None
    assert article.lead_figure.credit == "Jacquelyn Martin/Reuters/Pool"
    assert article.lead_figure.caption == CAPTION
    paragraphs = [b for b in article.blocks if isinstance(b, Paragraph)]
    assert len(paragraphs) == 14
    assert len(article.blocks) == 14
    assert article.text.startswith("US Secretary of State John Kerry and China’s")
    assert article.text.split("\n\n")[-1].startswith("The so-called six-party talks")
    assert article.language.startswith("en")


@pytest.mark.parametrize("name", SEED_SOURCES)
@pytest.mark.parametrize("fmt", ["--json", "--markdown", None])
def test_no_paywall_chrome_in_any_output(name: str, fmt: str | None) -> None:
    out = _cli(str(SAMPLES / name), *([fmt] if fmt else []))
    assert HEADLINE.replace("?", "") in out.replace("\\", "")
    for phrase in CHROME:
        assert phrase not in out


@pytest.mark.parametrize("name", SEED_SOURCES)
def test_json_contract(name: str) -> None:
    data = json.loads(_cli(str(SAMPLES / name), "--json"))
    assert set(data) >= CONTRACT_KEYS
    assert data["text"].count("\n\n") == 13
    assert STANDFIRST not in data["text"]
    assert CAPTION not in data["text"]
    assert "Jacquelyn Martin" not in data["text"]
    assert data["provenance"]["sha256"] == hashlib.sha256((SAMPLES / name).read_bytes()).hexdigest()


def test_text_and_html_agree_on_the_body() -> None:
    text, html = (load(str(SAMPLES / name)) for name in SEED_SOURCES)
    assert text.text == html.text


def test_html_metadata() -> None:
    article = load(str(SAMPLES / "csmonitor-kerry-china.html"))
    assert article.byline == "By Nathan Corbett, Staff writer"
    assert article.authors == ("Nathan Corbett",)
    assert article.published is not None
    assert article.published.isoformat() == "2016-01-27T12:58:00-05:00"
    assert article.site_name == "The Christian Science Monitor"
    assert article.language == "en-US"
    assert article.url is not None
    assert article.url.endswith("Are-the-US-and-China-ready-to-cooperate-more-on-N.-Korea")
    assert article.paywall == "open"  # metered: the page holds the whole body
    assert article.lead_figure is not None
    assert article.lead_figure.alt == "John Kerry and Wang Yi at a news conference in Beijing"


def test_plain_text_paywall_is_unknown() -> None:
    """The text carries meter chrome but no publisher markup: newsvoice can't tell."""
    assert load(str(SAMPLES / "seed-kerry-china.txt")).paywall == "unknown"
