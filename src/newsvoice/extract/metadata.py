"""Article metadata: JSON-LD (NewsArticle and friends), OpenGraph, ``<meta>``, on-page markup.

Reads the whole, uncleaned page. On-page elements used for the headline, standfirst and
byline are remembered so that the body does not repeat them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import unescape as html_unescape
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from ..text import squash, tidy
from .clean import is_hidden
from .dates import parse_date
from .rules import class_tokens
from .urls import clean_url

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime

    from .tree import Page

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "techarticle",
        "scholarlyarticle",
        "report",
        "posting",
    }
)
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|\-–—:•·»]|::)\s+")
_DEK_TOKENS = frozenset(
    {
        "dek",
        "deck",
        "standfirst",
        "subtitle",
        "sub-title",
        "subheadline",
        "sub-headline",
        "subhed",
        "strapline",
        "summary",
        "article-summary",
        "story-summary",
        "excerpt",
        "kicker-summary",
        "article-description",
        "article-dek",
        "story-dek",
    }
)
_BYLINE_TOKENS = frozenset(
    {
        "byline",
        "by-line",
        "bylines",
        "author",
        "authors",
        "author-name",
        "authorname",
        "byline-author",
        "contributor",
        "contributors",
        "writer",
        "credit-author",
    }
)
_BY_PREFIX = re.compile(r"^\s*(?:by|von|par|por|di|door|af|av)\s+", re.IGNORECASE)
_LANG = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8})*$")


@dataclass(slots=True)
class PageMeta:
    headline: str = ""
    standfirst: str = ""
    description: str = ""  # meta description, a fallback standfirst
    byline: str = ""
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    modified: datetime | None = None
    section: str = ""
    site_name: str = ""
    url: str | None = None
    language: str = ""
    image_url: str | None = None
    image_alt: str = ""
    image_caption: str = ""
    image_credit: str = ""
    accessible_for_free: bool | None = None
    paywalled_selectors: list[str] = field(default_factory=list)
    article_body: str = ""  # JSON-LD articleBody, as plain text
    instructions: str = ""  # a JSON-LD HowTo's or Recipe's description and steps
    headline_tag: Tag | None = None
    consumed: set[int] = field(default_factory=set)  # id() of tags used above


def read_metadata(page: Page, base_url: str | None) -> PageMeta:
    meta = PageMeta()
    soup = page.soup
    found = _Index(page)
    tags = _meta_tags(found.meta)
    graph = _json_ld_objects(found.scripts)
    ld = _resolved(_json_ld_article(graph), graph)

    # headline: what the page shows, when it agrees with what the page declares
    declared = [
        squash(str(ld.get("headline") or ld.get("name") or "")),
        tags.get("og:title", ""),
        tags.get("twitter:title", ""),
        _strip_site_suffix(_title(soup)),
    ]
    declared = [d for d in declared if d]
    h1 = _best_h1(found.h1, declared)
    if h1 is not None:
        meta.headline = _without_trailer(tidy(squash(h1.get_text(" "))), declared)
        meta.headline_tag = h1
        meta.consumed.add(id(h1))
    elif declared:
        meta.headline = declared[0]

    meta.description = squash(
        _first_str(ld.get("description"))
        or tags.get("og:description", "")
        or tags.get("description", "")
        or tags.get("twitter:description", "")
    )
    if h1 is not None:
        following = page.following(h1)
        dek = _find_dek(h1, following)
        if dek is not None:
            meta.standfirst = tidy(squash(dek.get_text(" ")))
            meta.consumed.add(id(dek))
        byline_tag = _find_byline(following)
        if byline_tag is not None:
            meta.byline = _clean_byline(byline_tag.get_text(" "))
            meta.consumed.add(id(byline_tag))

    meta.authors = _authors(ld.get("author")) or _meta_authors(tags)
    if not meta.byline and meta.authors:
        meta.byline = "By " + _join_names(meta.authors)
    elif meta.byline and not meta.authors:
        meta.authors = split_byline(meta.byline)

    meta.published = (
        parse_date(ld.get("datePublished"))
        or _first_date(
            tags,
            "article:published_time",
            "og:published_time",
            "pubdate",
            "publishdate",
            "publish-date",
            "date",
            "dc.date",
            "dc.date.issued",
            "dcterms.created",
            "sailthru.date",
            "parsely-pub-date",
            "citation_publication_date",
            "datepublished",
        )
        or _time_element(found, ("datepublished", "published", "pubdate"))
    )
    meta.modified = (
        parse_date(ld.get("dateModified"))
        or _first_date(
            tags,
            "article:modified_time",
            "og:updated_time",
            "dcterms.modified",
            "lastmod",
            "last-modified",
            "datemodified",
        )
        or _time_element(found, ("datemodified", "updated", "modified"))
    )
    section = ld.get("articleSection")
    meta.section = squash(_first_str(section) or tags.get("article:section", ""))
    meta.site_name = squash(
        tags.get("og:site_name", "")
        or _name_of(ld.get("publisher"))
        or _site_from_graph(graph)
        or tags.get("application-name", "")
    )
    meta.url = _canonical(found.links, tags, ld, base_url)
    meta.language = _language(found.html, tags, ld)

    image = _image(ld.get("image"))
    meta.image_url = _abs(
        image.get("url") or tags.get("og:image") or tags.get("twitter:image"), base_url
    )
    meta.image_alt = squash(tags.get("og:image:alt", "") or tags.get("twitter:image:alt", ""))
    meta.image_caption = squash(image.get("caption", ""))
    meta.image_credit = squash(image.get("credit", ""))

    body = ld.get("articleBody")
    if isinstance(body, str):
        meta.article_body = _plain(body)
    elif not ld:
        meta.instructions = _instructions(graph)
    free = ld.get("isAccessibleForFree")
    meta.accessible_for_free = _bool(free)
    for part in _as_list(ld.get("hasPart")):
        if isinstance(part, dict) and _bool(part.get("isAccessibleForFree")) is False:
            selector = part.get("cssSelector")
            if isinstance(selector, str) and selector.strip():
                meta.paywalled_selectors.append(selector.strip())
    return meta


class _Index:
    """The few kinds of element metadata comes from, gathered in one pass."""

    def __init__(self, page: Page) -> None:
        self.meta: list[Tag] = []
        self.scripts: list[Tag] = []
        self.h1: list[Tag] = []
        self.times: list[Tag] = []
        self.links: list[Tag] = []
        self.itemprops: list[Tag] = []
        self.html: Tag | None = None
        for el in page.elements:
            name = el.name
            if name == "meta":
                self.meta.append(el)
            elif name == "script":
                if "ld+json" in str(el.get("type", "")).lower():
                    self.scripts.append(el)
            elif name == "h1":
                self.h1.append(el)
            elif name == "time":
                self.times.append(el)
            elif name == "link":
                self.links.append(el)
            elif name == "html" and self.html is None:
                self.html = el
            if "itemprop" in el.attrs and name not in ("meta", "link"):
                self.itemprops.append(el)


# --- <meta> and <title> --------------------------------------------------------------------


def _meta_tags(elements: list[Tag]) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in elements:
        key = tag.get("property") or tag.get("name") or tag.get("itemprop") or tag.get("http-equiv")
        content = tag.get("content")
        if isinstance(key, str) and isinstance(content, str):
            key = key.strip().lower()
            if key and key not in found and content.strip():
                found[key] = content.strip()
    return found


def _title(soup: BeautifulSoup) -> str:
    title = soup.title
    return squash(title.get_text()) if title is not None else ""


def _strip_site_suffix(title: str) -> str:
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) > 1:
        return max(parts, key=len)
    return title


# --- JSON-LD -------------------------------------------------------------------------------


def _json_ld_objects(scripts: list[Tag]) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for script in scripts:
        raw = script.string
        if not raw:
            continue
        try:
            data = json.loads(raw.strip().rstrip(";"), strict=False)
        except (ValueError, RecursionError):
            continue
        objects.extend(_walk_ld(data, 0))
    return objects


def _walk_ld(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > 8:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk_ld(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _walk_ld(graph, depth + 1)
        entity = data.get("mainEntity")
        if isinstance(entity, dict):
            yield from _walk_ld(entity, depth + 1)


def _resolved(obj: dict[str, Any], graph: list[dict[str, Any]]) -> dict[str, Any]:
    """The article object with its ``{"@id": …}`` references (image, publisher, author)
    replaced by the objects they name elsewhere in the page's JSON-LD."""
    by_id = {o["@id"]: o for o in graph if isinstance(o.get("@id"), str) and len(o) > 1}
    if not by_id:
        return obj

    def look(value: Any) -> Any:
        if isinstance(value, list):
            return [look(v) for v in value]
        if isinstance(value, dict) and set(value) <= {"@id", "name"}:
            return {**by_id.get(value.get("@id"), {}), **value}
        return value

    return {
        key: look(value) if key in ("image", "publisher", "author") else value
        for key, value in obj.items()
    }


