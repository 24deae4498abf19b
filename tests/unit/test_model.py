"""model.py: the frozen Article tree, its dict codec, identity and plain-text views."""

from __future__ import annotations

import dataclasses
import json
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsvoice.errors import InputError
from newsvoice.model import (
    CONTENT_NAMESPACE,
    PAYWALL_STATES,
    Article,
    Block,
    Cell,
    Code,
    Emphasis,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Preformatted,
    Provenance,
    Quote,
    Strong,
    Table,
    Text,
    article_id,
    block_text,
    inline_text,
)

IST = timezone(timedelta(hours=5, minutes=30))
EST = timezone(timedelta(hours=-5))
NEPAL = timezone(timedelta(hours=5, minutes=45))
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\xff\xfe"


def _p(*inlines: Inline) -> Paragraph:
    return Paragraph(tuple(inlines))


def _every_block() -> tuple[Block, ...]:
    rich = _p(
        Text("Plain, "),
        Emphasis((Text("emphasised "), Strong((Text("and strong"),)))),
        Text(" then "),
        Code("x = 1"),
        LineBreak(),
        Link("https://example.com/a?b=1", (Text("a "), Emphasis((Text("link"),)))),
        Strong((Link("mailto:desk@example.com", (Code("desk"),)),)),
    )
    nested = ListBlock(
        ordered=False,
        items=(
            ListItem((Text("first"),)),
            ListItem(
                (Strong((Text("second"),)),),
                ListBlock(
                    ordered=True,
                    items=(
                        ListItem((Text("second a"),)),
                        ListItem(
                            (Text("second b"),),
                            ListBlock(False, (ListItem((Text("deep"),)),)),
                        ),
                    ),
                ),
            ),
            ListItem((), ListBlock(True, (ListItem((Text("only a sublist"),)),))),
        ),
    )
    table = Table(
        rows=(
            (Cell((Text("Area"),), header=True), Cell((Text("2024 (£m)"),), header=True)),
            (Cell((Text("Roads"),)), Cell((Strong((Text("4.5"),)),))),
            (Cell((Text("Parks"),)), Cell(())),
        ),
        caption="Net budget by area",
    )
    return (
        Heading(2, (Text("What happened"),)),
        rich,
        Quote(
            (_p(Text("We will not walk away.")), _p(Emphasis((Text("Not ever."),)))),
            attribution="John Kerry, US Secretary of State",
        ),
        nested,
        Figure(
            Image(url="https://img.example.com/a.jpg", width=800, height=600),
            alt="A bridge at dusk",
            caption="The bridge opens in spring.",
            credit="Jane Smith/Reuters",
        ),
        Figure(Image(data=PNG_BYTES, media_type="image/png"), alt="A chart"),
        Figure(None, caption="A caption without a picture"),
        table,
        Preformatted("line one\n    indented two\n\nline four\t"),
        Heading(6, (Text("Small print"),)),
    )


def _article(**changes: Any) -> Article:
    base = Article(
        id=article_id("https://example.com/story"),
        headline="Bridge to open in spring",
        standfirst="The city says the cost is settled.",
        byline="By Ann Lee and Bob Roe",
        authors=("Ann Lee", "Bob Roe"),
        published=datetime(2024, 2, 28, 19, 5, tzinfo=IST),
        modified=datetime(2024, 2, 29, 8, 12, 47, 123456, tzinfo=EST),
        section="Local",
        site_name="Harbourton Gazette",
        url="https://example.com/story",
        language="en-GB",
        lead_figure=Figure(
            Image(url="https://img.example.com/lead.jpg", width=1600),
            alt="The bridge",
            caption="Work on the bridge in January.",
            credit="Tom Ellery",
        ),
        blocks=_every_block(),
        paywall="open",
        provenance=Provenance(
            source="https://example.com/story",
            final_url="https://www.example.com/story",
            media_type="text/html",
            encoding="windows-1252",
            encoding_source="meta",
            encoding_was_guessed=True,
            sha256="ab" * 32,
            extractor_version="1",
        ),
    )
    return dataclasses.replace(base, **changes)


def _assert_round_trip(article: Article) -> None:
    data = article.to_dict()
    back = Article.from_dict(data)
    assert back == article
    assert back.to_dict() == data  # offsets, bytes and flags survive, not just instants
    via_json = Article.from_dict(json.loads(json.dumps(data)))
    assert via_json == article
    assert via_json.to_dict() == data


