"""The printable forms of an Article: the JSON contract and a plain reading text."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Article


def as_json(article: Article) -> dict[str, Any]:
    """``Article.to_dict()`` plus the body as plain ``text`` and its ``word_count``."""
    data = article.to_dict()
    data["text"] = article.text
    data["word_count"] = article.word_count
    return data


def json_line(article: Article) -> str:
    """One line of NDJSON."""
    return json.dumps(as_json(article), ensure_ascii=False, separators=(",", ":"))


def as_plain(article: Article) -> str:
    """Headline, standfirst, byline line, lead caption and body, for reading in a terminal."""
    parts = [article.headline]
    if article.standfirst:
        parts.append(article.standfirst)
    meta = " · ".join(
        p
        for p in (
            article.byline,
            article.published.date().isoformat() if article.published else "",
            article.site_name,
        )
        if p
    )
    if meta:
        parts.append(meta)
    lead = article.lead_figure
    if lead is not None and (lead.caption or lead.credit):
        parts.append(
            "[Picture: "
            + " ".join(p for p in (lead.caption, f"({lead.credit})" if lead.credit else "") if p)
            + "]"
        )
    parts.append(article.text)
    return "\n\n".join(parts) + "\n"
