"""The Article model: frozen, typed, structured values that every renderer reads.

Text is structure, never an HTML string: blocks hold inlines (``Text``, ``Emphasis``,
``Strong``, ``Code``, ``Link``, ``LineBreak``). ``to_dict``/``from_dict`` round-trip exactly.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from .errors import InputError
from .text import squash, word_count

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

SCHEMA_VERSION = 1
# Namespace for ids of articles that have no canonical URL.
CONTENT_NAMESPACE = uuid.UUID("6f1d3c52-8a55-5b7e-9a2e-2d6c1f0b9e41")

PaywallState = Literal["open", "truncated", "unknown"]
PAYWALL_STATES: tuple[PaywallState, ...] = ("open", "truncated", "unknown")
CompletenessReason = Literal["declared-body-longer", "next-page", "paywall"]
COMPLETENESS_REASONS: tuple[CompletenessReason, ...] = (
    "declared-body-longer",
    "next-page",
    "paywall",
)


@dataclass(frozen=True, slots=True)
class Gap:
    """Evidence that an extracted article may be incomplete: a ``reason`` code and a
    sentence naming what may be missing."""

    reason: CompletenessReason
    detail: str


# --- inlines -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Code:
    text: str


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class LineBreak:
    pass


@dataclass(frozen=True, slots=True)
class Foreign:
    """Text in another language than the article's, as the page marked it
    (``<q lang="es">``, ``<span lang="fr">``): ``lang`` is a checked BCP 47 tag."""

    lang: str
    children: tuple[Inline, ...]


Inline = Text | Emphasis | Strong | Code | Link | LineBreak | Foreign


def inline_text(inlines: Iterable[Inline]) -> str:
    """Plain text of inlines; a line break reads as a space."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text | Code):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        else:
            out.append(inline_text(node.children))
    return "".join(out)


# --- blocks --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Image:
    """An image by URL (``http``/``https``/``data``) or by its bytes."""

    url: str | None = None
    data: bytes | None = None
    media_type: str | None = None
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    image: Image | None
    alt: str = ""
    caption: str = ""
    credit: str = ""


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # 2..6 inside the body; the headline is the article's h1
    inlines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Paragraph:
    inlines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    blocks: tuple[Block, ...]
    attribution: str = ""


@dataclass(frozen=True, slots=True)
class ListItem:
    inlines: tuple[Inline, ...]
    sublist: ListBlock | None = None


@dataclass(frozen=True, slots=True)
class ListBlock:
    ordered: bool
    items: tuple[ListItem, ...]


@dataclass(frozen=True, slots=True)
class Cell:
    inlines: tuple[Inline, ...]
    header: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Preformatted:
    text: str


Block = Heading | Paragraph | Quote | ListBlock | Figure | Table | Preformatted


def block_text(block: Block) -> str:
    """Plain text of one body block, as read: lists one item per line, tables by row."""
    if isinstance(block, Heading | Paragraph):
        return squash(inline_text(block.inlines))
    if isinstance(block, Quote):
        return "\n\n".join(t for t in (block_text(b) for b in block.blocks) if t)
    if isinstance(block, ListBlock):
        return "\n".join(_list_lines(block))
    if isinstance(block, Table):
        return "\n".join(
            " | ".join(squash(inline_text(c.inlines)) for c in row) for row in block.rows
        )
    if isinstance(block, Preformatted):
        return block.text
    return ""  # figures: captions and credits are not body text


def _list_lines(block: ListBlock) -> Iterator[str]:
    for item in block.items:
        text = squash(inline_text(item.inlines))
        if text:
            yield text
        if item.sublist is not None:
            yield from _list_lines(item.sublist)


