"""speech/script.py: an article (or an edition) → chapters of spoken sentence segments."""

from __future__ import annotations

import dataclasses
import itertools
from functools import cache
from pathlib import Path

import pytest

import newsvoice
from newsvoice.model import Article, Heading, Paragraph, Preformatted, Text, inline_text
from newsvoice.narration.lexicon import Lexicon
from newsvoice.narration.presets import Pauses, load_preset
from newsvoice.narration.script import Script, Segment, build_script

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
SEED_HTML = SAMPLES / "csmonitor-kerry-china.html"
SEED_TXT = SAMPLES / "seed-kerry-china.txt"
LOCAL_HTML = SAMPLES / "localnews-council-budget.html"
NO_LEXICON = Lexicon((), "en")
# distinct values, so that every pause in a script says which rule chose it
PAUSES = Pauses(sentence=111, paragraph=222, heading=333, chapter=444, lead_in=0, tail=0)
PAYWALL_CHROME = ("stories this month", "Subscribe", "free articles", "unlimited", "$11")


@cache
def _load(path: Path) -> Article:
    return newsvoice.load(str(path))


def seed() -> Article:
    return _load(SEED_HTML)


def local() -> Article:
    return _load(LOCAL_HTML)


def script_of(*articles: Article, captions: str = "skip", pauses: Pauses = PAUSES) -> Script:
    return build_script(list(articles), [NO_LEXICON] * len(articles), pauses, captions)  # type: ignore[arg-type]


def squash(text: str) -> str:
    return " ".join(text.split())


def article(*blocks: object, **fields: object) -> Article:
    values: dict[str, object] = {"id": "t", "headline": "A plain test headline", "language": "en"}
    values.update(fields)
    return Article(blocks=tuple(blocks), **values)  # type: ignore[arg-type]


def para(text: str) -> Paragraph:
    return Paragraph((Text(text),))


def seed_txt_paragraphs() -> list[str]:
    """The seed text file's paragraphs: headline, standfirst, credit + caption, body, chrome."""
    return [squash(p) for p in SEED_TXT.read_text("utf-8").split("\n\n") if p.strip()]


# --- the seed: chapters, headline, standfirst ------------------------------------------------


def test_seed_has_headline_standfirst_and_body_chapters() -> None:
    script = script_of(seed())
    assert [c.title for c in script.chapters] == ["Headline", "Standfirst", "Body"]
    assert {c.article for c in script.chapters} == {0}
    assert [s.index for s in script.segments] == list(range(len(script.segments)))
    chapters = [s.chapter for s in script.segments]
    assert chapters == sorted(chapters)
    assert set(chapters) == {0, 1, 2}


def test_headline_is_one_segment_read_as_north_korea() -> None:
    headline = script_of(seed()).chapter_segments(0)
    assert len(headline) == 1
    (segment,) = headline
    assert segment.kind == "headline"
    assert "North Korea" in segment.spoken
    assert "N." not in segment.spoken


def test_display_text_keeps_the_original_while_spoken_is_normalised() -> None:
    (segment,) = script_of(seed()).chapter_segments(0)
    assert "N. Korea?" in segment.text
    assert segment.text == seed().headline
    assert segment.spoken != segment.text
    assert "North Korea?" in segment.spoken


def test_standfirst_chapter_is_the_standfirst_then_the_byline() -> None:
    art = seed()
    assert art.byline or art.authors
    segments = script_of(art).chapter_segments(1)
    kinds = [s.kind for s in segments]
    assert kinds[-1] == "byline"
    assert set(kinds[:-1]) == {"standfirst"}
    assert " ".join(s.text for s in segments[:-1]) == squash(art.standfirst)
    assert segments[-1].text.startswith("By ")
    assert "Nathan Corbett" in segments[-1].text
    assert "Nathan Corbett" in segments[-1].spoken