# --- round trip ----------------------------------------------------------------------------


@pytest.mark.parametrize("paywall", PAYWALL_STATES)
def test_round_trip_with_every_block_type(paywall: str) -> None:
    _assert_round_trip(_article(paywall=paywall))


def test_paywall_states_are_the_documented_three() -> None:
    assert set(PAYWALL_STATES) == {"open", "truncated", "unknown"}


def test_round_trip_keeps_non_utc_offsets() -> None:
    article = _article(
        published=datetime(2016, 1, 27, 12, 58, tzinfo=EST),
        modified=datetime(2016, 1, 27, 23, 59, 59, tzinfo=NEPAL),
    )
    back = Article.from_dict(json.loads(json.dumps(article.to_dict())))
    assert back.published is not None
    assert back.modified is not None
    assert back.published.utcoffset() == timedelta(hours=-5)
    assert back.modified.utcoffset() == timedelta(hours=5, minutes=45)
    assert (back.published.hour, back.modified.second) == (12, 59)


def test_round_trip_of_a_minimal_article() -> None:
    article = Article(id="x", headline="Only a headline")
    _assert_round_trip(article)
    assert article.to_dict()["published"] is None
    assert article.to_dict()["lead_figure"] is None


def test_image_bytes_round_trip_through_base64() -> None:
    article = _article(lead_figure=Figure(Image(data=PNG_BYTES, media_type="image/png")))
    data = json.loads(json.dumps(article.to_dict()))
    assert isinstance(data["lead_figure"]["image"]["data"], str)
    back = Article.from_dict(data)
    assert back.lead_figure is not None
    assert back.lead_figure.image is not None
    assert back.lead_figure.image.data == PNG_BYTES
    assert back.lead_figure.image.url is None


def test_empty_image_bytes_stay_bytes() -> None:
    article = _article(lead_figure=Figure(Image(data=b"")))
    _assert_round_trip(article)


def test_dict_uses_lists_and_is_json_ready() -> None:
    data = _article().to_dict()
    assert data["authors"] == ["Ann Lee", "Bob Roe"]
    assert isinstance(data["blocks"], list)
    assert data["published"] == "2024-02-28T19:05:00+05:30"
    json.dumps(data)  # nothing that json cannot encode


# --- hypothesis ----------------------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
URLS = st.sampled_from(["https://example.com/", "http://a.example/x?y=1", "mailto:a@b.example"])
ZONES = st.one_of(
    st.just(UTC),
    st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
        lambda m: timezone(timedelta(minutes=m))
    ),
)
DATES = st.none() | st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=ZONES
)


def _tuple_of(
    inner: st.SearchStrategy[Any], max_size: int = 3
) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(inner, max_size=max_size).map(tuple)


