"""The two non-seed samples: a WordPress local-news post and a React-style news app page
(expected values from samples/README.md)."""

from __future__ import annotations

from pathlib import Path

from newsvoice import load
from newsvoice.model import Figure, Heading, ListBlock, Paragraph, Quote, Table, block_text

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _count(article: object, kind: type) -> int:
    return sum(isinstance(b, kind) for b in article.blocks)  # type: ignore[attr-defined]


def test_wordpress_local_news() -> None:
    a = load(str(SAMPLES / "localnews-council-budget.html"))
    assert a.headline == (
        "Harbourton council agrees £4.2m budget package with 4.99% council tax rise"
    )
    assert a.authors == ("Priya Natarajan",)
    assert a.language == "en-GB"
    assert a.site_name == "Harbourton Gazette"
    assert a.published is not None
    assert a.published.isoformat() == "2024-02-28T19:05:00+00:00"
    assert a.paywall == "open"
    assert a.lead_figure is not None
    assert a.lead_figure.alt == "Harbourton Guildhall"
    assert _count(a, Paragraph) == 16
    assert [block_text(b) for b in a.blocks if isinstance(b, Heading)] == [
        "Where the savings will come from",
        "How the money is spent",
        "Opposition calls for a rethink",
        "What happens next",
    ]
    lists = [b for b in a.blocks if isinstance(b, ListBlock)]
    assert [(lst.ordered, len(lst.items)) for lst in lists] == [(False, 5), (True, 4)]
    (quote,) = [b for b in a.blocks if isinstance(b, Quote)]
    assert quote.attribution == "Cllr Raj Bhatt, cabinet member for finance"
    (table,) = [b for b in a.blocks if isinstance(b, Table)]
    assert len(table.rows) == 8  # header + 7 rows
    assert table.rows[0][0].header
    assert block_text(table).splitlines()[-1] == "Total | 46.3 | 48.6 | +5.0%"
    assert table.caption.startswith("Net revenue budget by service area")
    (figure,) = [b for b in a.blocks if isinstance(b, Figure)]
    assert figure.caption == (
        "Charges at the Quayside car park will rise from 1 April under the plans."
    )
    assert figure.credit == "Tom Ellery"
    paragraphs = [block_text(b) for b in a.blocks if isinstance(b, Paragraph)]
    assert paragraphs[0].startswith("Harbourton Council has approved a budget")
    assert paragraphs[-1].startswith("Precepts for Harbourton Valley Police")
    for chrome in ("Share this", "Like this", "Leave a Reply", "Recent Posts", "Archives"):
        assert chrome not in a.text


def test_react_news_app() -> None:
    a = load(str(SAMPLES / "science-explainer.html"))
    assert a.headline == "The hottest city blocks are heating up fastest, a 38-city study finds"
    assert a.standfirst.startswith("Two decades of satellite data show the temperature gap")
    assert a.byline == "By Maria Okafor and Tom Lindqvist"
    assert a.authors == ("Maria Okafor", "Tom Lindqvist")
    assert a.published is not None
    assert a.published.isoformat() == "2024-07-16T10:00:00+00:00"
    assert a.paywall == "open"
    assert a.lead_figure is not None
    assert a.lead_figure.credit == "Elena Ruiz for The Meridian Post"
    assert a.lead_figure.alt == "A woman shades herself with an umbrella at a bus stop in Phoenix"
    assert _count(a, Paragraph) == 14
    assert [block_text(b) for b in a.blocks if isinstance(b, Heading)] == [
        "What the satellites show",
        "Heat follows old maps",
        "Limits of the data",
    ]
    (chart,) = [b for b in a.blocks if isinstance(b, Figure)]
    assert chart.image is not None
    assert chart.image.url is not None
    assert chart.image.url.startswith("file://")
    assert chart.image.url.endswith("samples/science-explainer_files/heat-gap-chart.png")
    assert chart.alt.startswith("Bar chart: in midsummer the hottest tenth")
    assert chart.credit.startswith("Graphic by The Meridian Post")
    paragraphs = [block_text(b) for b in a.blocks if isinstance(b, Paragraph)]
    assert paragraphs[0].startswith("On the hottest afternoons of the year")
    assert paragraphs[-1].startswith("“A city can’t move a neighborhood,” Dr. Rao said.")
    for chrome in (
        "Read more",
        "Advertisement",
        "Most read",
        "min read",
        "is a climate reporter",
        "Accept all",
        "Why city streets stay hot after dark",
    ):
        assert chrome not in a.text
