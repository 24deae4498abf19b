"""io.py: atomic writes, hashes, safe names, the folder lock, the build time, ffmpeg."""

from __future__ import annotations

import hashlib
import os
import subprocess
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from newsvoice.errors import SiteError
from newsvoice.io import (
    atomic_writer,
    ffmpeg_path,
    folder_lock,
    sha256_file,
    slugify,
    source_date,
    write_atomic,
)

if TYPE_CHECKING:
    from pathlib import Path


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "feed.xml"
    target.write_bytes(b"old")

    def fail_halfway() -> None:
        with atomic_writer(target) as out:
            out.write(b"half of the new")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail_halfway()
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.xml"]
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert (target.stat().st_mode & 0o777) == 0o644


def test_sha256_file_reads_in_pieces(tmp_path: Path) -> None:
    data = os.urandom(3 * (1 << 20) + 17)
    (tmp_path / "big").write_bytes(data)
    assert sha256_file(tmp_path / "big") == hashlib.sha256(data).hexdigest()


def test_slugify_is_short_ascii_and_never_empty() -> None:
    assert slugify("Café owners say “no” to the €5 fee", "abc") == "cafe-owners-say-no-to-the-5-fee"
    assert slugify("…", "0123456789") == "episode-01234567"
    assert slugify("CON", "0123456789") == "episode-01234567"
    assert len(slugify("word " * 40, "x")) <= 60


def test_a_second_holder_of_the_lock_is_refused(tmp_path: Path) -> None:

    def second() -> None:
        with folder_lock(tmp_path, wait=0.1):
            pass  # pragma: no cover

    with folder_lock(tmp_path, wait=0):
        with pytest.raises(SiteError, match="another newsvoice is publishing to"):
            second()
        with folder_lock(tmp_path, wait=0, name="batch.lock"):  # another lock: no conflict
            pass
    with folder_lock(tmp_path, wait=0):  # released
        pass


def test_source_date_reads_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert source_date() == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert source_date() is None
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert source_date() is None


def test_ffmpeg_path_finds_a_working_ffmpeg() -> None:
    found = ffmpeg_path()
    assert found is not None
    done = subprocess.run([found, "-version"], capture_output=True, check=False)
    assert done.returncode == 0
    assert done.stdout.startswith(b"ffmpeg version")
