"""`newsvoice audio` and `newsvoice voices` as users run them."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest

from tests.acceptance.audio.conftest import SAMPLES
from tests.acceptance.audio.tools import ffprobe
from tests.helpers import run_newsvoice

if TYPE_CHECKING:
    from pathlib import Path

SEED_TEXT = SAMPLES / "seed-kerry-china.txt"


@pytest.mark.slow
def test_audio_writes_mp3_vtt_and_chapters(tmp_path: Path) -> None:
    target = tmp_path / "seed.mp3"
    done = run_newsvoice(
        "audio",
        str(SEED_TEXT),
        "-o",
        str(target),
        "--transcript",
        "vtt",
        "--chapters-json",
        "--cache",
        str(tmp_path / "cache"),
        "--json",
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert [c["title"] for c in result["chapters"]] == ["Headline", "Standfirst", "Body"]
    assert result["engine_calls"] == result["sentences"]
    assert -17 <= result["loudness_lufs"] <= -15
    assert result["true_peak_dbtp"] <= -1.0
    assert target.with_suffix(".vtt").exists()
    assert target.with_suffix(".chapters.json").exists()
    assert len(ffprobe(str(target))["chapters"]) == 3
    again = run_newsvoice(
        "audio", str(SEED_TEXT), "-o", str(target), "--cache", str(tmp_path / "cache"), "--json"
    )
    assert json.loads(again.stdout)["engine_calls"] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cache",
        "seed.chapters.json",
        "seed.mp3",
        "seed.vtt",
    ]


def test_gtts_offline_fails_at_once_with_its_exit_code(tmp_path: Path) -> None:
    done = run_newsvoice("audio", str(SEED_TEXT), "-o", str(tmp_path / "g.mp3"), "--engine", "gtts")
    assert done.returncode == 5
    assert done.stderr == "error: gTTS needs internet access; use --engine hibari\n"
    assert list(tmp_path.iterdir()) == []


def test_unknown_voice_lists_the_available_ones(tmp_path: Path) -> None:
    done = run_newsvoice("audio", str(SEED_TEXT), "-o", str(tmp_path / "x.mp3"), "--voice", "nope")
    assert done.returncode == 2
    assert done.stderr.startswith("error: unknown voice 'nope'; available: ")
    assert "heart" in done.stderr
    assert "joe" in done.stderr


def test_unknown_engine_lists_the_available_ones(tmp_path: Path) -> None:
    done = run_newsvoice("audio", str(SEED_TEXT), "-o", str(tmp_path / "x.mp3"), "--engine", "nope")
    assert done.returncode == 2
    assert done.stderr == (
        "error: unknown engine 'nope'; available: espeak, gtts, hibari, kokoro, piper\n"
    )


def test_bad_options_are_usage_errors(tmp_path: Path) -> None:
    for option, value in (
        ("--format", "ogg"),
        ("--captions", "always"),
        ("--jobs", "0"),
        ("--speed", "5"),
        ("--transcript", "srt"),
        ("--bitrate", "lots"),
        ("--sample-rate", "32000"),
    ):
        done = run_newsvoice("audio", str(SEED_TEXT), "-o", str(tmp_path / "x.mp3"), option, value)
        assert done.returncode == 2, (option, done.stderr)
        assert done.stderr.startswith("error: "), option
    assert list(tmp_path.iterdir()) == []


def test_voices_says_what_can_speak_here() -> None:
    done = run_newsvoice("voices", "--json")
    assert done.returncode == 0, done.stderr
    presets = {p["name"]: p for p in json.loads(done.stdout)}
    assert presets["heart"]["usable"] is True
    assert presets["heart"]["engine"] == "hibari"
    assert presets["gtts"]["usable"] is False
    assert presets["gtts"]["note"] == "gTTS needs internet access; use --engine hibari"
    assert presets["espeak"]["usable"] is True
    assert presets["joe"]["usable"] is True
    assert "would be downloaded" in presets["fenrir"]["note"] or presets["fenrir"]["usable"]


def test_voices_says_which_voice_would_read_a_language_and_why() -> None:
    done = run_newsvoice("voices", "--language", "fr", "--online", "--json")
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    assert (plan["language"], plan["online"]) == ("fr", True)
    reasons = {c["name"]: c for c in plan["candidates"]}
    assert reasons["gtts"]["usable"] is False  # offline here: said, and passed over
    assert "internet" in reasons["gtts"]["reason"]
    assert reasons["espeak"]["chosen"] is True
    text = run_newsvoice("voices", "--language", "zh")
    assert text.stdout.splitlines()[0] == "zh: espeak (espeak)"
    bad = run_newsvoice("voices", "--language", "not a tag")
    assert bad.returncode == 2
    assert bad.stderr.startswith("error: --language 'not a tag' is not a language tag")


def _corpus_page(corpus: str, name: str) -> bytes:
    from bench import newspaper, snippets

    if corpus == "newspaper4k":
        return next(p.html for p in newspaper.pages() if p.name == name)
    return next(p.html for p in snippets.pages() if p.id.startswith(name))


# a sentence end inside a cue: the terminator, then the start of another sentence
_INSIDE = {
    "es": r"[.!?»][ ]+[¿¡«]?[A-ZÁÉÍÓÚÑ]",
    "fr": r"(?<!\b[A-ZÀ-Ý])[.!?][ ]?»?[ ]+«?[A-ZÀ-Ý]",  # not after "M." (Monsieur)
    "zh": r"[。！？][」』）”]*.",
}


@pytest.mark.parametrize(
    ("corpus", "name", "language", "voice"),
    [
        ("newspaper4k", "spanish_article", "es", "espeak/es"),
        # a 352-word French news page (a short one: espeak is quick, but loudness and the
        # MP3 encoding take their time on a long page)
        ("trafilatura-eval", "daaedf2b", "fr", "espeak/fr-fr"),
        ("newspaper4k", "chinese_article_001", "zh", "espeak/cmn"),
    ],
)
def test_a_page_is_read_in_its_language_and_cut_at_its_sentence_ends(
    corpus: str, name: str, language: str, voice: str, tmp_path: Path
) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(_corpus_page(corpus, name))
    done = run_newsvoice("audio", page, "-o", tmp_path / "page.mp3", "--transcript", "vtt",
                         "--online", "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["voices"] == [voice]  # offline: gTTS passed over
    cues = (tmp_path / "page.vtt").read_text("utf-8").split("\n\n")
    texts = [" ".join(c.splitlines()[2:]) for c in cues if "-->" in c]
    assert len(texts) > 5
    inside = [t for t in texts if re.search(_INSIDE[language], t)]
    assert inside == []  # no cue runs over a sentence end: each sentence starts its own


def test_a_quote_in_another_language_is_read_by_that_languages_voice(tmp_path: Path) -> None:
    page = SAMPLES.parent / "tests" / "data" / "multilingual" / "quote-es.html"
    done = run_newsvoice("audio", page, "-o", tmp_path / "q.mp3", "--transcript", "vtt",
                         "--cache", tmp_path / "cache", "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    # the article's voice, then the Spanish and Arabic quotes' (the two French words are
    # left to the article's voice)
    assert result["voices"] == ["hibari/heart", "espeak/es", "espeak/ar"]
    cues = [
        " ".join(c.splitlines()[2:])
        for c in (tmp_path / "q.vtt").read_text("utf-8").split("\n\n")
        if "-->" in c
    ]
    assert "es la fiesta más bonita del año," in cues
    assert "she said, before her band began to play again." in cues
    assert any("bon appétit" in c and "stallholder" in c for c in cues)
