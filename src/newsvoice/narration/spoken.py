"""Numbers, dates, times, money and percentages in words, for languages whose engines misread
them as written: French, German and Spanish write "1 234,5 €", "2.500 €", "14:30 Uhr",
"1.º de mayo" or "3. Oktober", and espeak-ng reads the separators as pauses or points, the
ordinals as cardinals and the currency sign not at all.

Each language is a ``Spoken`` table (data: separators, words, months, currencies, ordinal
marks); ``say_numbers`` rewrites a text with it, after ``normalize``'s language-neutral rules
and before its abbreviations. The words of the numbers themselves come from num2words. Digits
that are part of a word ("A380", "COVID-19", "G7") are left as they are, and so are numbers of
more than 15 digits (read digit by digit by the engine).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from num2words import num2words

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

MAX_DIGITS = 15


@dataclass(frozen=True, slots=True)
class Money:
    """A currency's names: singular and plural (after a number), and its grammatical gender."""

    unit: str
    units: str
    feminine: bool = False  # (Spanish "una libra")


@dataclass(frozen=True, slots=True)
class Spoken:
    """What one language needs to say numbers, as data."""

    code: str  # num2words' language code
    decimal: str  # the decimal separator as written: ","
    decimal_word: str  # as said: "virgule"
    thousands: str  # the separators written between groups of three: " .", " "
    months: tuple[str, ...]  # January … December, as written (lower case is matched too)
    currencies: Mapping[str, Money]
    cents_joiner: str = ""  # between units and cents: "12 euros 50", "doce euros con cincuenta"
    percent: str = "percent"
    minus: str = "minus"  # before a negative number: "-5" → "minus 5"
    degrees: str = "degrees"  # "20 °C" → "20 degrees Celsius"
    to: str = "to"  # a range: "10-12" → "10 to 12"
    # ordinal marks after the digits ("1er", "1.º"), with the gender they give
    ordinal_marks: Mapping[str, str] = field(default_factory=dict)
    ordinal_before_month: bool = False  # German "3. Oktober": the period marks an ordinal
    ordinal_inflected_after: frozenset[str] = frozenset()  # German "am 3." → "dritten"
    first_day: str = ""  # French "1 juillet" is said "premier juillet"
    # a time of day as written (groups: hours, minutes or None), and as said
    clock_pattern: str = r"([01]?\d|2[0-3]):([0-5]\d)(?![\w]|[.,:]\d)"
    clock: str = "{h} {m}"
    clock_hour: str = "{h}"  # on the hour
    hours: tuple[str, str] = ("", "")  # the word after the hours, singular and plural
    one_before_noun: Mapping[str, str] = field(default_factory=dict)  # "uno" → "un"
    year_after: frozenset[str] = frozenset()  # words after which 1100–1999 is a year
    year_form: bool = False  # whether num2words' "year" form differs (German 1989)


def words(number: int, spoken: Spoken, to: str = "cardinal") -> str:
    said: str = num2words(number, lang=spoken.code, to=to)
    return said


def _feminine(said: str, spoken: Spoken) -> str:
    if spoken.code == "es":
        return re.sub(r"(uno|ún|un)$", "una", said)
    if spoken.code == "fr":
        return re.sub(r"(?<![\w-])un$", "une", said)
    return said


def before_noun(said: str, spoken: Spoken, feminine: bool = False) -> str:
    """A cardinal as said before a noun: Spanish "veintiuno" → "veintiún", German "eins" →
    "ein" (feminine: "una", "une")."""
    if feminine:
        return _feminine(said, spoken)
    for ending, replacement in spoken.one_before_noun.items():
        if said.endswith(ending):
            return said[: len(said) - len(ending)] + replacement
    return said


def _integer(digits: str, spoken: Spoken) -> str:
    return words(int(digits), spoken) if len(digits) <= MAX_DIGITS else digits


def _decimal(whole: str, fraction: str, spoken: Spoken) -> str:
    """ "1234", "5" → "mille deux cent trente-quatre virgule cinq"; leading zeros of the
    fraction are said one by one ("1,05" → "un virgule zéro cinq")."""
    said = _integer(whole, spoken)
    if not fraction:
        return said
    zeros = len(fraction) - len(fraction.lstrip("0"))
    parts = [words(0, spoken)] * zeros
    if fraction.lstrip("0"):
        parts.append(_integer(fraction.lstrip("0"), spoken))
    return f"{said} {spoken.decimal_word} {' '.join(parts)}"


