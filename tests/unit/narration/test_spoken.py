"""narration/spoken.py (through ``normalize``): numbers, dates, times, money, percentages and
abbreviations said in words for French, German and Spanish, on sentences as newspapers write
them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsvoice.narration.normalize import normalize
from newsvoice.narration.spoken import FRENCH, GERMAN, SPANISH, Spoken, say_numbers

CASES = [
    # the three
    ("fr", "Le 14 juillet 1789, 1 234,5 €",
     "Le quatorze juillet mille sept cent quatre-vingt-neuf, mille deux cent trente-quatre "
     "virgule cinq euros"),
    ("de", "am 3. Oktober 2023 um 14:30 Uhr",
     "am dritten Oktober zweitausenddreiundzwanzig um vierzehn Uhr dreißig"),
    ("es", "el 1.º de mayo, 2.500 €", "el primero de mayo, dos mil quinientos euros"),
    # French
    ("fr", "Le 1er mai à 14 h 30, le billet coûte 12,50 €.",
     "Le premier mai à quatorze heures trente, le billet coûte douze euros cinquante."),
    ("fr", "Rendez-vous le 1 juillet 2024 à 1 h, avec 80 % des 3 000 inscrits.",
     "Rendez-vous le premier juillet deux mille vingt-quatre à une heure, avec quatre-vingts "
     "pour cent des trois mille inscrits."),
    ("fr", "M. Dupont et Mme Martin (n° 5) ont dit : il fait -5 °C.",
     "Monsieur Dupont et Madame Martin, numéro cinq, ont dit: il fait moins cinq degrés "
     "Celsius."),
    ("fr", "Le taux passe à 1,05 % ; la 2e vague.",
     "Le taux passe à un virgule zéro cinq pour cent; la deuxième vague."),
    # German
    ("de", "Im Jahr 1989 fiel die Mauer; 1.500 Menschen kamen.",
     "Im Jahr neunzehnhundertneunundachtzig fiel die Mauer; eintausendfünfhundert Menschen "
     "kamen."),
    ("de", "Das kostet 1 € bzw. 2,99 € pro Tag, z. B. von 9-17 Uhr.",
     "Das kostet ein Euro beziehungsweise zwei Euro neunundneunzig pro Tag, zum Beispiel von "
     "neun bis siebzehn Uhr."),
    ("de", "Dr. Müller erwartet 1,5 Mio. Besucher und 21,5 % mehr.",
     "Doktor Müller erwartet eins Komma fünf Millionen Besucher und einundzwanzig Komma fünf "
     "Prozent mehr."),
    ("de", "Der Airbus A380 und COVID-19.", "Der Airbus A380 und COVID-19."),
    ("de", "Er sagte z. B., dass es geht.", "Er sagte zum Beispiel, dass es geht."),
    # Spanish
    ("es", "El Sr. García llegó a EE. UU. el 12 de octubre a las 9:05.",
     "El señor García llegó a Estados Unidos el doce de octubre a las nueve y cinco."),
    ("es", "La 1.ª vuelta reunió a 21 candidatos y 1 millón de votos; costó 3,5 %.",
     "La primera vuelta reunió a veintiún candidatos y un millón de votos; costó tres coma "
     "cinco por ciento."),
    ("es", "Pagó 21 £ y 1.000.000 $ en 2019-2020.",
     "Pagó veintiuna libras y un millón dólares en dos mil diecinueve a dos mil veinte."),
]  # fmt: skip


@pytest.mark.parametrize(("language", "text", "said"), CASES)
def test_said_in_words(language: str, text: str, said: str) -> None:
    assert normalize(text, language) == said


def test_english_keeps_its_digits() -> None:
    assert normalize("On 3 October 2023, 1,500 people paid $12.", "en") == (
        "On 3 October 2023, 1500 people paid 12 dollars."
    )


def test_a_number_too_long_for_words_stays_digits() -> None:
    assert say_numbers("Code 12345678901234567890.", FRENCH) == "Code 12345678901234567890."


@given(st.text(alphabet="0123456789 .,:-%€°hU ozabr", max_size=40))
def test_normalising_is_idempotent_in_every_table(text: str) -> None:
    for language in ("fr", "de", "es"):
        once = normalize(text, language)
        assert normalize(once, language) == once


@pytest.mark.parametrize("table", [FRENCH, GERMAN, SPANISH])
def test_no_digit_is_left_in_plain_numbers(table: Spoken) -> None:
    said = normalize("12 345 678,25 et 7 et 1.000 y 3:15", table.code)
    assert not any(c.isdigit() for c in said.replace("1.000", "")), said


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("午後2時30分に1,234人が集まった。", "午後二時三十分に千二百三十四人が集まった。"),
        ("成長率は3.5%だった。", "成長率は三点五パーセントだった。"),
        ("2017年9月3日", "二千十七年九月三日"),
        ("ＧＤＰは１２３４億円", "ＧＤＰは千二百三十四億円"),  # full-width digits too
        ("金利は0.05％", "金利は零点〇五パーセント"),
        ("A4の紙とCOVID-19", "A4の紙とCOVID-19"),  # digits inside a Latin word stay
    ],
)
def test_japanese_numbers_are_written_as_kanji(text: str, said: str) -> None:
    assert normalize(text, "ja") == said
    assert normalize(said, "ja") == said
