"""speech/sentences.py: normalised text → sentences an engine takes one at a time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsvoice.narration.normalize import normalize
from newsvoice.narration.sentences import opens_sentence, split_sentences

SEED = Path(__file__).resolve().parents[3] / "samples" / "seed-kerry-china.txt"


def _case(text: str, expected: list[str]) -> object:
    return pytest.param(text, expected, id=text[:40])


SPLITS = [
    _case("One. Two.", ["One.", "Two."]),
    _case("Really? Yes! Fine.", ["Really?", "Yes!", "Fine."]),
    _case("It grew. 500 people came.", ["It grew.", "500 people came."]),
    _case('He said "no." Then left.', ['He said "no."', "Then left."]),
    _case("He said “no.” Then left.", ["He said “no.”", "Then left."]),
    _case("(It rained.) Then it stopped.", ["(It rained.)", "Then it stopped."]),
    _case('It ended. "Never again," she said.', ["It ended.", '"Never again," she said.']),
    _case("Wait… What now?", ["Wait…", "What now?"]),
    _case("Stop?! Why.", ["Stop?!", "Why."]),
    _case("on January 6. But Wang", ["on January 6.", "But Wang"]),
    _case("in the U-S. The talks", ["in the U-S.", "The talks"]),
    _case("Plan B. The rest", ["Plan B.", "The rest"]),
    _case("Dr. Who? Yes.", ["Dr. Who?", "Yes."]),
    _case(
        "Prices rose by 1.9 percent. Wages fell.", ["Prices rose by 1.9 percent.", "Wages fell."]
    ),
    _case("Line one\nLine two", ["Line one", "Line two"]),
    _case("Headline without stop\nBody. More.", ["Headline without stop", "Body.", "More."]),
    _case("Он пришёл. Она ушла.", ["Он пришёл.", "Она ушла."]),
    _case("قال ذلك. ثم غادر.", ["قال ذلك.", "ثم غادر."]),
    _case("你好。我很好！谢谢？", ["你好。", "我很好！", "谢谢？"]),
    _case("「你好。」他说。", ["「你好。」", "他说。"]),
]

NO_SPLITS = [
    "John F. Kennedy was president.",
    "J. K. Rowling wrote it.",
    "ready to cooperate more on N. Korea?",
    "Mr. Wang insisted.",
    "Mrs. Smith and Dr. Jones met.",
    "Sen. Smith and Gov. Jones spoke.",
    "The U.S. President spoke.",
    "at 5 a.m. Eastern time",
    "No. 5 is next.",
    "on Jan. 6 the test",
    "It rose 1.9 percent.",
    "He left. then came back.",
    "Apple Inc. Chief Executive Tim Cook",
    "Roe v. Wade",
    "Visit example.com today.",
    "He is 5 ft. tall.",
]


@pytest.mark.parametrize(("text", "expected"), SPLITS)
def test_splits(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize("text", NO_SPLITS)
def test_no_split(text: str) -> None:
    assert split_sentences(text) == [text]


def test_empty_and_blank_text_give_no_pieces() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\t \n") == []


def test_white_space_inside_a_line_is_collapsed() -> None:
    assert split_sentences("  One.   Two\tthree.  ") == ["One.", "Two three."]


def test_other_languages_have_no_abbreviation_list() -> None:
    assert split_sentences("Mr. Wang kam.", "de") == ["Mr.", "Wang kam."]
    assert split_sentences("Mr. Wang came.", "en") == ["Mr. Wang came."]


@pytest.mark.parametrize(("word", "expected"), [("The", True), ("But", True), ("Korea", False)])
def test_opens_sentence(word: str, expected: bool) -> None:
    assert opens_sentence(word) is expected
    assert opens_sentence(word, "de") is False


# --- long sentences ------------------------------------------------------------------------


def test_a_long_sentence_is_halved_at_a_semicolon_near_the_middle() -> None:
    text = "alpha " * 30 + "middle; " + "beta " * 30 + "end, of it."
    pieces = split_sentences(text, max_chars=200)
    assert pieces[0].endswith("middle;")
    assert all(len(p) <= 200 for p in pieces)


def test_a_long_sentence_prefers_a_comma_to_a_space() -> None:
    text = "word " * 20 + "comma, " + "word " * 20
    pieces = split_sentences(text.strip(), max_chars=120)
    assert pieces[0].endswith("comma,")


def test_a_long_sentence_without_punctuation_is_cut_at_spaces() -> None:
    text = " ".join(f"w{i}" for i in range(500))
    pieces = split_sentences(text, max_chars=50)
    assert all(0 < len(p) <= 50 for p in pieces)
    assert " ".join(pieces) == text


def test_a_run_without_spaces_is_hard_cut() -> None:
    pieces = split_sentences("x" * 1000, max_chars=64)
    assert all(0 < len(p) <= 64 for p in pieces)
    assert "".join(pieces) == "x" * 1000


def test_a_two_megabyte_paragraph_is_split_quickly() -> None:
    text = "word " * 400_000  # 2 MB, no punctuation at all
    started = time.perf_counter()
    pieces = split_sentences(text)
    assert time.perf_counter() - started < 2.0
    assert all(0 < len(p) <= 400 for p in pieces)
    assert sum(len(p) + 1 for p in pieces) == len(text)


def test_max_chars_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_chars"):
        split_sentences("One.", max_chars=0)


# --- the seed article ----------------------------------------------------------------------


def test_seed_sentences() -> None:
    sentences = split_sentences(normalize(SEED.read_text("utf-8")))
    assert sentences[0] == "Are the U-S and China ready to cooperate more on North Korea?"
    assert sentences[3] == "Jacquelyn Martin Reuters Pool"
    assert any(s.endswith("which took place on January 6.") for s in sentences)
    assert "But Wang made it clear" in " ".join(sentences)
    assert all(len(s) <= 400 for s in sentences)


def test_seed_display_text_splits_sensibly_too() -> None:
    sentences = split_sentences(SEED.read_text("utf-8"))
    assert sentences[0] == "Are the US and China ready to cooperate more on N. Korea?"
    assert any(s.endswith("took place on Jan. 6.") for s in sentences)
    assert any(s.startswith("For his part, Mr. Wang insisted") for s in sentences)


# --- properties ----------------------------------------------------------------------------

WORDS = st.sampled_from(
    ["The", "a", "Mr.", "F.", "U.S.", "1.9", "end.", "Why?", "Go!", "said,", "x;", "“Yes.”",
     "(Then)", "No.", "5", "Korea", "word", "é", "Über.", "and…", "—", "ok"]
)  # fmt: skip
PLAIN = st.lists(st.one_of(WORDS, st.text("abcXYZ.?!,; ", min_size=1, max_size=12)), max_size=60)


@settings(max_examples=300, deadline=None)
@given(PLAIN.map(" ".join), st.integers(min_value=8, max_value=120))
def test_pieces_join_back_to_the_text(text: str, max_chars: int) -> None:
    pieces = split_sentences(text, max_chars=max_chars)
    assert all(p and p == p.strip() and len(p) <= max_chars for p in pieces)
    if all(len(word) <= max_chars for word in text.split()):
        assert " ".join(pieces) == " ".join(text.split())


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.integers(min_value=1, max_value=50))
def test_any_text_keeps_every_character(text: str, max_chars: int) -> None:
    pieces = split_sentences(text, max_chars=max_chars)
    assert all(p and p == p.strip() and len(p) <= max_chars for p in pieces)
    assert "".join("".join(p.split()) for p in pieces) == "".join(text.split())


def test_a_french_closing_quote_after_a_space_ends_the_sentence_with_it() -> None:
    text = "Il a dit : « Je pars demain. » S’il revient, tant mieux. « Vraiment ? » Oui."
    assert split_sentences(text, "fr") == [
        "Il a dit : « Je pars demain. »",
        "S’il revient, tant mieux.",
        "« Vraiment ? »",
        "Oui.",
    ]