INLINES = st.recursive(
    st.one_of(st.builds(Text, TEXT), st.builds(Code, TEXT), st.just(LineBreak())),
    lambda kids: st.one_of(
        st.builds(Emphasis, _tuple_of(kids)),
        st.builds(Strong, _tuple_of(kids)),
        st.builds(Link, URLS, _tuple_of(kids)),
    ),
    max_leaves=6,
)
INLINE_RUN = _tuple_of(INLINES)
IMAGES = st.none() | st.builds(
    Image,
    url=st.none() | URLS,
    data=st.none() | st.binary(max_size=16),
    media_type=st.none() | st.sampled_from(["image/png", "image/jpeg"]),
    width=st.none() | st.integers(0, 10_000),
    height=st.none() | st.integers(0, 10_000),
)
FIGURES = st.builds(Figure, IMAGES, alt=TEXT, caption=TEXT, credit=TEXT)
LISTS = st.recursive(
    st.builds(ListBlock, st.booleans(), _tuple_of(st.builds(ListItem, INLINE_RUN))),
    lambda sub: st.builds(
        ListBlock,
        st.booleans(),
        _tuple_of(st.builds(ListItem, INLINE_RUN, st.none() | sub)),
    ),
    max_leaves=3,
)
TABLES = st.builds(
    Table,
    _tuple_of(_tuple_of(st.builds(Cell, INLINE_RUN, st.booleans()))),
    caption=TEXT,
)
SIMPLE_BLOCKS = st.one_of(
    st.builds(Heading, st.integers(1, 6), INLINE_RUN),
    st.builds(Paragraph, INLINE_RUN),
    LISTS,
    FIGURES,
    TABLES,
    st.builds(Preformatted, TEXT),
)
BLOCKS = st.recursive(
    SIMPLE_BLOCKS,
    lambda kids: st.builds(Quote, _tuple_of(kids), attribution=TEXT),
    max_leaves=4,
)
PROVENANCE = st.builds(
    Provenance,
    source=TEXT,
    final_url=st.none() | URLS,
    media_type=st.sampled_from(["text/html", "text/plain"]),
    encoding=st.sampled_from(["utf-8", "windows-1252", "shift_jis"]),
    encoding_source=st.sampled_from(["bom", "http-header", "meta", "detected", "default"]),
    encoding_was_guessed=st.booleans(),
    sha256=st.text("0123456789abcdef", max_size=64),
    extractor_version=TEXT,
)
ARTICLES = st.builds(
    Article,
    id=TEXT,
    headline=TEXT,
    standfirst=TEXT,
    byline=TEXT,
    authors=_tuple_of(TEXT),
    published=DATES,
    modified=DATES,
    section=TEXT,
    site_name=TEXT,
    url=st.none() | URLS,
    language=st.sampled_from(["und", "en", "de-CH", "zh-Hant-TW"]),
    lead_figure=st.none() | FIGURES,
    blocks=_tuple_of(BLOCKS, max_size=4),
    paywall=st.sampled_from(PAYWALL_STATES),
    provenance=PROVENANCE,
)


@settings(max_examples=50, deadline=None)
@given(ARTICLES)
def test_any_article_round_trips_through_json(article: Article) -> None:
    data = article.to_dict()
    text = json.dumps(data, ensure_ascii=False)
    back = Article.from_dict(json.loads(text))
    assert back == article
    assert back.to_dict() == data


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["published", "modified"])
def test_naive_datetimes_are_rejected(field: str) -> None:
    kwargs: dict[str, Any] = {field: datetime(2024, 1, 1, 12, 0)}
    with pytest.raises(ValueError, match=field):
        Article(id="x", headline="h", **kwargs)


def test_aware_datetimes_are_accepted() -> None:
    article = Article(id="x", headline="h", published=datetime(2024, 1, 1, tzinfo=IST))
    assert article.published is not None


@pytest.mark.parametrize("paywall", ["", "closed", "OPEN", "free", None])
def test_bad_paywall_value_is_rejected(paywall: Any) -> None:
    with pytest.raises(ValueError, match="paywall"):
        Article(id="x", headline="h", paywall=paywall)


def test_article_is_frozen() -> None:
    article = _article()
    with pytest.raises(dataclasses.FrozenInstanceError):
        article.headline = "changed"  # type: ignore[misc]


def _valid() -> dict[str, Any]:
    return _article().to_dict()


def _with(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(_valid()))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


GARBAGE = {
    "none": None,
    "string": "not an article",
    "list": [1, 2, 3],
    "empty dict": {},
    "no provenance": {"id": "x", "headline": "h"},
    "no headline": {"id": "x", "provenance": {"source": "-"}},
    "unknown block type": _with(("blocks",), [{"type": "video"}]),
    "unknown inline type": _with(("blocks",), [{"type": "paragraph", "inlines": [{"type": "u"}]}]),
    "block not a mapping": _with(("blocks",), [42]),
    "blocks not a list": _with(("blocks",), 7),
    "bad date": _with(("published",), "last Tuesday"),
    "date not a string": _with(("published",), 20240101),
    "naive date": _with(("published",), "2024-01-01T10:00:00"),
    "bad paywall": _with(("paywall",), "maybe"),
    "bad base64": _with(("lead_figure", "image", "data"), "!!!"),
    "provenance not a mapping": _with(("provenance",), "x"),
    "lead figure not a mapping": _with(("lead_figure",), "a picture"),
    "image not a mapping": _with(("lead_figure", "image"), "https://img.example.com/a.jpg"),
    "list item not a mapping": _with(("blocks",), [{"type": "list", "ordered": 1, "items": [3]}]),
}


