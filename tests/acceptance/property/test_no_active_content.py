"""Property: whatever HTML a page holds, no script, event handler, javascript: URL, iframe
or style reaches any output, and the outputs are well-formed."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsvoice import extract_article
from newsvoice.errors import NewsvoiceError
from newsvoice.model import Article, Link
from newsvoice.render.formats import as_plain, json_line
from newsvoice.render.markdown import article_md

MARK = "pwn3d"  # appears only inside active content; must never come out
WORDS = st.sampled_from(
    [
        "the",
        "council",
        "agreed",
        "budget",
        "on",
        "Tuesday",
        "after",
        "debate",
        "ministers",
        "said",
        "résumé",
        "東京",
        "«quote»",
        "&amp;",
        "&lt;b&gt;",
        "a,b",
        "100%",
    ]
)
TEXT = st.lists(WORDS, min_size=3, max_size=40).map(" ".join)
ACTIVE = st.sampled_from(
    [
        f"<script>alert('{MARK}')</script>",
        f'<script type=\'application/ld+json\'>{{"headline": "<img src=x onerror={MARK}>"}}'
        "</script>",
        f"<style>body{{background:url(javascript:{MARK})}}</style>",
        f"<iframe src='https://evil.example/{MARK}'>{MARK}</iframe>",
        f"<object data='{MARK}.swf'>{MARK}</object>",
        f"<embed src='{MARK}.swf'>",
        f"<form action='https://evil.example/{MARK}'><input value='{MARK}'></form>",
        f"<svg><script>{MARK}</script></svg>",
        f"<math><mtext><table><mglyph><style><img src=x onerror={MARK}>",
        f"<noscript><p title='</noscript><img src=x onerror={MARK}>'></noscript>",
        f"<template><p>{MARK}</p></template>",
        f"<!-- <p>{MARK}</p> -->",
        f"<p hidden>{MARK}</p>",
        f"<div style='display:none'>{MARK}</div>",
        f"<button onclick='{MARK}'>{MARK}</button>",
        f"<textarea>{MARK}</textarea>",
    ]
)
HANDLER = st.sampled_from(["onclick", "ONERROR", "onmouseover", "onload", "style"])
HREF = st.sampled_from(
    [
        f"javascript:{MARK}()",
        f"JaVaScRiPt:{MARK}",
        f"jav&#x09;ascript:{MARK}",
        f" javascript:{MARK}",
        f"vbscript:{MARK}",
        f"data:text/html,<script>{MARK}</script>",
    ]
)


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    text = draw(TEXT)
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return f"<p>{text}, {text}.</p>"
    if kind == 1:
        return f'<p {draw(HANDLER)}="{MARK}">{text}, {text}.</p>'
    if kind == 2:
        return f'<p>{text} <a href="{draw(HREF)}">{text}</a>, {text}.</p>'
    return f'<p>{text}, <em onmouseover="{MARK}">{text}</em> {text}.</p>'


@st.composite
def pages(draw: st.DrawFn) -> str:
    body = draw(st.lists(st.one_of(paragraphs(), ACTIVE), min_size=3, max_size=12))
    headline = draw(TEXT)
    return (
        f"<html><head><title>{headline}</title>{draw(ACTIVE)}</head><body>"
        f"<article><h1>{headline}</h1>{''.join(body)}</article></body></html>"
    )


def _links(article: Article) -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, Link):
            found.append(node.href)
        for child in getattr(node, "children", ()) or getattr(node, "inlines", ()) or ():
            walk(child)
        for block in getattr(node, "blocks", ()) or ():
            walk(block)

    for block in article.blocks:
        walk(block)
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_no_active_content_reaches_any_output(html: str) -> None:
    try:
        article = extract_article(html, "https://news.example/story")
    except NewsvoiceError:
        return  # refusing the page is a safe outcome
    outputs = [json_line(article), article_md(article), as_plain(article)]
    for out in outputs:
        assert MARK not in out
    json.loads(outputs[0])
    for href in _links(article):
        assert href.startswith(("http://", "https://", "mailto:"))