def _types(obj: dict[str, Any]) -> set[str]:
    return {t.lower().rsplit("/", 1)[-1] for t in _as_list(obj.get("@type")) if isinstance(t, str)}


def _json_ld_article(objects: list[dict[str, Any]]) -> dict[str, Any]:
    best: dict[str, Any] = {}
    for obj in objects:
        is_article = _types(obj) & ARTICLE_TYPES and (obj.get("headline") or obj.get("articleBody"))
        if is_article and (not best or (not best.get("headline") and obj.get("headline"))):
            best = obj
    return best


INSTRUCTION_TYPES = frozenset({"howto", "recipe"})


def _instructions(objects: list[dict[str, Any]]) -> str:
    """The text a page declares for a HowTo or a Recipe (schema.org): its description and
    each step, in order, as plain text paragraphs ("" when the page declares none)."""
    for obj in objects:
        if not _types(obj) & INSTRUCTION_TYPES:
            continue
        parts: list[str] = []
        description = obj.get("description")
        if isinstance(description, str):
            parts.append(_plain(description))
        steps = obj.get("step") or obj.get("recipeInstructions")
        parts.extend(_plain(step) for step in _steps(steps, 0))
        return "\n\n".join(p for p in parts if p)
    return ""


def _steps(steps: Any, depth: int) -> Iterator[str]:
    """The texts of HowToStep / HowToSection items (nested sections included)."""
    if depth > 4:
        return
    for step in _as_list(steps):
        if isinstance(step, str):
            yield step
        elif isinstance(step, dict):
            text = step.get("text")
            if isinstance(text, str):
                yield text
            yield from _steps(step.get("itemListElement"), depth + 1)


