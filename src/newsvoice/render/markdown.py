"""Article → Markdown (CommonMark). Every character of article text is escaped, so no HTML
or link syntax from the source can reach the output."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..model import (
    Article,
    Block,
    Code,
    Emphasis,
    Figure,
    Foreign,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Preformatted,
    Quote,
    Strong,
    Table,
    Text,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

_SPECIAL = re.compile(r"([\\`*_\[\]<>{}()#!|~&])")
_LINE_START_MARK = re.compile(r"^([ \t]*)([-+=])", re.MULTILINE)  # lists, rules, setext lines
_LINE_START_NUMBER = re.compile(r"^([ \t]*\d+)([.)])(?=\s|$)", re.MULTILINE)  # ordered lists
_BACKTICKS = re.compile(r"`+")


def escape(text: str) -> str:
    """Backslash-escape every character that could start Markdown or HTML syntax."""
    text = _SPECIAL.sub(r"\\\1", text)
    text = _LINE_START_MARK.sub(r"\1\\\2", text)
    return _LINE_START_NUMBER.sub(r"\1\\\2", text)


def _fence_for(text: str, minimum: int) -> str:
    """A run of backticks longer than any run inside ``text``."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    return "`" * max(minimum, longest + 1)


def _wrapped(marker: str, inner: str) -> str:
    """``*inner*`` with the spaces at its edges moved outside, where they belong."""
    core = inner.strip()
    if not core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{marker}{core}{marker}{trail}"


def _url(url: str) -> str:
    return url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")


def inlines_md(nodes: Iterable[Inline]) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(escape(node.text))
        elif isinstance(node, Code):
            fence = _fence_for(node.text, 1)
            pad = " " if node.text.startswith("`") or node.text.endswith("`") else ""
            out.append(f"{fence}{pad}{node.text}{pad}{fence}")
        elif isinstance(node, LineBreak):
            out.append("\\\n")
        elif isinstance(node, Link):
            out.append(f"[{inlines_md(node.children)}](<{_url(node.href)}>)")
        elif isinstance(node, Emphasis):
            out.append(_wrapped("*", inlines_md(node.children)))
        elif isinstance(node, Strong):
            out.append(_wrapped("**", inlines_md(node.children)))
        elif isinstance(node, Foreign):  # Markdown has no language mark: the text as it is
            out.append(inlines_md(node.children))
    return "".join(out)


def _figure_md(figure: Figure) -> Iterator[str]:
    if figure.image is not None and figure.image.url:
        yield f"![{escape(figure.alt)}](<{_url(figure.image.url)}>)"
    parts = [escape(figure.caption)] if figure.caption else []
    if figure.credit:
        parts.append(f"({escape(figure.credit)})")
    if parts:
        yield "*" + " ".join(parts) + "*"


def _list_md(block: ListBlock, indent: str = "") -> Iterator[str]:
    for number, item in enumerate(block.items, start=1):
        marker = f"{number}." if block.ordered else "-"
        yield f"{indent}{marker} {inlines_md(item.inlines)}"
        if item.sublist is not None:
            yield from _list_md(item.sublist, indent + " " * (len(marker) + 1))


def block_md(block: Block) -> str:
    if isinstance(block, Heading):
        return "#" * block.level + " " + inlines_md(block.inlines)
    if isinstance(block, Paragraph):
        return inlines_md(block.inlines)
    if isinstance(block, Quote):
        inner = "\n\n".join(block_md(b) for b in block.blocks)
        if block.attribution:
            inner += "\n\n— " + escape(block.attribution)
        return "\n".join("> " + line if line else ">" for line in inner.split("\n"))
    if isinstance(block, ListBlock):
        return "\n".join(_list_md(block))
    if isinstance(block, Table):
        return _table_md(block)
    if isinstance(block, Preformatted):
        fence = _fence_for(block.text, 3)
        return f"{fence}\n{block.text}\n{fence}"
    return "\n\n".join(_figure_md(block))


def _table_md(table: Table) -> str:
    width = max(len(row) for row in table.rows)
    rows = [[inlines_md(c.inlines).replace("\n", " ") for c in row] for row in table.rows]
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    if table.caption:
        lines.insert(0, "*" + escape(table.caption) + "*\n")
    return "\n".join(lines)


def article_md(article: Article) -> str:
    parts = ["# " + escape(article.headline)]
    if article.standfirst:
        parts.append("*" + escape(article.standfirst) + "*")
    byline = " · ".join(
        p
        for p in (
            escape(article.byline),
            article.published.date().isoformat() if article.published else "",
            escape(article.site_name),
        )
        if p
    )
    if byline:
        parts.append(byline)
    if article.lead_figure is not None:
        parts.extend(_figure_md(article.lead_figure))
    parts.extend(md for md in (block_md(b) for b in article.blocks) if md)
    if article.url:
        parts.append(f"Source: <{_url(article.url)}>")
    return "\n\n".join(parts) + "\n"