@pytest.mark.parametrize("data", list(GARBAGE.values()), ids=list(GARBAGE))
def test_from_dict_of_garbage_raises_input_error(data: Any) -> None:
    with pytest.raises(InputError):
        Article.from_dict(data)


# --- identity ------------------------------------------------------------------------------


def test_article_id_of_a_url_is_its_uuid5() -> None:
    url = "https://example.com/2024/02/28/story"
    assert article_id(url) == str(uuid.uuid5(uuid.NAMESPACE_URL, url))
    assert article_id(url) == article_id(url, "ignored", "content")
    assert uuid.UUID(article_id(url)).version == 5


def test_article_ids_of_different_urls_differ() -> None:
    assert article_id("https://example.com/a") != article_id("https://example.com/b")


@pytest.mark.parametrize("url", [None, ""])
def test_article_id_without_url_is_content_based_and_stable(url: str | None) -> None:
    first = article_id(url, "Gazette", "Bridge to open", "2024-02-28T19:05:00+00:00")
    again = article_id(url, "Gazette", "Bridge to open", "2024-02-28T19:05:00+00:00")
    assert first == again
    assert first == str(
        uuid.uuid5(CONTENT_NAMESPACE, "Gazette\nBridge to open\n2024-02-28T19:05:00+00:00")
    )
    assert first != article_id(url, "Gazette", "Bridge to close", "2024-02-28T19:05:00+00:00")
    assert uuid.UUID(first).version == 5


def test_content_namespace_is_pinned() -> None:
    # changing it would change every stored id, feed GUID and EPUB identifier
    assert str(CONTENT_NAMESPACE) == "6f1d3c52-8a55-5b7e-9a2e-2d6c1f0b9e41"


# --- derived text --------------------------------------------------------------------------


def test_text_separates_blocks_by_blank_lines_and_leaves_out_figures() -> None:
    article = Article(
        id="x",
        headline="Headline is not body",
        lead_figure=Figure(Image(url="https://i.example/a.jpg"), caption="LEAD CAPTION"),
        blocks=(
            Heading(2, (Text("A heading"),)),
            _p(Text("First  paragraph,"), LineBreak(), Text(" second line.")),
            Figure(
                Image(url="https://i.example/b.jpg"),
                alt="ALT",
                caption="BODY CAPTION",
                credit="CREDIT",
            ),
            _p(Text("Last "), Emphasis((Text("paragraph"),)), Text(".")),
        ),
    )
    assert article.text == "A heading\n\nFirst paragraph, second line.\n\nLast paragraph."
    for hidden in ("LEAD CAPTION", "BODY CAPTION", "ALT", "CREDIT", "Headline"):
        assert hidden not in article.text
    assert article.word_count == 8


def test_text_skips_empty_blocks() -> None:
    article = Article(id="x", headline="h", blocks=(_p(), _p(Text("  ")), _p(Text("Only."))))
    assert article.text == "Only."


def test_block_text_of_nested_list_is_one_item_per_line() -> None:
    block = ListBlock(
        ordered=True,
        items=(
            ListItem((Text("one"),)),
            ListItem(
                (Text("two "), Strong((Text("bold"),))),
                ListBlock(False, (ListItem((Text("two a"),)), ListItem((Text("two b"),)))),
            ),
            ListItem(()),
            ListItem((Text("three"),)),
        ),
    )
    assert block_text(block) == "one\ntwo bold\ntwo a\ntwo b\nthree"


def test_block_text_of_table_is_rows_of_cells() -> None:
    table = Table(
        rows=(
            (Cell((Text("Area"),), header=True), Cell((Text("2024"),), header=True)),
            (Cell((Text(" Roads "),)), Cell((Text("4.5"),))),
        ),
        caption="CAPTION",
    )
    assert block_text(table) == "Area | 2024\nRoads | 4.5"


def test_block_text_of_quote_preformatted_and_figure() -> None:
    quote = Quote((_p(Text("One.")), _p(Text("Two."))), attribution="Someone")
    assert block_text(quote) == "One.\n\nTwo."
    assert block_text(Preformatted("a\n  b")) == "a\n  b"
    assert block_text(Figure(None, caption="cap", credit="cred")) == ""


def test_inline_text_flattens_nesting() -> None:
    nodes = (Text("a "), Link("https://e.com/", (Emphasis((Text("b"),)),)), Code(" c"))
    assert inline_text(nodes) == "a b c"
