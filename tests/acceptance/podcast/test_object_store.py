"""A podcast site in an object store (moto's S3 server on 127.0.0.1).

``publish --site s3://...`` writes what a folder publish writes, with the media types a static
host serves, and an unchanged run uploads nothing. The episode files go up before the records,
the records before the feed, the index pages after it and the deletions last. A publisher
killed (SIGKILL) before an upload or a deletion leaves a feed that parses, keeps every item
and names only enclosures that exist with the stated length; a rerun completes and
``feed check s3://...`` passes."""

from __future__ import annotations

import contextlib
import queue
import shutil
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import feedparser
import pytest

from newsvoice.io import STATE_DIR
from tests.helpers import _s3_client, s3_objects, s3_server

from .conftest import BASE_URL, Killer, Site, publish, results, update_sources

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.network_loopback
BUCKET = "pod"
EPOCH = "1767225600"  # 2026-01-01: the two publishes compared below stamp the same time


@pytest.fixture(scope="module")
def s3(site: Site) -> Iterator[dict[str, str]]:
    """The S3 server, with the session's six-episode site uploaded under ``base/``."""
    with s3_server(BUCKET) as env:
        boto3 = pytest.importorskip("boto3")
        with contextlib.closing(_s3_client(boto3, env)) as client:
            for path in sorted(site.root.rglob("*")):
                name = path.relative_to(site.root).as_posix()
                if path.is_file() and not name.startswith(STATE_DIR):
                    client.put_object(Bucket=BUCKET, Key=f"base/{name}", Body=path.read_bytes())
        yield env


