"""podcast/remote.py: which files a run downloads, stands in for, uploads (in what order)
and deletes, against an object store kept in memory; and the names it refuses to copy."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from newsvoice.errors import ConfigError
from newsvoice.podcast import remote

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

EPISODE = "episodes/a-story"


class MemoryStore:
    """The part of ``storage.Store`` a remote site uses, in memory, logging each change."""

    def __init__(self, objects: dict[str, bytes]) -> None:
        self.objects = dict(objects)
        self.reads: list[str] = []
        self.changes: list[tuple[str, str, str | None]] = []

    def __str__(self) -> str:
        return "mem://site"

    def files(self) -> dict[str, int]:
        return {name: len(data) for name, data in self.objects.items()}

    def read_many(self, names: Sequence[str]) -> dict[str, bytes]:
        self.reads += names
        return {name: self.objects[name] for name in names}

    def put_typed(self, name: str, local: Path, content_type: str | None) -> None:
        self.objects[name] = local.read_bytes()
        self.changes.append(("put", name, content_type))

    def delete(self, names: Sequence[str]) -> None:
        for name in names:
            del self.objects[name]
            self.changes.append(("delete", name, None))


SITE = {
    "newsvoice.toml": b"base_url = 'https://pod.example/'\n",
    "feed.xml": b"<rss/>",
    "index.html": b"<html>old</html>",
    "index-2.html": b"<html>page 2</html>",
    "site.css": b"body{}",
    f"{EPISODE}/episode.json": b"{}",
    f"{EPISODE}/index.html": b"<html>episode</html>",
    f"{EPISODE}/a-story-1111111111.mp3": b"ID3 old",
    f"{EPISODE}/a-story-2222222222.vtt": b"WEBVTT",
    ".newsvoice/lock": b"",
}


def test_the_media_are_stood_in_for_and_the_rest_is_copied(tmp_path: Path) -> None:
    store = MemoryStore(SITE)
    pulled = remote._pull(store, tmp_path, media=False)  # type: ignore[arg-type]
    assert pulled.stand_ins == {
        f"{EPISODE}/a-story-1111111111.mp3",
        f"{EPISODE}/a-story-2222222222.vtt",
    }
    assert (tmp_path / EPISODE / "a-story-1111111111.mp3").read_bytes() == b""
    assert (tmp_path / "feed.xml").read_bytes() == b"<rss/>"
    assert (tmp_path / EPISODE / "episode.json").read_bytes() == b"{}"
    assert not (tmp_path / ".newsvoice").exists()  # the store's own state is not newsvoice's here
    assert ".newsvoice/lock" not in store.reads


def test_with_media_everything_is_copied(tmp_path: Path) -> None:
    pulled = remote._pull(MemoryStore(SITE), tmp_path, media=True)  # type: ignore[arg-type]
    assert pulled.stand_ins == frozenset()
    assert (tmp_path / EPISODE / "a-story-1111111111.mp3").read_bytes() == b"ID3 old"


def test_an_unchanged_run_changes_nothing(tmp_path: Path) -> None:
    store = MemoryStore(SITE)
    pulled = remote._pull(store, tmp_path, media=False)  # type: ignore[arg-type]
    remote._push(store, tmp_path, pulled)  # type: ignore[arg-type]
    assert store.changes == []
    assert store.objects == SITE


def test_a_correction_goes_up_media_first_feed_then_index_and_deletes_last(
    tmp_path: Path,
) -> None:
    store = MemoryStore(SITE)
    pulled = remote._pull(store, tmp_path, media=False)  # type: ignore[arg-type]
    folder = tmp_path / EPISODE
    (folder / "a-story-1111111111.mp3").unlink()  # what a corrected episode does
    (folder / "a-story-3333333333.mp3").write_bytes(b"ID3 new")
    (folder / "episode.json").write_bytes(b'{"new": 1}')
    (tmp_path / "feed.xml").write_bytes(b"<rss>new</rss>")
    (tmp_path / "index.html").write_bytes(b"<html>new</html>")
    (tmp_path / ".newsvoice" / "staging").mkdir(parents=True)
    (tmp_path / ".newsvoice" / "staging" / "x").write_bytes(b"scratch")
    remote._push(store, tmp_path, pulled)  # type: ignore[arg-type]
    assert store.changes == [
        ("put", f"{EPISODE}/a-story-3333333333.mp3", "audio/mpeg"),
        ("put", f"{EPISODE}/episode.json", "application/json"),
        ("put", "feed.xml", "application/rss+xml; charset=utf-8"),
        ("put", "index.html", "text/html; charset=utf-8"),
        ("delete", f"{EPISODE}/a-story-1111111111.mp3", None),
    ]
    assert store.objects[".newsvoice/lock"] == b""  # never touched


@pytest.mark.parametrize(
    ("name", "ours"),
    [("feed.xml", True), ("episodes/a/b.mp3", True), ("../etc/passwd", False),
     ("/abs", False), ("a/../../b", False), (".newsvoice/lock", False), ("", False)],
)  # fmt: skip
def test_names_outside_the_site_are_not_copied(name: str, ours: bool) -> None:
    assert remote._ours(name) is ours


@pytest.mark.parametrize(
    ("name", "kind"),
    [("a/x.mp3", "audio/mpeg"), ("a/x.chapters.json", "application/json+chapters"),
     ("a/x.vtt", "text/vtt; charset=utf-8"), ("a/x.epub", "application/epub+zip"),
     ("a/x.unknown", None)],
)  # fmt: skip
def test_objects_get_the_media_type_a_static_host_serves(name: str, kind: str | None) -> None:
    assert remote._content_type(name) == kind


def test_a_message_names_the_url_not_the_mirror(tmp_path: Path) -> None:
    error = ConfigError(f"{tmp_path} has no newsvoice.toml", hint=f"see {tmp_path}/x")
    remote._in_terms_of(error, tmp_path, "s3://b/p/")
    assert str(error) == "s3://b/p has no newsvoice.toml; see s3://b/p/x"
