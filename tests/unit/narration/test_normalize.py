"""speech/normalize.py: display text → text a TTS engine reads right."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsvoice.narration.normalize import ENGLISH, NEUTRAL, normalize, rules_for
from newsvoice.narration.sentences import split_sentences

SEED = Path(__file__).resolve().parents[3] / "samples" / "seed-kerry-china.txt"


def _case(text: str, expected: str) -> object:
    return pytest.param(text, expected, id=text[:40])


# --- the seed article's hard spots -----------------------------------------------------------

SEED_SPOTS = [
    _case(
        "Are the US and China ready to cooperate more on N. Korea?",
        "Are the U-S and China ready to cooperate more on North Korea?",
    ),
    _case("which took place on Jan. 6. But Wang", "which took place on January 6. But Wang"),
    _case("the one on Jan. 6.", "the one on January 6."),
    _case("For his part, Mr. Wang insisted", "For his part, Mister Wang insisted"),
    _case("Unlimited digital access $11/month.", "Unlimited digital access 11 dollars a month."),
    _case("Jacquelyn Martin/Reuters/Pool", "Jacquelyn Martin Reuters Pool"),
    _case(
        "six-party talks – which have included South Korea, Russia, and Japan – began in 2003",
        "six-party talks, which have included South Korea, Russia, and Japan, began in 2003",
    ),
    _case("China’s foreign minister", "China's foreign minister"),
    _case("“This is a threat,” Kerry said.", "This is a threat, Kerry said."),
    _case("We don’t want to heighten", "We don't want to heighten"),
    _case('any "groundless speculation" on', "any groundless speculation on"),
    _case("the destabilize the Korean Peninsula.”", "the destabilize the Korean Peninsula."),
    _case("a UN resolution", "a U-N resolution"),
    _case("the U.S. and China", "the U-S and China"),
    _case("a grim-faced Kerry", "a grim-faced Kerry"),
    _case("began in 2003, but failed", "began in 2003, but failed"),
]


@pytest.mark.parametrize(("text", "expected"), SEED_SPOTS)
def test_seed_hard_spots(text: str, expected: str) -> None:
    assert normalize(text) == expected


# --- abbreviations ---------------------------------------------------------------------------

ABBREVIATIONS = [
    _case("N. Korea", "North Korea"),
    _case("N.Korea's test", "North Korea's test"),
    _case("S. Korea", "South Korea"),
    _case("N Korea", "North Korea"),
    _case("S. Africa and N. Ireland", "South Africa and Northern Ireland"),
    _case("Mr. Smith", "Mister Smith"),
    _case("Mr Smith", "Mister Smith"),
    _case("Mrs. Smith", "Missus Smith"),
    _case("Ms. Smith", "Miz Smith"),
    _case("Dr. Smith", "Doctor Smith"),
    _case("Prof. Smith", "Professor Smith"),
    _case("Sen. Smith", "Senator Smith"),
    _case("Rep. Smith", "Representative Smith"),
    _case("Gov. Smith", "Governor Smith"),
    _case("Gen. Smith", "General Smith"),
    _case("Lt. Col. Smith", "Lieutenant Colonel Smith"),
    _case("Capt. Smith", "Captain Smith"),
    _case("Sgt. Smith", "Sergeant Smith"),
    _case("Rev. Smith", "Reverend Smith"),
    _case("St. Louis", "Saint Louis"),
    _case("St Andrews", "Saint Andrews"),
    _case("on Main St. in town", "on Main Street in town"),
    _case("on Main St. The next day", "on Main Street. The next day"),
    _case("Martin Luther King Jr. said", "Martin Luther King Junior said"),
    _case("George Smith Sr. said", "George Smith Senior said"),
    _case("Apple Inc. said", "Apple Inc said"),
    _case("Smith & Co. shares", "Smith and Company shares"),
    _case("Roe v. Wade", "Roe versus Wade"),
    _case("Chelsea vs. Arsenal", "Chelsea versus Arsenal"),
    _case("Chelsea vs Arsenal", "Chelsea versus Arsenal"),
    _case("apples, pears, etc. and more", "apples, pears, et cetera and more"),
    _case("apples, pears, etc.", "apples, pears, et cetera."),
    _case("fruit, e.g. apples", "fruit, for example apples"),
    _case("fruit, i.e. apples", "fruit, that is apples"),
    _case("No. 5 shirt", "number 5 shirt"),
    _case("No. The answer", "No. The answer"),
    _case("approx. 5 people", "approximately 5 people"),
    _case("Jan. 6, 2016", "January 6, 2016"),
    _case("Sept. 11", "September 11"),
    _case("Sep 11", "September 11"),
    _case("in Dec. The", "in December. The"),
    _case("John F. Kennedy", "John F Kennedy"),
    _case("J. K. Rowling", "J K Rowling"),
    _case("Plan B. The rest", "Plan B. The rest"),
    _case("Mr.Smith", "Mister Smith"),
]


@pytest.mark.parametrize(("text", "expected"), ABBREVIATIONS)
def test_abbreviations(text: str, expected: str) -> None:
    assert normalize(text) == expected


# --- acronyms --------------------------------------------------------------------------------

ACRONYMS = [
    _case("UN", "U-N"),
    _case("the US", "the U-S"),
    _case("FBI agents", "F-B-I agents"),
    _case("U.S.", "U-S."),
    _case("U.K. ministers", "U-K ministers"),
    _case("the U.N. said", "the U-N said"),
    _case("E.U. rules", "E-U rules"),
    _case("in the U.S. The next day", "in the U-S. The next day"),
    _case("U.S. President", "U-S President"),
    _case("NATO allies", "Nato allies"),
    _case("NASA and UNESCO", "Nasa and Unesco"),
    _case("COVID-19 cases", "Covid-19 cases"),
    _case("NATO's role", "Nato's role"),
    _case("CEOs", "C-E-O's"),
    _case("the UN's", "the U-N's"),
    _case("UN-backed talks", "U-N-backed talks"),
    _case("AI models", "A-I models"),
    _case("AT&T", "A-T and T"),
    _case("World War II", "World War II"),
    _case("Henry VIII", "Henry VIII"),
    _case("It was NOT true", "It was not true"),
    _case("BREAKING NEWS: US AND CHINA AGREE", "BREAKING NEWS: US AND CHINA AGREE"),
    _case("MP3 and G7", "MP3 and G7"),
    _case("at 9 PM", "at 9 PM"),
    _case("a SPECTACULAR win", "a SPECTACULAR win"),
]


@pytest.mark.parametrize(("text", "expected"), ACRONYMS)
def test_acronyms(text: str, expected: str) -> None:
    assert normalize(text) == expected


# --- dates, times and numbers ----------------------------------------------------------------

NUMBERS = [
    _case("2016-01-27", "January 27, 2016"),
    _case("on 2016-01-07.", "on January 7, 2016."),
    _case("2016-13-40", "2016-13-40"),
    _case("1/27/2016", "January 27, 2016"),
    _case("27/1/2016", "January 27, 2016"),
    _case("1,300", "1300"),
    _case("1,300,000 people", "1300000 people"),
    _case("1,300.50", "1300.50"),
    _case("In 2003, 500 people", "In 2003, 500 people"),
    _case("37%", "37 percent"),
    _case("37 %", "37 percent"),
    _case("10-15%", "10 to 15 percent"),
    _case("1st, 2nd, 3rd and 4th", "1st, 2nd, 3rd and 4th"),
    _case("2003–2009", "2003 to 2009"),
    _case("2003 – 2009", "2003 to 2009"),
    _case("2003-09", "2003 to 2009"),
    _case("the 1999-00 season", "the 1999 to 2000 season"),
    _case("10-15", "10 to 15"),
    _case("won 3-1", "won 3 1"),
    _case("call 555-1234", "call 555 1234"),
    _case("5:27 am", "5 27 AM"),
    _case("5:27 a.m. on Monday", "5 27 AM on Monday"),
    _case("at 5 p.m. The", "at 5 PM. The"),
    _case("at 5pm", "at 5 PM"),
    _case("9:05", "9 oh 5"),
    _case("9:00", "9 o'clock"),
    _case("9:00 pm", "9 PM"),
    _case("17:00", "17 hundred"),
    _case("1/2", "one half"),
    _case("3/4", "three quarters"),
    _case("2 1/2 years", "2 and one half years"),
    _case("2½ years", "2 and one half years"),
    _case("7/10", "7 out of 10"),
    _case("9/11", "9 11"),
    _case("24/7", "24 7"),
    _case("1.9°F", "1.9 degrees Fahrenheit"),
    _case("30 °C", "30 degrees Celsius"),
    _case("1°C", "1 degree Celsius"),
    _case("-5°C", "minus 5 degrees Celsius"),
    _case("−5", "minus 5"),
    _case("120 km/h", "120 kilometres per hour"),
    _case("60 mph", "60 miles per hour"),
    _case("5 km", "5 kilometres"),
    _case("1 km", "1 kilometre"),
    _case("speed in km/h", "speed in kilometres per hour"),
    _case("5bn people", "5 billion people"),
    _case("2x faster", "2 times faster"),
    _case("a 4x4", "a 4x4"),
    _case("the 2024/25 budget", "the 2024 to 2025 budget"),
    _case("the 1999/00 season", "the 1999 to 2000 season"),
    _case("2015/17", "2015 17"),
    _case("50+", "50 plus"),
    _case("#1", "number 1"),
]


@pytest.mark.parametrize(("text", "expected"), NUMBERS)
def test_dates_times_and_numbers(text: str, expected: str) -> None:
    assert normalize(text) == expected


MONEY = [
    _case("$11", "11 dollars"),
    _case("$1", "1 dollar"),
    _case("$11/month", "11 dollars a month"),
    _case("$5/yr", "5 dollars a year"),
    _case("$1.5m", "1.5 million dollars"),
    _case("$1.5 million", "1.5 million dollars"),
    _case("$4bn", "4 billion dollars"),
    _case("$4 bn", "4 billion dollars"),
    _case("$10k", "10 thousand dollars"),
    _case("£4.2m", "4.2 million pounds"),
    _case("€3", "3 euros"),
    _case("¥500", "500 yen"),
    _case("$0.50", "50 cents"),
    _case("$0.01", "1 cent"),
    _case("£0.50", "50 pence"),
    _case("$11.99", "11 dollars 99"),
    _case("$11.00", "11 dollars"),
    _case("$1,300", "1300 dollars"),
    _case("US$5", "5 dollars"),
    _case("HK$5", "5 Hong Kong dollars"),
    _case("$10-15 million", "10 to 15 million dollars"),
    _case("$10-$15", "10 to 15 dollars"),
    _case("$5 more", "5 dollars more"),
    _case("spending (£m)", "spending, million pounds"),
]


@pytest.mark.parametrize(("text", "expected"), MONEY)
def test_money(text: str, expected: str) -> None:
    assert normalize(text) == expected


# --- symbols, slashes, web addresses ----------------------------------------------------------

SYMBOLS = [
    _case("and/or", "and or"),
    _case("he/she", "he or she"),
    _case("w/ cheese", "with cheese"),
    _case("w/o cheese", "without cheese"),
    _case("N/A", "not applicable"),
    _case("Reuters/Pool", "Reuters Pool"),
    _case("a / b", "a b"),
    _case("AP/Getty Images", "A-P Getty Images"),
    _case("https://www.example.com/a/b?c", "example dot com"),
    _case("see https://example.org/x.", "see example dot org."),
    _case("(https://news.example.com/a)", "news dot example dot com"),
    _case("www.example.com", "example dot com"),
    _case("name@example.org", "name at example dot org"),
    _case("jane.doe@news.example.com", "jane dot doe at news dot example dot com"),
    _case("on Amazon.com today", "on amazon dot com today"),
    _case("pic.twitter.com/k3R9xQm2Lp", "pic dot twitter dot com"),
    _case("see bbc.co.uk/news.", "see bbc dot co dot uk."),
    _case("A & B", "A and B"),
    _case("R&D", "R and D"),
    _case("@handle said", "at handle said"),
    _case("#MeToo", "hashtag MeToo"),
    _case("~5 people", "about 5 people"),
    _case("C++", "C plus plus"),
]


@pytest.mark.parametrize(("text", "expected"), SYMBOLS)
def test_symbols_slashes_and_addresses(text: str, expected: str) -> None:
    assert normalize(text) == expected


# --- punctuation and characters ----------------------------------------------------------------

PUNCTUATION = [
    _case("talks – which", "talks, which"),
    _case("talks—which", "talks, which"),
    _case("talks -- which", "talks, which"),
    _case("talks - which", "talks, which"),
    _case("six-party", "six-party"),
    _case("pre- and post-war", "pre- and post-war"),
    _case("Wait… what", "Wait. what"),
    _case("Wait... What", "Wait. What"),
    _case("The end…", "The end."),
    _case("the United Nations (UN) said", "the United Nations, U-N, said"),
    _case("he said (in Beijing).", "he said, in Beijing."),
    _case("(He left.) Then", "He left. Then"),
    _case("friend(s)", "friends"),
    _case("the [Chinese] minister", "the, Chinese, minister"),
    _case("• first point", "first point"),
    _case("Home | News", "Home, News"),
    _case("Home > News", "Home, News"),
    _case("multiple    spaces", "multiple spaces"),
    _case("a\u00a0b", "a b"),
    _case("news\u00adpaper", "newspaper"),
    _case("zero\u200bwidth", "zerowidth"),
    _case("bell\x07char", "bellchar"),
    _case("line one\r\nline two", "line one\nline two"),
    _case("para one\n\n\npara two", "para one\npara two"),
    _case("  padded  ", "padded"),
    _case("‘quoted’ words", "quoted words"),
    _case("the ’90s", "the '90s"),
    _case("rock ’n’ roll", "rock n roll"),
    _case("the Joneses’ house", "the Joneses house"),
    _case("said: “Yes.”", "said: Yes."),
    _case("«Non»", "Non"),
    _case("free to download 🧵 now", "free to download now"),
    _case("Apple™ and ©2024", "Apple and 2024"),
    _case("", ""),
]


@pytest.mark.parametrize(("text", "expected"), PUNCTUATION)
def test_punctuation_and_characters(text: str, expected: str) -> None:
    assert normalize(text) == expected


# --- languages without a table: only the neutral rules ----------------------------------------

NEUTRAL_CASES = [
    _case("Er sagte: „Hallo“ – und ging.", "Er sagte: Hallo, und ging."),
    _case("Mr. Smith und die UN", "Mr. Smith und die UN"),
    _case("1,5 % von $11", "1,5 % von $11"),
    _case("Siehe https://www.example.de/a/b.", "Siehe example.de."),
    _case("Reuters/Pool", "Reuters Pool"),
    _case("2003–2009", "2003-2009"),
    _case("a\u00a0\u00adb\x07", "a b"),
    _case("l’été", "l'été"),
    _case("「你好」。", "你好 。"),
]


@pytest.mark.parametrize(("text", "expected"), NEUTRAL_CASES)
def test_other_languages_get_only_neutral_rules(text: str, expected: str) -> None:
    language = "zh" if "你" in text else "nl"  # (fr, de, es have tables: test_spoken.py)
    assert normalize(text, language) == expected


@pytest.mark.parametrize("tag", ["en", "en-GB", "en_US", "EN-us"])
def test_english_tags_select_the_english_table(tag: str) -> None:
    assert rules_for(tag) is ENGLISH
    assert normalize("Mr. Wang", tag) == "Mister Wang"


@pytest.mark.parametrize("tag", ["nl", "pt-BR", "und", "", "zh-Hans"])
def test_other_tags_select_the_neutral_table(tag: str) -> None:
    assert rules_for(tag) is NEUTRAL


@pytest.mark.parametrize(("tag", "code"), [("fr-CA", "fr"), ("de-AT", "de"), ("es_MX", "es")])
def test_french_german_spanish_tags_select_their_tables(tag: str, code: str) -> None:
    assert rules_for(tag).code == code
    assert rules_for(tag).spoken is not None


# --- the seed article --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_sentences() -> list[str]:
    return split_sentences(normalize(SEED.read_text("utf-8")))


def test_seed_headline_is_one_sentence_about_north_korea(seed_sentences: list[str]) -> None:
    assert seed_sentences[0] == "Are the U-S and China ready to cooperate more on North Korea?"


def test_seed_has_no_slash_and_no_lone_initial_at_a_sentence_end(
    seed_sentences: list[str],
) -> None:
    lone_initial = re.compile(r"(?:^|\s)[A-Z]\.$")
    assert not [s for s in seed_sentences if "/" in s]
    assert not [s for s in seed_sentences if lone_initial.search(s)]


def test_seed_keeps_its_words(seed_sentences: list[str]) -> None:
    text = " ".join(seed_sentences)
    for phrase in ("Jacquelyn Martin Reuters Pool", "Mister Wang insisted", "January 6. But"):
        assert phrase in text
    assert "11 dollars a month" in text
    assert not re.search('[“”’‘"–—]', text)
    assert "China's" in text


def test_seed_is_normalised_once(seed_sentences: list[str]) -> None:
    text = normalize(SEED.read_text("utf-8"))
    assert normalize(text) == text


# --- properties --------------------------------------------------------------------------------

_FRAGMENTS = [
    "N. Korea", "Mr.", "Dr", "St.", "U.S.", "UN", "FBI", "NATO", "$", "£", "€", "1,300", "5:27",
    "a.m.", "p.m.", "Jan.", "6", "2016", "-", "–", "—", "/", "%", "°F", "°", "km/h", "&", "+",
    "#", "@", "(", ")", "[", "]", "“", "”", "‘", "’", "'", '"', "…", "...", ".", ",", ";", ":",
    "!", "?", " ", "\n", "\u00a0", "\u00ad", "The", "A", "I", "the", "John", "F.", "K", "www.",
    "https://", "example.com", "name@", "1/2", "24/7", "and/or", "w/", "No.", "etc.", "e.g.",
    "09", "0.50", "11.99", "1.5m", "bn", "½", "CEOs", "PM", "|", "*", "•", "~", "−", "Co.",
]  # fmt: skip
TEXTS = st.one_of(
    st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=3)), max_size=20).map("".join),
    st.text(max_size=40),
)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b\ufeff]")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.sampled_from(["en", "de"]))
def test_normalize_is_idempotent(text: str, language: str) -> None:
    once = normalize(text, language)
    assert normalize(once, language) == once


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.sampled_from(["en", "de"]))
def test_output_has_no_slash_control_or_double_space(text: str, language: str) -> None:
    out = normalize(text, language)
    assert "/" not in out
    assert not CONTROL.search(out)
    assert "  " not in out
    assert out == out.strip()


def test_a_long_paragraph_is_normalised_quickly() -> None:
    text = SEED.read_text("utf-8").replace("\n", " ") * 40  # about 170 kB
    out = normalize(text)
    assert "North Korea" in out
    assert "/" not in out


@pytest.mark.parametrize(
    "text", ["$" + "9" * 5000 + ".50", "9" * 5000 + "/2", "1" * 5000 + "-" + "2" * 5000]
)
def test_huge_numbers_do_not_break_int_conversion(text: str) -> None:
    out = normalize(text)
    assert "9" * 100 in out or "1" * 100 in out
    assert "/" not in out