def test_byline_is_made_from_the_authors_when_there_is_no_byline() -> None:
    art = dataclasses.replace(seed(), byline="", authors=("Jane Doe", "John Roe", "Ann Poe"))
    byline = script_of(art).chapter_segments(1)[-1]
    assert byline.kind == "byline"
    assert byline.text == "By Jane Doe, John Roe and Ann Poe."


def test_no_standfirst_and_no_byline_means_no_standfirst_chapter() -> None:
    art = dataclasses.replace(seed(), standfirst="", byline="", authors=())
    script = script_of(art)
    assert [c.title for c in script.chapters] == ["Headline", "Body"]
    assert not [s for s in script.segments if s.kind in ("standfirst", "byline")]


# --- the seed: the body ----------------------------------------------------------------------


def test_body_has_every_body_sentence_in_order() -> None:
    body = script_of(seed()).chapter_segments(2)
    assert body[0].text.startswith("US Secretary of State John Kerry")
    assert body[0].spoken.startswith("U-S Secretary of State John Kerry")
    assert {s.kind for s in body} == {"paragraph"}
    # sentences of one paragraph, joined, give the paragraph of the seed's plain text
    by_block: dict[int, list[str]] = {}
    for segment in body:
        by_block.setdefault(segment.block, []).append(segment.text)
    assert list(by_block) == sorted(by_block)
    spoken_paragraphs = [" ".join(texts) for texts in by_block.values()]
    txt = seed_txt_paragraphs()
    start = next(
        i for i, p in enumerate(txt) if p.startswith("US Secretary of State John Kerry and")
    )
    end = next(i for i, p in enumerate(txt) if "stories this month" in p)
    assert spoken_paragraphs == txt[start:end]


def test_body_sentences_are_sentences() -> None:
    body = script_of(seed()).chapter_segments(2)
    texts = [s.text for s in body]
    assert "It has since conducted three additional tests, including the one on Jan. 6." in texts
    assert any(t.endswith("which took place on Jan. 6.") for t in texts)
    assert any(t.startswith("But Wang made it clear") for t in texts)
    assert any(s.spoken.endswith("including the one on January 6.") for s in body)
    assert all(s.text.strip() == s.text and s.text for s in body)
    assert all(s.spoken.strip() == s.spoken and s.spoken for s in body)


@pytest.mark.parametrize("captions", ["skip", "read"])
def test_no_slash_credit_or_paywall_chrome_is_spoken(captions: str) -> None:
    segments = script_of(seed(), captions=captions).segments
    for segment in segments:
        for forbidden in ("/", "Jacquelyn", "Reuters/Pool"):
            assert forbidden not in segment.spoken
        assert "Jacquelyn" not in segment.text
        for chrome in PAYWALL_CHROME:
            assert chrome not in segment.text
            assert chrome not in segment.spoken


def test_photo_caption_is_skipped_by_default() -> None:
    script = script_of(seed(), captions="skip")
    assert not [s for s in script.segments if s.kind == "caption"]
    assert not [s for s in script.segments if "leaves a news conference" in s.text]
    assert not [s for s in script.segments if "caption" in s.spoken.lower()]


def test_photo_caption_is_read_when_asked() -> None:
    script = script_of(seed(), captions="read")
    captions = [s for s in script.segments if s.kind == "caption"]
    assert captions
    first = captions[0]
    assert first.chapter == 2
    assert first.text.startswith("Photo caption: US Secretary of State John Kerry leaves")
    assert first.spoken.startswith("Photo caption: ")
    joined = " ".join(s.text for s in captions)
    assert joined == "Photo caption: " + squash(seed().lead_figure.caption)  # type: ignore[union-attr]
    assert "Jacquelyn" not in joined
    # the caption comes before the first body sentence, and the body is otherwise the same
    body = script.chapter_segments(2)
    assert body[: len(captions)] == captions
    rest = [(s.text, s.spoken) for s in body[len(captions) :]]
    skipped = [(s.text, s.spoken) for s in script_of(seed()).chapter_segments(2)]
    assert rest == skipped


