"""Find the article body in a cleaned page.

Readability-style scoring: every paragraph-like element scores by its length and commas,
and passes its score up to its ancestors with decay; class/id vocabulary and link density
adjust the candidates; the winner's siblings that look like article text join it.
"""

from __future__ import annotations

from collections import defaultdict

from bs4 import Tag

from .clean import tokens_of
from .tree import BLOCK_TAGS, TreeStats, is_text, prose_mass

PARAGRAPH_TAGS = frozenset({"p", "pre", "td", "blockquote", "dd"})
DIV_LIKE = frozenset({"div", "section", "article", "main", "span", "font", "center", "li"})
POSITIVE = frozenset(
    {
        "article",
        "articlebody",
        "article-body",
        "article-content",
        "article-text",
        "body",
        "content",
        "entry",
        "entry-content",
        "hentry",
        "main",
        "post",
        "post-content",
        "post-body",
        "post-entry",
        "story",
        "story-body",
        "story-content",
        "text",
        "blog",
        "body-text",
        "rich-text",
        "richtext",
        "td-post-content",
        "page-content",
        "prose",
        "article-main",
        "field-body",
        "news-content",
        "main-content",
        "content-body",
    }
)
NEGATIVE = frozenset(
    {
        "comment",
        "comments",
        "meta",
        "footer",
        "footnote",
        "foot",
        "sidebar",
        "widget",
        "related",
        "share",
        "social",
        "sponsor",
        "promo",
        "banner",
        "masthead",
        "tags",
        "tool",
        "tools",
        "contact",
        "shopping",
        "media",
        "caption",
        "byline",
        "author",
        "subscribe",
        "newsletter",
        "ad",
        "ads",
        "nav",
        "menu",
        "links",
        "list",
        "teaser",
        "card",
        "cards",
        "feed",
        "header",
        "breadcrumb",
        "hidden",
        "modal",
        "popup",
    }
)
STRONG_POSITIVE = frozenset(
    {"articlebody", "article-body", "entry-content", "post-content", "story-body"}
)
TAG_BASE = {
    "div": 5.0,
    "article": 8.0,
    "main": 5.0,
    "section": 2.0,
    "pre": 3.0,
    "td": 3.0,
    "blockquote": 3.0,
    "form": -3.0,
    "ol": -3.0,
    "ul": -3.0,
    "dl": -3.0,
    "dd": -3.0,
    "dt": -3.0,
    "li": -3.0,
    "address": -3.0,
    "th": -5.0,
    "h1": -5.0,
    "h2": -5.0,
    "h3": -5.0,
    "h4": -5.0,
    "h5": -5.0,
    "h6": -5.0,
}
MIN_PARAGRAPH = 25


def class_weight(el: Tag) -> float:
    tokens = tokens_of(el)
    weight = 0.0
    if el.get("itemprop") == "articleBody":
        weight += 50
    if tokens & STRONG_POSITIVE:
        weight += 25
    if tokens & POSITIVE:
        weight += 25
    if tokens & NEGATIVE:
        weight -= 25
    return weight


CLASS_BONUS_TEXT = 800  # characters: a few paragraphs


def _class_bonus(el: Tag, stats: TreeStats) -> float:
    """The class vocabulary's weight; a positive one in proportion to the text the element
    holds up to CLASS_BONUS_TEXT characters, so that a small box named "text" or "body"
    does not outrank the article."""
    weight = class_weight(el)
    if weight > 0:
        weight *= min(1.0, stats.text.get(id(el), 0) / CLASS_BONUS_TEXT)
    return weight


def _direct_text(el: Tag, stats: TreeStats) -> tuple[int, int, list[str]]:
    """Text held by ``el`` outside nested block elements: characters, link characters, and
    the strings themselves."""
    total = links = 0
    parts: list[str] = []
    for child in el.contents:
        if is_text(child):
            total += len(child.strip())
            parts.append(child)
        elif isinstance(child, Tag) and child.name not in BLOCK_TAGS:
            key = id(child)
            total += stats.text.get(key, 0)
            links += stats.links.get(key, 0)
            if stats.text.get(key, 0):
                parts.append(child.get_text())
    return total, links, parts


def _paragraph_score(el: Tag, stats: TreeStats) -> float:
    """Score of one paragraph-like element, or 0 when it is not one."""
    name = el.name
    if name in PARAGRAPH_TAGS:
        length = stats.text.get(id(el), 0)
        if length < MIN_PARAGRAPH:
            return 0.0
        density = stats.link_density(el)
        text = el.get_text()
    elif name in DIV_LIKE:
        length, links, parts = _direct_text(el, stats)
        if length < MIN_PARAGRAPH:
            return 0.0
        density = links / length
        text = "".join(parts)
    else:
        return 0.0
    commas = text.count(",") + text.count("，") + text.count("、") + text.count("،")
    return (1.0 + commas + min(length / 100.0, 10.0)) * (1.0 - density)


def find_body(root: Tag, stats: TreeStats) -> list[Tag]:
    """The elements that make up the article body, in document order."""
    scores: dict[int, float] = defaultdict(float)
    nodes: dict[int, Tag] = {}
    for el in stats.elements:
        score = _paragraph_score(el, stats)
        if score <= 0:
            continue
        # a <p> scores for its parent; a div holding loose text is its own parent
        ancestor: Tag | None = el if el.name in DIV_LIKE else el.parent
        level = 0
        while isinstance(ancestor, Tag) and level < 5:
            key = id(ancestor)
            if key not in nodes:
                nodes[key] = ancestor
                scores[key] = TAG_BASE.get(ancestor.name, 0.0) + _class_bonus(ancestor, stats)
            divider = 1 if level == 0 else 2 if level == 1 else level * 3
            scores[key] += score / divider
            ancestor = ancestor.parent
            level += 1
    if not nodes:
        return []
    final = {key: scores[key] * (1.0 - stats.link_density(nodes[key])) for key in nodes}
    top = _promote(nodes, final, root)
    mass = prose_mass(stats)
    top = _widen(top, mass, stats, root)
    return _with_siblings(top, nodes, final, stats, mass)


