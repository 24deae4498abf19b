"""Remove what is not article: code, embeds, hidden elements, site chrome, paywall prompts.

Works in place on the parsed page. Decisions use class/id tokens and CSS selectors from the
rules, and one guard: an element that holds most of the page's paragraph text is never
removed for its class alone (some sites mark the article body itself ``paywall`` or
``social-enabled``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .rules import Rules, class_tokens, head_tokens
from .tree import prose_mass

if TYPE_CHECKING:
    from collections.abc import Callable

    from bs4 import BeautifulSoup, Tag

    from .tree import TreeStats

# Removed with everything inside them, always.
DROP_TAGS = frozenset(
    {
        "script",
        "style",
        "template",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "canvas",
        "video",
        "audio",
        "source",
        "track",
        "map",
        "area",
        "input",
        "select",
        "option",
        "textarea",
        "button",
        "dialog",
        "link",
        "meta",
        "base",
        "head",
        "title",
        "param",
        "portal",
        "datalist",
        "output",
        "progress",
        "meter",
    }
)
# Removed unless they hold most of the page's paragraph text.
CHROME_TAGS = frozenset({"nav", "aside", "footer", "header", "form", "menu"})
# Attributes whose values name what an element is for.
TOKEN_ATTRS = ("class", "id", "data-testid", "data-component", "data-module")
# ARIA landmark and widget roles that are never article text.
CHROME_ROLES = frozenset(
    {
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
        "dialog",
        "alertdialog",
        "search",
        "menu",
        "menubar",
        "toolbar",
        "tooltip",
    }
)
# Class tokens whose elements are removed even when they hold much of the page's text.
NEVER_PROTECT = frozenset({"comment", "comments", "disqus", "respond", "reply", "replies"})
# Tokens that also turn up in the ids of article parts ("after-dfp-ad-mid1"): an element
# matched only by these is kept when it holds prose, which an ad slot never does.
WEAK_TOKENS = frozenset(
    {
        "ad",
        "ads",
        "dfp",
        "gpt",
        "advert",
        "adverts",
        "advertisement",
        "advertising",
        "adslot",
        "ad-slot",
        "banner-ad",
        "promo",
        "sponsor",
        "cmp",  # a consent platform's, and the prefix of a CMS's components ("cmp-text")
    }
)
# Tokens that, after the first word of a class, name the state of a part of the element
# ("field--label-hidden", "l-hidden-xs"), not the element itself.
STATE_TOKENS = frozenset({"hidden"})
# Tokens of a card that links to another story, and also of a story's own lead ("teaser-text"):
# an element matched only by these is kept when it reads as a lead, text without a title
# link of its own.
TEASER_TOKENS = frozenset({"teaser", "teasers"})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
PROSE = 200  # characters of non-link text
PROSE_SHARE = 0.7
HEADER_PROSE = 100
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_TOKEN_CACHE: dict[str, frozenset[str]] = {}
_HEAD_CACHE: dict[str, frozenset[str]] = {}


@dataclass(slots=True)
class CleanReport:
    removed: int = 0
    paywall_prompts: int = 0  # removed paywall elements whose text is a paywall prompt


def tokens_of(el: Tag) -> frozenset[str]:
    """Class and id tokens of an element (cached per attribute value)."""
    return _tokens(el, class_tokens, _TOKEN_CACHE)


def head_tokens_of(el: Tag) -> frozenset[str]:
    """The tokens of an element's class and id that say what it is (see ``head_tokens``)."""
    return _tokens(el, head_tokens, _HEAD_CACHE)


def _tokens(
    el: Tag, split: Callable[[str], list[str]], cache: dict[str, frozenset[str]]
) -> frozenset[str]:
    found: set[str] = set()
    for attr in TOKEN_ATTRS:
        value = el.get(attr)
        if not value:
            continue
        key = " ".join(value) if isinstance(value, list) else value
        cached = cache.get(key)
        if cached is None:
            cached = frozenset(t for part in key.split() for t in split(part))
            if len(cache) < 50_000:
                cache[key] = cached
        found |= cached
    return frozenset(found)


def is_hidden(el: Tag) -> bool:
    attrs = el.attrs
    if "hidden" in attrs:
        return True
    if str(attrs.get("aria-hidden", "")).lower() == "true":
        return True
    style = attrs.get("style")
    return isinstance(style, str) and _HIDDEN_STYLE.search(style) is not None


def _is_paywall_prompt(el: Tag, stats: TreeStats, rules: Rules) -> bool:
    """Does a paywall-classed element say paywall things (not just "Subscribe" in a menu)?"""
    if not 0 < stats.text.get(id(el), 0) < 2000:
        return False
    return rules.paywall.matches_text(el.get_text(" "))


