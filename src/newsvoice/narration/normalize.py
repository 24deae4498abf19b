"""Display text → text a TTS engine reads correctly (and its sentence splitter cannot break).

Engines mispronounce or mis-split raw news text: espeak's and gTTS's splitters cut "N. Korea"
into "N" + "Korea", hibari cut "Jan. 6, 2016." after "January", "Reuters/Pool" is read with
"slash". ``normalize`` rewrites such spots into plain words and digits.

Language-neutral rules run for every language: control and invisible characters, white space
(line breaks are kept, one per break), quotes (apostrophes inside words stay), dashes and
ellipses, brackets (they become commas: a pause), bullets and emoji, URLs (reduced to their
host) and slashes (a space). Everything language-specific lives in one ``LanguageRules`` table per
language, so adding a language means adding a table: English has abbreviations, dates,
money, numbers, units, symbols and acronyms.

Choices where text is ambiguous (English):

* Acronyms of 2-5 capitals are spelled with hyphens, ``FBI`` → ``F-B-I``: hibari and espeak
  both read spaced letters "A I" as the article "a" (ɐ), but hyphenated ones as letters. A
  table keeps acronyms read as words (``NATO`` → ``Nato``); a line that is mostly capitals
  is shouting and left alone. For the same reason "5:27 a.m." → "5 27 AM", not "a m".
* Slashes: a space between words ("Martin/Reuters/Pool" → "Martin Reuters Pool"); "and/or",
  "w/", "km/h", "24/7" from a table; "$11/month" → "11 dollars a month".
* Fractions: halves, thirds and quarters in words; ``a/10`` and ``a/100`` → "a out of b";
  any other ``a/b`` → "a b" (so "9/11" → "9 11").
* A period after an abbreviation that may end a sentence ("etc.", "a.m.", "U.S.") is kept only
  at the end of a line or before a word that opens sentences ("The", "But").

Rules run in one pass; since a late rewrite (a bracket becoming a comma) can expose a pattern
to an earlier rule, the pass repeats until the text stops changing, which makes ``normalize``
idempotent.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from .sentences import opens_sentence
from .spoken import FRENCH, GERMAN, JAPANESE, SPANISH, Kanji, Spoken, say_kanji_numbers, say_numbers

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

_MAX_PASSES = 8  # in practice 2: one to rewrite, one to see nothing change


# --- the language tables -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Abbreviation:
    """``short`` (as written, without its last period) is said as ``long``.

    ``when`` says where the form with the period applies: "always", "name" (the next word is
    capitalised and does not open sentences), "not_name", or "number" (a digit follows).
    ``bare`` is the same condition for the form without a period (None: leave that alone).
    ``final``: the abbreviation may end a sentence, so its period is kept at a line end or
    before a word that opens sentences.
    """

    short: str
    long: str
    when: str = "always"
    final: bool = False
    bare: str | None = None


@dataclass(frozen=True, slots=True)
class Currency:
    unit: str
    units: str
    subunit: str | None = None  # "cent": "$0.50" → "50 cents"
    subunits: str | None = None


@dataclass(frozen=True, slots=True)
class LanguageRules:
    """Everything language-specific that ``normalize`` knows, as data. Empty means neutral."""

    code: str = ""
    words: Mapping[str, str] = field(default_factory=dict)  # "and", "to", "plus", "dot", ...
    places: tuple[tuple[str, str, str], ...] = ()  # ("N", "Korea", "North")
    abbreviations: tuple[Abbreviation, ...] = ()
    months: tuple[str, ...] = ()  # January … December
    date_format: str = "{month} {day}, {year}"
    date_order: str = "mdy"  # how an ambiguous 1/2/2016 is read
    thousands_separator: str = ""
    currencies: Mapping[str, Currency] = field(default_factory=dict)
    scales: Mapping[str, str] = field(default_factory=dict)  # "bn" → "billion"
    units: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # after a number
    fractions: Mapping[tuple[int, int], str] = field(default_factory=dict)
    vulgar_fractions: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    slash_words: Mapping[str, str] = field(default_factory=dict)  # "and/or" → "and or"
    acronym_words: frozenset[str] = frozenset()  # read as words: NATO → Nato
    caps_words: frozenset[str] = frozenset()  # words in capitals for emphasis: NOT → not
    keep_caps: frozenset[str] = frozenset()  # left as written: AM, PM
    spell_acronyms: bool = False
    drop_initial_periods: bool = False  # "John F. Kennedy" → "John F Kennedy"
    spoken: Spoken | None = None  # numbers, dates, times and money said in words (spoken.py)
    kanji: Kanji | None = None  # numbers written as kanji numerals (Japanese; spoken.py)


_TITLES = (
    ("Mr", "Mister"), ("Mrs", "Missus"), ("Ms", "Miz"), ("Prof", "Professor"),
    ("Sen", "Senator"), ("Rep", "Representative"), ("Gov", "Governor"), ("Gen", "General"),
    ("Lt", "Lieutenant"), ("Col", "Colonel"), ("Capt", "Captain"), ("Sgt", "Sergeant"),
    ("Rev", "Reverend"), ("Pres", "President"), ("Adm", "Admiral"), ("Maj", "Major"),
    ("Cpl", "Corporal"), ("Pvt", "Private"), ("Supt", "Superintendent"), ("Amb", "Ambassador"),
    ("Msgr", "Monsignor"), ("Atty", "Attorney"),
)  # fmt: skip
_BARE_TITLES = frozenset({"Mr", "Mrs", "Ms", "Prof", "Lt", "Col", "Capt", "Sgt", "Rev"})
_NAMED = (
    ("Dr", "Doctor"), ("St", "Saint"), ("Mt", "Mount"), ("Ft", "Fort"), ("Fr", "Father"),
    ("Hon", "Honourable"), ("Det", "Detective"), ("Insp", "Inspector"), ("Sec", "Secretary"),
    ("Sr", "Sister"), ("v", "versus"),
)  # fmt: skip
_FINAL = (
    ("St", "Street"), ("Dr", "Drive"), ("Ave", "Avenue"), ("Blvd", "Boulevard"), ("Rd", "Road"),
    ("Inc", "Inc"), ("Ltd", "Limited"), ("Corp", "Corporation"), ("Bros", "Brothers"),
    ("Dept", "Department"), ("Univ", "University"), ("Assn", "Association"),
    ("etc", "et cetera"),
)  # fmt: skip
_BEFORE_NUMBER = (
    ("No", "number"), ("Nos", "numbers"), ("Fig", "Figure"), ("Vol", "Volume"),
    ("Art", "Article"), ("Sec", "Section"), ("p", "page"), ("pp", "pages"), ("ca", "circa"),
    ("Rte", "Route"), ("Hwy", "Highway"),
)  # fmt: skip
_ALWAYS = (
    ("vs", "versus"), ("Jr", "Junior"), ("aka", "also known as"), ("approx", "approximately"),
    ("Govt", "Government"), ("Intl", "International"),
)  # fmt: skip
_LATIN = (("e.g", "for example"), ("i.e", "that is"), ("cf", "compare"), ("a.k.a", "also known as"))
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_MONTH_SHORT = (
    ("Jan", 1), ("Feb", 2), ("Mar", 3), ("Apr", 4), ("Jun", 6), ("Jul", 7), ("Aug", 8),
    ("Sep", 9), ("Sept", 9), ("Oct", 10), ("Nov", 11), ("Dec", 12),
)  # fmt: skip

_EN_ABBREVIATIONS: tuple[Abbreviation, ...] = (
    *(Abbreviation(s, long, bare="name" if s in _BARE_TITLES else None) for s, long in _TITLES),
    *(Abbreviation(s, long, when="name", bare="name" if s != "v" else None) for s, long in _NAMED),
    Abbreviation("Co", "Company", when="not_name", final=True),
    Abbreviation("Sr", "Senior", when="not_name", final=True, bare="not_name"),
    *(Abbreviation(s, long, final=True) for s, long in _FINAL),
    *(Abbreviation(s, long, when="number") for s, long in _BEFORE_NUMBER),
    *(Abbreviation(s, long, bare="always") for s, long in _ALWAYS),
    *(Abbreviation(s, long) for s, long in _LATIN),
    *(Abbreviation(s, _MONTHS[n - 1], final=True, bare="number") for s, n in _MONTH_SHORT),
)

_EN_WORDS = {
    "and": "and", "to": "to", "minus": "minus", "plus": "plus", "percent": "percent",
    "degrees": "degrees", "number": "number", "hashtag": "hashtag", "at": "at", "dot": "dot",
    "about": "about", "out of": "out of", "am": "AM", "pm": "PM", "o'clock": "o'clock",
    "hundred": "hundred", "oh": "oh",
}  # fmt: skip

_DOLLAR = Currency("dollar", "dollars", "cent", "cents")
_EN_CURRENCIES = {
    "$": _DOLLAR, "US$": _DOLLAR,
    "C$": Currency("Canadian dollar", "Canadian dollars", "cent", "cents"),
    "A$": Currency("Australian dollar", "Australian dollars", "cent", "cents"),
    "NZ$": Currency("New Zealand dollar", "New Zealand dollars", "cent", "cents"),
    "HK$": Currency("Hong Kong dollar", "Hong Kong dollars", "cent", "cents"),
    "S$": Currency("Singapore dollar", "Singapore dollars", "cent", "cents"),
    "£": Currency("pound", "pounds", "penny", "pence"),
    "€": Currency("euro", "euros", "cent", "cents"),
    "¥": Currency("yen", "yen"),
    "₹": Currency("rupee", "rupees", "paisa", "paise"),
    "₩": Currency("won", "won"),
    "₽": Currency("rouble", "roubles", "kopeck", "kopecks"),
    "₪": Currency("shekel", "shekels"),
}  # fmt: skip
_EN_SCALES = {
    "k": "thousand", "thousand": "thousand", "m": "million", "mn": "million",
    "million": "million", "b": "billion", "bn": "billion", "billion": "billion",
    "tn": "trillion", "trillion": "trillion",
}  # fmt: skip


def _same(word: str) -> tuple[str, str]:
    return (word, word)


_EN_UNITS: dict[str, tuple[str, str]] = {
    "%": _same("percent"),
    "°C": ("degree Celsius", "degrees Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "°": ("degree", "degrees"),
    "km/h": ("kilometre per hour", "kilometres per hour"),
    "kph": ("kilometre per hour", "kilometres per hour"),
    "mph": ("mile per hour", "miles per hour"),
    "m/s": ("metre per second", "metres per second"),
    "km": ("kilometre", "kilometres"),
    "sq km": ("square kilometre", "square kilometres"),
    "km²": ("square kilometre", "square kilometres"),
    "kg": ("kilogram", "kilograms"),
    "cm": ("centimetre", "centimetres"),
    "mm": ("millimetre", "millimetres"),
    "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"),
    "ft": ("foot", "feet"),
    "sq ft": ("square foot", "square feet"),
    "kW": ("kilowatt", "kilowatts"),
    "kWh": ("kilowatt hour", "kilowatt hours"),
    "MW": ("megawatt", "megawatts"),
    "GW": ("gigawatt", "gigawatts"),
    "GB": _same("gigabytes"),
    "MB": _same("megabytes"),
    "TB": _same("terabytes"),
    "x": _same("times"),
    "mn": _same("million"),
    "bn": _same("billion"),
    "tn": _same("trillion"),
    **{f"/{k}": _same(v) for k, v in {
        "month": "a month", "mo": "a month", "year": "a year", "yr": "a year",
        "week": "a week", "wk": "a week", "day": "a day", "night": "a night",
        "hour": "an hour", "hr": "an hour", "person": "a person", "head": "a head",
    }.items()},
}  # fmt: skip

_EN_SLASH_WORDS = {
    "and/or": "and or", "w/o": "without", "w/": "with", "c/o": "care of",
    "N/A": "not applicable", "n/a": "not applicable", "24/7": "24 7", "he/she": "he or she",
    "his/her": "his or her", "km/h": "kilometres per hour", "m/s": "metres per second",
}  # fmt: skip

_EN_PLACES = (
    ("N", "Korea", "North"), ("S", "Korea", "South"), ("N", "Ireland", "Northern"),
    ("S", "Africa", "South"), ("S", "Sudan", "South"), ("N", "Carolina", "North"),
    ("S", "Carolina", "South"), ("N", "Dakota", "North"), ("S", "Dakota", "South"),
    ("W", "Virginia", "West"), ("E", "Timor", "East"), ("N", "Macedonia", "North"),
)  # fmt: skip


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_EN_ACRONYM_WORDS = _word_set("""
    NATO NASA OPEC AIDS COVID FIFA UEFA ISIS NAFTA ASEAN SARS MERS LASER RADAR SWAT IKEA
    UNICEF UNESCO HAMAS CERN OFCOM OFSTED DARPA FEMA NORAD INTERPOL EUROPOL FRONTEX MERCOSUR
    ANZAC FARC PEMEX SCOTUS POTUS NIMBY NASDAQ GIF JPEG PIN SIM UNITA ECOWAS
