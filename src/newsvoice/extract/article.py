"""HTML → Article: parse once, read metadata, clean, find the body, build the model."""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from ..errors import NoContentFound, NotHTML
from ..limits import DEFAULT_LIMITS, Limits
from ..model import (
    Article,
    Block,
    Figure,
    Gap,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    PaywallState,
    Provenance,
    Strong,
    Text,
    article_id,
    block_text,
    inline_text,
)
from ..text import squash, word_count
from .blocks import BlockBuilder, figure_from, link_chars
from .clean import clean
from .content import find_body
from .decode import binary_kind, decode_bytes
from .language import guess_language
from .metadata import PageMeta, read_metadata
from .rules import Rules, compile_selector, default_rules
from .tree import Page, measure, parse_html

if TYPE_CHECKING:
    from pathlib import Path

EXTRACTOR_VERSION = "1"
SHORT_BLOCK = 300  # chrome patterns only remove blocks shorter than this
TEASER_WORDS = 150  # a paywalled body shorter than this is a teaser


def extract_article(
    html: str | bytes,
    url: str | None = None,
    *,
    rules: Rules | None = None,
    limits: Limits = DEFAULT_LIMITS,
    provenance: Provenance | None = None,
    resources: Path | None = None,
) -> Article:
    """Extract one article from a page. ``url`` resolves relative links and is the fallback
    canonical URL; without one, relative image paths resolve inside ``resources`` (the
    directory of a page read from disk). Raises ``InputError`` subclasses for pages that hold
    no article."""
    rules = rules or default_rules()
    if isinstance(html, bytes):
        text, read = decode_page(html, "<bytes>", url=url, limits=limits)
        provenance = provenance or read
        raw = html
    else:
        raw, text = html.encode("utf-8", "surrogatepass"), html
    provenance = provenance or Provenance(source="<string>")
    provenance = replace(
        provenance,
        sha256=provenance.sha256 or hashlib.sha256(raw).hexdigest(),
        extractor_version=EXTRACTOR_VERSION,
    )
    page = parse_html(text, limits)
    soup = page.soup
    base = provenance.final_url or url
    meta = read_metadata(page, base)
    stats = measure(soup, page.elements)
    picture = _picture_after_headline(meta, page, base, resources)
    paywalled_part_present = _paywalled_part_present(meta, soup)
    next_page = _next_page(page.by_name("a", "link"), base)
    page_chrome = clean(soup, stats, rules, meta.headline_tag)
    body_root = soup.body if isinstance(soup.body, Tag) else soup
    body_stats = measure(body_root)
    builder = BlockBuilder(base, meta.consumed, body_stats, resources, meta.language)
    blocks, chrome_hits = _filter(builder.build(find_body(body_root, body_stats)), rules, meta)
    if not _has_text(blocks) and body_root.find(_HTML_BLOCKS) is not None:
        # what scored best held no text once filtered (a link list holding most of the page,
        # a gallery): the cleaned page as a whole, filtered the same way (when it is an HTML
        # page at all, not a feed or other XML saved as one)
        blocks, chrome_hits = _filter(builder.build([body_root]), rules, meta)
    blocks = _declared_body(blocks, meta.article_body)
    if not _has_text(blocks):
        blocks = _captions_as_text(_declared_body(blocks, meta.instructions))
    if not _has_text(blocks):
        raise NoContentFound(
            "no article text found", hint="the page may be an index, a login page or empty"
        )
    lead, blocks = _lead_figure(blocks, picture, meta)
    standfirst = meta.standfirst or _description_as_standfirst(
        meta.description, "\n\n".join(block_text(b) for b in blocks)
    )
    if (
        blocks
        and standfirst
        and isinstance(blocks[0], Paragraph)
        and squash(block_text(blocks[0])) == standfirst
    ):
        blocks = blocks[1:]
    body_text = "\n\n".join(block_text(b) for b in blocks)
    paywall = _paywall_state(
        meta, paywalled_part_present, page_chrome.paywall_prompts + chrome_hits, body_text
    )
    headline = meta.headline or _fallback_headline(blocks, meta)
    canonical = meta.url
    gaps = _gaps(meta.article_body, standfirst, body_text, next_page, paywall)
    language = meta.language or guess_language(body_text)
    return Article(
        id=article_id(
            canonical,
            meta.site_name,
            headline,
            meta.published.isoformat() if meta.published else "",
        ),
        headline=headline,
        standfirst=standfirst,
        byline=meta.byline,
        authors=tuple(meta.authors),
        published=meta.published,
        modified=meta.modified,
        section=meta.section,
        site_name=meta.site_name,
        url=canonical,
        language=language,
        lead_figure=lead,
        blocks=tuple(blocks),
        paywall=paywall,
        provenance=provenance,
        completeness=gaps,
    )


