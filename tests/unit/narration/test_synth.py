"""synth.py: synthesis of a script's sentences, cache first, with the fake engine."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from newsvoice.engines import VoiceSpec
from newsvoice.engines.fake import MS_PER_CHAR, SAMPLE_RATE, FakeEngine
from newsvoice.errors import EngineError, ExitStatus, SegmentFailed
from newsvoice.narration import synth
from newsvoice.narration.cache import SegmentCache
from newsvoice.narration.synth import Job, SynthStats, synthesize

if TYPE_CHECKING:
    from pathlib import Path

VOICE = VoiceSpec("tone", 1.0, "en")
DIGEST = "0" * 64
TEXTS = [
    "Are the US and China ready to cooperate more on North Korea?",
    "The two countries agreed that a U-N resolution was necessary.",
    "But deep-rooted suspicions could stunt specific action.",
    "By Nathan Corbett, Staff writer.",
    "U-S Secretary of State John Kerry and China's foreign minister agreed Wednesday.",
    "But the two men did not agree on specific actions to take.",
    "Short.",
    "It has since conducted three additional tests, including the one on January 6.",
]


def jobs_for(texts: list[str]) -> list[Job]:
    return [Job(engine="fake", voice=VOICE, text=text, lexicon=DIGEST) for text in texts]


@pytest.fixture(autouse=True)
def _no_retry_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synth, "RETRY_DELAY", 0.0)


def run(
    texts: list[str], cache: SegmentCache, workers: int | None = 1
) -> tuple[list[bytes], SynthStats, int]:
    """Synthesise; returns the PCM of every chunk, the stats and the engine calls made."""
    before = FakeEngine.calls
    chunks, stats = synthesize(jobs_for(texts), cache, workers)
    assert all(c.sample_rate == SAMPLE_RATE for c in chunks)
    return [c.pcm for c in chunks], stats, FakeEngine.calls - before


def test_cold_run_calls_the_engine_once_per_job(tmp_path: Path) -> None:
    pcm, stats, calls = run(TEXTS, SegmentCache(tmp_path))
    assert calls == len(TEXTS)
    assert stats.engine_calls == len(TEXTS)
    assert stats.cache_hits == 0
    assert stats.versions == {"fake": FakeEngine.version}
    assert len(pcm) == len(TEXTS)
    # the chunks are in job order: the fake engine speaks 40 ms per character
    for text, data in zip(TEXTS, pcm, strict=True):
        assert len(data) == 2 * SAMPLE_RATE * MS_PER_CHAR * len(text) // 1000


def test_warm_run_makes_no_calls_and_returns_identical_chunks(tmp_path: Path) -> None:
    cold, _, _ = run(TEXTS, SegmentCache(tmp_path))
    warm, stats, calls = run(TEXTS, SegmentCache(tmp_path))
    assert calls == 0
    assert stats.engine_calls == 0
    assert stats.cache_hits == len(TEXTS)
    assert stats.engine_seconds == 0
    assert warm == cold


def test_changing_one_text_makes_exactly_one_call(tmp_path: Path) -> None:
    cold, _, _ = run(TEXTS, SegmentCache(tmp_path))
    changed = list(TEXTS)
    changed[3] = "By Nathan Corbett and Jane Doe, Staff writers."
    pcm, stats, calls = run(changed, SegmentCache(tmp_path))
    assert calls == 1
    assert stats.engine_calls == 1
    assert stats.cache_hits == len(TEXTS) - 1
    assert pcm[:3] == cold[:3]
    assert pcm[4:] == cold[4:]
    assert len(pcm[3]) == 2 * SAMPLE_RATE * MS_PER_CHAR * len(changed[3]) // 1000


def test_another_voice_speed_or_lexicon_is_another_entry(tmp_path: Path) -> None:
    run(TEXTS[:2], SegmentCache(tmp_path))
    for job in (
        Job("fake", VoiceSpec("tone", 1.25, "en"), TEXTS[0], DIGEST),
        Job("fake", VoiceSpec("tone", 1.0, "en-GB"), TEXTS[0], DIGEST),
        Job("fake", VOICE, TEXTS[0], "1" * 64),
    ):
        _, stats = synthesize([job], SegmentCache(tmp_path), 1)
        assert stats.engine_calls == 1


def test_without_a_cache_every_run_calls_the_engine() -> None:
    _, first, _ = run(TEXTS, SegmentCache(None))
    _, second, calls = run(TEXTS, SegmentCache(None))
    assert first.engine_calls == second.engine_calls == calls == len(TEXTS)


def test_two_workers_give_the_same_chunks_as_one() -> None:
    assert len(TEXTS) >= synth.MIN_PARALLEL  # so that the pool is used
    one, stats_one, _ = run(TEXTS, SegmentCache(None), workers=1)
    two, stats_two, _ = run(TEXTS, SegmentCache(None), workers=2)
    assert two == one
    assert stats_one.engine_calls == stats_two.engine_calls == len(TEXTS)


def test_two_workers_fill_the_cache_like_one(tmp_path: Path) -> None:
    cold, stats, _ = run(TEXTS, SegmentCache(tmp_path), workers=2)
    assert stats.engine_calls == len(TEXTS)
    warm, stats, calls = run(TEXTS, SegmentCache(tmp_path), workers=2)
    assert calls == 0
    assert stats.cache_hits == len(TEXTS)
    assert warm == cold


def test_progress_counts_every_sentence(tmp_path: Path) -> None:
    seen: list[int] = []
    synthesize(jobs_for(TEXTS[:3]), SegmentCache(tmp_path), 1, seen.append)
    assert sum(seen) == 3
    seen.clear()
    synthesize(jobs_for(TEXTS[:5]), SegmentCache(tmp_path), 1, seen.append)
    assert sum(seen) == 5


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_sentence_raises_segment_failed(tmp_path: Path, workers: int) -> None:
    texts = [*TEXTS[:4], "This one says FAIL-SEGMENT and fails.", *TEXTS[4:]]
    with pytest.raises(SegmentFailed, match="FAIL-SEGMENT") as caught:
        synthesize(jobs_for(texts), SegmentCache(tmp_path), workers)
    assert isinstance(caught.value, EngineError)
    assert caught.value.exit_code == ExitStatus.ENGINE == 5


def test_a_failing_sentence_is_retried_once(tmp_path: Path) -> None:
    before = FakeEngine.calls
    with pytest.raises(SegmentFailed):
        synthesize(jobs_for(["FAIL-SEGMENT"]), SegmentCache(tmp_path), 1)
    assert FakeEngine.calls - before == 2
    # nothing was cached for it
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_no_jobs_is_no_audio(tmp_path: Path) -> None:
    chunks, stats = synthesize([], SegmentCache(tmp_path), 1)
    assert chunks == []
    assert stats.engine_calls == 0