@pytest.fixture
def aws(s3: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The S3 server's settings in this process's environment (and so in the CLI's)."""
    for key, value in s3.items():
        monkeypatch.setenv(key, value)
    return s3


def copy_prefix(env: dict[str, str], source: str, target: str) -> None:
    """Copy every object under ``source`` to ``target`` inside the store."""
    import boto3

    with contextlib.closing(_s3_client(boto3, env)) as client:
        listed = client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=source)
        for page in listed:
            for item in page.get("Contents", []):
                key = target + item["Key"][len(source) :]
                client.copy_object(
                    Bucket=BUCKET, Key=key, CopySource={"Bucket": BUCKET, "Key": item["Key"]}
                )


def store_state(env: dict[str, str], prefix: str) -> dict[str, tuple[str, int]]:
    """guid → (enclosure URL, length), after checking that the stored feed parses and that
    every enclosure is an object of the site with exactly the stated length."""
    objects = s3_objects(env, BUCKET, prefix)
    parsed = feedparser.parse(objects["feed.xml"])
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    state = {}
    for entry in parsed.entries:
        (enclosure,) = entry.enclosures
        name = enclosure.href.removeprefix(BASE_URL)
        assert name in objects, name
        assert len(objects[name]) == int(enclosure.length), name
        state[entry.id] = (enclosure.href, int(enclosure.length))
    return state


def site_url(prefix: str) -> str:
    return f"s3://{BUCKET}/{prefix}"


@pytest.fixture(scope="module")
def killers(s3: dict[str, str]) -> Iterator[list[Killer]]:
    env = {**s3, "SOURCE_DATE_EPOCH": EPOCH}
    servers = [Killer(env), Killer(env)]
    yield servers
    for server in servers:
        server.close()


@pytest.fixture(scope="module")
def update(
    site: Site, s3: dict[str, str], killers: list[Killer], tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[str], list[tuple[str, str]]]:
    """The update's sources and its changes to the store in order, (method, object name),
    from an uninterrupted run into ``updated/``."""
    sources = update_sources(tmp_path_factory.mktemp("s3-update"))
    copy_prefix(s3, "base/", "updated/")
    argv = ["publish", *map(str, sources), "--site", site_url("updated/"),
            "--cache", str(site.cache), "--jobs", "1"]  # fmt: skip
    process = killers[0].run(0, argv, store=True)
    assert process.returncode == 0, process.stderr
    changes = [
        tuple(line.split(": ", 1)[1].split(" ", 1))
        for line in process.stderr.splitlines()
        if line.startswith("store-change ")
    ]
    assert len(changes) == int(process.stderr.rsplit("kill-points: ", 1)[1])
    return [str(source) for source in sources], changes  # type: ignore[return-value]


def test_a_bucket_gets_what_a_folder_gets(
    site: Site,
    aws: dict[str, str],
    update: tuple[list[str], list[tuple[str, str]]],
    killers: list[Killer],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sources, _ = update
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    folder = tmp_path / "site"
    shutil.copytree(site.root, folder)
    process = publish(*sources, "--site", folder, "--cache", site.cache, "--json")
    assert [r["status"] for r in results(process)] == ["updated", "added"]
    files = {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file() and not path.relative_to(folder).as_posix().startswith(STATE_DIR)
    }
    assert s3_objects(aws, BUCKET, "updated/") == files

    import boto3

    with contextlib.closing(_s3_client(boto3, aws)) as client:
        mp3 = next(name for name in files if name.endswith(".mp3"))
        for name, expected in (
            (mp3, "audio/mpeg"),
            ("feed.xml", "application/rss+xml; charset=utf-8"),
            ("index.html", "text/html; charset=utf-8"),
        ):
            head = client.head_object(Bucket=BUCKET, Key=f"updated/{name}")
            assert head["ContentType"] == expected, name

    argv = ["publish", *sources, "--site", site_url("updated/"), "--cache", str(site.cache)]
    unchanged = killers[0].run(0, argv, store=True)
    assert unchanged.returncode == 0, unchanged.stderr
    assert "kill-points: 0" in unchanged.stderr  # nothing uploaded, nothing deleted


def test_uploads_come_before_the_feed_and_deletions_after(
    update: tuple[list[str], list[tuple[str, str]]],
) -> None:
    _, changes = update
    names = [name for _, name in changes]
    feed = names.index("feed.xml")
    assert names.count("feed.xml") == 1
    media = [i for i, name in enumerate(names) if name.endswith((".mp3", ".epub", ".vtt", ".png"))]
    records = [i for i, name in enumerate(names) if name.endswith("/episode.json")]
    assert len(media) >= 8  # two episodes' files
    assert max(media) < min(records) < feed
    assert names.index("index.html") > feed
    assert changes[-1][0] == "delete"  # the corrected episode's older files, last of all


def test_killed_at_the_points_that_matter(
    site: Site, s3: dict[str, str], update: tuple[list[str], list[tuple[str, str]]],
    killers: list[Killer],
) -> None:  # fmt: skip
    """Killed before the first upload, just before and just after the feed, and before the
    deletions (the order test above covers the points between; the rerun test below kills
    one amid the episode files)."""
    sources, changes = update
    feed = [name for _, name in changes].index("feed.xml") + 1  # 1-based, as kill points are
    points = sorted({1, feed, feed + 1, len(changes)})
    before = store_state(s3, "base/")

    def kill_at(point: int) -> None:
        prefix = f"kill-{point}/"
        copy_prefix(s3, "base/", prefix)
        argv = ["publish", *sources, "--site", site_url(prefix), "--cache", str(site.cache),
                "--jobs", "1"]  # fmt: skip
        killer = free.get()
        try:
            process = killer.run(point, argv, store=True)
        finally:
            free.put(killer)
        assert process.returncode == -signal.SIGKILL, (point, process.stderr)
        after = store_state(s3, prefix)
        assert before.keys() <= after.keys(), point
        assert (after == before) == (point <= feed), point  # the new feed is up from there

    free: queue.Queue[Killer] = queue.Queue()
    for killer in killers:
        free.put(killer)
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(kill_at, points))


def test_a_rerun_after_a_kill_completes_and_checks(
    site: Site, aws: dict[str, str], update: tuple[list[str], list[tuple[str, str]]],
    killers: list[Killer],
) -> None:  # fmt: skip
    sources, changes = update
    points = len(changes)
    prefix = "rerun/"
    copy_prefix(aws, "base/", prefix)
    argv = ["publish", *sources, "--site", site_url(prefix), "--cache", str(site.cache)]
    killed = killers[0].run(points // 2, argv, store=True)
    assert killed.returncode == -signal.SIGKILL
    rerun = publish(*sources, "--site", site_url(prefix), "--cache", site.cache, "--json")
    assert len(results(rerun)) == 2
    assert len(store_state(aws, prefix)) == 7  # the six, and the new one
    checked = subprocess.run(
        [sys.executable, "-m", "newsvoice", "feed", "check", site_url(prefix)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 errors" in checked.stderr
