"""A real DAISY player reads the books: Debian's daisy-player (ncurses), driven through tmux.

The test machines have no sound card, so the player's ALSA output is the `file` plugin over
the `null` device (through `plug`, as 16 kHz mono 16-bit PCM): whatever it plays is appended
to a file, as fast as it is decoded. tests/data/daisy/asound_cards.c, preloaded, gives it the
list of cards it reads at start. What it played is then matched against the book's MP3s by
cross-correlation: the first seconds it played must be the chosen article's opening.

The edition is the seed and five Zyte corpus articles with sub-headings, read by eSpeak NG."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from lxml import etree

from bench.zyte import pages
from newsvoice.model import Heading
from newsvoice.render.daisycheck import check, parse_hms
from newsvoice.sources import load
from tests.helpers import need, run_newsvoice

REPO = Path(__file__).resolve().parents[3]
SEED = REPO / "samples" / "csmonitor-kerry-china.html"
SHIM = REPO / "tests" / "data" / "daisy" / "asound_cards.c"
RATE = 16_000

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    gcc = need("gcc", shutil.which("gcc"))
    out = tmp_path_factory.mktemp("shim") / "asound_cards.so"
    subprocess.run([gcc, "-shared", "-fPIC", "-O2", "-o", str(out), str(SHIM), "-ldl"], check=True)
    return out


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], dict[str, object]]:
    need("espeak-ng", shutil.which("espeak-ng"))
    work = tmp_path_factory.mktemp("edition")
    sources = [SEED]
    for page in sorted(pages(), key=lambda p: p.id):
        path = work / f"{page.id}.html"
        path.write_text(page.html, "utf-8")
        article = load(str(path))
        if any(isinstance(b, Heading) for b in article.blocks) and len(article.text) < 6000:
            sources.append(path)
        if len(sources) == 6:
            break
    command = ["daisy", *sources, "-o", work / "edition", "--voice", "espeak", "--title",
               "Test edition", "--json", "--cache", work / "cache"]  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "newsvoice", *map(str, command)],
        capture_output=True, text=True, encoding="utf-8", timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return work / "edition", sources, json.loads(done.stdout)


def test_the_ncc_lists_six_articles_with_their_sub_headings(
    edition: tuple[Path, list[Path], dict[str, object]],
) -> None:
    book, sources, report = edition
    assert check(book) == []
    navigation = report["navigation"]
    assert isinstance(navigation, list)
    articles = [load(str(s)) for s in sources]
    assert [p["label"] for p in navigation if p["level"] == 1] == [
        "Test edition",
        *(a.headline for a in articles),
    ]
    for number, article in enumerate(articles, start=1):
        headings = [b for b in article.blocks if isinstance(b, Heading)]
        listed = [p for p in navigation if p["smil"] == f"a{number:03d}.smil" and p["level"] >= 3]
        assert len(listed) == len(headings) > 0 or number == 1, (article.headline, listed)
    # ncc:totalTime is the sum of the MP3s' lengths, as ffprobe measures them
    ffprobe = need("ffprobe", shutil.which("ffprobe"))
    lengths = [
        float(subprocess.run([ffprobe, "-v", "error", "-show_entries", "format=duration", "-of",
                              "csv=p=0", str(mp3)], capture_output=True, text=True,
                             check=True).stdout)
        for mp3 in sorted(book.glob("*.mp3"))
    ]  # fmt: skip
    ncc = etree.parse(str(book / "ncc.html")).getroot()
    (total,) = [m.get("content") for m in ncc.iter("{*}meta") if m.get("name") == "ncc:totalTime"]
    assert abs(parse_hms(str(total)) - sum(lengths)) <= 0.5 + 0.06 * len(lengths)


def play(book: Path, shim: Path, downs: int, work: Path) -> tuple[np.ndarray, str]:
    """Open ``book`` in daisy-player, move ``downs`` items down the list, press Enter and
    collect what it plays until it reaches the end of the book and quits."""
    player = need("daisy-player", shutil.which("daisy-player"))
    tmux = need("tmux", shutil.which("tmux"))
    home = work / f"home-{downs}"
    home.mkdir()
    played = home / "played.raw"
    (home / ".asoundrc").write_text(
        'pcm.!default { type plug slave { pcm "tap" format S16_LE rate 16000 channels 1 } }\n'
        f'pcm.tap {{ type file slave.pcm "null" file "| cat >> {played}" format "raw" }}\n'
    )
    cards = home / "cards"
    cards.write_text(" 0 [Null           ]: Null - Null\n                      Null\n")
    session = f"daisy{os.getpid()}{downs}"
    command = (
        f"env HOME={home} LD_PRELOAD={shim} FAKE_ASOUND_CARDS={cards} {player} {book} -i -n "
        f"-d default:alsa 2>{home}/stderr; echo $? > {home}/exit; sleep 300"
    )
    subprocess.run([tmux, "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command],
                   check=True)  # fmt: skip
    try:
        screen = ""
        deadline = time.monotonic() + 30
        while "total length" not in screen and time.monotonic() < deadline:
            time.sleep(0.2)
            screen = subprocess.run([tmux, "capture-pane", "-t", session, "-p"],
                                    capture_output=True, text=True, check=True).stdout  # fmt: skip
        assert "total length" in screen, screen
        for _ in range(downs):
            subprocess.run([tmux, "send-keys", "-t", session, "Down"], check=True)
            time.sleep(0.4)
        subprocess.run([tmux, "send-keys", "-t", session, "Enter"], check=True)
        size = -1
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = played.stat().st_size if played.exists() else 0
            if now == size and (home / "exit").exists():
                break
            size = now
        assert (home / "exit").read_text().strip() == "0"
    finally:
        subprocess.run([tmux, "kill-session", "-t", session], check=False)
    return np.frombuffer(played.read_bytes(), dtype="<i2").astype(np.float64), screen


def decoded(mp3: Path) -> np.ndarray:
    ffmpeg = need("ffmpeg", shutil.which("ffmpeg"))
    raw = subprocess.run([ffmpeg, "-v", "error", "-i", str(mp3), "-ac", "1", "-ar", str(RATE),
                          "-f", "s16le", "-"], capture_output=True, check=True).stdout  # fmt: skip
    return np.frombuffer(raw, dtype="<i2").astype(np.float64)


def where(played: np.ndarray, source: np.ndarray) -> tuple[float, float]:
    """(seconds into ``source``, correlation) of the best match for the 3 s that the player
    played after its first half second."""
    probe = played[RATE // 2 : RATE // 2 + 3 * RATE]
    probe = (probe - probe.mean()) / (probe.std() + 1e-9)
    window = source[: 10 * RATE]
    best = (0.0, -1.0)
    for offset in range(0, len(window) - len(probe), 16):
        part = window[offset : offset + len(probe)]
        score = float(np.dot(part - part.mean(), probe) / ((part.std() + 1e-9) * len(probe)))
        if score > best[1]:
            best = (offset / RATE, score)
    return best


def test_daisy_player_reads_the_seed_from_its_headline(shim: Path, tmp_path: Path) -> None:
    need("espeak-ng", shutil.which("espeak-ng"))
    book = tmp_path / "seed"
    done = run_newsvoice("daisy", SEED, "-o", book, "--voice", "espeak", "--cache",
                         tmp_path / "cache")  # fmt: skip
    assert done.returncode == 0, done.stderr
    played, screen = play(book, shim, 0, tmp_path)
    assert "Are the US and China ready to cooperate" in screen
    assert "Standfirst" in screen
    assert "Body" in screen
    offset, score = where(played, decoded(book / "a001.mp3"))
    assert score > 0.8
    assert abs(offset - 0.5) < 0.15  # it began at the headline, the book's first clip
    assert len(played) / RATE > 0.95 * len(decoded(book / "a001.mp3")) / RATE  # then read on


def test_daisy_player_lists_the_articles_and_reads_the_chosen_one(
    edition: tuple[Path, list[Path], dict[str, object]], shim: Path, tmp_path: Path
) -> None:
    book, sources, report = edition
    played, screen = play(book, shim, 2, tmp_path)  # the title, the seed, then the next one
    headlines = [load(str(s)).headline for s in sources]
    for headline in headlines[:3]:
        assert headline[:30] in screen, screen
    offset, score = where(played, decoded(book / "a002.mp3"))
    assert score > 0.8, (offset, score)
    assert abs(offset - 0.5) < 0.15
    navigation = report["navigation"]
    assert isinstance(navigation, list)
    rest = report["duration_ms"] - next(
        p["elapsed_ms"] for p in navigation if p["smil"] == "a002.smil"
    )
    assert len(played) / RATE > 0.95 * rest / 1000  # and read on to the end of the book