def _running_text(el: Tag, stats: TreeStats, mass: dict[int, int]) -> bool:
    """A block made mostly of paragraphs of prose (an article's header with its lead, the
    part of the body after an embed), not of a class that says it is something else."""
    own = mass.get(id(el), 0)
    return (
        own >= SIBLING_PROSE
        and own >= stats.text.get(id(el), 0) * SIBLING_SHARE
        and class_weight(el) >= 0
    )


SIBLING_PROSE = 80
SIBLING_SHARE = 0.5


def _widen(top: Tag, mass: dict[int, int], stats: TreeStats, root: Tag) -> Tag:
    """Move up to an ancestor that holds clearly more running text than ``top``: the
    article's other sections, after a sub-heading, a figure or a promo split it."""
    own = mass.get(id(top), 0)
    own_text = stats.text.get(id(top), 0)
    best = top
    node = top
    for _ in range(WIDEN_LEVELS):
        parent = node.parent
        if not isinstance(parent, Tag) or parent is root or parent.name in ("body", "html"):
            break
        node = parent
        extra = mass.get(id(node), 0) - own
        extra_text = stats.text.get(id(node), 0) - own_text
        if (
            extra >= max(WIDEN_MIN, own * WIDEN_SHARE)
            and extra >= extra_text * WIDEN_DENSITY
            and stats.link_density(node) < WIDEN_LINK_DENSITY
        ):
            best = node
            own = mass.get(id(node), 0)
            own_text = stats.text.get(id(node), 0)
    return best


WIDEN_LEVELS = 5
WIDEN_MIN = 160
WIDEN_SHARE = 0.2
WIDEN_DENSITY = 0.6
WIDEN_LINK_DENSITY = 0.5  # an ancestor whose text is half links is a page's frame


def _promote(nodes: dict[int, Tag], final: dict[int, float], root: Tag) -> Tag:
    """The best candidate, moved up to the ancestor it shares with its near-equals (an
    article split into several chunks) or to a better-scoring parent."""
    ranked = sorted(final, key=final.__getitem__, reverse=True)
    top = nodes[ranked[0]]
    top_score = final[ranked[0]]
    rivals = [nodes[k] for k in ranked[1:6] if final[k] >= top_score * 0.75]
    twins = [r for r in rivals if r.name == top.name and r.get("class") == top.get("class")]
    if twins:
        # an article split into chunks of the same kind: take their common ancestor
        mine = {id(a): a for a in top.parents}
        for ancestor in twins[0].parents:
            if id(ancestor) in mine and ancestor is not root and ancestor.name != "body":
                top = ancestor
                break
    elif len(rivals) >= 2:
        rival_ids = {id(r) for r in rivals}
        for ancestor in top.parents:
            if ancestor is root:
                break
            if sum(1 for r in ancestor.find_all(True) if id(r) in rival_ids) >= 2:
                top = ancestor
                break
    # walk up while the parent scores better (Readability's rule)
    last = final.get(id(top), 0.0)
    for parent in list(top.parents):
        if parent is root or parent.name == "body":
            break
        score = final.get(id(parent))
        if score is None:
            continue
        if score < last / 3:
            break
        if score > last:
            top = parent
            last = score
    # an only child says nothing its parent doesn't
    while (
        isinstance(top.parent, Tag)
        and top.parent is not root
        and top.parent.name != "body"
        and len(top.parent.find_all(True, recursive=False)) == 1
    ):
        top = top.parent
    return top


def _with_siblings(
    top: Tag,
    nodes: dict[int, Tag],
    final: dict[int, float],
    stats: TreeStats,
    mass: dict[int, int],
) -> list[Tag]:
    parent = top.parent
    if not isinstance(parent, Tag) or parent.name in ("html", "[document]"):
        return [top]
    top_score = final.get(id(top), 0.0)
    threshold = max(10.0, top_score * 0.2)
    top_classes = top.get("class")
    chosen: list[Tag] = []
    after_top = False
    pending: list[Tag] = []  # prose after the body: kept only if more body follows
    for sibling in parent.find_all(True, recursive=False):
        if sibling is top:
            chosen.append(sibling)
            after_top = True
            continue
        bonus = top_score * 0.2 if top_classes and sibling.get("class") == top_classes else 0.0
        if final.get(id(sibling), -1e9) + bonus >= threshold or _loose_paragraph(sibling, stats):
            chosen.extend(pending)
            pending.clear()
            chosen.append(sibling)
        elif _running_text(sibling, stats, mass):
            # an article's header with its lead before the body; a part between two parts
            (pending if after_top else chosen).append(sibling)
    return chosen


def _loose_paragraph(el: Tag, stats: TreeStats) -> bool:
    """A <p> beside the body that reads as part of it."""
    if el.name != "p":
        return False
    length = stats.text.get(id(el), 0)
    density = stats.link_density(el)
    text = el.get_text().strip()
    return (length >= 80 and density < 0.25) or (
        0 < length < 80 and density == 0 and text.endswith((".", "!", "?", "”", '"'))
    )
