"""presets.py: voice presets (shipped and user files), choosing one, overrides, usability."""

from __future__ import annotations

import socket
import threading
from typing import TYPE_CHECKING

import pytest

from newsvoice.engines import engine_names, load_engine
from newsvoice.engines import gtts as gtts_module
from newsvoice.errors import ConfigError, ExitStatus
from newsvoice.narration.presets import (
    PAUSE_NAMES,
    Pauses,
    Preset,
    choose_preset,
    load_preset,
    preset_lexicon,
    preset_names,
    usability,
    voice_plan,
    with_overrides,
)

if TYPE_CHECKING:
    from pathlib import Path

SHIPPED = ["alpha", "emma", "espeak", "fable", "fenrir", "gtts", "heart", "joe", "kore", "kumo"]
FAKE = 'engine = "fake"\nvoice = "tone"\nlanguage = "auto"\n'


def write(tmp_path: Path, text: str, name: str = "mine.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


# --- shipped presets -------------------------------------------------------------------------


def test_preset_names_lists_the_shipped_presets() -> None:
    names = preset_names()
    assert names == sorted(names)
    assert set(SHIPPED) <= set(names)


@pytest.mark.parametrize(
    ("language", "grapheme"), [("fr", "Brexit"), ("de-AT", "Facebook"), ("es", "Joe Biden")]
)
def test_a_voice_for_any_language_takes_that_languages_lexicon(
    language: str, grapheme: str
) -> None:
    for name in ("espeak", "gtts"):
        lexicon = preset_lexicon(load_preset(name), language=language)
        assert lexicon.language == language.split("-")[0]
        assert grapheme in dict(lexicon.entries)
    assert preset_lexicon(load_preset("espeak"), language="it").entries == ()  # none shipped
    assert preset_lexicon(load_preset("espeak")).entries == ()  # no language given


def test_the_japanese_voices_take_the_japanese_lexicon() -> None:
    for name in ("alpha", "kumo"):
        preset = load_preset(name)
        assert (preset.engine, preset.language) == ("kokoro", "ja")
        assert "文在寅" in dict(preset_lexicon(preset).entries)


def test_auto_chooses_kokoro_for_japanese_when_the_extra_is_installed() -> None:
    preset = choose_preset("auto", "ja")
    installed = load_engine("kokoro").installed()  # type: ignore[attr-defined]
    assert preset.name == ("alpha" if installed else "espeak")


@pytest.mark.parametrize("name", preset_names())
def test_every_shipped_preset_loads(name: str) -> None:
    preset = load_preset(name)
    assert isinstance(preset, Preset)
    assert preset.name == name
    assert preset.engine in engine_names()
    assert preset.voice
    assert 0.5 <= preset.speed <= 2.0
    assert preset.description
    pauses = preset.pauses
    assert 0 < pauses.sentence < pauses.paragraph <= pauses.heading <= pauses.chapter
    assert pauses.lead_in >= 0
    assert pauses.tail >= 0
    # its lexicons exist
    lexicon = preset_lexicon(preset)
    if preset.lexicons:
        assert lexicon.entries


def test_heart_is_hibaris_bundled_us_voice() -> None:
    heart = load_preset("heart")
    assert (heart.engine, heart.voice, heart.language) == ("hibari", "heart", "en-US")
    assert heart.speaks("en")
    assert heart.speaks("en-GB")
    assert not heart.speaks("de")
    assert "Pyongyang" in dict(preset_lexicon(heart).entries)


@pytest.mark.parametrize("language", ["en", "en-GB", "en-US", "EN-au", "und"])
def test_auto_chooses_heart_for_english(language: str) -> None:
    assert choose_preset("auto", language).name == "heart"


@pytest.mark.parametrize("language", ["de", "fr-CA", "zh-Hans", "es"])
def test_auto_chooses_espeak_for_other_languages(language: str) -> None:
    preset = choose_preset("auto", language)
    assert preset.name == "espeak"
    assert preset.engine == "espeak"
    assert preset.speaks(language)


def test_the_plan_says_why_each_candidate_speaks_or_not() -> None:
    plan = voice_plan("fr")
    assert [c.preset.name for c in plan] == ["gtts", "espeak"]  # no offline French voice
    gtts, espeak = plan
    assert (gtts.usable, gtts.chosen) == (False, False)
    assert "--online" in gtts.reason
    assert espeak.chosen
    assert "fr" in espeak.reason
    english = voice_plan("en-GB")
    assert english[0].preset.name == "heart"
    assert english[0].chosen
    assert [c.preset.name for c in english][-2:] == ["gtts", "espeak"]
    assert sum(c.chosen for c in english) == 1


def test_online_puts_gtts_before_espeak(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gtts_module.GttsEngine, "check", lambda self, voice: None)  # it answers
    assert choose_preset("auto", "fr", online=True).name == "gtts"
    assert choose_preset("auto", "fr").name == "espeak"  # not without --online
    assert choose_preset("auto", "en", online=True).name == "heart"  # offline neural first


def test_online_without_the_service_falls_back_to_espeak(monkeypatch: pytest.MonkeyPatch) -> None:
    def offline(self: object, voice: object) -> None:
        raise gtts_module.EngineUnavailable(gtts_module.OFFLINE_MESSAGE)

    monkeypatch.setattr(gtts_module.GttsEngine, "check", offline)
    assert choose_preset("auto", "es", online=True).name == "espeak"
    (gtts, espeak) = voice_plan("es", online=True)
    assert gtts.reason == gtts_module.OFFLINE_MESSAGE
    assert espeak.chosen


def test_a_named_voice_is_chosen_whatever_the_language() -> None:
    assert choose_preset("kore", "de").name == "kore"


def test_unknown_voice_is_a_config_error_listing_the_voices() -> None:
    with pytest.raises(ConfigError, match="nosuchvoice") as caught:
        load_preset("nosuchvoice")
    assert caught.value.exit_code == ExitStatus.USAGE
    hint = caught.value.hint or ""
    for name in SHIPPED:
        assert name in hint
    with pytest.raises(ConfigError):
        choose_preset("nosuchvoice", "en")


# --- preset files ----------------------------------------------------------------------------


def test_a_preset_file_path_works(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        FAKE + 'speed = 1.25\ndescription = "test tone"\n[pauses]\nsentence = 100\ntail = 0\n',
    )
    preset = load_preset(str(path))
    assert preset.name == "mine"
    assert (preset.engine, preset.voice, preset.language) == ("fake", "tone", "auto")
    assert preset.speed == 1.25
    assert preset.pauses == Pauses(sentence=100, tail=0)
    assert preset.speaks("ja")
    assert choose_preset(str(path), "de") == preset


def test_a_preset_file_without_the_toml_suffix_works(tmp_path: Path) -> None:
    path = write(tmp_path, FAKE, name="voice.conf")
    assert load_preset(str(path)).engine == "fake"


def test_a_missing_preset_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_preset(str(tmp_path / "missing.toml"))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('engine = "fake"\nvoice = \n', id="bad-toml"),
        pytest.param('engine = "fake\n', id="unterminated-string"),
        pytest.param('voice = "tone"\nlanguage = "auto"\n', id="missing-engine"),
        pytest.param(FAKE + "speed = 3.0\n", id="speed-3"),
        pytest.param(FAKE + "speed = 0.1\n", id="speed-0.1"),
        pytest.param(FAKE + 'speed = "fast"\n', id="speed-text"),
        pytest.param(FAKE + "[pauses]\nbreath = 200\n", id="unknown-pause"),
        pytest.param(FAKE + '[pauses]\nsentence = "long"\n', id="pause-text"),
        pytest.param(FAKE + "pauses = 5\n", id="pauses-not-a-table"),
        pytest.param(FAKE + "[pauses]\nsentence = -300\n", id="negative-pause"),
    ],
)
def test_a_malformed_preset_file_is_a_config_error(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_preset(str(path))
    assert caught.value.exit_code == ExitStatus.USAGE
    assert str(path) in str(caught.value)


def test_pause_names_are_the_fields_of_pauses() -> None:
    assert set(PAUSE_NAMES) == set(Pauses.__dataclass_fields__)


# --- overrides -------------------------------------------------------------------------------


def test_with_overrides_switches_the_engine() -> None:
    preset = with_overrides(load_preset("heart"), engine="espeak", speed=None)
    assert preset.engine == "espeak"
    assert preset.voice == "auto"
    assert preset.language == "auto"
    assert preset.speaks("de")
    assert preset.pauses == load_preset("heart").pauses


def test_with_overrides_switches_to_an_engines_own_voice() -> None:
    preset = with_overrides(load_preset("heart"), engine="fake", speed=None)
    assert (preset.engine, preset.voice) == ("fake", "tone")


def test_with_overrides_changes_the_speed() -> None:
    heart = load_preset("heart")
    assert with_overrides(heart, engine=None, speed=1.5).speed == 1.5
    assert with_overrides(heart, engine=None, speed=None) == heart
    assert with_overrides(heart, engine="hibari", speed=None) == heart
    with pytest.raises(ConfigError):
        with_overrides(heart, engine=None, speed=3.0)


# --- usability -------------------------------------------------------------------------------


def _resolves(host: str, timeout: float = 3.0) -> bool:
    answer: list[bool] = []

    def look_up() -> None:
        try:
            socket.getaddrinfo(host, 443)
        except OSError:
            answer.append(False)
        else:
            answer.append(True)

    thread = threading.Thread(target=look_up, daemon=True)
    thread.start()
    thread.join(timeout)
    return answer == [True]


def test_gtts_is_not_usable_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gtts_module, "_online_until", 0.0)  # forget any earlier success
    result = usability("gtts")
    if result.usable and _resolves(gtts_module.HOST):
        pytest.skip("this machine is online: gTTS can be used")
    assert not result.usable
    assert result.reason == "gTTS needs internet access; use --engine hibari"


def test_heart_is_usable() -> None:
    result = usability("heart")
    assert result.usable, result.reason
    assert result.preset.name == "heart"


def test_a_hibari_voice_that_is_not_downloaded_is_not_usable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HIBARI_HOME", str(tmp_path / "empty-hibari-home"))
    result = usability("emma")
    assert not result.usable
    assert "emma" in result.reason
    assert "not installed" in result.reason
    assert not (tmp_path / "empty-hibari-home").exists() or not any(
        (tmp_path / "empty-hibari-home").iterdir()
    )  # nothing was downloaded


def test_a_preset_whose_engine_is_unknown_is_not_usable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, 'engine = "no-such-engine"\nvoice = "x"\n')
    result = usability(str(path))
    assert not result.usable
    assert "no-such-engine" in result.reason