_HTML_BLOCKS = ("p", "div", "article", "main", "section", "li", "td")


def _has_text(blocks: list[Block]) -> bool:
    return any(isinstance(b, Paragraph | ListBlock) for b in blocks)


CAPTIONS_MIN = 200  # characters of caption text that make a picture story


def _captions_as_text(blocks: list[Block]) -> list[Block]:
    """A picture story (a slideshow, a gallery) tells its story in its captions: when
    nothing else is text and the captions add up, each is read after its picture."""
    if sum(len(b.caption) for b in blocks if isinstance(b, Figure)) < CAPTIONS_MIN:
        return blocks
    told: list[Block] = []
    for block in blocks:
        if isinstance(block, Figure) and block.caption:
            told += [replace(block, caption=""), Paragraph((Text(block.caption),))]
        else:
            told.append(block)
    return told


DECLARED_MIN = 200  # characters: a declared articleBody shorter than this is a summary
DECLARED_INSTEAD = 0.5  # kept text under this share of the declared body: use the declared
DECLARED_GAP = 0.8  # kept text under this share: the article may be incomplete


def _declared_body(blocks: list[Block], declared: str) -> list[Block]:
    """The publisher's own ``articleBody`` (JSON-LD) as paragraphs, when the page's markup
    holds clearly less of it than it declares (text rendered by script, a paywall that
    hides what the page carries)."""
    if len(declared) < DECLARED_MIN:
        return blocks
    kept = sum(len(block_text(b)) for b in blocks if not isinstance(b, Figure))
    if kept >= len(squash(declared)) * DECLARED_INSTEAD:
        return blocks
    paragraphs = [squash(p) for p in re.split(r"\n\s*\n|\n(?=\S)", declared)]
    declared_blocks: list[Block] = []
    declared_blocks.extend(b for b in blocks[:1] if isinstance(b, Figure))
    declared_blocks.extend(Paragraph((Text(p),)) for p in paragraphs if p)
    return declared_blocks