# --- article -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Provenance:
    source: str  # path, URL, "-" for stdin, or "<string>"
    final_url: str | None = None  # after redirects
    media_type: str = "text/html"  # "text/html" or "text/plain"
    encoding: str = "utf-8"
    encoding_source: str = "given"  # bom | http-header | meta | detected | default | given
    encoding_was_guessed: bool = False
    sha256: str = ""
    extractor_version: str = ""


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    headline: str
    standfirst: str = ""
    byline: str = ""
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    modified: datetime | None = None
    section: str = ""
    site_name: str = ""
    url: str | None = None
    language: str = "und"
    lead_figure: Figure | None = None
    blocks: tuple[Block, ...] = ()
    paywall: PaywallState = "unknown"
    provenance: Provenance = field(default_factory=lambda: Provenance(source="<string>"))
    completeness: tuple[Gap, ...] = ()
    """Why the article may be incomplete; empty when there is no sign of it."""

    def __post_init__(self) -> None:
        for name in ("published", "modified"):
            value = getattr(self, name)
            if value is not None and value.utcoffset() is None:
                raise ValueError(f"Article.{name} must be timezone-aware")
        if self.paywall not in PAYWALL_STATES:
            raise ValueError(f"Article.paywall must be one of {PAYWALL_STATES}")
        for gap in self.completeness:
            if gap.reason not in COMPLETENESS_REASONS:
                raise ValueError(f"Article.completeness reasons are {COMPLETENESS_REASONS}")

    @property
    def incomplete(self) -> str:
        """One sentence saying what may be missing, or "" for an article with no sign of a
        gap: for warnings, accessibility summaries and episode descriptions."""
        return " ".join(gap.detail for gap in self.completeness)

    @property
    def text(self) -> str:
        """The body as plain text: blocks separated by blank lines, figures left out."""
        return "\n\n".join(t for t in (block_text(b) for b in self.blocks) if t)

    @property
    def word_count(self) -> int:
        return word_count(self.text)

    @property
    def speech_language(self) -> str:
        """The language to read the article in: its own, or English when it is unknown
        ("und"), the language of the default voice."""
        return self.language if self.language != "und" else "en"

    def to_dict(self) -> dict[str, Any]:
        out = self._dict()
        if self.completeness:  # present only when there is a sign of a gap
            out["completeness"] = [
                {"reason": gap.reason, "detail": gap.detail} for gap in self.completeness
            ]
        return out

    def _dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "id": self.id,
            "headline": self.headline,
            "standfirst": self.standfirst,
            "byline": self.byline,
            "authors": list(self.authors),
            "published": _date_out(self.published),
            "modified": _date_out(self.modified),
            "section": self.section,
            "site_name": self.site_name,
            "url": self.url,
            "language": self.language,
            "lead_figure": _figure_out(self.lead_figure) if self.lead_figure else None,
            "paywall": self.paywall,
            "blocks": [_block_out(b) for b in self.blocks],
            "provenance": {
                "source": self.provenance.source,
                "final_url": self.provenance.final_url,
                "media_type": self.provenance.media_type,
                "encoding": self.provenance.encoding,
                "encoding_source": self.provenance.encoding_source,
                "encoding_was_guessed": self.provenance.encoding_was_guessed,
                "sha256": self.provenance.sha256,
                "extractor_version": self.provenance.extractor_version,
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Article:
        try:
            prov = data["provenance"]
            lead = data.get("lead_figure")
            return cls(
                id=data["id"],
                headline=data["headline"],
                standfirst=data.get("standfirst", ""),
                byline=data.get("byline", ""),
                authors=tuple(data.get("authors", ())),
                published=_date_in(data.get("published")),
                modified=_date_in(data.get("modified")),
                section=data.get("section", ""),
                site_name=data.get("site_name", ""),
                url=data.get("url"),
                language=data.get("language", "und"),
                lead_figure=_figure_in(lead) if lead else None,
                blocks=tuple(_block_in(b) for b in data.get("blocks", ())),
                paywall=data.get("paywall", "unknown"),
                completeness=tuple(
                    Gap(reason=g["reason"], detail=g["detail"])
                    for g in data.get("completeness", ())
                ),
                provenance=Provenance(
                    source=prov["source"],
                    final_url=prov.get("final_url"),
                    media_type=prov.get("media_type", "text/html"),
                    encoding=prov.get("encoding", "utf-8"),
                    encoding_source=prov.get("encoding_source", "given"),
                    encoding_was_guessed=bool(prov.get("encoding_was_guessed", False)),
                    sha256=prov.get("sha256", ""),
                    extractor_version=prov.get("extractor_version", ""),
                ),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(f"not a newsvoice article document: {exc}") from exc


def article_id(url: str | None, *content: str) -> str:
    """uuid5 of the canonical URL; without one, of the identifying content."""
    if url:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, url))
    return str(uuid.uuid5(CONTENT_NAMESPACE, "\n".join(content)))


# --- dict codec ----------------------------------------------------------------------------


