"""`newsvoice audio` and `newsvoice voices` as users run them."""

from __future__ import annotations

import json
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
    assert done.stderr == ("error: unknown engine 'nope'; available: espeak, gtts, hibari, piper\n")


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
