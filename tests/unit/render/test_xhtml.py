"""Sentences wrapped in spans without losing or moving a character of the text or its
structure (links, emphasis, line breaks), whatever the inline tree."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from newsvoice.model import Emphasis, Inline, LineBreak, Link, Strong, Text, inline_text
from newsvoice.narration.sentences import split_sentences
from newsvoice.render.xhtml import XHTML, Cue, element, slice_inlines, spoken_inlines
from newsvoice.text import squash

WORDS = st.sampled_from(["Kerry", "said", "N. Korea", "the UN.", "Wang Yi", "far!", "  ", "\n"])
TEXT = st.lists(WORDS, min_size=1, max_size=6).map(" ".join).map(Text)


def inlines(depth: int = 2) -> st.SearchStrategy[Inline]:
    if depth == 0:
        return st.one_of(TEXT, st.just(LineBreak()))
    children = st.lists(inlines(depth - 1), min_size=1, max_size=3).map(tuple)
    return st.one_of(
        TEXT,
        children.map(Emphasis),
        children.map(Strong),
        children.map(lambda c: Link("https://example.org/", c)),
    )


TREES = st.lists(inlines(), min_size=1, max_size=5).map(tuple)


@given(TREES, st.integers(0, 60), st.integers(0, 60))
def test_slices_put_back_together_are_the_text(nodes: tuple[Inline, ...], a: int, b: int) -> None:
    raw = inline_text(nodes)
    cut = min(a, b, len(raw))
    assert (
        inline_text(slice_inlines(nodes, 0, cut)) + inline_text(slice_inlines(nodes, cut, len(raw)))
        == raw
    )


@given(TREES)
def test_every_sentence_gets_its_span_and_no_text_is_lost(nodes: tuple[Inline, ...]) -> None:
    text = squash(inline_text(nodes))
    sentences = split_sentences(text, "en", 400)
    cues = [Cue(f"s{n}", sentence) for n, sentence in enumerate(sentences)]
    parent = element(None, "p")
    if not cues:
        return
    placed = spoken_inlines(parent, nodes, cues)
    assert set(placed) == {c.id for c in cues}
    for br in parent.iter(f"{{{XHTML}}}br"):
        br.tail = "\n" + (br.tail or "")  # a line break reads as a space, as in inline_text
    assert squash("".join(parent.itertext())) == text
    spans = parent.iter(f"{{{XHTML}}}span")
    found = {el.get("id"): squash("".join(el.itertext())) for el in spans}
    if len(set(placed.values())) == len(cues):  # one span per sentence
        for cue in cues:
            assert found[cue.id] == squash(cue.text)
    etree.fromstring(etree.tostring(parent))  # well-formed