def test_figure_captions_in_the_body_follow_the_policy() -> None:
    read = [s for s in script_of(local(), captions="read").segments if s.kind == "caption"]
    assert [s.text for s in read] == [
        "Photo caption: Charges at the Quayside car park will rise from 1 April under the plans."
    ]
    assert not [s for s in script_of(local()).segments if s.kind == "caption"]


# --- pauses ----------------------------------------------------------------------------------


def _expected_pause(segment: Segment, following: Segment | None) -> int:
    """Chapter pause at a chapter's end, heading pause before a subheading, sentence pause
    inside one block, paragraph pause between blocks."""
    if following is None or following.chapter != segment.chapter:
        return PAUSES.chapter
    if following.kind == "heading":
        return PAUSES.heading
    if following.block == segment.block and following.kind == segment.kind:
        return PAUSES.sentence
    return PAUSES.paragraph


@pytest.mark.parametrize("path", [SEED_HTML, LOCAL_HTML], ids=["seed", "local"])
def test_pauses_follow_sentences_paragraphs_headings_and_chapters(path: Path) -> None:
    segments = script_of(_load(path), captions="read").segments
    for segment, following in zip(segments, [*segments[1:], None], strict=True):
        expected = _expected_pause(segment, following)
        assert segment.pause_after_ms == expected, (segment.text, following)


def test_pause_lengths_grow_from_sentence_to_paragraph_to_heading() -> None:
    pauses = load_preset("heart").pauses
    segments = script_of(local(), pauses=pauses).segments
    pairs = list(itertools.pairwise(segments))
    within = {a.pause_after_ms for a, b in pairs if a.block == b.block and a.kind == "paragraph"}
    between = {
        a.pause_after_ms
        for a, b in pairs
        if a.kind == b.kind == "paragraph" and a.block != b.block and a.chapter == b.chapter
    }
    before_heading = {a.pause_after_ms for a, b in pairs if b.kind == "heading"}
    assert len(within) == len(between) == len(before_heading) == 1
    assert max(within) < min(between) <= min(before_heading)


def test_last_segment_of_every_chapter_has_the_chapter_pause() -> None:
    for art in (seed(), local()):
        script = script_of(art)
        for number in range(len(script.chapters)):
            segments = script.chapter_segments(number)
            assert segments[-1].pause_after_ms == PAUSES.chapter
            assert all(s.pause_after_ms != PAUSES.chapter for s in segments[:-1])


HTML_WITH_SECTION_BREAK = """<html lang="en"><head><title>Council votes</title></head><body>
<article><h1>Council votes on the budget</h1>
<p>The council met on Tuesday evening to vote on the budget for next year after a long debate.</p>
<p>Councillors agreed the plan by a narrow margin, with several abstentions from the opposition.</p>
<p>The new charges take effect in April, and residents will receive their bills next month.</p>
<p>* * *</p>
</article></body></html>"""


def test_chapter_pause_after_an_article_ending_in_a_section_break() -> None:
    """The extractor keeps a "* * *" paragraph; it says nothing, so the sentence before it
    is the chapter's last and must carry the chapter pause (here: between two articles)."""
    first = newsvoice.extract_article(HTML_WITH_SECTION_BREAK, "https://example.com/council")
    paragraphs = [inline_text(b.inlines) for b in first.blocks if isinstance(b, Paragraph)]
    assert paragraphs[-1] == "* * *"
    script = script_of(first, seed())
    last = script.chapter_segments(0)[-1]
    assert last.text.startswith("The new charges take effect in April")
    assert last.pause_after_ms == PAUSES.chapter


