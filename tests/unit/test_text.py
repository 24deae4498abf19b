"""text.py: character cleaning, white space, tidy punctuation, word counts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsvoice.text import clean_chars, collapse_spaces, squash, tidy, word_count

# Characters XML 1.0 forbids (lxml and feedgen crash on them).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


# --- clean_chars ---------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f"])
def test_c0_controls_are_dropped(char: str) -> None:
    assert clean_chars(f"a{char}b") == "ab"


def test_delete_is_dropped() -> None:
    assert clean_chars("a\x7fb") == "ab"


def test_tab_newline_and_carriage_return_are_kept() -> None:
    assert clean_chars("a\tb\nc\rd") == "a\tb\nc\rd"


@pytest.mark.parametrize("char", [chr(0xD800), chr(0xDBFF), chr(0xDC00), chr(0xDFFF)])
def test_lone_surrogates_are_dropped(char: str) -> None:
    assert clean_chars(f"a{char}b") == "ab"


@pytest.mark.parametrize("char", ["\ufffe", "\uffff"])
def test_noncharacters_are_dropped(char: str) -> None:
    assert clean_chars(f"a{char}b") == "ab"


@pytest.mark.parametrize(
    "char",
    ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"],
)
def test_bidi_overrides_and_isolates_are_dropped(char: str) -> None:
    assert clean_chars(f"invoice{char}fdp.exe") == "invoicefdp.exe"


@pytest.mark.parametrize("char", ["\u00ad", "\u200b", "\u2060", "\ufeff"])
def test_invisible_characters_are_dropped(char: str) -> None:
    assert clean_chars(f"news{char}paper") == "newspaper"


@pytest.mark.parametrize(
    ("c1", "meaning"),
    [
        ("\x80", "€"),
        ("\x85", "…"),
        ("\x91", "‘"),
        ("\x92", "’"),
        ("\x93", "“"),
        ("\x94", "”"),
        ("\x96", "–"),
        ("\x97", "—"),
        ("\x99", "™"),
        ("\x9f", "Ÿ"),
    ],
)
def test_c1_controls_read_as_cp1252(c1: str, meaning: str) -> None:
    assert clean_chars(f"a{c1}b") == f"a{meaning}b"


@pytest.mark.parametrize("c1", ["\x81", "\x8d", "\x8f", "\x90", "\x9d"])
def test_c1_controls_undefined_in_cp1252_are_dropped(c1: str) -> None:
    assert clean_chars(f"a{c1}b") == "ab"


def test_mojibake_sentence_is_repaired() -> None:
    assert clean_chars("\x93Don\x92t,\x94 she said \x96 twice\x85") == "“Don’t,” she said – twice…"


def test_output_is_nfc() -> None:
    assert clean_chars("Cafe\u0301 nai\u0308ve") == "Café naïve"
    assert clean_chars("\u1100\u1161") == "\uac00"  # Hangul jamo compose


def test_nfc_composes_across_a_removed_character() -> None:
    assert clean_chars("e\u200b\u0301") == "é"


def test_ordinary_text_is_unchanged() -> None:
    text = "Straße, “Grüße” – 市长周一表示 😀 مرحبا"
    assert clean_chars(text) == text


SPECIAL = st.sampled_from(
    [
        "\x00",
        "\x0b",
        "\x1f",
        "\x7f",
        "\x81",
        "\x85",
        "\x93",
        "\ud800",
        "\udfff",
        "\ufffe",
        "\uffff",
        "\u202e",
        "\u2066",
        "\u00ad",
        "\ufeff",
        "\u0301",
        "\u0308",
        "e",
        "\t",
        "\n",
    ]
)
ANY_TEXT = st.text(st.one_of(st.characters(exclude_categories=()), SPECIAL), max_size=40)


@settings(max_examples=150, deadline=None)
@given(ANY_TEXT)
def test_clean_chars_output_is_xml_legal_and_idempotent(text: str) -> None:
    once = clean_chars(text)
    assert XML_ILLEGAL.search(once) is None
    assert BIDI_CONTROLS.search(once) is None
    assert re.search("[\x80-\x9f]", once) is None
    assert clean_chars(once) == once
    once.encode("utf-8")  # no lone surrogates left


# --- squash / collapse_spaces --------------------------------------------------------------


def test_squash_collapses_every_kind_of_space_and_trims() -> None:
    assert squash("  a \t\n b\u00a0c\u2003d\u3000e\u202f f\r\n") == "a b c d e f"


def test_squash_cleans_characters_too() -> None:
    assert squash("a\x00 \u200bb\x92s") == "a b’s"


def test_squash_of_white_space_is_empty() -> None:
    assert squash(" \t\n\u00a0 ") == ""


def test_collapse_spaces_does_not_trim() -> None:
    assert collapse_spaces("  a \n b  ") == " a b "


# --- tidy ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("messy", "tidied"),
    [
        ("By Jane Doe , Staff", "By Jane Doe, Staff"),
        ("Wait !", "Wait!"),
        ("Really ?", "Really?"),
        ("It ended .", "It ended."),
        ("up 5 %", "up 5%"),
        ("( a note )", "(a note)"),
        ("[ 1 ]", "[1]"),
        ("“ Hello , ” she said", "“Hello,” she said"),
        ("« Bonjour »", "«Bonjour»"),
        ("a - b", "a - b"),
        ("No change here.", "No change here."),
    ],
)
def test_tidy_removes_spaces_left_by_joined_markup(messy: str, tidied: str) -> None:
    assert tidy(messy) == tidied


# --- word_count ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("   ", 0),
        ("one", 1),
        ("Hello, world! It's 2024.", 5),
        ("Straße café naïve", 3),
        ("well-known", 2),
        ("— – …", 0),
    ],
)
def test_word_count(text: str, count: int) -> None:
    assert word_count(text) == count
