"""Guess an article's language when the page does not declare it: by script, then by the
commonest function words of the major Latin-script languages. "und" when unsure."""

from __future__ import annotations

import re
from collections import Counter

_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ko", re.compile("[\uac00-\ud7af]")),
    ("ja", re.compile("[\u3040-\u30ff]")),
    ("zh", re.compile("[\u4e00-\u9fff]")),
    ("ar", re.compile("[\u0600-\u06ff]")),
    ("he", re.compile("[\u0590-\u05ff]")),
    ("el", re.compile("[\u0370-\u03ff]")),
    ("th", re.compile("[\u0e00-\u0e7f]")),
    ("hi", re.compile("[\u0900-\u097f]")),
    ("ru", re.compile("[\u0400-\u04ff]")),
)
_FUNCTION_WORDS = {
    "en": "the and of to in is that for it was with on as are this by",
    "de": "der die und das ist nicht mit den von sich ein eine auch auf für",
    "fr": "le la les et des est une dans que pour pas sur qui du au",
    "es": "el la los las del que y en por con para una es se lo",
    "pt": "o a os as do da dos das que e em para com um uma não",
    "it": "il la che di e per un una sono del della non gli con le",
    "nl": "de het een en van is dat niet op te zijn met voor ook",
    "sv": "och att det som en på är för med av inte den till har",
    "pl": "i w na nie z się to że jest do o jak ale po",
    "tr": "ve bir bu da de için ile olarak çok daha gibi ama",
}
_STOPWORDS = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}
_WORD = re.compile(r"[^\W\d_]+")


def guess_language(text: str) -> str:
    sample = text[:5000]
    letters = sum(ch.isalpha() for ch in sample)
    if not letters:
        return "und"
    for lang, pattern in _SCRIPTS:
        if len(pattern.findall(sample)) > letters * 0.3:
            if lang == "ru" and re.search("[іїєґ]", sample):
                return "uk"
            if lang == "zh" and re.search("[\u3040-\u30ff]", sample):
                return "ja"
            return lang
    words = Counter(w.lower() for w in _WORD.findall(sample))
    total = sum(words.values())
    if total < 8:
        return "und"
    scores = {lang: sum(words[w] for w in stop) / total for lang, stop in _STOPWORDS.items()}
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] >= 0.08 else "und"