_PAGE_URL = re.compile(
    r"(?:[?&](?:page|pg|p|seite|pagina|strona)=(\d{1,3})(?:&|$)"
    r"|/(?:page|seite|pagina|strona)[/-]?(\d{1,3})/?$|[/_-](\d{1,2})/?(?:\.s?html?)?$)",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_NEXT_TEXT = re.compile(
    r"^\W*(?:next page|page suivante|página siguiente|pagina successiva|nächste seite|"
    r"weiter zu seite \d+|volgende pagina|następna strona|próxima página|seite \d+|page \d+)\W*$",
    re.IGNORECASE,
)


def _next_page(links: list[Tag], base: str | None) -> str | None:
    """The address of the article's next page: a ``rel=next`` link or a "next page" link
    whose address is this page's with a page number (not the next article)."""
    here = (base or "").split("#")[0].rstrip("/")
    for link in links:
        href = link.get("href")
        if not isinstance(href, str) or not href.strip():
            continue
        if _DIGIT.search(href) is None:  # the page number is in the link itself
            continue
        rel: list[str] | str = link.get("rel") or []
        is_next = "next" in rel or (
            link.name == "a" and _NEXT_TEXT.match(link.get_text(" ", strip=True)) is not None
        )
        if not is_next:
            continue
        target = urljoin(base or "", href.strip()).split("#")[0]
        match = _PAGE_URL.search(target)
        if match is None or int(next(g for g in match.groups() if g)) < 2:
            continue
        if not here or target.startswith(here[: max(len(here) - 8, 1)]):
            return target
    return None


def _gaps(
    declared: str, standfirst: str, body: str, next_page: str | None, paywall: PaywallState
) -> tuple[Gap, ...]:
    gaps: list[Gap] = []
    if paywall == "truncated":
        gaps.append(Gap("paywall", "A paywall cuts the article off: only its free part is here."))
    if len(declared) >= DECLARED_MIN:
        kept = len(squash(standfirst)) + len(squash(body))
        want = len(squash(declared))
        if kept < want * DECLARED_GAP:
            gaps.append(
                Gap(
                    "declared-body-longer",
                    f"The page declares a longer text ({want:,} characters) than was found "
                    f"({kept:,}): part of the article may be missing.",
                )
            )
    if next_page:
        gaps.append(
            Gap("next-page", f"The article continues on another page ({next_page}), not read.")
        )
    return tuple(gaps)


def decode_page(
    content: bytes,
    source: str,
    *,
    final_url: str | None = None,
    header_charset: str | None = None,
    given: str | None = None,
    url: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[str, Provenance]:
    """A page's bytes as text, and where they came from and how they were decoded; binary
    data (images, PDFs, archives) is refused with NotHTML. ``url`` (else ``final_url``) is
    the page's address, whose top-level domain may hint at its encoding."""
    kind = binary_kind(content)
    if kind is not None:
        raise NotHTML(f"{source} is {kind}, not HTML or text")
    decoded = decode_bytes(
        content, header_charset=header_charset, given=given, url=url or final_url, limits=limits
    )
    return decoded.text, Provenance(
        source=source,
        final_url=final_url,
        encoding=decoded.encoding,
        encoding_source=decoded.source,
        encoding_was_guessed=decoded.guessed,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _picture_after_headline(
    meta: PageMeta, page: Page, base: str | None, resources: Path | None
) -> Figure | None:
    """The picture between the headline and the running text (a <figure>, or a large
    image such as a WordPress featured image), read before cleaning removes the header."""
    h1 = meta.headline_tag
    if h1 is None:
        return None
    near = (el for el in page.following(h1) if el.name in ("figure", "img", "p"))
    for el in itertools.islice(near, 60):
        if el.name == "p":
            if len(el.get_text(strip=True)) > 200:
                break
            continue
        if el.name == "img" and (el.find_parent("figure") is not None or not _large(el)):
            continue
        figure = figure_from(el, base, resources)
        if figure is not None and figure.image is not None:
            if not figure.alt and meta.image_caption and figure.image.url == meta.image_url:
                figure = replace(figure, alt=meta.image_caption)
            return figure
    return None


def _large(img: Tag) -> bool:
    """Big enough to be a story's picture rather than an icon, avatar or logo."""
    width = str(img.get("width", ""))
    if width.isdigit():
        return int(width) >= 300
    return bool(img.get("srcset")) or "wp-post-image" in (img.get("class") or [])


def _lead_figure(
    blocks: list[Block], picture: Figure | None, meta: PageMeta
) -> tuple[Figure | None, list[Block]]:
    """The body's opening picture, else the one under the headline, else the page's
    declared image (og:image, JSON-LD)."""
    for index, block in enumerate(blocks):
        if isinstance(block, Figure):
            if block.image is not None:
                return block, blocks[:index] + blocks[index + 1 :]
            continue
        if block_text(block):
            break
    if picture is not None:
        return picture, blocks
    if meta.image_url:
        figure = Figure(
            image=Image(url=meta.image_url),
            alt=meta.image_alt,
            caption=meta.image_caption,
            credit=meta.image_credit,
        )
        return figure, blocks
    return None, blocks


def _filter(blocks: list[Block], rules: Rules, meta: PageMeta) -> tuple[list[Block], int]:
    """Drop chrome that survived cleaning: prompts, link lists, repeated headline."""
    kept: list[Block] = []
    paywall_hits = 0
    headline = meta.headline.casefold()
    byline = meta.byline.casefold()
    for position, block in enumerate(blocks):
        text = block_text(block)
        if isinstance(block, Figure):
            kept.append(block)
            continue
        if not text:
            continue
        if len(text) < SHORT_BLOCK:
            if rules.paywall.matches_text(text):
                paywall_hits += 1
                continue
            if rules.boilerplate.matches_text(text):
                continue
            if (
                isinstance(block, Paragraph)
                and _is_page_furniture(text, position, byline)
                and not (_bold_label(block) and position < len(blocks) - 1)
            ):
                continue
        if isinstance(block, Heading) and text.casefold() == headline:
            continue
        if (
            isinstance(block, Paragraph)
            and len(text) < SHORT_BLOCK
            and link_chars(block.inlines) / max(1, len(text)) >= 0.6
        ):
            continue
        if isinstance(block, ListBlock):
            links = sum(link_chars(item.inlines) for item in block.items)
            if links / max(1, len(text)) >= 0.7:
                continue
        kept.append(block)
    while (
        kept
        and isinstance(kept[-1], Heading | Figure)
        and not (isinstance(kept[-1], Figure) and kept[-1].image is not None)
    ):
        kept.pop()
    return kept, paywall_hits


_DATE_WORDS = re.compile(
    r"\b(?:updated|published|posted|last|modified|created|on|at|am|pm|a\.m\.|p\.m\.|"
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:sday)?|"
    r"wed(?:nesday)?|thu(?:rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|[A-Z]{2,4}T?|"
    r"utc|gmt|\d+(?:st|nd|rd|th|h\d*)?"
    # the same words in German, French, Spanish and Italian
    r"|aktualisiert|veröffentlicht|erstellt|stand|um|uhr|januar|jänner|februar|märz|juni|juli"
    r"|oktober|dezember|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
    r"|publié|mis|à|jour|le|janvier|février|mars|avril|mai|juin|juillet|août|septembre"
    r"|octobre|novembre|décembre|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|publicado|actualizado|de|del|a|las|enero|febrero|marzo|abril|mayo|junio|julio"
    r"|agosto|septiembre|octubre|noviembre|diciembre|pubblicato|aggiornato|il|alle|ore"
    r"|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre)\b"
    r"|[\s,.:/|\-–—()]",
    re.IGNORECASE,
)
_CREDIT_LINE = re.compile(
    r"^(?:©|\(c\)|(?:photo|image|picture|foto|credit|source)s?\s*(?:credits?\s*)?(?:by\s|:|/)"
    # the same labels in other languages: German, French, Spanish, Italian, Polish
    r"|(?:titel|beitrags|vorschau)?bild(?:quelle)?\s*:|bildnachweis\s*:"
    r"|crédits?(?:\s+photos?)?\s*:|imagen\s*:|immagine\s*:|fot\.\s|zdjęcie\s*:)",
    re.IGNORECASE,
)
_BY_LINE = re.compile(r"^(?:by|BY|By)\s+\S")


def _bold_label(block: Paragraph) -> bool:
    """A paragraph that is all bold: a sub-heading written as <p><strong>, not furniture."""
    parts = [i for i in block.inlines if not (isinstance(i, Text) and not i.text.strip())]
    return bool(parts) and all(isinstance(i, Strong) for i in parts)


def _is_page_furniture(text: str, position: int, byline: str) -> bool:
    """Timestamps, bylines, photo credits and one-word labels left inside the body."""
    if len(text) < 100 and any(c.isdigit() for c in text) and not _DATE_WORDS.sub("", text):
        return True
    if byline and text.casefold() == byline:
        return True
    if position < 4 and len(text) < 100 and _BY_LINE.match(text):
        return True
    if len(text) < 120 and _CREDIT_LINE.match(text):
        return True
    words = text.split()
    return (
        len(words) <= 2
        and len(text) < 25
        and not text.endswith((".", "!", "?", ":", "”", '"', "»", "。", "！", "？", "」"))
    )


def _description_as_standfirst(description: str, body: str) -> str:
    """The meta description, unless it is an excerpt of the body (most are): a dek says
    something the body does not say in the same words."""
    probe = _words(description.rstrip(".…").removesuffix("..."))
    if len(probe) < 5:
        return ""
    words = _words(body)
    body_runs = {tuple(words[i : i + 3]) for i in range(len(words) - 2)}
    runs = [tuple(probe[i : i + 3]) for i in range(len(probe) - 2)]
    shared = sum(run in body_runs for run in runs) / len(runs)
    return "" if shared >= 0.5 else description


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _paywalled_part_present(meta: PageMeta, soup: BeautifulSoup) -> bool:
    """Does the page hold the text of the part its publisher marks as paywalled?"""
    for selector in meta.paywalled_selectors:
        try:
            parts = compile_selector(selector).select(soup, limit=5)
        except ValueError:
            continue  # a publisher's bad selector is not the user's error
        if any(len(p.get_text(strip=True)) > 200 for p in parts):
            return True
    return False


def _paywall_state(
    meta: PageMeta, paywalled_part_present: bool, chrome_hits: int, body_text: str
) -> PaywallState:
    """open: no sign the text is cut; truncated: a paywall cut it; unknown: can't tell."""
    if meta.accessible_for_free is False:
        if paywalled_part_present:
            return "open"
        return "truncated" if word_count(body_text) < TEASER_WORDS * 4 else "unknown"
    if chrome_hits:
        return "truncated" if word_count(body_text) < TEASER_WORDS else "unknown"
    return "open"


def _fallback_headline(blocks: list[Block], meta: PageMeta) -> str:
    for block in blocks:
        if isinstance(block, Heading):
            return squash(inline_text(block.inlines))
    return meta.site_name or "Untitled article"