def _plain(text: str) -> str:
    """Declared text as plain text: markup some publishers leave in it is removed."""
    if "<" in text and ">" in text:
        text = BeautifulSoup(text, "lxml").get_text("\n")
    return html_unescape(text).strip()


def _site_from_graph(objects: list[dict[str, Any]]) -> str:
    for obj in objects:
        if _types(obj) & {"website", "newsmediaorganization", "organization"}:
            name = obj.get("name")
            if isinstance(name, str) and name.strip():
                return name
    return ""


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first_str(value: Any) -> str:
    for item in _as_list(value):
        if isinstance(item, str) and item.strip():
            return item
    return ""


def _name_of(value: Any) -> str:
    for item in _as_list(value):
        if isinstance(item, str) and item.strip() and not item.startswith("http"):
            return item
        if isinstance(item, dict):
            name = _first_str(item.get("name"))
            if name:
                return name
    return ""


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _image(value: Any) -> dict[str, str]:
    for item in _as_list(value):
        if isinstance(item, str) and item.strip():
            return {"url": item.strip()}
        if isinstance(item, dict):
            url = _first_str(item.get("url")) or _first_str(item.get("contentUrl"))
            if url:
                return {
                    "url": url.strip(),
                    "caption": _first_str(item.get("caption")) or _first_str(item.get("name")),
                    "credit": _first_str(item.get("creditText"))
                    or _name_of(item.get("copyrightHolder"))
                    or _name_of(item.get("author")),
                }
    return {}


