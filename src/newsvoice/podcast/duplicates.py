"""The same article from two sources is one episode.

A publisher who feeds the site an article's page and, later or in the same run, a text copy
of it (or the page again from another URL) expects one episode, not two with one of them
dated today. Articles are the same when their canonical URL gives them the same id, else
when their text is: at least ``MATCH`` of the shorter text's word 5-grams are in the other
(a copy with a photo credit more, or a line less, still matches), with the same headline or,
without one, nearly all of the text shared (``MATCH_WITHOUT_HEADLINE``).

Of two sources of one article the richer is kept: the one with a canonical URL, then with a
publication date, then the longer text. An article that matches an episode already on the
site is that episode (its id, slug and guid stay); a poorer copy of a published episode (no
URL where the episode has one) is left out.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..model import Article
    from .episode import Episode

SHINGLE = 5
MATCH = 0.8
MATCH_WITHOUT_HEADLINE = 0.95
_WORD = re.compile(r"\w+")
_MIX = np.uint64(1_000_003)
_NOT_BODY = ("headline", "byline", "standfirst", "caption")


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str) -> frozenset[int]:
    """The text's word 5-grams, as stable (process-independent) 64-bit hashes: each word's
    CRC-32, combined over the five as a polynomial (vectorised: a site's thousands of
    episodes are fingerprinted on every publish)."""
    words = _words(text)
    count = len(words) - SHINGLE + 1
    if count < 1:
        return frozenset()
    codes = np.fromiter(
        (zlib.crc32(word.encode("utf-8")) for word in words), dtype=np.uint64, count=len(words)
    )
    grams = np.zeros(count, dtype=np.uint64)
    for offset in range(SHINGLE):  # wraps around 2**64, as a hash may
        grams = grams * _MIX + codes[offset : offset + count]
    return frozenset(grams.tolist())


@dataclass(frozen=True, slots=True)
class Fingerprint:
    headline: tuple[str, ...]
    body: frozenset[int]

    def matches(self, other: Fingerprint) -> bool:
        if not self.body or not other.body:
            return False
        shared = len(self.body & other.body) / min(len(self.body), len(other.body))
        if self.headline and self.headline == other.headline:
            return shared >= MATCH
        return shared >= MATCH_WITHOUT_HEADLINE


def of_article(article: Article) -> Fingerprint:
    return Fingerprint(tuple(_words(article.headline)), shingles(article.text))


def of_episode(episode: Episode) -> Fingerprint:
    body = " ".join(line.text for line in episode.lines if line.kind not in _NOT_BODY)
    return Fingerprint(tuple(_words(episode.headline)), shingles(body))


def richness(article: Article) -> tuple[bool, bool, int]:
    return (article.url is not None, article.published is not None, len(article.text))


@dataclass(frozen=True, slots=True)
class Duplicate:
    article: Article  # left out
    kept: str  # the id of the article or episode it is a copy of


def one_per_article(
    articles: Iterable[Article], episodes: Iterable[Episode]
) -> tuple[list[Article], list[Duplicate]]:
    """The articles to publish, one per article, each with the id of the episode it already
    is (when the site has it under another id); and the copies left out."""
    kept: list[tuple[Article, Fingerprint]] = []
    dropped: list[Duplicate] = []
    published = [(episode, of_episode(episode)) for episode in episodes]
    known = {episode.id for episode, _ in published}
    for article in articles:
        mark = of_article(article)
        if article.id not in known:
            match = next((e for e, p in published if p.matches(mark)), None)
            if match is not None:
                if match.url is not None and article.url is None:
                    dropped.append(Duplicate(article, match.id))
                    continue
                article = _as(article, match.id)
        same = next(
            (n for n, (k, p) in enumerate(kept) if k.id != article.id and p.matches(mark)),
            None,
        )
        if same is None:
            kept.append((article, mark))
            continue
        other = kept[same][0]
        if richness(article) > richness(other):
            winner = _as(article, other.id) if other.id in known else article
            kept[same] = (winner, mark)
            dropped.append(Duplicate(other, winner.id))
        else:
            dropped.append(Duplicate(article, other.id))
    return [article for article, _ in kept], dropped


def _as(article: Article, article_id: str) -> Article:
    return replace(article, id=article_id)