def test_every_chapter_has_a_segment() -> None:
    """A standfirst that says nothing (a lone dash) must not leave an empty chapter: an
    empty chapter has no start time, and the audio layout cannot place it."""
    art = article(para("The only paragraph of the body."), standfirst="—")
    script = script_of(art)
    for number in range(len(script.chapters)):
        assert script.chapter_segments(number), script.chapters[number]


# --- editions --------------------------------------------------------------------------------


def test_edition_of_two_articles_has_one_chapter_per_article() -> None:
    first, second = seed(), local()
    script = script_of(first, second)
    assert [c.title for c in script.chapters] == [first.headline, second.headline]
    assert [c.article for c in script.chapters] == [0, 1]
    for number in (0, 1):
        segments = script.chapter_segments(number)
        assert {s.article for s in segments} == {number}
        assert segments[0].kind == "headline"
        kinds = [s.kind for s in segments]
        assert "standfirst" in kinds
        assert "byline" in kinds
        assert kinds.index("byline") < kinds.index("paragraph")
        assert segments[-1].pause_after_ms == PAUSES.chapter
    # the headline of an edition's article is followed by a paragraph pause, not a chapter
    assert script.chapter_segments(0)[0].pause_after_ms == PAUSES.paragraph
    # each article keeps its own sentences
    alone = [s.text for s in script_of(second).segments]
    assert [s.text for s in script.chapter_segments(1)] == alone


def test_edition_uses_each_articles_lexicon() -> None:
    lex = Lexicon((("Pyongyang", "Pyong yahng"),), "en")
    script = build_script([seed(), seed()], [NO_LEXICON, lex], PAUSES)
    first = " ".join(s.spoken for s in script.chapter_segments(0))
    second = " ".join(s.spoken for s in script.chapter_segments(1))
    assert "Pyongyang" in first
    assert "Pyong yahng" not in first
    assert "Pyong yahng" in second
    assert "Pyongyang" not in second


# --- the local-news sample: headings, lists, tables, quotes ----------------------------------


def test_headings_are_spoken() -> None:
    headings = [s for s in script_of(local()).segments if s.kind == "heading"]
    assert [s.text for s in headings] == [
        "Where the savings will come from.",
        "How the money is spent.",
        "Opposition calls for a rethink.",
        "What happens next.",
    ]
    expected = [inline_text(b.inlines) for b in local().blocks if isinstance(b, Heading)]
    assert [s.spoken.rstrip(".") for s in headings] == expected


def test_list_items_are_spoken_one_by_one() -> None:
    items = [s for s in script_of(local()).segments if s.kind == "item"]
    assert len(items) == 9
    assert items[0].text.startswith("moving staff out of the Marsh Lane offices")
    assert "pounds a year" in items[0].spoken
    assert "£" not in items[0].spoken
    assert items[-1].text.startswith("a mid-year review of the savings programme")
    assert all(s.text.endswith(".") for s in items)


def test_table_rows_are_spoken_with_their_cells() -> None:
    rows = [s for s in script_of(local()).segments if s.kind == "row"]
    texts = [s.text for s in rows]
    assert texts[0].startswith("Table: Net revenue budget by service area")
    assert "Adult social care, 17.2, 18.4, +7.0%." in texts
    assert texts[-1] == "Total, 46.3, 48.6, +5.0%."
    spoken = {s.text: s.spoken for s in rows}["Adult social care, 17.2, 18.4, +7.0%."]
    assert spoken.startswith("Adult social care, 17.2, 18.4, ")
    assert "plus" in spoken
    assert "percent" in spoken
    assert all("/" not in s.spoken and "%" not in s.spoken for s in rows)


def test_quotes_are_spoken_with_their_attribution() -> None:
    segments = script_of(local()).segments
    quote = [s for s in segments if s.kind == "quote"]
    assert [s.text for s in quote] == [
        "Cllr Raj Bhatt, cabinet member for finance, said:",
        "“I won’t pretend this budget is painless.”",
    ]
    assert quote[1].spoken == "I won't pretend this budget is painless."
    assert quote[0].block == quote[1].block
    assert quote[0].pause_after_ms == PAUSES.sentence