# --- authors and bylines -------------------------------------------------------------------


def _authors(value: Any) -> list[str]:
    names: list[str] = []
    for item in _as_list(value):
        name = ""
        if isinstance(item, str):
            name = item
        elif isinstance(item, dict):
            name = _first_str(item.get("name"))
        name = squash(name)
        if name and not name.startswith(("http://", "https://")) and name not in names:
            names.append(name)
    return names


def _meta_authors(tags: dict[str, str]) -> list[str]:
    for key in (
        "author",
        "article:author",
        "dc.creator",
        "byl",
        "sailthru.author",
        "parsely-author",
        "citation_author",
    ):
        value = tags.get(key, "")
        if value and not value.startswith(("http://", "https://")):
            return split_byline(value)
    return []


def _clean_byline(text: str) -> str:
    return tidy(squash(text))[:200]


def split_byline(byline: str) -> list[str]:
    text = _BY_PREFIX.sub("", squash(byline))
    text = re.split(r"\s*[|•]\s*|,\s*(?:staff|special|senior|contributing)\b", text, maxsplit=1)[0]
    parts = re.split(r"\s*,\s*|\s+(?:and|&|und|et|y|e)\s+", text)
    return [p for p in (squash(p) for p in parts) if p and len(p.split()) <= 5]


