"""A full disk while writing an EPUB, an MP3 with its transcript and chapters, the sentence
cache, and a podcast site: one `error:` line and exit code 6 (8 when the site's folder cannot
be written), no partial file and no temp file left, the old outputs intact, and a rerun
once there is space completes, using the cache.

Two disks. A real one: a small tmpfs mounted in a mount namespace of the fork server's own
(``unshare -m``, so no other process sees it; skipped where mounting is not allowed), filled
to leave a chosen number of bytes free. And an emulated one, everywhere: the fork server
fails any write to the output folders with ENOSPC once a byte budget is spent (ffmpeg's
output past it is cut, and ffmpeg's failure reported), which can put the failure in any one
file precisely: each cache entry, the MP3, the transcript, the chapters, the book, the
episode record, the feed, the page.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
    ok,
    temps,
)
from .harness import Event, ForkServer, Run, Servers

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

ENOSPC = "No space left on device"
PAGE = 4096


@dataclass(frozen=True)
class Undisturbed:
    """A run without faults: its events (with the bytes of each write) and its outputs."""

    run: Run
    folder: Path
    ffmpeg_size: int

    def budget(self, failing: Selector, fraction: float = 0.5) -> int:
        """Bytes that let everything before the write ``failing`` selects be written, and
        ``fraction`` of that file (or of ffmpeg's output)."""
        events = self.run.events
        first = failing(events)
        path = events[first].path
        if events[first].kind == "ffmpeg":
            size = self.ffmpeg_size
        else:
            size = sum(int(e.detail) for e in events if e.kind == "write" and e.path == path)
        return spent(events[:first], self.ffmpeg_size) + int(size * fraction)


Selector = Callable[[Sequence[Event]], int]  # the index of an event of an undisturbed run


def first_write(test: Callable[[Event], bool]) -> Selector:
    """The first write (or ffmpeg moment) of the file ``test`` picks."""
    return lambda events: next(
        n for n, e in enumerate(events) if e.kind in ("write", "ffmpeg") and test(e)
    )


def cache_entry(number: int) -> Selector:
    """The first write of the ``number``th new cache entry (1-based)."""

    def select(events: Sequence[Event]) -> int:
        made = (e.path for e in events if e.kind == "create" and ".wav." in e.path)
        entry = list(dict.fromkeys(made))[number - 1]
        return first_write(lambda e: e.path == entry)(events)

    return select


def temp_of(name: str) -> Selector:
    """The first write of the atomic writer's temp file for ``name`` (``.name.XXXXXXXX.tmp``)."""
    return first_write(lambda e: e.path.rsplit("/", 1)[-1].startswith(f".{name}."))


def temp_ending(suffix: str) -> Selector:
    """The first write of a temp file for any ``NAME{suffix}``."""
    return first_write(
        lambda e: (
            re.fullmatch(rf"\..+{re.escape(suffix)}\.\w+\.tmp", e.path.rsplit("/", 1)[-1])
            is not None
        )
    )


FFMPEG = first_write(lambda e: e.kind == "ffmpeg")


def spent(events: Sequence[Event], ffmpeg_size: int) -> int:
    written = sum(int(e.detail) for e in events if e.kind == "write")
    return written + (ffmpeg_size if any(e.kind == "ffmpeg" for e in events) else 0)


def one_error(run: Run, *codes: int) -> str:
    """The run's one error line (the last line), after nothing but warnings."""
    assert run.status in codes, (run.status, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert run.errors == lines[-1:], run.stderr  # one error line, no traceback
    assert all(line.startswith("warning: ") for line in lines[:-1]), run.stderr
    return lines[-1]


CACHE_WARNING = (
    f"warning: sentences are not being cached in cache ({ENOSPC}): a rerun will speak them again"
)


# --- the emulated disk ----------------------------------------------------------------------


def seed_mp3(work: Work, folder: Path) -> None:
    shutil.copytree(work.old, folder / "out", ignore=shutil.ignore_patterns("*.epub"))
    shutil.copytree(work.cache, folder / "cache")


def seed_site(work: Work, folder: Path) -> None:
    shutil.copytree(work.site, folder / "site")
    shutil.copytree(work.cache, folder / "cache")


@pytest.fixture(scope="module")
def mp3_run(servers: Servers, work: Work, tmp_path_factory: pytest.TempPathFactory) -> Undisturbed:
    folder = tmp_path_factory.mktemp("mp3-undisturbed")
    seed_mp3(work, folder)
    run = ok(servers.run([*work.audio_args(work.v2), "--cache", "cache"], folder,
                         watch=[folder / "out", folder / "cache"], slices=1))  # fmt: skip
    return Undisturbed(run, folder, (folder / "out" / "ep.mp3").stat().st_size)


@pytest.fixture(scope="module")
def site_run(servers: Servers, work: Work, tmp_path_factory: pytest.TempPathFactory) -> Undisturbed:
    folder = tmp_path_factory.mktemp("site-undisturbed")
    seed_site(work, folder)
    run = ok(servers.run([*work.publish_args(work.v2), "--cache", "cache", "--json"], folder,
                         watch=[folder / "site", folder / "cache"], slices=1,
                         env={"SOURCE_DATE_EPOCH": NEW_EPOCH}))  # fmt: skip
    return Undisturbed(run, folder, run.json()[0]["audio_bytes"])


def test_a_full_disk_while_writing_the_epub(servers: Servers, work: Work, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    shutil.copyfile(work.old / "book.epub", out / "book.epub")
    before = files(out)
    argv = ["epub", str(work.v2), "-o", "out/book.epub"]
    run = servers.run(argv, tmp_path, watch=[out], budget=len(before["book.epub"]) // 2)
    assert one_error(run, 6) == f"error: cannot write out/book.epub: {ENOSPC}"
    assert files(out) == before
    ok(servers.run(argv, tmp_path))  # space again
    new = (out / "book.epub").read_bytes()
    assert new != before["book.epub"]
    assert epub_findings(new) == ()


MP3_CASES: list[Any] = [
    pytest.param("every cache entry", None, 0, id="cache"),
    pytest.param("the second cache entry", cache_entry(2), 1, id="second-entry"),
    pytest.param("the MP3", FFMPEG, CHANGED, id="mp3"),
    pytest.param("the transcript", temp_of("ep.vtt"), CHANGED, id="vtt"),
    pytest.param("the chapters", temp_of("ep.chapters.json"), CHANGED, id="chapters"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "failing", "cached"), MP3_CASES)
def test_a_full_disk_while_narrating(
    servers: Servers,
    work: Work,
    mp3_run: Undisturbed,
    tmp_path: Path,
    what: str,
    failing: Selector | None,
    cached: int,
) -> None:
    """The disk fills up while writing ``what``: the cache gives up with a warning (it is an
    optimisation), an output fails with exit 6; the outputs stay the old ones."""
    seed_mp3(work, tmp_path)
    before = files(tmp_path / "out")
    old_cache = cache_entries(tmp_path / "cache")
    budget = 0 if failing is None else mp3_run.budget(failing)
    argv = [*work.audio_args(work.v2), "--cache", "cache"]
    run = servers.run(argv, tmp_path, watch=[tmp_path / "out", tmp_path / "cache"], budget=budget)
    error = one_error(run, 6)
    assert ENOSPC in error
    warned = [CACHE_WARNING] if cached < CHANGED else []  # said once, however many failed
    assert run.stderr.splitlines()[:-1] == warned
    assert temps(tmp_path) == []
    assert len(cache_entries(tmp_path / "cache") - old_cache) == cached  # whole WAVs only
    assert files(tmp_path / "out") == before, f"a full disk while writing {what}"
    again = ok(servers.run([*argv, "--json"], tmp_path)).json()[0]
    assert (again["engine_calls"], again["cache_hits"]) == (
        CHANGED - cached,
        SENTENCES - CHANGED + cached,
    )
    assert files(tmp_path / "out") == files(mp3_run.folder / "out")


def test_a_full_disk_for_the_cache_alone(servers: Servers, work: Work, tmp_path: Path) -> None:
    """The cache on a full disk, the outputs elsewhere: the narration is written all the
    same, with one warning, and the cache holds no partial entry."""
    seed_mp3(work, tmp_path)
    old_cache = cache_entries(tmp_path / "cache")
    argv = [*work.audio_args(work.v2), "--cache", "cache", "--json"]
    run = ok(servers.run(argv, tmp_path, watch=[tmp_path / "cache"], budget=50_000))
    assert run.json()[0]["engine_calls"] == CHANGED
    assert run.stderr == CACHE_WARNING + "\n"  # said once, on one line, and not silently
    assert cache_entries(tmp_path / "cache") == old_cache
    assert temps(tmp_path) == []
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(MP3_FILES)
    again = ok(servers.run(argv, tmp_path)).json()[0]
    assert again["engine_calls"] == CHANGED  # nothing had been kept: spoken again, now kept
    assert ok(servers.run(argv, tmp_path)).json()[0]["engine_calls"] == 0


SITE_CASES: list[Any] = [
    pytest.param("the MP3 (staging)", FFMPEG, "old", id="staging-mp3"),
    pytest.param("the EPUB (staging)", temp_ending(".epub"), "old", id="staging-epub"),
    pytest.param("the episode record", temp_of("episode.json"), "old", id="record"),
    pytest.param("feed.xml", temp_of("feed.xml"), "old", id="feed"),
    pytest.param("the episode page", temp_of("index.html"), "new", id="page"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "failing", "feed_after"), SITE_CASES)
def test_a_full_disk_while_publishing(
    servers: Servers,
    work: Work,
    site_run: Undisturbed,
    tmp_path: Path,
    what: str,
    failing: Selector,
    feed_after: str,
) -> None:
    seed_site(work, tmp_path)
    site = tmp_path / "site"
    old_feed = (site / "feed.xml").read_bytes()
    new_feed = (site_run.folder / "site" / "feed.xml").read_bytes()
    argv = [*work.publish_args(work.v2), "--cache", "cache", "--json"]
    env = {"SOURCE_DATE_EPOCH": NEW_EPOCH}
    run = servers.run(argv, tmp_path, watch=[site, tmp_path / "cache"],
                      budget=site_run.budget(failing), env=env)  # fmt: skip
    assert ENOSPC in one_error(run, 6, 8)
    assert temps(tmp_path) == []
    feed = (site / "feed.xml").read_bytes()
    assert feed == (old_feed if feed_after == "old" else new_feed), f"full disk at {what}"
    assert set(feed_items(old_feed)) <= set(feed_items(feed))
    check_site_files(site, feed)
    again = ok(servers.run(argv, tmp_path, env=env)).json()[0]
    assert again["engine_calls"] == 0  # the sentences had reached the cache
    assert (site / "feed.xml").read_bytes() == new_feed
    assert [f for f in check_site(site) if f.level == "error"] == []


# --- a real small disk: tmpfs ---------------------------------------------------------------


@pytest.fixture(scope="module")
def tmpfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ForkServer]:
    """A fork server in a mount namespace of its own, where it can mount a tmpfs."""
    if not shutil.which("unshare"):
        pytest.skip("no unshare: the emulated disk covers it")
    scratch = tmp_path_factory.mktemp("tmpfs-server")
    server = ForkServer(scratch, namespace=True)
    try:
        probe = scratch / "probe"
        probe.mkdir()
        try:
            server.op("mount", path=str(probe), size=PAGE * 16)
        except (OSError, RuntimeError) as exc:
            pytest.skip(f"cannot mount a tmpfs here ({exc}): the emulated disk covers it")
        server.op("umount", path=str(probe))
        yield server
    finally:
        server.close()


def small_disk(server: ForkServer, mount: Path, size: int = 2 << 20) -> None:
    mount.mkdir()
    server.op("mount", path=str(mount), size=size)


def test_a_small_tmpfs_epub(tmpfs: ForkServer, work: Work, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    small_disk(tmpfs, disk)
    tmpfs.op("copy", src=str(work.old / "book.epub"), dst=str(disk / "out" / "book.epub"))
    before = tmpfs.op("snapshot", dir=str(disk / "out"))
    tmpfs.op("fill", dir=str(disk), free=10 * PAGE)  # the book needs 23 pages
    argv = ["epub", str(work.v2), "-o", "out/book.epub"]
    run = tmpfs.run(argv, disk)
    assert one_error(run, 6) == f"error: cannot write out/book.epub: {ENOSPC}"
    assert tmpfs.op("snapshot", dir=str(disk / "out")) == before
    tmpfs.op("remove", path=str(disk / ".filler"))
    ok(tmpfs.run(argv, disk))
    tmpfs.op("copy", src=str(disk / "out" / "book.epub"), dst=str(tmp_path / "book.epub"))
    assert epub_findings((tmp_path / "book.epub").read_bytes()) == ()


def test_a_small_tmpfs_narration_and_cache(
    tmpfs: ForkServer, work: Work, mp3_run: Undisturbed, tmp_path: Path
) -> None:
    """Room for the first new cache entry only: the second is given up, the MP3 fails."""
    disk = tmp_path / "disk"
    small_disk(tmpfs, disk)
    for name in MP3_FILES:
        tmpfs.op("copy", src=str(work.old / name), dst=str(disk / "out" / name))
    tmpfs.op("copy", src=str(work.cache), dst=str(disk / "cache"))
    before = tmpfs.op("snapshot", dir=str(disk / "out"))
    first = mp3_run.budget(cache_entry(1), 1.0) - mp3_run.budget(cache_entry(1), 0.0)
    tmpfs.op("fill", dir=str(disk), free=(first // PAGE + 3) * PAGE)
    argv = [*work.audio_args(work.v2), "--cache", "cache"]
    run = tmpfs.run(argv, disk)
    assert ENOSPC in one_error(run, 6)
    assert run.stderr.splitlines()[:-1] == [CACHE_WARNING]
    assert tmpfs.op("snapshot", dir=str(disk / "out")) == before
    tmpfs.op("copy", src=str(disk / "cache"), dst=str(tmp_path / "cache"))
    assert temps(tmp_path / "cache") == []
    assert len(cache_entries(tmp_path / "cache") - cache_entries(work.cache)) == 1
    tmpfs.op("remove", path=str(disk / ".filler"))
    again = ok(tmpfs.run([*argv, "--json"], disk)).json()[0]
    assert again["engine_calls"] == CHANGED - 1
    after = tmpfs.op("snapshot", dir=str(disk / "out"))
    assert sorted(after) == sorted(MP3_FILES)


def test_a_small_tmpfs_with_room_for_the_mp3_only(
    tmpfs: ForkServer, work: Work, mp3_run: Undisturbed, tmp_path: Path
) -> None:
    """No old outputs (replacing the old MP3 would free room for the others): the MP3 fits,
    the transcript does not. A failed narration must leave no MP3 behind."""
    disk = tmp_path / "disk"
    small_disk(tmpfs, disk)
    tmpfs.op("copy", src=str(mp3_run.folder / "cache"), dst=str(disk / "cache"))  # all cached
    (tmp_path / "empty").mkdir()
    tmpfs.op("copy", src=str(tmp_path / "empty"), dst=str(disk / "out"))
    tmpfs.op("fill", dir=str(disk), free=-(-mp3_run.ffmpeg_size // PAGE) * PAGE)
    run = tmpfs.run([*work.audio_args(work.v2), "--cache", "cache"], disk)
    assert ENOSPC in one_error(run, 6)
    assert tmpfs.op("snapshot", dir=str(disk / "out")) == {}


def test_a_small_tmpfs_site(tmpfs: ForkServer, work: Work, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    small_disk(tmpfs, disk, 4 << 20)
    tmpfs.op("copy", src=str(work.site), dst=str(disk / "site"))
    before = tmpfs.op("snapshot", dir=str(disk / "site"))
    tmpfs.op("fill", dir=str(disk), free=25 * PAGE)  # the new episode's files need ~100 pages
    shutil.copytree(work.cache, tmp_path / "cache")
    argv = [*work.publish_args(work.v2), "--cache", str(tmp_path / "cache"), "--json"]
    env = {"SOURCE_DATE_EPOCH": NEW_EPOCH}
    run = tmpfs.run(argv, disk, env=env)
    assert ENOSPC in one_error(run, 6, 8)
    after = tmpfs.op("snapshot", dir=str(disk / "site"))
    assert {k: v for k, v in after.items() if not k.startswith(".newsvoice/")} == {
        k: v for k, v in before.items() if not k.startswith(".newsvoice/")
    }
    tmpfs.op("remove", path=str(disk / ".filler"))
    again = ok(tmpfs.run(argv, disk, env=env)).json()[0]
    assert (again["status"], again["engine_calls"]) == ("updated", 0)
    tmpfs.op("copy", src=str(disk / "site"), dst=str(tmp_path / "site"))
    site = tmp_path / "site"
    check_site_files(site, (site / "feed.xml").read_bytes())
    assert [f for f in check_site(site) if f.level == "error"] == []