""")
_EN_CAPS_WORDS = _word_set("""
    NOT NO YES NEVER EVER THE AND BUT FOR ALL VERY MUST WILL NOW STOP FREE LIVE NEW BIG ONLY
    JUST REAL FAKE WOW MORE MOST LESS OUT OFF TOO YOU WE HE SHE THEY THIS THAT WHAT WHY HOW
    WAS ARE IS OR OF IN ON TO BE
""")
_EN_FRACTIONS = {
    (1, 2): "one half", (1, 3): "one third", (2, 3): "two thirds",
    (1, 4): "one quarter", (3, 4): "three quarters",
}  # fmt: skip

ENGLISH = LanguageRules(
    code="en",
    words=_EN_WORDS,
    places=_EN_PLACES,
    abbreviations=_EN_ABBREVIATIONS,
    months=_MONTHS,
    thousands_separator=",",
    currencies=_EN_CURRENCIES,
    scales=_EN_SCALES,
    units=_EN_UNITS,
    fractions=_EN_FRACTIONS,
    vulgar_fractions={"½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4)},
    slash_words=_EN_SLASH_WORDS,
    acronym_words=_EN_ACRONYM_WORDS,
    caps_words=_EN_CAPS_WORDS,
    keep_caps=frozenset({"AM", "PM"}),
    spell_acronyms=True,
    drop_initial_periods=True,
)


def _always(pairs: tuple[tuple[str, str], ...], final: frozenset[str] = frozenset()) -> tuple[
    Abbreviation, ...
]:  # fmt: skip
    return tuple(Abbreviation(s, long, final=s in final, bare="always") for s, long in pairs)


_FR_ABBREVIATIONS = (
    Abbreviation("M", "Monsieur", when="name"),
    Abbreviation("MM", "Messieurs", when="name", bare="name"),
    *_always((("Mme", "Madame"), ("Mmes", "Mesdames"), ("Mlle", "Mademoiselle"),
              ("Mlles", "Mesdemoiselles"), ("n°", "numéro"), ("N°", "numéro"),
              ("c.-à-d", "c'est-à-dire"), ("av. J.-C", "avant Jésus-Christ"),
              ("apr. J.-C", "après Jésus-Christ"), ("etc", "et cetera"))),
    *(Abbreviation(s, long, when="name", bare="name") for s, long in (
        ("Dr", "Docteur"), ("Pr", "Professeur"), ("Me", "Maître"), ("Mgr", "Monseigneur"),
        ("St", "Saint"), ("Ste", "Sainte"))),
)  # fmt: skip
_DE_ABBREVIATIONS = (
    *(Abbreviation(s, long, when="name", bare="name") for s, long in (
        ("Dr", "Doktor"), ("Prof", "Professor"), ("Hr", "Herr"), ("Hrn", "Herrn"),
        ("Fr", "Frau"), ("St", "Sankt"))),
    *_always((("z. B", "zum Beispiel"), ("z.B", "zum Beispiel"), ("d. h", "das heißt"),
              ("d.h", "das heißt"), ("u. a", "unter anderem"), ("u.a", "unter anderem"),
              ("usw", "und so weiter"), ("bzw", "beziehungsweise"), ("ca", "circa"),
              ("Nr", "Nummer"), ("Mio", "Millionen"), ("Mrd", "Milliarden"),
              ("v. Chr", "vor Christus"), ("n. Chr", "nach Christus"), ("inkl", "inklusive"),
              ("ggf", "gegebenenfalls"), ("evtl", "eventuell"), ("vgl", "vergleiche"),
              ("sog", "sogenannte"), ("Str", "Straße")),
             final=frozenset({"usw", "v. Chr", "n. Chr", "Str"})),
)  # fmt: skip
_ES_ABBREVIATIONS = (
    *(Abbreviation(s, long, when="name", bare="name") for s, long in (
        ("Sr", "señor"), ("Sra", "señora"), ("Srta", "señorita"), ("Dr", "doctor"),
        ("Dra", "doctora"), ("Sto", "santo"), ("Sta", "santa"))),
    *_always((("EE. UU", "Estados Unidos"), ("EE.UU", "Estados Unidos"),
              ("etc", "etcétera"), ("p. ej", "por ejemplo"), ("núm", "número"),
              ("n.º", "número"), ("pág", "página"), ("a. C", "antes de Cristo"),
              ("d. C", "después de Cristo"), ("Ud", "usted"), ("Uds", "ustedes"),
              ("aprox", "aproximadamente")),
             final=frozenset({"EE. UU", "EE.UU", "etc", "a. C", "d. C"})),
)  # fmt: skip

FRENCH_RULES = LanguageRules(code="fr", abbreviations=_FR_ABBREVIATIONS, spoken=FRENCH)
GERMAN_RULES = LanguageRules(code="de", abbreviations=_DE_ABBREVIATIONS, spoken=GERMAN)
SPANISH_RULES = LanguageRules(code="es", abbreviations=_ES_ABBREVIATIONS, spoken=SPANISH)
JAPANESE_RULES = LanguageRules(code="ja", kanji=JAPANESE)
NEUTRAL = LanguageRules()
LANGUAGES: dict[str, LanguageRules] = {
    "en": ENGLISH,
    "fr": FRENCH_RULES,
    "de": GERMAN_RULES,
    "es": SPANISH_RULES,
    "ja": JAPANESE_RULES,
}


def rules_for(language: str) -> LanguageRules:
    """The table for a BCP 47 tag (by primary subtag: "en-GB" → English); neutral if none."""
    return LANGUAGES.get(language.split("-")[0].split("_")[0].lower(), NEUTRAL)


# --- compiled patterns per language ------------------------------------------------------


def _alternation(keys: Iterable[str]) -> str:
    """A regex alternation of literal ``keys``, longest first."""
    words = sorted(keys, key=len, reverse=True)
    return "|".join(re.escape(w) for w in words)


@dataclass(frozen=True, slots=True)
class _Lang:
    """A language table with its regular expressions compiled once."""

    rules: LanguageRules
    places: re.Pattern[str] | None
    abbreviations: re.Pattern[str] | None
    money: re.Pattern[str] | None
    money_unit: re.Pattern[str] | None  # "£m" → "million pounds"
    units: re.Pattern[str] | None
    slash_words: re.Pattern[str] | None

    def word(self, key: str) -> str:
        return self.rules.words[key]

    def has(self, key: str) -> bool:
        return key in self.rules.words


def _compile_money(rules: LanguageRules) -> re.Pattern[str] | None:
    if not rules.currencies:
        return None
    symbol = _alternation(rules.currencies)
    number = r"\d+(?:\.\d+)?"
    per = _alternation(k for k in rules.units if k.startswith("/"))
    return re.compile(
        rf"(?<![\w$])(?P<cur>{symbol})[ \t]?(?P<a>{number})"
        rf"(?:[ \t]?[-–][ \t]?(?:{symbol})?(?P<b>{number}))?"
        rf"(?:[ \t]?(?P<scale>{_alternation(rules.scales)})(?![\w]))?"
        rf"(?P<per>{per})?(?![\w])"
    )


def _optional(source: str, table: object) -> re.Pattern[str] | None:
    """``source`` compiled, or None when the table it is built from is empty."""
    return re.compile(source) if table else None


@cache
def _compiled(code: str) -> _Lang:
    rules = LANGUAGES.get(code, NEUTRAL)
    places = _alternation({place for _, place, _ in rules.places})
    shorts = _alternation({a.short for a in rules.abbreviations})
    currencies, scales = _alternation(rules.currencies), _alternation(rules.scales)
    units, slash_words = _alternation(rules.units), _alternation(rules.slash_words)
    return _Lang(
        rules=rules,
        places=_optional(rf"(?<![\w-])([A-Z])(?:\.[ \t]?|[ \t])({places})(?![\w])", places),
        abbreviations=_optional(rf"(?<![\w'-])({shorts})(?:(\.)|(?![\w'.-]))", shorts),
        money=_compile_money(rules),
        money_unit=_optional(rf"(?<![\w$])({currencies})({scales})(?![\w])", currencies and scales),
        units=_optional(rf"(?<![\w.])(\d+(?:\.\d+)?)[ \t]?({units})(?![\w])", units),
        slash_words=_optional(rf"(?<![\w/])({slash_words})(?!/)(?:(?<=/)|(?![\w]))", slash_words),
    )


# --- shared helpers ------------------------------------------------------------------------

_LINE_END = re.compile(r"[)\]]*[ \t]*(?:\n|$)")
_NEXT_WORD = re.compile(r"[)\]]*[ \t]+([^\W\d_]+)")
_NEXT_TOKEN = re.compile(r"[ \t]*(\S*)")
_LEADING_LETTERS = re.compile(r"[^\W\d_]+")


def _keeps_period(text: str, end: int, lang: _Lang) -> bool:
    """Whether a period ending at ``end`` also ends a sentence: a line end or an opener."""
    if _LINE_END.match(text, end):
        return True
    following = _NEXT_WORD.match(text, end)
    return following is not None and opens_sentence(following.group(1), lang.rules.code)


def _next_token(text: str, end: int) -> str:
    match = _NEXT_TOKEN.match(text, end)
    return match.group(1).lstrip("([") if match else ""


def _is_name(token: str, lang: _Lang) -> bool:
    """A capitalised word that is not one of the words that open sentences."""
    letters = _LEADING_LETTERS.match(token)
    return (
        letters is not None
        and token[0].isupper()
        and not opens_sentence(letters.group(), lang.rules.code)
    )


def _holds(condition: str | None, token: str, lang: _Lang) -> bool:
    """Whether an abbreviation's condition holds for the token that follows it."""
    if condition == "always":
        return True
    if condition == "name":
        return _is_name(token, lang)
    if condition == "not_name":
        return not _is_name(token, lang)
    if condition == "number":
        return token[:1].isdigit()
    return False


