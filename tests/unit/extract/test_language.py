"""language.py guesses and metadata.normalise_language BCP 47 casing."""

from __future__ import annotations

import pytest

from newsvoice.extract.language import guess_language
from newsvoice.extract.metadata import normalise_language

SAMPLES = {
    "en": (
        "The mayor said on Monday that the new bridge is expected to open in the "
        "spring, and that the city was working with the state on the final cost of the "
        "project."
    ),
    "de": (
        "Der Bürgermeister sagte am Montag, dass die neue Brücke im Frühjahr eröffnet "
        "werden soll und die Stadt mit dem Land über die endgültigen Kosten des "
        "Projekts verhandelt. Es ist nicht klar, ob das Geld auch reicht."
    ),
    "fr": (
        "Le maire a déclaré lundi que le nouveau pont devrait ouvrir au printemps et "
        "que la ville discute avec l'État du coût final des travaux. Il n'est pas sûr "
        "que le budget soit suffisant pour les habitants."
    ),
    "es": (
        "El alcalde dijo el lunes que el nuevo puente se abrirá en la primavera y que "
        "la ciudad negocia con el gobierno el costo final de las obras. No está claro "
        "si el dinero será suficiente para los vecinos."
    ),
    "pt": (
        "O prefeito disse na segunda-feira que a nova ponte deve ser aberta na "
        "primavera e que a cidade negocia com o governo o custo final das obras. Não "
        "está claro se o dinheiro será suficiente para os moradores."
    ),
    "it": (
        "Il sindaco ha detto lunedì che il nuovo ponte dovrebbe aprire in primavera e "
        "che la città sta trattando con la regione per il costo finale dei lavori. Non "
        "è chiaro se i fondi della giunta sono sufficienti per gli abitanti."
    ),
    "nl": (
        "De burgemeester zei maandag dat de nieuwe brug in het voorjaar open moet gaan "
        "en dat de stad met het rijk praat over de uiteindelijke kosten van het "
        "project. Het is niet duidelijk of het geld ook voor de bewoners genoeg is."
    ),
    "ru": (
        "Мэр заявил в понедельник, что новый мост должен открыться весной, а город "
        "ведёт переговоры с правительством об окончательной стоимости работ."
    ),
    "uk": (
        "Мер заявив у понеділок, що новий міст має відкритися навесні, а місто веде "
        "переговори з урядом щодо остаточної вартості робіт і їхнього фінансування."
    ),
    "zh": ("市长周一表示，新大桥预计将于春季通车，市政府正在与省政府商讨工程的最终造价。"),
    "ja": (
        "市長は月曜日、新しい橋は春に開通する予定で、"
        "市は県と工事の最終的な費用について協議していると述べた。"
    ),
    "ko": (
        "시장은 월요일 새 다리가 봄에 개통될 예정이며 "
        "시는 공사의 최종 비용에 대해 도와 협의하고 있다고 말했다."
    ),
    "ar": (
        "قال رئيس البلدية يوم الاثنين إن الجسر الجديد من المتوقع أن يفتح في الربيع وإن "
        "المدينة تتفاوض مع الحكومة بشأن التكلفة النهائية للمشروع."
    ),
}


@pytest.mark.parametrize(("lang", "text"), list(SAMPLES.items()), ids=list(SAMPLES))
def test_guess_language_of_a_short_paragraph(lang: str, text: str) -> None:
    assert guess_language(text) == lang


@pytest.mark.parametrize(("lang", "text"), list(SAMPLES.items()), ids=list(SAMPLES))
def test_guess_survives_numbers_and_punctuation(lang: str, text: str) -> None:
    noisy = f"12:45 — 2024-02-28 · {text} (AP) 1,234 / 56%"
    assert guess_language(noisy) == lang


def test_mixed_japanese_with_many_kanji_is_japanese() -> None:
    assert guess_language("日本政府は東京都内で記者会見を開き、新型経済対策を発表した。") == "ja"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "12345 678 90",
        "2024-02-28 19:05 +05:30",
        "— – … ! ? 100% $11",
        "Hello",
        "ok thanks",
        "The end",
    ],
)
def test_numbers_only_or_tiny_input_is_und(text: str) -> None:
    assert guess_language(text) == "und"


def test_latin_text_without_known_function_words_is_und() -> None:
    assert guess_language("Lorem ipsum dolor sit amet consectetur adipiscing elit sed") == "und"


@pytest.mark.parametrize(
    ("raw", "tag"),
    [
        ("en_us", "en-US"),
        ("EN-us", "en-US"),
        ("en", "en"),
        ("EN", "en"),
        ("de-ch", "de-CH"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("ZH_HANS_CN", "zh-Hans-CN"),
        ("sr_latn_rs", "sr-Latn-RS"),
        ("es-419", "es-419"),
        ("  fr_FR  ", "fr-FR"),
        ("en-US,en;q=0.9", "en-US"),
        ("yue", "yue"),
    ],
)
def test_normalise_language(raw: str, tag: str) -> None:
    assert normalise_language(raw) == tag


@pytest.mark.parametrize(
    "raw", ["", "   ", "junk!", "english", "e", "123", "en--US", "-en", "en_", "<en>", "en us"]
)
def test_normalise_language_of_junk_is_empty(raw: str) -> None:
    assert normalise_language(raw) == ""
