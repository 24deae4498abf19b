"""Synthesis of a script's sentences: cache first, then the engine, in parallel workers.

Workers are threads, each with its own engine instance running one inference thread: the
engines' model runtimes (onnxruntime, subprocesses) release the GIL, so two workers use two
cores without the start-up cost of new processes and model loads per process. Cache hits
cost a file read. A sentence that fails is retried once (with a fresh engine instance when
the engine crashed with an error of its own rather than SegmentFailed); then the job fails
with SegmentFailed. Sentences finished before a failure are kept in the cache, so a rerun
speaks only the others.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .cache import SegmentCache, segment_key
from .engines import AudioChunk, Engine, VoiceSpec, load_engine, new_engine
from .engines.base import one_line
from .errors import EngineError, SegmentFailed

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

RETRY_DELAY = 0.5
MIN_PARALLEL = 4  # fewer misses than this are synthesised in this process


@dataclass(frozen=True, slots=True)
class Job:
    """One sentence to speak with one engine and voice."""

    engine: str
    voice: VoiceSpec
    text: str
    lexicon: str  # the lexicon digest (part of the cache key)


@dataclass(slots=True)
class SynthStats:
    engine_calls: int = 0
    cache_hits: int = 0
    seconds: float = 0.0
    engine_seconds: float = 0.0
    versions: dict[str, str] = field(default_factory=dict)


_local = threading.local()


def _engine(name: str) -> Engine:
    """This worker thread's own instance of the engine."""
    engines: dict[str, Engine] = _local.__dict__.setdefault("engines", {})
    if name not in engines:
        engines[name] = new_engine(name)
    return engines[name]


def _speak(job: Job) -> tuple[AudioChunk, float]:
    """Synthesise one sentence (with one retry); returns the audio and engine seconds."""
    for attempt in (1, 2):
        engine = _engine(job.engine)
        start = time.perf_counter()
        try:
            chunk = engine.synthesize(job.text, job.voice)
        except SegmentFailed:
            if attempt == 2:
                raise
            time.sleep(RETRY_DELAY)
            continue
        except EngineError:
            raise
        except Exception as exc:  # the engine crashed (a plugin's bug, its runtime failing)
            _local.__dict__.get("engines", {}).pop(job.engine, None)  # retry with a new one
            if attempt == 2:
                raise SegmentFailed(
                    f"the {job.engine} engine crashed on {job.text[:40]!r}: {one_line(exc)}",
                    hint="run again; if it keeps failing, try another --voice",
                ) from exc
            time.sleep(RETRY_DELAY)
            continue
        if not chunk.pcm:
            if attempt == 2:
                raise SegmentFailed(f"{job.engine} returned no audio for {job.text[:40]!r}")
            continue
        return chunk, time.perf_counter() - start
    raise SegmentFailed(f"{job.engine} failed on {job.text[:40]!r}")  # pragma: no cover


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def synthesize(
    jobs: Sequence[Job],
    cache: SegmentCache,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[AudioChunk], SynthStats]:
    """Audio for every job, in order."""
    started = time.perf_counter()
    stats = SynthStats()
    for job in jobs:
        stats.versions.setdefault(job.engine, load_engine(job.engine).version)
    keys = [
        segment_key(j.engine, stats.versions[j.engine], j.voice, j.lexicon, j.text) for j in jobs
    ]
    results: list[AudioChunk | None] = [cache.get(key) for key in keys]
    stats.cache_hits = sum(r is not None for r in results)
    if progress and stats.cache_hits:
        progress(stats.cache_hits)
    missing = [i for i, r in enumerate(results) if r is None]
    workers = max(1, workers or default_jobs())
    if not all(load_engine(job.engine).caps.parallel_safe for job in jobs):
        workers = 1

    def store(index: int, chunk: AudioChunk, seconds: float) -> None:
        results[index] = chunk
        cache.put(keys[index], chunk)
        stats.engine_calls += 1
        stats.engine_seconds += seconds
        if progress:
            progress(1)

    if workers == 1 or len(missing) < MIN_PARALLEL:
        for index in missing:
            store(index, *_speak(jobs[index]))
    else:
        with ThreadPoolExecutor(max_workers=min(workers, len(missing))) as pool:
            futures = {index: pool.submit(_speak, jobs[index]) for index in missing}
            try:
                for index, future in futures.items():
                    store(index, *future.result())
            except BaseException:
                for future in futures.values():
                    future.cancel()
                pool.shutdown(wait=True)
                for index, future in futures.items():  # keep what was spoken all the same
                    if results[index] is None and not future.cancelled() and not future.exception():
                        cache.put(keys[index], future.result()[0])
                raise
    stats.seconds = time.perf_counter() - started
    done = [r for r in results if r is not None]
    if len(done) != len(jobs):  # pragma: no cover - every path above fills every slot
        raise EngineError("synthesis left sentences without audio")
    return done, stats