# --- language-neutral rules ----------------------------------------------------------------

_DROP = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff\ue000-\uf8ff]"
)
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\u2028\u2029]")
_SPACES = re.compile("[\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_ELLIPSIS = re.compile(r"\.(?:[ \t]?\.){2,}|…+")
_PICTOGRAPHS = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0e\ufe0f©®™]")
_CHAR_MAP = str.maketrans(
    {
        "\u2010": "-", "\u2011": "-", "\u2012": "–", "\u2015": "—", "\u2e3a": "—",
        "\u2e3b": "—", "\u2044": "/", "\u2215": "/", "\uff0f": "/", "\\": "/", "º": "°",
        "\u02bc": "'", "\uff08": "(", "\uff09": ")",
    }
)  # fmt: skip


def _characters(text: str, lang: _Lang) -> str:
    """No control or invisible characters; one kind of space, line break, dash and slash."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _PICTOGRAPHS.sub(" ", _DROP.sub("", text))
    text = _SPACES.sub(" ", text).translate(_CHAR_MAP)
    text = _ELLIPSIS.sub("…", text)
    return unicodedata.normalize("NFC", text)


_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"“”]+")
_URL_TAIL = ".,;:!?)]}'’"
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)(?![\w])")
_DOMAIN = re.compile(
    r"(?<![\w@./-])((?:[A-Za-z0-9-]{2,}\.)+(?:com|org|net|gov|edu|io|co\.uk|org\.uk|gov\.uk))"
    r"(?![\w-]|\.[A-Za-z0-9])(/[^\s<>\"“”]*)?"
)


def _host(url: str) -> str:
    """The host of a URL, lower case, without scheme, credentials, port or ``www.``."""
    rest = re.sub(r"(?i)^https?://", "", url)
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1].split(":")[0]
    return re.sub(r"^(?:www\.)+", "", host.lower().strip("."))


def _say_dots(name: str, lang: _Lang) -> str:
    return name.replace(".", f" {lang.word('dot')} ") if lang.has("dot") else name


def _url(match: re.Match[str], lang: _Lang) -> str:
    """A URL (or a bare domain with a path) → its host; trailing punctuation stays."""
    url = match.group()
    kept = url.rstrip(_URL_TAIL)
    return _say_dots(_host(kept), lang) + url[len(kept) :]


def _email(match: re.Match[str], lang: _Lang) -> str:
    return f"{_say_dots(match[1], lang)} {lang.word('at')} {_say_dots(match[2].lower(), lang)}"


def _web(text: str, lang: _Lang) -> str:
    """URLs → their host ("example dot com"); e-mail addresses spoken where words exist."""
    text = _URL.sub(lambda m: _url(m, lang), text)
    if not lang.has("at"):
        return text
    if "@" in text:
        text = _EMAIL.sub(lambda m: _email(m, lang), text)
    return _DOMAIN.sub(lambda m: _url(m, lang), text)


_DOUBLE_QUOTES = re.compile('["“”„‟«»‹›「」『』〝〞〟＂″‶′]')
_SINGLE_QUOTES = re.compile("['‘’‛`´]")
_DECADE = re.compile(r"\d\ds(?![\w])")


def _single_quote(match: re.Match[str]) -> str:
    """An apostrophe inside a word or before a decade ("’90s") stays; a quote mark goes."""
    text, at = match.string, match.start()
    before = text[at - 1] if at else " "
    after = text[at + 1 : at + 2]
    if before.isalnum() and after.isalnum():
        return "'"
    if not before.isalnum() and _DECADE.match(text, at + 1):
        return "'"
    return " "


def _quotes(text: str, lang: _Lang) -> str:
    """Quotation marks removed; apostrophes (curly or straight) become "'"."""
    text = _DOUBLE_QUOTES.sub(" ", text)
    return _SINGLE_QUOTES.sub(_single_quote, text)


_NUMERIC_DASH = re.compile(r"(?<=\d)[ \t]?[–—][ \t]?(?=\d)")
_DASH = re.compile(r"[—–]|--+|(?<!\w)-+(?!\w)")  # a hyphen attached to no word is a dash
_ATTACHED_PLURAL = re.compile(r"(?<=[^\W\d_])\((s|es)\)(?![\w])")
_BRACKETS = re.compile(r"[()\[\]{}|¦]")
_SPACED_ARROWS = re.compile(r"(?<=[ \t])[<>→←⇒»«](?=[ \t])")
_BULLETS = re.compile("[•◦▪▫‣●○■□►▶➤✓✔✗✘★☆※*_~^]")


def _punctuation(text: str, lang: _Lang) -> str:
    """Slashes, dashes, ellipses, brackets, bullets and stray symbols → spaces or commas."""
    text = text.replace("/", " ").replace("…", ".")
    text = _NUMERIC_DASH.sub("-", text).replace("−", "-")
    text = _ATTACHED_PLURAL.sub(r"\1", text)
    text = _BRACKETS.sub(" , ", text)
    text = _SPACED_ARROWS.sub(",", text)
    text = _BULLETS.sub(" ", text)
    return _DASH.sub(" , ", text)


_TIDY = (
    (re.compile(r"[ \t]+([,.;:!?])(?=\s|$)"), r"\1"),  # no space before punctuation
    (re.compile(r",(?:[ \t]*,)+"), ","),
    (re.compile(r"[,;:][ \t]*([.!?])"), r"\1"),
    (re.compile(r"([!?])[ \t]*[,;:]"), r"\1"),
    # "(He left.) Then" → "He left. Then", but "e.g., the" keeps its comma (an abbreviation)
    (re.compile(r"\.[ \t]*[,;:](?=[ \t]*(?:[A-ZÀ-ÖØ-Þ]|\n|$))"), "."),
    (re.compile(r"\.{2,}"), "."),
    (re.compile(r"([!?])\.+"), r"\1"),
    (re.compile(r"[ \t]{2,}"), " "),
)
_LEADING_DOTS = re.compile(r"\.+(?=[ \t]|$)")


def _strip_line(line: str) -> str:
    """A line without the commas, colons or stray dots a rewrite left at either end."""
    line = line.strip(" \t").lstrip(",;:!? \t")
    dots = _LEADING_DOTS.match(line)
    if dots:
        line = line[dots.end() :]
    return line.strip(" \t").rstrip(",;: \t")


def _tidy(text: str, lang: _Lang) -> str:
    """Punctuation pairs that the rewrites leave (" ,", ",.", ", ,") and spaces tidied."""
    previous = None
    while previous != text:
        previous = text
        for pattern, replacement in _TIDY:
            text = pattern.sub(replacement, text)
        text = "\n".join(line for line in map(_strip_line, text.split("\n")) if line)
    return text


# --- language rules: places, times and dates --------------------------------------------


def _places(text: str, lang: _Lang) -> str:
    """One-letter directions before a place: "N. Korea" → "North Korea"."""
    if lang.places is None:
        return text
    table = {(letter, place): word for letter, place, word in lang.rules.places}

    def say(match: re.Match[str]) -> str:
        word = table.get((match[1], match[2]))
        return f"{word} {match[2]}" if word else match.group()

    return lang.places.sub(say, text)


_OCLOCK = "o'clock"
_CLOCK = re.compile(r"(?<![\d:.])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])")
_AM_PM = re.compile(r"(?<=\d)[ \t]?([AaPp])\.?[ \t]?[Mm](\.?)(?![\w])")


def _clock(match: re.Match[str], lang: _Lang) -> str:
    """Clock times: "5:27" → "5 27", "9:05" → "9 oh 5", "9:00" → "9 o'clock",
    "17:00" → "17 hundred"."""
    hour, minute = int(match[1]), match[2]
    if minute == "00":
        if _AM_PM.match(match.string, match.end()):
            return str(hour)
        return f"{hour} {lang.word(_OCLOCK if hour <= 12 else 'hundred')}"
    if minute.startswith("0"):
        return f"{hour} {lang.word('oh')} {minute[1]}"
    return f"{hour} {minute}"


def _am_pm(match: re.Match[str], lang: _Lang) -> str:
    word = lang.word("am" if match[1] in "Aa" else "pm")
    keep = match[2] == "." and _keeps_period(match.string, match.end(), lang)
    return f" {word}{'.' if keep else ''}"


def _spoken(text: str, lang: _Lang) -> str:
    """Numbers, dates, times, money in words, for languages whose table says how (spoken.py)."""
    if lang.rules.kanji is not None:
        return say_kanji_numbers(text, lang.rules.kanji)
    spoken = lang.rules.spoken
    return text if spoken is None else say_numbers(text, spoken)


def _times(text: str, lang: _Lang) -> str:
    """Clock times and a.m./p.m. in words the engines read as letters ("AM")."""
    if not lang.has("am"):
        return text
    if ":" in text:
        text = _CLOCK.sub(lambda m: _clock(m, lang), text)
    return _AM_PM.sub(lambda m: _am_pm(m, lang), text)


_ISO_DATE = re.compile(r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?!\d|-\d)")
_SLASH_DATE = re.compile(r"(?<![\w/.])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\w/]|\.\d)")


def _date(year: int, month: int, day: int, lang: _Lang) -> str | None:
    """A date in the language's words, or None if it is not a calendar date."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    month_name = lang.rules.months[month - 1]
    return lang.rules.date_format.format(month=month_name, day=day, year=year)


