"""SIGKILL at every point of writing an EPUB, an MP3 (with its transcript and chapters) and a
podcast feed update: afterwards each output is the old one or the new complete one, and a
rerun completes using the sentence cache.

What a kill point is. Each command is first run once, undisturbed, with the fork server's
hooks (``forkserver.py``) listing its *events*: every change it makes to the file system under
the output folder and the sentence cache, in order. Then, for every event N, the command is
run again from the same starting state and SIGKILLed just before event N (the log's last line
shows which event that was; it must be the Nth of the undisturbed run). The events are:

- ``create`` / ``open``: a file opened for writing (the atomic writer's temp file, the
  encoder's temp file, a cache entry's temp file, the site lock);
- ``write``: one piece of a write. Writes are cut into pieces, each flushed to the kernel
  before the next, so each piece is a different length of the temp file on disk: a kill *in
  the middle of a write*. Piece sizes are set per file (below);
- ``fsync``, ``chmod``, ``mkdir``, ``replace``, ``unlink``, ``rmdir``: the steps around them;
- ``ffmpeg``: the MP3 is written by an ffmpeg subprocess, not by Python, so its points are
  moments while ffmpeg runs: the ith is the first time its output has reached i/4 of its
  final size (or ffmpeg has exited). Killing newsvoice there leaves ffmpeg to finish its now
  truncated input into the temp file, as a real SIGKILL would. These are moments, not file
  states: ffmpeg's MP3 muxer holds the audio until it has the cover and the ID3 tag, so its
  output goes from nothing to its full size at once (the summary printed with ``-s`` lists
  the sizes seen at the kills: 0 and the full size);
- ``exit``: the command has finished and the process not yet exited.

So "at least 50 kill points" per output type means at least 50 distinct moments of one run,
nearly all of them distinct states of the files involved:

- EPUB (`newsvoice epub`), 51 points: the atomic writer's temp file created, 46 lengths of
  it (pieces of a 46th of the old book), fsync, chmod, the rename, exit. A book is one file
  written once, so the moments are the lengths of its temp file and the steps around it.
- MP3 (`newsvoice audio --transcript vtt --chapters-json`, two sentences changed since the
  cached version), 56 points: the two new cache entries (their folders, temp files, the WAV
  header's fields and 16 KiB pieces of audio, 19 in all, chmod, rename), the MP3's temp file
  and 4 moments while ffmpeg writes it, fsync, chmod, then the transcript (5 pieces of 160
  bytes) and the chapters (4 of 100 bytes), each fsynced whole before the three renames
  (the MP3's, then the chapters' and the transcript's, each after its chmod), the temp name's
  cleanup, and exit.
- feed (`newsvoice publish` of a corrected article into a site of two episodes), 51 of the
  run's 81 points: every point from taking the site's lock on (moving the five files in,
  the episode record, ``feed.xml`` in 1 KiB pieces, the page, deleting the superseded files
  and the staging folder, exit), and every third point before it (building in the staging
  folder and the cache, which no reader of the site sees).

After each kill: every output is byte-identical to the old one or to the new one of the
undisturbed run (which is reproducible, so "new" is exact), and passes its checks (EPUB: zip,
mimetype first and stored, the book's self-check; MP3: ffprobe's duration within 0.1 s of
the expected one; feed: parses with lxml, keeps every old item, every enclosure exists with
its length, every content-named file holds that content); nothing but temp files is left
beside the outputs; every cache entry is a whole WAV. Then, from the first point of each
distinct outcome (which outputs are new, how many new sentences reached the cache), the
command is rerun undisturbed: it completes, its outputs are the new ones, and it calls the
engine only for the new sentences that had not reached the cache (none, once they had).

Two points run at a time (two fork servers: the machine has two cores).
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from newsvoice.podcast.check import check_site

from .conftest import (
    CHANGED,
    MP3_FILES,
    NEW_EPOCH,
    SENTENCES,
    Work,
    cache_entries,
    check_site_files,
    epub_findings,
    feed_items,
    files,
    mp3_seconds,
    ok,
    strays,
)
from .harness import KILLED, Event, Run, Servers

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

MIN_POINTS = 50
RANDOM = re.compile(r"\.[a-z0-9_]{8}\.tmp$|run-[a-z0-9_]{8}")  # mkstemp's and mkdtemp's names


def label(event: Event) -> str:
    """The file an event is about, without the random and content-derived parts."""
    name = RANDOM.sub("*", event.path.rsplit("/", 1)[-1])
    name = re.sub(r"[0-9a-f]{64}", "<key>", name)
    return re.sub(r"^(\.?)[a-z0-9-]+-[0-9a-f]{10}\.", r"\1<slug>-<hash>.", name)


def same(a: Event, b: Event) -> bool:
    """The same step of the program (temp names are random)."""
    return a.kind == b.kind and RANDOM.sub("*", a.path) == RANDOM.sub("*", b.path)


@dataclass
class Scenario:
    """A command, its starting state, and how to cut its writes."""

    argv: list[str]
    seed: Callable[[Path], None]  # makes the starting state in an empty folder
    watch: tuple[str, ...]
    chunks: tuple[tuple[str, int], ...] = ()
    chunk: int = 1 << 30
    slices: int = 0
    env: dict[str, str] = field(default_factory=dict)

    def run(self, servers: Servers, folder: Path, kill: int = 0, ffmpeg_size: int = 0) -> Run:
        return servers.run(
            self.argv,
            folder,
            watch=[folder / w for w in self.watch],
            kill=kill,
            chunk=self.chunk,
            chunks=self.chunks,
            slices=self.slices,
            ffmpeg_size=ffmpeg_size,
            env=self.env,
        )


def undisturbed(
    scenario: Scenario, servers: Servers, folder: Path, minimum: int = MIN_POINTS
) -> Run:
    """The run that lists the events (and makes the new outputs)."""
    folder.mkdir()
    scenario.seed(folder)
    run = ok(scenario.run(servers, folder))
    assert len(run.events) >= minimum, "\n".join(map(str, run.events))
    return run


def kill_everywhere(
    scenario: Scenario,
    servers: Servers,
    base: Path,
    events: Sequence[Event],
    check: Callable[[Path], Any],
    ffmpeg_size: int = 0,
    points: Sequence[int] | None = None,
) -> dict[int, Any]:
    """Kill a fresh copy before each event (or each of ``points``, 1-based); ``check`` the
    folder; returns what each check returned."""

    sizes: set[str] = set()  # what ffmpeg had written at the kills while it ran

    def kill_at(point: int) -> tuple[int, Any]:
        folder = base / f"point-{point}"
        folder.mkdir()
        scenario.seed(folder)
        run = scenario.run(servers, folder, kill=point, ffmpeg_size=ffmpeg_size)
        assert run.status == KILLED, (point, run.status, run.stderr)
        assert len(run.events) == point, (point, run.events[-3:])
        assert same(run.events[-1], events[point - 1]), (point, run.events[-1])
        if run.events[-1].kind == "ffmpeg":
            sizes.add(run.events[-1].detail)
        return point, check(folder)

    chosen = list(points or range(1, len(events) + 1))
    assert len(chosen) >= MIN_POINTS
    results = dict(servers.map(kill_at, chosen))
    steps = Counter(f"{events[p - 1].kind} {label(events[p - 1])}" for p in chosen)
    summary = (
        f"{len(chosen)} of {len(events)} points: {', '.join(f'{s} ×{n}' for s, n in steps.items())}"
    )
    outcome = (
        f"ffmpeg output at its kills: {sorted(sizes)}; outcomes: {dict(Counter(results.values()))}"
    )
    print(f"{summary}; {outcome}")  # noqa: T201 - shown with -s
    return results


def first_of_each(outcomes: dict[int, Any]) -> list[int]:
    """The first point that left each distinct state: where the reruns start from."""
    first: dict[Any, int] = {}
    for point in sorted(outcomes):
        first.setdefault(outcomes[point], point)
    return sorted(first.values())


def rerun_everywhere(
    scenario: Scenario,
    servers: Servers,
    base: Path,
    outcomes: dict[int, Any],
    check: Callable[[Path, Run, Any], None],
) -> None:
    """After the kill at the first point of each outcome, run again undisturbed in the same
    folder; ``check`` gets the folder, the run and what the kill had left."""

    def rerun(point: int) -> None:
        folder = base / f"point-{point}"
        run = scenario.run(servers, folder)
        assert run.status == 0, (point, run.stderr)
        check(folder, run, outcomes[point])

    servers.map(rerun, first_of_each(outcomes))
    for folder in base.glob("point-*"):  # all checked: a few MB each
        shutil.rmtree(folder)


# --- EPUB ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_epub_killed_at_every_point(servers: Servers, work: Work, tmp_path: Path) -> None:
    old = (work.old / "book.epub").read_bytes()

    def seed(folder: Path) -> None:
        (folder / "out").mkdir()
        shutil.copyfile(work.old / "book.epub", folder / "out" / "book.epub")

    scenario = Scenario(
        ["epub", str(work.v2), "-o", "out/book.epub"], seed, ("out",), chunk=len(old) // 46 + 1
    )
    count = undisturbed(scenario, servers, tmp_path / "count")
    new = (tmp_path / "count" / "out" / "book.epub").read_bytes()
    assert new != old
    assert epub_findings(new) == epub_findings(old) == ()

    def check(folder: Path) -> str:
        out = folder / "out"
        assert strays(out, {"book.epub"}) == []
        data = (out / "book.epub").read_bytes()
        assert data in (old, new), "book.epub is neither the old book nor the new one"
        assert epub_findings(data) == ()
        return "new" if data == new else "old"

    outcomes = kill_everywhere(scenario, servers, tmp_path, count.events, check)
    assert set(outcomes.values()) == {"old", "new"}
    last_old = max(p for p, o in outcomes.items() if o == "old")
    assert count.events[last_old - 1].kind == "replace"  # old until the rename, new after it

    def rerun(folder: Path, run: Run, outcome: str) -> None:
        assert (folder / "out" / "book.epub").read_bytes() == new

    rerun_everywhere(scenario, servers, tmp_path, outcomes, rerun)


# --- MP3, transcript and chapters ----------------------------------------------------------


@pytest.mark.slow
def test_mp3_killed_at_every_point(servers: Servers, work: Work, tmp_path: Path) -> None:
    old = {name: (work.old / name).read_bytes() for name in MP3_FILES}
    old_cache = cache_entries(work.cache)

    def seed(folder: Path) -> None:
        shutil.copytree(work.old, folder / "out", ignore=shutil.ignore_patterns("*.epub"))
        shutil.copytree(work.cache, folder / "cache")

    scenario = Scenario(
        [*work.audio_args(work.v2), "--cache", "cache", "--json"],
        seed,
        ("out", "cache"),
        chunks=((".wav.", 16 * 1024), (".vtt.", 160), (".chapters.json.", 100)),
        slices=4,
    )
    count = undisturbed(scenario, servers, tmp_path / "count")
    result = count.json()[0]
    assert result["engine_calls"] == CHANGED
    new = {name: (tmp_path / "count" / "out" / name).read_bytes() for name in MP3_FILES}
    assert all(new[name] != old[name] for name in MP3_FILES)
    seconds = {  # what each MP3 lasts by its timing table
        old["ep.mp3"]: work.old_audio["duration_ms"] / 1000,
        new["ep.mp3"]: result["duration_ms"] / 1000,
    }
    ffmpeg_size = len(new["ep.mp3"])

    def check(folder: Path) -> tuple[str | int, ...]:
        """(state of the MP3, the transcript, the chapters, new sentences in the cache)"""
        out = folder / "out"
        assert strays(out, set(MP3_FILES)) == []
        states: list[str | int] = []
        for name in MP3_FILES:
            data = (out / name).read_bytes()
            assert data in (old[name], new[name]), f"{name} is neither old nor new"
            states.append("new" if data == new[name] else "old")
        mp3 = (out / "ep.mp3").read_bytes()
        assert abs(mp3_seconds(mp3, tmp_path) - seconds[mp3]) <= 0.1
        cached = cache_entries(folder / "cache")  # each one a whole WAV
        assert cached >= old_cache
        return (*states, len(cached - old_cache))

    outcomes = kill_everywhere(scenario, servers, tmp_path, count.events, check, ffmpeg_size)
    assert {o[:3] for o in outcomes.values()} >= {("old", "old", "old"), ("new", "new", "new")}
    assert {o[3] for o in outcomes.values()} == set(range(CHANGED + 1))

    def rerun(folder: Path, run: Run, outcome: tuple[str | int, ...]) -> None:
        assert {name: (folder / "out" / name).read_bytes() for name in MP3_FILES} == new
        (again,) = run.json()
        # only the new sentences that had not reached the cache are spoken
        assert again["engine_calls"] == CHANGED - int(outcome[3])
        assert again["cache_hits"] == SENTENCES - again["engine_calls"]

    rerun_everywhere(scenario, servers, tmp_path, outcomes, rerun)


# --- the feed -------------------------------------------------------------------------------


def feed_scenario(work: Work) -> Scenario:
    """`newsvoice publish` of the corrected article into the site of the first version."""

    def seed(folder: Path) -> None:
        shutil.copytree(work.site, folder / "site")
        shutil.copytree(work.cache, folder / "cache")

    return Scenario(
        [*work.publish_args(work.v2), "--cache", "cache", "--json"],
        seed,
        ("site", "cache"),
        chunks=(("feed.xml", 1024),),
        slices=4,
        env={"SOURCE_DATE_EPOCH": NEW_EPOCH},
    )


@pytest.mark.slow
def test_feed_killed_at_every_point(servers: Servers, work: Work, tmp_path: Path) -> None:
    old_feed = (work.site / "feed.xml").read_bytes()
    old_guids = set(feed_items(old_feed))

    scenario = feed_scenario(work)
    count = undisturbed(scenario, servers, tmp_path / "count")
    (published,) = count.json()
    assert published["status"] == "updated"
    assert published["engine_calls"] == CHANGED
    new_site = tmp_path / "count" / "site"
    new_feed = (new_site / "feed.xml").read_bytes()
    assert new_feed != old_feed
    ffmpeg_size = published["audio_bytes"]

    record = Path("episodes") / published["slug"] / "episode.json"
    old_record = (work.site / record).read_bytes()
    new_record = (new_site / record).read_bytes()

    def check(folder: Path) -> tuple[str, str, int]:
        """(state of the feed, of the episode's record, new sentences in the cache)"""
        site = folder / "site"
        feed = (site / "feed.xml").read_bytes()
        assert feed in (old_feed, new_feed), "feed.xml is neither the old feed nor the new one"
        assert old_guids <= set(feed_items(feed))
        check_site_files(site, feed)
        data = (site / record).read_bytes()
        assert data in (old_record, new_record)
        cached = cache_entries(folder / "cache")
        return (
            "new" if feed == new_feed else "old",
            "new" if data == new_record else "old",
            len(cached - old_cache),
        )

    old_cache = cache_entries(work.cache)
    # every point from taking the site's lock on (the steps that change the published site),
    # and every third of the building before it (staging folder and cache, which no reader of
    # the site sees: a kill there always leaves the old site)
    locked = next(n for n, e in enumerate(count.events, 1) if e.path.endswith("/lock"))
    points = [*range(1, locked, 3), *range(locked, len(count.events) + 1)]
    outcomes = kill_everywhere(
        scenario, servers, tmp_path, count.events, check, ffmpeg_size, points
    )
    assert {o[0] for o in outcomes.values()} == {"old", "new"}

    def rerun(folder: Path, run: Run, outcome: tuple[str, str, int]) -> None:
        site = folder / "site"
        assert (site / "feed.xml").read_bytes() == new_feed
        (again,) = run.json()
        if outcome[1] == "new":  # the record was in place: nothing to build again
            assert (again["status"], again["engine_calls"]) == ("unchanged", 0)
        else:
            assert again["status"] == "updated"
            assert again["engine_calls"] == CHANGED - outcome[2]
        assert [f for f in check_site(site) if f.level == "error"] == []
        assert set(files(new_site / "episodes")) <= set(files(site / "episodes"))

    rerun_everywhere(scenario, servers, tmp_path, outcomes, rerun)


def test_a_rerun_after_a_kill_deletes_the_superseded_files(
    servers: Servers, work: Work, tmp_path: Path
) -> None:
    scenario = feed_scenario(work)
    count = undisturbed(scenario, servers, tmp_path / "count", minimum=0)
    point = next(n for n, e in enumerate(count.events, 1) if e.path == "site/feed.xml")
    folder = tmp_path / "killed"
    folder.mkdir()
    scenario.seed(folder)
    assert scenario.run(servers, folder, kill=point).status == KILLED  # record new, feed old
    assert ok(scenario.run(servers, folder)).json()[0]["status"] == "unchanged"
    new_files = set(files(tmp_path / "count" / "site" / "episodes"))
    assert set(files(folder / "site" / "episodes")) == new_files