@dataclass(frozen=True, slots=True)
class _Patterns:
    clock: re.Pattern[str]
    ordinal: re.Pattern[str] | None
    month_ordinal: re.Pattern[str] | None
    first_day: re.Pattern[str] | None
    money_after: re.Pattern[str]
    money_before: re.Pattern[str]
    percent: re.Pattern[str]
    degrees: re.Pattern[str]
    range: re.Pattern[str]
    minus: re.Pattern[str]
    plain: re.Pattern[str]


@cache
def _patterns(code: str) -> _Patterns:
    spoken = LANGUAGES[code]
    thousands = "[" + re.escape(spoken.thousands + "\u00a0\u202f") + "]"
    decimal = re.escape(spoken.decimal)
    number = rf"\d{{1,3}}(?:{thousands}\d{{3}})+(?:{decimal}\d+)?|\d+(?:{decimal}\d+)?"
    months = "|".join(re.escape(m) for m in spoken.months)
    symbols = "|".join(re.escape(s) for s in sorted(spoken.currencies, key=len, reverse=True))
    ordinal_marks = "|".join(
        re.escape(m) for m in sorted(spoken.ordinal_marks, key=len, reverse=True)
    )
    edge = r"(?<![\w.,])(?<![^\W\d_]-)"  # not inside a number or a word ("COVID-19")
    return _Patterns(
        clock=re.compile(edge + spoken.clock_pattern),
        ordinal=re.compile(rf"{edge}(\d{{1,4}})({ordinal_marks})(?![\w])")
        if ordinal_marks
        else None,
        month_ordinal=re.compile(
            rf"(?:\b([^\W\d_]+)[ \t]+)?{edge}(\d{{1,2}})\.[ \t]+(?=(?i:{months})\b)"
        )
        if spoken.ordinal_before_month
        else None,
        first_day=re.compile(rf"{edge}1[ \t]+(?=(?i:{months})\b)") if spoken.first_day else None,
        money_after=re.compile(rf"{edge}({number})[ \t]?({symbols})(?![\w])"),
        money_before=re.compile(rf"(?<![\w])({symbols})[ \t]?({number})(?![\w]|[.,]\d)"),
        percent=re.compile(rf"{edge}({number})[ \t]?%"),
        degrees=re.compile(rf"{edge}({number})[ \t]?[°º][ \t]?([CF])?(?![\w])"),
        range=re.compile(rf"{edge}(\d{{1,4}})[ \t]?[-–][ \t]?(\d{{1,4}})(?![\w]|[.,]\d|-\d)"),
        minus=re.compile(r"(?:(?<=[ \t(])|^)[-−](?=\d)", re.MULTILINE),
        plain=re.compile(
            rf"(?:([^\W\d_]+)[ \t]+)?{edge}({number})(?![\w]|[.,]\d)(?=([ \t]+[^\W\d_])?)"
        ),
    )


def _parse(written: str, spoken: Spoken) -> tuple[str, str]:
    """ "1 234,5" → ("1234", "5")."""
    whole, _, fraction = written.partition(spoken.decimal)
    for separator in spoken.thousands + "\u00a0\u202f":
        whole = whole.replace(separator, "")
    return whole, fraction


def _amount(written: str, money: Money, spoken: Spoken) -> str:
    whole, fraction = _parse(written, spoken)
    if len(whole) > MAX_DIGITS:
        return written
    units = money.unit if int(whole) == 1 else money.units
    said = f"{before_noun(_integer(whole, spoken), spoken, money.feminine)} {units}"
    if not fraction:
        return said
    if len(fraction) == 2:  # cents: "12,50 €" → "douze euros cinquante"
        cents = int(fraction)
        if not cents:
            return said
        joiner = f" {spoken.cents_joiner}" if spoken.cents_joiner else ""
        return f"{said}{joiner} {words(cents, spoken)}"
    return f"{_decimal(whole, fraction, spoken)} {money.units}"