def _slash_date(match: re.Match[str], lang: _Lang) -> str:
    """Numeric dates: "1/27/2016" → "January 27, 2016" (the table's order first if both fit)."""
    first, second, year_text = int(match[1]), int(match[2]), match[3]
    year = int(year_text) if len(year_text) == 4 else 2000 + int(year_text)
    if year_text != str(year) and int(year_text) >= 50:
        year -= 100
    orders = [(first, second), (second, first)]
    if lang.rules.date_order == "dmy":
        orders.reverse()
    for month, day in orders:
        said = _date(year, month, day, lang)
        if said:
            return said
    return match.group()


def _dates(text: str, lang: _Lang) -> str:
    """ISO and numeric dates → "January 27, 2016"."""
    if not lang.rules.months:
        return text

    def iso(match: re.Match[str]) -> str:
        said = _date(int(match[1]), int(match[2]), int(match[3]), lang)
        return said or match.group()

    text = _ISO_DATE.sub(iso, text)
    return _SLASH_DATE.sub(lambda m: _slash_date(m, lang), text)


# --- language rules: numbers, money and units -----------------------------------------------

_THOUSANDS = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?!,?\d)")


def _thousands(text: str, lang: _Lang) -> str:
    """No thousands separators: "1,300" → "1300", so no engine reads "1, 300"."""
    separator = lang.rules.thousands_separator
    if not separator:
        return text
    return _THOUSANDS.sub(lambda m: m.group().replace(separator, ""), text)


