"""storage.py: a folder and an object store (moto's S3 server on 127.0.0.1) behave alike —
whole writes, reads of what is missing, hashes — and URLs are told from paths."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import pytest

from newsvoice.errors import ConfigError
from newsvoice.storage import Folder, Store, destination, is_store_url
from tests.helpers import s3_server

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.mark.parametrize(
    ("target", "store"),
    [("s3://bucket/prefix/", True), ("gs://b/p", True), ("file:///tmp/x", False),
     ("out/editions", False), ("/abs/path", False), ("C:/Users/x", False)],
)  # fmt: skip
def test_urls_are_told_from_paths(target: str, store: bool) -> None:
    assert is_store_url(target) is store


def test_a_file_url_is_a_folder(tmp_path: Path) -> None:
    found = destination(f"file://{tmp_path}")
    assert isinstance(found, Folder)
    assert found.folder == tmp_path


def test_an_unknown_scheme_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="cannot use"):
        destination("nosuchscheme://x/y")


@pytest.fixture(scope="module")
def s3_env() -> Iterator[dict[str, str]]:
    with s3_server("unit") as env:
        yield env


@pytest.fixture(params=["folder", "store"])
def dest(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Folder | Store:
    if request.param == "folder":
        return Folder(tmp_path / "out")
    for key, value in request.getfixturevalue("s3_env").items():
        monkeypatch.setenv(key, value)
    return Store(f"s3://unit/{tmp_path.name}/")


@pytest.mark.network_loopback
def test_what_is_written_is_read_back_with_its_hash(dest: Folder | Store, tmp_path: Path) -> None:
    assert dest.read("a/b.txt") is None
    assert dest.sha256("a/b.txt") is None
    dest.write("a/b.txt", b"first")
    dest.write("a/b.txt", b"second")  # replaced whole
    assert dest.read("a/b.txt") == b"second"
    local = tmp_path / "big.bin"
    local.write_bytes(bytes(range(256)) * 4096)
    dest.put("c/big.bin", local)
    assert dest.sha256("c/big.bin") == hashlib.sha256(local.read_bytes()).hexdigest()


@pytest.mark.network_loopback
def test_two_holders_of_a_destinations_lock_exclude_each_other(dest: Folder | Store) -> None:
    from newsvoice.errors import SiteError

    with (
        dest.lock("batch.lock", 0.1),
        pytest.raises(SiteError, match="another newsvoice"),
        dest.lock("batch.lock", 0.1),
    ):
        pass


@pytest.mark.network_loopback
def test_a_store_lists_reads_many_types_and_deletes(
    s3_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3

    from tests.helpers import _s3_client

    for key, value in s3_env.items():
        monkeypatch.setenv(key, value)
    store = Store(f"s3://unit/{tmp_path.name}/")
    assert store.files() == {}
    store.write("a.txt", b"one")
    store.write("b/c.txt", b"three")
    assert store.files() == {"a.txt": 3, "b/c.txt": 5}
    assert store.read_many(["a.txt"]) == {"a.txt": b"one"}
    assert store.read_many(["a.txt", "b/c.txt"]) == {"a.txt": b"one", "b/c.txt": b"three"}
    local = tmp_path / "x.mp3"
    local.write_bytes(b"ID3")
    store.put_typed("x.mp3", local, "audio/mpeg")
    client = _s3_client(boto3, s3_env)
    head = client.head_object(Bucket="unit", Key=f"{tmp_path.name}/x.mp3")
    client.close()
    assert head["ContentType"] == "audio/mpeg"
    store.delete(["a.txt", "x.mp3"])
    assert store.files() == {"b/c.txt": 5}
