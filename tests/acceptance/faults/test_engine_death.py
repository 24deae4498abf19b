"""The engine dying in the middle of an article: it raises, the process exits, or it is
killed, after a few sentences. `newsvoice audio` exits 5 with one `error:` line (or is
gone), leaves no output (and the old ones as they were), and a rerun with a healthy engine
speaks only the sentences that had not reached the cache.

The fake engine (through the fork server's ``engine_fault``) covers the modes quickly, with
one worker and with two; the default engine, hibari, dies once for real: its model fails
inside the engine, so hibari's own error handling and newsvoice's retry run."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import pytest

from bench.zyte import pages

from .conftest import MP3_FILES, SENTENCES, Work, cache_entries, files, mp3_seconds, ok
from .harness import KILLED, Servers

if TYPE_CHECKING:
    from pathlib import Path

AFTER = 2  # sentences spoken before the engine dies
SHORT_PAGE = "35b158918c67"  # a 161-word page of the Zyte corpus


def start(work: Work, folder: Path, with_old: bool) -> dict[str, bytes]:
    """The output folder, with the old outputs or empty; returns its files."""
    out = folder / "out"
    if with_old:
        shutil.copytree(work.old, out, ignore=shutil.ignore_patterns("*.epub"))
    else:
        out.mkdir()
    return files(out)


def check_rerun(servers: Servers, argv: list[str], folder: Path, cached: int) -> dict[str, int]:
    """Rerun with a healthy engine: it completes and speaks only what was not cached."""
    result = ok(servers.run([*argv, "--json"], folder)).json()[0]
    assert result["cache_hits"] == cached
    assert result["engine_calls"] == result["sentences"] - cached
    out = folder / "out"
    assert sorted(p.name for p in out.iterdir()) == sorted(MP3_FILES)
    seconds = mp3_seconds((out / "ep.mp3").read_bytes(), folder)
    assert abs(seconds - result["duration_ms"] / 1000) <= 0.1
    return {"engine_calls": result["engine_calls"], "cache_hits": result["cache_hits"]}


@pytest.mark.parametrize(
    ("mode", "jobs", "with_old"),
    [
        ("raise", 1, True),
        ("raise", 2, False),
        ("exit", 1, False),
        ("exit", 2, True),
        ("kill", 1, True),
        ("kill", 2, False),
    ],
)
def test_the_fake_engine_dies_mid_article(
    servers: Servers, work: Work, tmp_path: Path, mode: str, jobs: int, with_old: bool
) -> None:
    before = start(work, tmp_path, with_old)
    argv = [*work.audio_args(work.v2), "--cache", "cache", "--jobs", str(jobs)]
    run = servers.run(argv, tmp_path, engine_fault={"engine": "fake", "after": AFTER,
                                                     "mode": mode})  # fmt: skip
    if mode == "raise":
        assert run.status == 5, run.stderr
        assert run.errors == [run.stderr.strip()], run.stderr  # one line, no traceback
        assert "the fake engine crashed on" in run.stderr
    else:
        assert run.status == (KILLED if mode == "kill" else 70), run.stderr
        assert run.errors == []
    assert files(tmp_path / "out") == before  # nothing new, not even a temp file
    cached = cache_entries(tmp_path / "cache") if (tmp_path / "cache").exists() else set()
    if mode == "raise" or jobs == 1:
        assert len(cached) == AFTER  # what was spoken before the crash is kept
    else:  # killed or gone while the main thread was storing the other worker's sentences
        assert len(cached) <= AFTER
    calls = check_rerun(servers, argv, tmp_path, len(cached))
    assert calls["engine_calls"] == SENTENCES - len(cached)


@pytest.mark.slow
def test_hibari_dies_mid_article(servers: Servers, work: Work, tmp_path: Path) -> None:
    """The real default engine, two workers, an old narration in place."""
    source = tmp_path / "short.html"
    source.write_text(next(p.html for p in pages() if p.id.startswith(SHORT_PAGE)), "utf-8")
    before = start(work, tmp_path, with_old=True)
    argv = ["audio", str(source), "-o", "out/ep.mp3", "--transcript", "vtt", "--chapters-json",
            "--sample-rate", "24000", "--cache", "cache", "--jobs", "2"]  # fmt: skip
    run = servers.run(argv, tmp_path, engine_fault={"engine": "hibari", "after": 3,
                                                     "mode": "raise"})  # fmt: skip
    assert run.status == 5, run.stderr
    assert run.errors == [run.stderr.strip()], run.stderr
    assert run.stderr.startswith("error: hibari failed on ")
    assert "RuntimeError: engine crashed" in run.stderr
    assert files(tmp_path / "out") == before
    cached = cache_entries(tmp_path / "cache")
    assert 1 <= len(cached) <= 3
    calls = check_rerun(servers, argv, tmp_path, len(cached))
    assert calls["engine_calls"] > 0
