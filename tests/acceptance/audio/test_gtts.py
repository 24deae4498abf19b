"""gTTS for real: the library's own request code, its HTTP exchange served on 127.0.0.1.

The CLI runs as users run it, with HTTPS_PROXY pointing at a local stand-in for the speech
service (``gtts_service.py``); nothing leaves the machine. Offline (no proxy, no DNS), the
one-line error is tested in ``test_cli_audio.py``.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.acceptance.audio.conftest import SEED_HTML
from tests.acceptance.audio.gtts_service import PATH, SpeechService
from tests.acceptance.audio.tools import ffprobe

if TYPE_CHECKING:
    from tests.acceptance.audio.conftest import Narration

pytestmark = pytest.mark.network_loopback
FRENCH = Path(__file__).resolve().parents[2] / "data" / "multilingual" / "article-fr.html"


def _newsvoice(service: SpeechService, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "NEWSVOICE_DEBUG"}
    env.update(service.environment, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "newsvoice", *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=300, check=False,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip


def _chapters(path: Path) -> list[tuple[str, float, float]]:
    found = ffprobe(str(path))["chapters"]
    return [(c["tags"]["title"], float(c["start_time"]), float(c["end_time"])) for c in found]


@pytest.mark.slow
def test_the_seed_is_narrated_by_gtts_into_an_mp3_with_the_same_chapters(
    seed_narration: Narration, tmp_path: Path
) -> None:
    target = tmp_path / "seed-gtts.mp3"
    with SpeechService() as service:
        done = _newsvoice(service, "audio", SEED_HTML, "-o", target, "--engine", "gtts",
                          "--online", "--transcript", "vtt", "--cache", tmp_path / "cache",
                          "--json")  # fmt: skip
        asked = service.requests
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["voices"] == ["gtts/default"]
    # every sentence went to the service, in English, as gTTS itself sends it (in parts of
    # at most 100 characters)
    assert result["engine_calls"] == result["sentences"] > 20
    assert len(asked) >= result["engine_calls"]
    assert max(len(r.text) for r in asked) <= 100
    assert {(r.host, r.path, r.language) for r in asked} == {("translate.google.com", PATH, "en")}
    said = " ".join(r.text for r in asked)
    assert "Kerry" in said
    assert "North Korea" in said
    # the same chapters as the default voice's MP3: the same titles in the same order, the
    # first at 0, each where the one before ends, the last at the end of the audio
    ours, theirs = _chapters(target), _chapters(seed_narration.path)
    assert [c[0] for c in ours] == [c[0] for c in theirs] == ["Headline", "Standfirst", "Body"]
    assert ours[0][1] == 0.0
    assert all(a[2] == b[1] for a, b in itertools.pairwise(ours))
    duration = float(ffprobe(str(target))["format"]["duration"])
    assert abs(ours[-1][2] - duration) < 0.1
    assert [c["title"] for c in result["chapters"]] == ["Headline", "Standfirst", "Body"]
    assert duration > 60  # the whole article was spoken, not a few words of it
    assert -17 <= result["loudness_lufs"] <= -15
    # the read-along text is the article's, as with any engine
    vtt = target.with_suffix(".vtt").read_text("utf-8")
    assert "John Kerry" in vtt
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "seed-gtts.mp3", "seed-gtts.vtt"]


def test_online_a_french_article_is_read_by_gtts_in_french(tmp_path: Path) -> None:
    with SpeechService() as service:
        plan = _newsvoice(service, "voices", "--language", "fr", "--online", "--json")
        done = _newsvoice(service, "audio", FRENCH, "-o", tmp_path / "fr.mp3", "--online",
                          "--cache", tmp_path / "cache", "--json")  # fmt: skip
        asked = service.requests
    assert plan.returncode == 0, plan.stderr
    chosen = [c for c in json.loads(plan.stdout)["candidates"] if c["chosen"]]
    assert [(c["name"], c["reason"]) for c in chosen] == [
        ("gtts", "online, and the service answers")
    ]
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["voices"] == ["gtts/default"]
    assert asked
    assert {r.language for r in asked} == {"fr"}


def test_without_online_gtts_is_passed_over_even_when_it_answers(tmp_path: Path) -> None:
    with SpeechService() as service:
        done = _newsvoice(service, "audio", FRENCH, "-o", tmp_path / "fr.mp3",
                          "--cache", tmp_path / "cache", "--json")  # fmt: skip
        asked = service.requests
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["voices"] == ["espeak/fr-fr"]
    assert asked == []  # nothing was sent anywhere