def _amount(number: str, currency: Currency) -> str:
    """An amount in words: "11" → "11 dollars", "11.99" → "11 dollars 99", "0.50" → "50 cents"."""
    whole, _, fraction = number.partition(".")
    if len(fraction) != 2 or currency.subunit is None:
        return f"{number} {currency.unit if number == '1' else currency.units}"
    units, cents = whole.lstrip("0"), fraction.lstrip("0")  # strings: no int() of 5000 digits
    if not units:
        return f"{cents or 0} {currency.subunit if cents == '1' else currency.subunits}"
    said = f"{units} {currency.unit if units == '1' else currency.units}"
    return f"{said} {cents}" if cents else said


def _money(text: str, lang: _Lang) -> str:
    """Money: "$11/month" → "11 dollars a month", "£4.2m" → "4.2 million pounds"."""
    if lang.money is None:
        return text
    rules = lang.rules

    def say(match: re.Match[str]) -> str:
        currency = rules.currencies[match["cur"]]
        amount = match["a"] if not match["b"] else f"{match['a']} {lang.word('to')} {match['b']}"
        if match["scale"]:
            said = f"{amount} {rules.scales[match['scale']]} {currency.units}"
        elif match["b"]:
            said = f"{amount} {currency.units}"
        else:
            said = _amount(amount, currency)
        return f"{said} {rules.units[match['per']][1]}" if match["per"] else said

    text = lang.money.sub(say, text)
    if lang.money_unit is not None:
        text = lang.money_unit.sub(
            lambda m: f"{rules.scales[m[2]]} {rules.currencies[m[1]].units}", text
        )
    return text


