"""Synthesis of a script's sentences: cache first, then the engine, in parallel workers.

Workers are threads, each with its own engine instance; the built-in engines' models are
loaded once per process and shared by those instances (one inference thread each call):
the model runtimes (onnxruntime, subprocesses) release the GIL, so two workers use two
cores without the start-up cost of new processes and of a model load per worker. Cache hits
cost a file read. A sentence that fails is retried once; when the engine crashed with an
error of its own rather than SegmentFailed, the retry gets a fresh instance and the engine's
``reset`` first drops the shared models, so the retry really starts afresh. Then the job
fails with SegmentFailed. Each sentence goes to the cache as soon as it is spoken, so a rerun
after a failure speaks only the others. ``speak`` hands the audio on one sentence at a time,
in order, so that memory does not grow with the length of the script.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..engines import AudioChunk, Engine, VoiceSpec, load_engine, new_engine
from ..errors import EngineError, SegmentFailed, one_line
from .cache import SegmentCache, segment_key

if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Sequence

RETRY_DELAY = 0.5
MIN_PARALLEL = 4  # fewer misses than this are synthesised in this thread
LOOKAHEAD = 4  # sentences a worker may speak ahead of the one being read


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
            # retry with a new instance, and the process-wide models reloaded (``reset``)
            crashed = _local.__dict__.get("engines", {}).pop(job.engine, None)
            reset = getattr(crashed, "reset", None)  # plugins on the bare protocol lack it
            if callable(reset):
                reset()
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


def speak(
    jobs: Sequence[Job],
    cache: SegmentCache,
    stats: SynthStats,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Generator[AudioChunk, None, None]:
    """Audio for every job, in order, each when its turn comes, so that a long script is
    never held in memory whole. A cache hit is read when it is next; misses are spoken by
    worker threads, at most LOOKAHEAD sentences a worker ahead of the reader. A sentence
    goes to the cache as soon as it is spoken, so a run that fails or is stopped keeps it.
    ``stats`` fills in as the audio is read; closing the iterator stops the workers."""
    started = time.perf_counter()
    for job in jobs:
        stats.versions.setdefault(job.engine, load_engine(job.engine).version)
    keys = [
        segment_key(j.engine, stats.versions[j.engine], j.voice, j.lexicon, j.text) for j in jobs
    ]
    cached = [cache.has(key) for key in keys]
    if progress and any(cached):
        progress(sum(cached))
    missing = [i for i, hit in enumerate(cached) if not hit]
    workers = max(1, workers or default_jobs())
    if not all(load_engine(job.engine).caps.parallel_safe for job in jobs):
        workers = 1
    pool = None
    if workers > 1 and len(missing) >= MIN_PARALLEL:
        pool = ThreadPoolExecutor(max_workers=min(workers, len(missing)))
    limit = LOOKAHEAD * min(workers, len(missing))
    ahead: dict[int, Future[tuple[AudioChunk, float]]] = {}
    queue = iter(missing)

    def spoken(index: int) -> tuple[AudioChunk, float]:
        chunk, seconds = _speak(jobs[index])
        cache.put(keys[index], chunk)
        return chunk, seconds

    def counted(chunk: AudioChunk, seconds: float) -> AudioChunk:
        stats.engine_calls += 1
        stats.engine_seconds += seconds
        return chunk

    try:
        for index, key in enumerate(keys):
            if cached[index]:
                chunk = cache.get(key)
                if chunk is not None:
                    stats.cache_hits += 1
                    yield chunk
                else:  # an entry that cannot be read: speak it again (progress has it)
                    yield counted(*spoken(index))
                continue
            if pool is None:
                chunk = counted(*spoken(index))
            else:
                while len(ahead) < limit and (following := next(queue, None)) is not None:
                    ahead[following] = pool.submit(spoken, following)
                chunk = counted(*ahead.pop(index).result())
            if progress:
                progress(1)
            yield chunk
    finally:
        if pool is not None:
            for future in ahead.values():
                future.cancel()
            pool.shutdown(wait=True)  # what is being spoken still reaches the cache
        stats.seconds = time.perf_counter() - started


def synthesize(
    jobs: Sequence[Job],
    cache: SegmentCache,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[AudioChunk], SynthStats]:
    """Audio for every job, in order, as one list (``speak`` gives it one at a time)."""
    stats = SynthStats()
    return list(speak(jobs, cache, stats, workers, progress)), stats