def test_preformatted_text_is_not_spoken() -> None:
    art = article(
        para("Before the listing."),
        Preformatted("def secret_code():\n    return 42\n"),
        para("After the listing."),
    )
    segments = script_of(art).segments
    assert [s.text for s in segments] == [
        "A plain test headline.",
        "Before the listing.",
        "After the listing.",
    ]
    assert not [s for s in segments if "secret" in s.spoken or "return" in s.spoken]


def test_a_user_lexicon_reaches_the_spoken_text_but_not_the_display_text() -> None:
    lex = Lexicon((("Pyongyang", "Pyong yahng"), ("Wang Yi", "Wahng Yee")), "en")
    script = build_script([seed()], [lex], PAUSES)
    spoken = " ".join(s.spoken for s in script.segments)
    shown = " ".join(s.text for s in script.segments)
    assert "Pyong yahng" in spoken
    assert "Pyongyang" not in spoken
    assert "Pyongyang" in shown
    assert "Pyong yahng" not in shown


def test_a_lexicon_entry_for_an_acronym_is_applied() -> None:
    """lexicon.py: apply the lexicon to the display text before normalising; an entry for
    an acronym must win over the acronym rules (which would say "Asean")."""
    lex = Lexicon((("ASEAN", "Ah-see-an"),), "en")
    art = article(para("Leaders met at the ASEAN summit in Jakarta on Friday."))
    script = build_script([art], [lex], PAUSES)
    (body,) = [s for s in script.segments if s.kind == "paragraph"]
    assert body.text == "Leaders met at the ASEAN summit in Jakarta on Friday."
    assert "Ah-see-an" in body.spoken


@pytest.mark.parametrize(
    ("language", "byline", "authors", "said"),
    [
        ("en", "By Ann Lee", (), "By Ann Lee."),
        ("en", "", ("Ann Lee", "Bo Chen"), "By Ann Lee and Bo Chen."),
        ("fr", "By Jean Dupont", (), "Par Jean Dupont."),  # the model's "By", from authors
        ("fr", "Par Jean Dupont", (), "Par Jean Dupont."),
        ("de", "", ("Hans Müller", "Eva Roth"), "Von Hans Müller und Eva Roth."),
        ("zh", "By 严玉洁", (), "严玉洁。"),  # no such word: the name, ended as Chinese ends
    ],
)
def test_the_byline_is_said_in_the_articles_language(
    language: str, byline: str, authors: tuple[str, ...], said: str
) -> None:
    article = Article(id="b", headline="H", byline=byline, authors=authors, language=language)
    script = build_script([article], [Lexicon((), language)], Pauses())
    (segment,) = [s for s in script.segments if s.kind == "byline"]
    assert segment.text == said


def test_a_quote_in_another_language_is_its_own_segment() -> None:
    from newsvoice.model import Foreign

    quote = Foreign("es", (Text("es la fiesta más bonita"),))
    short = Foreign("fr", (Text("bon appétit"),))
    article = Article(
        id="q", headline="H", language="en",
        blocks=(Paragraph((Text("She said: "), quote, Text(", and smiled. He said "), short,
                           Text(" to all."))),),
    )  # fmt: skip
    script = build_script([article], [Lexicon((), "en")], Pauses())
    body = [(s.text, s.language) for s in script.segments if s.kind == "paragraph"]
    assert body == [
        ("She said:", ""),
        ("es la fiesta más bonita,", "es"),  # normalised as Spanish, read by its voice
        ("and smiled.", ""),
        ("He said bon appétit to all.", ""),  # two words: the article's voice reads them
    ]
    joined = [s for s in script.segments if s.kind == "paragraph"]
    assert joined[0].pause_after_ms < Pauses().sentence  # one sentence: a short pause