_RANGE = re.compile(
    r"(?<![\w.,-])(\d+(?:\.\d+)?)([ \t]?–[ \t]?|-)(\d+(?:\.\d+)?)(?![\w]|[.,]\d|-\d)"
)
_MINUS = re.compile(r"(?:(?<=[ \t(])|^)[-−](?=\d)", re.MULTILINE)
_PHONE_LIKE = (3, 4)  # "555-1234" is a number, not a range


def _year_range(first: str, second: str) -> int | None:
    """The end year of "2003-09" (2009) or "1999-00" (2000); None if not a later year."""
    if len(first) != 4 or len(second) != 2 or not first.isdigit():
        return None
    start, end = int(first), int(first[:2] + second)
    if end <= start:
        end += 100
    limit = 99 if end // 100 == start // 100 else 10
    return end if 0 < end - start <= limit else None


def _range(match: re.Match[str], lang: _Lang) -> str:
    """Ranges: "2003–2009" or "2003-09" → "2003 to 2009", "10-15" → "10 to 15", "3-1" → "3 1"."""
    first, dash, second = match[1], match[2].strip(), match[3]
    year = _year_range(first, second)
    if year is not None:
        return f"{first} {lang.word('to')} {year}"
    lengths = (len(first.split(".")[0]), len(second.split(".")[0]))
    rising = float(first) < float(second) and lengths != _PHONE_LIKE
    if dash == "–" or rising:
        return f"{first} {lang.word('to')} {second}"
    return f"{first} {second}"