def _date_out(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _date_in(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _inline_out(node: Inline) -> dict[str, Any]:
    if isinstance(node, Text):
        return {"type": "text", "text": node.text}
    if isinstance(node, Code):
        return {"type": "code", "text": node.text}
    if isinstance(node, LineBreak):
        return {"type": "br"}
    if isinstance(node, Link):
        return {"type": "link", "href": node.href, "children": _inlines_out(node.children)}
    if isinstance(node, Foreign):
        return {"type": "lang", "lang": node.lang, "children": _inlines_out(node.children)}
    kind = "em" if isinstance(node, Emphasis) else "strong"
    return {"type": kind, "children": _inlines_out(node.children)}


def _inlines_out(nodes: Iterable[Inline]) -> list[dict[str, Any]]:
    return [_inline_out(n) for n in nodes]


def _inline_in(data: Mapping[str, Any]) -> Inline:
    kind = data["type"]
    if kind == "text":
        return Text(data["text"])
    if kind == "code":
        return Code(data["text"])
    if kind == "br":
        return LineBreak()
    if kind == "link":
        return Link(data["href"], _inlines_in(data["children"]))
    if kind == "em":
        return Emphasis(_inlines_in(data["children"]))
    if kind == "strong":
        return Strong(_inlines_in(data["children"]))
    if kind == "lang":
        return Foreign(data["lang"], _inlines_in(data["children"]))
    raise ValueError(f"unknown inline type {kind!r}")


def _inlines_in(items: Iterable[Mapping[str, Any]]) -> tuple[Inline, ...]:
    return tuple(_inline_in(i) for i in items)


def _image_out(image: Image) -> dict[str, Any]:
    return {
        "url": image.url,
        "data": base64.b64encode(image.data).decode("ascii") if image.data is not None else None,
        "media_type": image.media_type,
        "width": image.width,
        "height": image.height,
    }


def _image_in(data: Mapping[str, Any]) -> Image:
    raw = data.get("data")
    return Image(
        url=data.get("url"),
        data=base64.b64decode(raw, validate=True) if raw is not None else None,
        media_type=data.get("media_type"),
        width=data.get("width"),
        height=data.get("height"),
    )


def _figure_out(fig: Figure) -> dict[str, Any]:
    return {
        "image": _image_out(fig.image) if fig.image else None,
        "alt": fig.alt,
        "caption": fig.caption,
        "credit": fig.credit,
    }


def _figure_in(data: Mapping[str, Any]) -> Figure:
    image = data.get("image")
    return Figure(
        image=_image_in(image) if image else None,
        alt=data.get("alt", ""),
        caption=data.get("caption", ""),
        credit=data.get("credit", ""),
    )


def _list_out(block: ListBlock) -> dict[str, Any]:
    return {
        "type": "list",
        "ordered": block.ordered,
        "items": [
            {
                "inlines": _inlines_out(item.inlines),
                "sublist": _list_out(item.sublist) if item.sublist else None,
            }
            for item in block.items
        ],
    }


def _list_in(data: Mapping[str, Any]) -> ListBlock:
    return ListBlock(
        ordered=bool(data["ordered"]),
        items=tuple(
            ListItem(
                _inlines_in(item["inlines"]),
                _list_in(item["sublist"]) if item.get("sublist") else None,
            )
            for item in data["items"]
        ),
    )


def _block_out(block: Block) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"type": "heading", "level": block.level, "inlines": _inlines_out(block.inlines)}
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "inlines": _inlines_out(block.inlines)}
    if isinstance(block, Quote):
        return {
            "type": "quote",
            "blocks": [_block_out(b) for b in block.blocks],
            "attribution": block.attribution,
        }
    if isinstance(block, ListBlock):
        return _list_out(block)
    if isinstance(block, Figure):
        return {"type": "figure", **_figure_out(block)}
    if isinstance(block, Table):
        return {
            "type": "table",
            "caption": block.caption,
            "rows": [
                [{"inlines": _inlines_out(c.inlines), "header": c.header} for c in row]
                for row in block.rows
            ],
        }
    return {"type": "pre", "text": block.text}


def _block_in(data: Mapping[str, Any]) -> Block:
    kind = data["type"]
    if kind == "heading":
        return Heading(int(data["level"]), _inlines_in(data["inlines"]))
    if kind == "paragraph":
        return Paragraph(_inlines_in(data["inlines"]))
    if kind == "quote":
        return Quote(tuple(_block_in(b) for b in data["blocks"]), data.get("attribution", ""))
    if kind == "list":
        return _list_in(data)
    if kind == "figure":
        return _figure_in(data)
    if kind == "table":
        return Table(
            rows=tuple(
                tuple(Cell(_inlines_in(c["inlines"]), bool(c.get("header"))) for c in row)
                for row in data["rows"]
            ),
            caption=data.get("caption", ""),
        )
    if kind == "pre":
        return Preformatted(data["text"])
    raise ValueError(f"unknown block type {kind!r}")