def _article_header(el: Tag, mass: dict[int, int]) -> bool:
    """An article's own <header> that holds its opening paragraph (a lead or standfirst),
    not the site's banner."""
    return (
        el.name == "header"
        and mass.get(id(el), 0) >= HEADER_PROSE
        and el.find_parent(("article", "main")) is not None
    )


def _own_text(stats: TreeStats, el: Tag) -> int:
    """Characters of text outside links: what a reader reads rather than clicks."""
    key = id(el)
    return stats.text.get(key, 0) - stats.links.get(key, 0)


def _reads_as_lead(el: Tag, stats: TreeStats) -> bool:
    return (
        stats.text.get(id(el), 0) > 0
        and stats.link_density(el) < 0.2
        and el.find(_HEADINGS) is None
    )


def declared_entry(stats: TreeStats) -> Tag | None:
    """The one element the page's own markup calls its article: ``itemprop="articleBody"``
    (schema.org microdata), else the hAtom/microformats2 entry (``hentry``, ``h-entry``);
    None when there is none, or several (a list of posts)."""
    bodies = [el for el in stats.elements if el.get("itemprop") == "articleBody"]
    if bodies:
        return bodies[0] if len(bodies) == 1 else None
    entries = [el for el in stats.elements if _ENTRY_CLASSES & set(el.get("class") or ())]
    return entries[0] if len(entries) == 1 else None


_ENTRY_CLASSES = frozenset({"hentry", "h-entry"})


def clean(
    soup: BeautifulSoup, stats: TreeStats, rules: Rules, headline: Tag | None = None
) -> CleanReport:
    """Remove non-article elements from ``soup`` in place. Elements that enclose the
    ``headline``, or the article the page's markup declares (``declared_entry``), are not
    removed for their class."""
    report = CleanReport()
    root = stats.elements[0]
    guard = max(400, int(_own_text(stats, root) * 0.35))
    mass = prose_mass(stats)
    enclosing = {id(a) for a in headline.parents} if headline is not None else set()
    if (entry := declared_entry(stats)) is not None:
        enclosing |= {id(entry)} | {id(a) for a in entry.parents}
    doomed: list[Tag] = []
    dead: set[int] = set()  # doomed elements and everything inside them

    def doom(el: Tag) -> None:
        doomed.append(el)
        dead.add(id(el))

    for el in stats.elements[1:]:
        if id(el.parent) in dead:
            dead.add(id(el))
            continue
        name = el.name
        if name in DROP_TAGS:
            doom(el)
            continue
        if name == "noscript":
            # keep <noscript><img></noscript> fallbacks of lazy-loaded images, and the
            # article text a script-rendered page gives readers without scripts
            prose_fallback = mass.get(id(el), 0) >= PROSE
            if prose_fallback or (el.find("img") is not None and stats.text.get(id(el), 0) <= 20):
                el.unwrap()
            else:
                doom(el)
            continue
        big = _own_text(stats, el) >= guard
        in_quote = el.parent is not None and el.parent.name in ("blockquote", "figure")
        if name in CHROME_TAGS and not big and not in_quote and not _article_header(el, mass):
            doom(el)
            continue
        if not el.attrs or id(el) in enclosing:
            continue
        if is_hidden(el) or (el.get("role") in CHROME_ROLES and not big):
            doom(el)
            continue
        tokens = tokens_of(el)
        if big and not tokens & NEVER_PROTECT:
            continue
        if not tokens:
            continue
        # mostly running text, not a list of cards or names
        prose = mass.get(id(el), 0) >= max(PROSE, _own_text(stats, el) * PROSE_SHARE)
        if (paywall := tokens & rules.paywall.classes) and (
            not prose or paywall & head_tokens_of(el)
        ):
            doom(el)
            if _is_paywall_prompt(el, stats, rules):
                report.paywall_prompts += 1
        elif matched := tokens & rules.boilerplate.classes:
            # an element that holds prose is kept when the tokens that matched are weak or
            # only qualify a part of it ("field--label-hidden", "elementor-widget-text")
            if matched <= WEAK_TOKENS and _own_text(stats, el) >= PROSE:
                continue
            if matched <= TEASER_TOKENS and _reads_as_lead(el, stats):
                continue
            if matched <= STATE_TOKENS and not matched & head_tokens_of(el):
                continue  # the state of a part: "field--label-hidden" hides the label
            if prose and not matched & head_tokens_of(el):
                continue
            doom(el)
    selected: list[Tag] = [el for selector in rules.selectors for el in selector.select(soup)]
    for el in doomed:
        el.decompose()
        report.removed += 1
    for el in selected:
        if not el.decomposed:
            el.decompose()
            report.removed += 1
    return report