def _ranges(text: str, lang: _Lang) -> str:
    """Number ranges in words; a minus sign before a number → "minus"."""
    if not lang.has("to"):
        return text
    text = _RANGE.sub(lambda m: _range(m, lang), text)
    return _MINUS.sub(f"{lang.word('minus')} ", text)


def _units(text: str, lang: _Lang) -> str:
    """Units after numbers: "37%" → "37 percent", "1.9°F" → "1.9 degrees Fahrenheit"."""
    if lang.units is None:
        return text
    units = lang.rules.units

    def say(match: re.Match[str]) -> str:
        singular, plural = units[match[2]]
        return f"{match[1]} {singular if match[1] == '1' else plural}"

    text = lang.units.sub(say, text)
    if lang.has("percent"):
        text = text.replace("%", f" {lang.word('percent')} ")
    if lang.has("degrees"):
        text = text.replace("°", f" {lang.word('degrees')} ")
    return text


_FRACTION = re.compile(r"(?<![\w/.,])(?:(\d{1,9})[ \t])?(\d{1,9})/(\d{1,9})(?![\w/]|[.,]\d)")
_OUT_OF = frozenset({10, 100})


def _fraction_words(numerator: int, denominator: int, lang: _Lang) -> str:
    """Fractions: "1/2" → "one half", "7/10" → "7 out of 10", other "a/b" → "a b"."""
    said = lang.rules.fractions.get((numerator, denominator))
    if said:
        return said
    if denominator in _OUT_OF and numerator <= denominator:
        return f"{numerator} {lang.word('out of')} {denominator}"
    return f"{numerator} {denominator}"


def _fraction(match: re.Match[str], lang: _Lang) -> str:
    """A numeric fraction, a mixed number ("2 1/2") or a year pair ("2024/25")."""
    year = _year_range(match[2], match[3])
    if match[1] is None and year == int(match[2]) + 1:
        return f"{match[2]} {lang.word('to')} {year}"
    whole, numerator, denominator = match[1], int(match[2]), int(match[3])
    said = _fraction_words(numerator, denominator, lang)
    if whole is None:
        return said
    if (numerator, denominator) in lang.rules.fractions:
        return f"{whole} {lang.word('and')} {said}"
    return f"{whole} {said}"


def _fractions(text: str, lang: _Lang) -> str:
    """Numeric and vulgar fractions ("2½" → "2 and one half")."""
    rules = lang.rules
    if not rules.fractions:
        return text
    text = _FRACTION.sub(lambda m: _fraction(m, lang), text)
    for char, (numerator, denominator) in rules.vulgar_fractions.items():
        said = rules.fractions[(numerator, denominator)]
        text = re.sub(rf"(\d)[ \t]?{char}", rf"\1 {lang.word('and')} {said}", text)
        text = text.replace(char, f" {said} ")
    return text


def _slash_words(text: str, lang: _Lang) -> str:
    """Slash words from the table: "and/or" → "and or", "w/" → "with"."""
    if lang.slash_words is None:
        return text
    words = lang.rules.slash_words
    return lang.slash_words.sub(lambda m: words[m[1]], text)