def say_numbers(text: str, spoken: Spoken) -> str:
    """``text`` with its times, dates, ordinals, money, percentages and numbers in words."""
    if not any(c.isdigit() for c in text):
        return text
    p = _patterns(spoken.code)

    def clock(m: re.Match[str]) -> str:
        found = [g for g in m.groups() if g is not None]  # the pattern's alternatives
        hour, minute = int(found[0]), (found[1] if len(found) > 1 else None)
        h = words(hour, spoken)
        singular, plural = spoken.hours
        if singular:  # "une heure", "quatorze heures"
            h = f"{before_noun(h, spoken, feminine=True)} {singular if hour == 1 else plural}"
        if minute is None or int(minute) == 0:
            return spoken.clock_hour.format(h=h)
        return spoken.clock.format(h=h, m=words(int(minute), spoken))

    def ordinal(m: re.Match[str]) -> str:
        feminine = spoken.ordinal_marks[m[2]] == "f"
        said = words(int(m[1]), spoken, "ordinal")
        if feminine and spoken.code == "es":
            said = said[:-1] + "a" if said.endswith("o") else said
        elif feminine and spoken.code == "fr" and said == "premier":
            said = "première"
        return said

    def month_ordinal(m: re.Match[str]) -> str:
        said = words(int(m[2]), spoken, "ordinal")
        before = m[1] or ""
        if before.lower() in spoken.ordinal_inflected_after:
            said += "n"
        return f"{before} {said} " if before else f"{said} "

    def money(amount: str, symbol: str) -> str:
        return _amount(amount, spoken.currencies[symbol], spoken)

    def plain_number(written: str) -> str:
        whole, fraction = _parse(written, spoken)
        return _decimal(whole, fraction, spoken) if len(whole) <= MAX_DIGITS else written

    def plain(m: re.Match[str]) -> str:
        before, written = m[1] or "", m[2]
        whole, fraction = _parse(written, spoken)
        if (
            spoken.year_form
            and not fraction
            and len(written) == 4
            and 1100 <= int(whole) <= 1999
            and (before.lower() in spoken.year_after or before in spoken.months)
        ):
            said = words(int(whole), spoken, "year")
        else:
            said = plain_number(written)
            if m[3] and not fraction:  # a noun follows: "un euro", "ein Jahr"
                said = before_noun(said, spoken)
        return f"{before} {said}" if before else said

    def span(m: re.Match[str]) -> str:
        if len(m[1]) == 3 and len(m[2]) == 4:  # "555-1234" is a telephone number
            return ", ".join(" ".join(words(int(d), spoken) for d in g) for g in (m[1], m[2]))
        return f"{m[1]} {spoken.to} {m[2]}"

    rules: list[tuple[re.Pattern[str] | None, Callable[[re.Match[str]], str]]] = [
        (p.minus, lambda m: f"{spoken.minus} "),
        (p.range, span),  # before the clock: "9-17 Uhr"
        (p.clock, clock),
        (p.month_ordinal, month_ordinal),
        (p.first_day, lambda m: f"{spoken.first_day} "),
        (p.ordinal, ordinal),
        (p.money_after, lambda m: money(m[1], m[2])),
        (p.money_before, lambda m: money(m[2], m[1])),
        (p.percent, lambda m: f"{plain_number(m[1])} {spoken.percent}"),
        (
            p.degrees,
            lambda m: " ".join(
                filter(
                    None,
                    (
                        plain_number(m[1]),
                        spoken.degrees,
                        {"C": "Celsius", "F": "Fahrenheit"}.get(m[2] or ""),
                    ),
                )
            ),
        ),
        (p.plain, plain),
    ]

    for pattern, say in rules:
        if pattern is not None:
            text = pattern.sub(say, text)
    return text


# --- the tables ------------------------------------------------------------------------------

