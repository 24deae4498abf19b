"""The seed narrated once per session with the default offline voice (hibari), and the real
tools that judge it: ffprobe, ffmpeg's EBU R128 meter and Whisper speech recognition."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from newsvoice import load
from newsvoice.render.audio import AudioOptions, AudioResult, render_audio

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
SEED_HTML = SAMPLES / "csmonitor-kerry-china.html"


@dataclass
class Narration:
    path: Path
    result: AudioResult
    cache: Path


@pytest.fixture(scope="session")
def seed_narration(tmp_path_factory: pytest.TempPathFactory) -> Narration:
    directory = tmp_path_factory.mktemp("narration")
    cache = directory / "cache"
    target = directory / "seed.mp3"
    result = render_audio(
        [load(str(SEED_HTML))],
        target,
        AudioOptions(cache_dir=cache, transcript=True, chapters_json=True),
    )
    return Narration(target, result, cache)