_NUMBER_SIGN = re.compile(r"#(?=\d)")
_HASHTAG = re.compile(r"(?<![\w#])#(?=[^\W\d_])")
_HANDLE = re.compile(r"(?<![\w.])@(?=\w)")
_ABOUT = re.compile(r"(?:(?<=[ \t])|^)~(?=\d)", re.MULTILINE)


def _symbols(text: str, lang: _Lang) -> str:
    """Symbols: "&" → "and", "50+" → "50 plus", "#1" → "number 1", "@handle" → "at handle"."""
    if not lang.has("and"):
        return text
    text = text.replace("&", f" {lang.word('and')} ").replace("+", f" {lang.word('plus')} ")
    if "#" in text:
        text = _NUMBER_SIGN.sub(f"{lang.word('number')} ", text)
        text = _HASHTAG.sub(f"{lang.word('hashtag')} ", text).replace("#", " ")
    if "@" in text:
        text = _HANDLE.sub(f"{lang.word('at')} ", text).replace("@", f" {lang.word('at')} ")
    return _ABOUT.sub(f"{lang.word('about')} ", text) if "~" in text else text


# --- language rules: abbreviations, initials and acronyms -----------------------------------


def _abbreviation(match: re.Match[str], lang: _Lang) -> str:
    """The first table entry for this abbreviation whose condition holds, said in full."""
    short, dotted = match[1], match[2] is not None
    text, end = match.string, match.end()
    token = _next_token(text, end)
    for entry in lang.rules.abbreviations:
        if entry.short != short or not _holds(entry.when if dotted else entry.bare, token, lang):
            continue
        period = "." if dotted and entry.final and _keeps_period(text, end, lang) else ""
        glue = " " if text[end : end + 1].isalnum() else ""
        return entry.long + period + glue
    return match.group()


def _abbreviations(text: str, lang: _Lang) -> str:
    """Abbreviations: "Mr." → "Mister", "Jan. 6" → "January 6", "No. 5" → "number 5"."""
    if lang.abbreviations is None:
        return text
    return lang.abbreviations.sub(lambda m: _abbreviation(m, lang), text)


_DOTTED = re.compile(r"(?<![\w.-])([A-Z](?:\.[A-Z])+)(\.?)(?![\w])")
_INITIAL = re.compile(r"(?<![\w.'-])([A-Z])\.(?=[ \t]+[^\W\d_])")


def _dotted_acronyms(text: str, lang: _Lang) -> str:
    """Dotted acronyms: "U.S." → "U-S" (the period kept only where a sentence ends)."""
    if not lang.rules.spell_acronyms:
        return text

    def say(match: re.Match[str]) -> str:
        keep = match[2] == "." and _keeps_period(match.string, match.end(), lang)
        return match[1].replace(".", "-") + ("." if keep else "")

    return _DOTTED.sub(say, text)


def _initials(text: str, lang: _Lang) -> str:
    """Initials lose their period ("John F. Kennedy" → "John F Kennedy"): nothing to cut at."""
    if not lang.rules.drop_initial_periods:
        return text

    def say(match: re.Match[str]) -> str:
        if _is_name(_next_token(match.string, match.end()), lang):
            return match[1]
        return match.group()

    return _INITIAL.sub(say, text)


_CAPS = re.compile(r"(?<![\w'’])([A-Z]{2,})(s?)(?![\w])")
_CAPS_WORD = re.compile(r"\b[A-Z]{2,}\b")
_ANY_WORD = re.compile(r"\b[^\W\d_]{2,}\b")
_ROMAN = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")
_SPELLED_MAX = 5


def _shouting(line: str) -> bool:
    """A line mostly in capitals (three or more such words, half the words or more)."""
    caps = len(_CAPS_WORD.findall(line))
    return caps >= 3 and 2 * caps >= len(_ANY_WORD.findall(line))


def _acronym(match: re.Match[str], lang: _Lang) -> str:
    """One all-capitals word: lower-cased, read as a word, kept, or spelled with hyphens."""
    word, plural = match[1], match[2]
    rules = lang.rules
    if word in rules.caps_words and not plural:
        return word.lower()
    if word in rules.acronym_words:
        return word.capitalize() + plural
    if word in rules.keep_caps or _ROMAN.fullmatch(word) or len(word) > _SPELLED_MAX:
        return match.group()
    return "-".join(word) + ("'s" if plural else "")


def _acronyms(text: str, lang: _Lang) -> str:
    """Acronyms spelled as letters ("FBI" → "F-B-I"), except in lines that shout."""
    if not lang.rules.spell_acronyms:
        return text
    lines = text.split("\n")
    return "\n".join(
        line if _shouting(line) else _CAPS.sub(lambda m: _acronym(m, lang), line) for line in lines
    )


# --- the pipeline ------------------------------------------------------------------------------

_PASS: tuple[Callable[[str, _Lang], str], ...] = (
    _characters,
    _web,
    _quotes,
    _places,
    _spoken,
    _times,
    _dates,
    _thousands,
    _money,
    _ranges,
    _units,
    _fractions,
    _slash_words,
    _symbols,
    _punctuation,
    _tidy,
    _abbreviations,
    _dotted_acronyms,
    _initials,
    _acronyms,
    _tidy,
)


def _one_pass(text: str, lang: _Lang) -> str:
    for rule in _PASS:
        text = rule(text, lang)
    return text


def normalize(text: str, language: str = "en") -> str:
    """``text`` rewritten for a TTS engine in ``language`` (a BCP 47 tag; English rules for
    "en…", the language-neutral ones otherwise). Idempotent."""
    lang = _compiled(rules_for(language).code)
    for _ in range(_MAX_PASSES):
        result = _one_pass(text, lang)
        if result == text:
            break
        text = result
    return text