FRENCH = Spoken(
    code="fr",
    decimal=",",
    decimal_word="virgule",
    thousands=" ",
    months=(
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    currencies={
        "€": Money("euro", "euros"),
        "$": Money("dollar", "dollars"),
        "£": Money("livre", "livres", feminine=True),
        "CHF": Money("franc suisse", "francs suisses"),
    },
    percent="pour cent",
    minus="moins",
    degrees="degrés",
    to="à",
    ordinal_marks={"er": "m", "re": "f", "ère": "f", "e": "m", "ème": "m", "ᵉ": "m", "ᵉʳ": "m"},
    first_day="premier",
    clock_pattern=r"([01]?\d|2[0-3])(?:[ \t]?h[ \t]?([0-5]\d)?|:([0-5]\d))(?![\w]|[.,:]\d)",
    hours=("heure", "heures"),
)

GERMAN = Spoken(
    code="de",
    decimal=",",
    decimal_word="Komma",
    thousands=".",
    months=(
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    currencies={
        "€": Money("Euro", "Euro"),
        "$": Money("Dollar", "Dollar"),
        "£": Money("Pfund", "Pfund"),
        "CHF": Money("Franken", "Franken"),
    },
    percent="Prozent",
    minus="minus",
    degrees="Grad",
    to="bis",
    ordinal_before_month=True,
    ordinal_inflected_after=frozenset({"am", "vom", "zum", "im", "dem", "den", "bis", "seit"}),
    clock_pattern=(
        r"([01]?\d|2[0-3])(?:[:.]([0-5]\d))?[ \t]?Uhr(?![\w])"
        r"|([01]?\d|2[0-3]):([0-5]\d)(?![\w]|[.,:]\d)"
    ),
    clock="{h} Uhr {m}",
    clock_hour="{h} Uhr",
    one_before_noun={"eins": "ein"},
    year_after=frozenset(
        {"im", "jahr", "jahre", "jahres", "seit", "bis", "von", "ab", "um", "vor", "nach", "anno"}
    ),
    year_form=True,
)

SPANISH = Spoken(
    code="es",
    decimal=",",
    decimal_word="coma",
    thousands=". ",
    months=(
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    currencies={
        "€": Money("euro", "euros"),
        "$": Money("dólar", "dólares"),
        "£": Money("libra", "libras", feminine=True),
    },
    cents_joiner="con",
    percent="por ciento",
    minus="menos",
    degrees="grados",
    to="a",
    # with their period ("1.º"): a bare "º" is more often a degree sign ("20º C")
    ordinal_marks={".º": "m", ".°": "m", ".ª": "f", "ª": "f", ".er": "m", ".a": "f", ".o": "m"},
    clock="{h} y {m}",
    clock_hour="{h} en punto",
    one_before_noun={"veintiuno": "veintiún", "uno": "un"},
)

LANGUAGES: dict[str, Spoken] = {"fr": FRENCH, "de": GERMAN, "es": SPANISH}


# --- Japanese: digits as kanji numerals -----------------------------------------------------
# Japanese engines misread Arabic digits before a counter (pyopenjtalk: "2時" → "ni toki",
# "9月" → "kyū tsuki", "1,234人" breaks at the comma) and drop "%" and the decimal point,
# while they read kanji numerals right ("二時", "九月", "千二百三十四人"). So numbers are
# written in kanji (num2words' Japanese), a decimal as 点 and its digits one by one, and a
# percent sign as パーセント.


@dataclass(frozen=True, slots=True)
class Kanji:
    """How Japanese numbers are said, as data."""

    decimal_word: str = "点"
    percent: str = "パーセント"
    digits: str = "〇一二三四五六七八九"  # a fraction's digits, said one by one
    separators: str = ",，"  # thousands, as written
    points: str = ".．"  # the decimal point, as written


JAPANESE = Kanji()
_DIGIT = "[0-9０-９]"


@cache
def _kanji_pattern(kanji: Kanji) -> re.Pattern[str]:
    separators, points = re.escape(kanji.separators), re.escape(kanji.points)
    return re.compile(
        rf"(?<![0-9０-９A-Za-zＡ-Ｚａ-ｚ{separators}{points}])(?<![A-Za-z]-)({_DIGIT}{{1,3}}(?:[{separators}]{_DIGIT}{{3}})+|{_DIGIT}+)"
        rf"(?:[{points}]({_DIGIT}+))?(?![{points}]?{_DIGIT})(\s*[%％])?"
    )


def say_kanji_numbers(text: str, kanji: Kanji = JAPANESE) -> str:
    """Japanese ``text`` with its numbers in kanji ("3.5%" → "三点五パーセント")."""

    def say(match: re.Match[str]) -> str:
        whole = int("".join(c for c in match[1] if c not in kanji.separators))
        said = str(num2words(whole, lang="ja"))
        if match[2]:
            said += kanji.decimal_word + "".join(kanji.digits[int(d)] for d in match[2])
        return said + (kanji.percent if match[3] else "")

    return _kanji_pattern(kanji).sub(say, text)