def _join_names(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# --- on-page header ------------------------------------------------------------------------


def _word_set(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _similar(a: str, b: str) -> bool:
    wa, wb = _word_set(a), _word_set(b)
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.6


def _likeness(a: str, b: str) -> float:
    """Shared words over the words of the longer of the two."""
    wa, wb = _word_set(a), _word_set(b)
    return len(wa & wb) / max(len(wa), len(wb), 1)


def _without_trailer(shown: str, declared: list[str]) -> str:
    """The shown headline without words appended to it in the h1 (a site name in a span):
    the declared title when the shown one is that title plus a few words."""
    for title in declared:
        if len(title.split()) < 5 or title.endswith(("…", "...")):
            continue
        if shown.startswith(title) and shown != title:
            rest = shown[len(title) :]
            if rest[:1].isspace() and len(rest.split()) <= 4:
                return title
    return shown


def _visible(el: Tag) -> bool:
    return not is_hidden(el) and not any(is_hidden(p) for p in el.parents)


def _best_h1(candidates: list[Tag], declared: list[str]) -> Tag | None:
    h1s = [h for h in candidates if len(squash(h.get_text(" "))) >= 5 and _visible(h)]
    matching = [
        (max(_likeness(text, d) for d in declared), -index, h1)
        for index, h1 in enumerate(h1s)
        if any(_similar(text := squash(h1.get_text(" ")), d) for d in declared)
    ]
    if matching:
        # the h1 most like a declared title: not a site-name h1 that the <title> contains
        return max(matching, key=lambda m: m[:2])[2]
    for h1 in h1s:
        if h1.find_parent(["article", "main"]) is not None:
            return h1
    if not declared and h1s:
        return h1s[0]
    return None


def _tokens(tag: Tag) -> set[str]:
    found: set[str] = set()
    for attr in ("class", "id", "itemprop", "data-testid", "role"):
        value = tag.get(attr)
        values = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        for v in values:
            found.update(class_tokens(v))
    return found


def _find_dek(h1: Tag, following: list[Tag]) -> Tag | None:
    """``following``: the elements after the headline, in document order."""
    for el in following[:120]:
        if (
            el.name in ("p", "h2", "h3")
            and len(squash(el.get_text(" "))) > 250
            and not (_tokens(el) & _DEK_TOKENS)
        ):
            return None  # reached running text before any dek
        if el.name in ("script", "style", "nav", "figure", "figcaption", "img"):
            continue
        tokens = _tokens(el)
        if (tokens & _DEK_TOKENS or "doc-subtitle" in tokens) and not (tokens & _BYLINE_TOKENS):
            text = squash(el.get_text(" "))
            if 25 <= len(text) <= 500 and not el.find(["h1", "img", "figure"]):
                return el
    sibling = h1.find_next_sibling(True)
    if sibling is not None and sibling.name == "h2":
        text = squash(sibling.get_text(" "))
        if 25 <= len(text) <= 300 and not (_tokens(sibling) & _BYLINE_TOKENS):
            return sibling
    return None


def _find_byline(following: list[Tag]) -> Tag | None:
    for el in following[:200]:
        if el.name in ("script", "style", "figure", "img"):
            continue
        if el.name == "p" and len(squash(el.get_text(" "))) > 250:
            return None
        tokens = _tokens(el)
        is_author = tokens & _BYLINE_TOKENS or el.get("rel") == ["author"]
        if not is_author:
            continue
        text = squash(el.get_text(" "))
        if 3 <= len(text) <= 150 and not el.find(["p", "h1", "h2", "figure"]):
            # prefer the enclosing byline block ("By <a>Name</a>, Staff writer")
            parent = el.parent
            if (
                isinstance(parent, Tag)
                and parent.name not in ("body", "article", "header", "main")
                and _BY_PREFIX.match(squash(parent.get_text(" ")))
                and len(squash(parent.get_text(" "))) <= 150
                and not _BY_PREFIX.match(text)
            ):
                return parent
            return el
    return None


def _time_element(found: _Index, tokens: tuple[str, ...]) -> datetime | None:
    for el in found.times[:30]:
        value = el.get("datetime")
        if isinstance(value, str) and (_tokens(el) & set(tokens)):
            parsed = parse_date(value)
            if parsed:
                return parsed
    for el in found.itemprops:
        if str(el.get("itemprop", "")).lower() in tokens:
            parsed = parse_date(el.get("content") or el.get("datetime"))
            if parsed:
                return parsed
    if "datepublished" in tokens:
        for el in found.times:
            value = el.get("datetime")
            if isinstance(value, str):
                return parse_date(value)
    return None


def _first_date(tags: dict[str, str], *keys: str) -> datetime | None:
    for key in keys:
        parsed = parse_date(tags.get(key))
        if parsed:
            return parsed
    return None


# --- URL and language ----------------------------------------------------------------------


def _abs(url: str | None, base: str | None) -> str | None:
    if not url:
        return None
    return clean_url(urljoin(base or "", url.strip()))


def _canonical(
    links: list[Tag], tags: dict[str, str], ld: dict[str, Any], base: str | None
) -> str | None:
    candidates: list[Any] = [
        link.get("href") for link in links if "canonical" in (link.get("rel") or [])
    ][:1]
    candidates.append(tags.get("og:url"))
    entity = ld.get("mainEntityOfPage")
    candidates.append(entity.get("@id") if isinstance(entity, dict) else entity)
    candidates.append(ld.get("url"))
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.strip():
            url = _abs(candidate, base)
            if url and urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc:
                return url
    return clean_url(base) if base else None


def normalise_language(value: str) -> str:
    """BCP 47 casing (``en_us`` → ``en-US``); empty when it is not a language tag."""
    value = value.strip().replace("_", "-").split(",")[0].split(";")[0].strip()
    if not _LANG.match(value):
        return ""
    parts = value.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            out.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        else:
            out.append(part.lower())
    return "-".join(out)


def language_tag(value: str | None) -> str | None:
    """A ``lang`` attribute's value as a BCP 47 tag ("es", "pt-BR"), or None when it is not
    one (empty, "x-…", "und", markup, a long string): text in an unknown language stays the
    article's."""
    tag = normalise_language(value) if value and len(value) <= 35 else ""
    return tag if tag and not tag.startswith(("x-", "und")) else None


def _language(html: Tag | None, tags: dict[str, str], ld: dict[str, Any]) -> str:
    candidates: list[Any] = []
    if isinstance(html, Tag):
        candidates += [html.get("lang"), html.get("xml:lang")]
    candidates += [
        tags.get("content-language"),
        tags.get("og:locale"),
        tags.get("language"),
        _first_str(ld.get("inLanguage")),
    ]
    for candidate in candidates:
        if isinstance(candidate, str):
            lang = normalise_language(candidate)
            if lang:
                return lang
    return ""
