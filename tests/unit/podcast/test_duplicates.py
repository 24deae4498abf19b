"""podcast/duplicates.py: one episode per article, whichever sources it came from."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from newsvoice.podcast.duplicates import (
    MATCH,
    Fingerprint,
    of_article,
    one_per_article,
    shingles,
)
from newsvoice.sources import load

if TYPE_CHECKING:
    from newsvoice.model import Article

SAMPLES = Path(__file__).resolve().parents[3] / "samples"


@pytest.fixture(scope="module")
def html_copy() -> Article:
    return load(str(SAMPLES / "csmonitor-kerry-china.html"))


@pytest.fixture(scope="module")
def text_copy() -> Article:
    return load(str(SAMPLES / "seed-kerry-china.txt"))


@pytest.fixture(scope="module")
def other() -> Article:
    return load(str(SAMPLES / "localnews-council-budget.html"))


def test_the_seed_page_and_its_text_copy_are_one_article(
    html_copy: Article, text_copy: Article, other: Article
) -> None:
    assert html_copy.id != text_copy.id  # one has a canonical URL, the other none
    assert of_article(html_copy).matches(of_article(text_copy))
    assert not of_article(html_copy).matches(of_article(other))


def test_the_richer_source_is_kept_whatever_the_order(
    html_copy: Article, text_copy: Article, other: Article
) -> None:
    for order in ([text_copy, html_copy, other], [html_copy, other, text_copy]):
        kept, dropped = one_per_article(order, [])
        assert sorted(a.id for a in kept) == sorted([html_copy.id, other.id])
        assert [(d.article.id, d.kept) for d in dropped] == [(text_copy.id, html_copy.id)]


def test_a_shared_passage_is_not_the_same_article() -> None:
    words = " ".join(f"word{i}" for i in range(200))
    quoted = " ".join(f"other{i}" for i in range(200)) + " " + words[:400]
    a, b = Fingerprint(("a",), shingles(words)), Fingerprint(("a",), shingles(quoted))
    shared = len(a.body & b.body) / min(len(a.body), len(b.body))
    assert shared < MATCH
    assert not a.matches(b)
    assert not Fingerprint(("a",), frozenset()).matches(Fingerprint(("a",), frozenset()))


def test_without_the_same_headline_nearly_all_the_text_must_match(html_copy: Article) -> None:
    renamed = replace(html_copy, headline="A different headline altogether")
    assert of_article(renamed).matches(of_article(html_copy))  # the same text, whole
    shortened = replace(renamed, blocks=renamed.blocks[: len(renamed.blocks) * 3 // 4])
    assert not of_article(shortened).matches(
        of_article(replace(html_copy, blocks=html_copy.blocks[len(html_copy.blocks) // 4 :]))
    )
