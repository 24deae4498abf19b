"""``batch --out s3://…`` and ``--cache s3://…`` against a local S3 server (moto's server mode on
127.0.0.1): the objects are the files a folder run writes, byte for byte, the manifest lives
in the store and a rerun skips what is there; a cache in the store is shared by runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from tests.helpers import s3_objects, s3_server

from .conftest import lines

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.network_loopback
BUCKET = "editions"


@pytest.fixture(scope="module")
def s3() -> Iterator[dict[str, str]]:
    with s3_server(BUCKET) as env:
        yield env


def batch_with(env: dict[str, str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("NEWSVOICE_SCHEDULER",)}
    return subprocess.run(
        [sys.executable, "-m", "newsvoice", "batch", *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", timeout=600, check=False,
        env={**clean, **env, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip


def folder_files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".newsvoice" not in p.parts
    }


def test_a_batch_into_an_object_store_writes_what_a_folder_run_writes(
    s3: dict[str, str], warm: tuple[Path, Path, list[dict[str, object]]], articles: Path
) -> None:
    cache, local_out, _ = warm
    url = f"s3://{BUCKET}/2026/"
    process = batch_with(s3, articles, "--out", url, "--cache", cache, "--json")
    assert process.returncode == 0, process.stderr
    assert {r["status"] for r in lines(process)} == {"done"}
    stored = s3_objects(s3, BUCKET, "2026/")
    manifest = json.loads(stored.pop(".newsvoice/manifest.json"))
    assert stored == folder_files(local_out)
    assert {item["status"] for item in manifest["items"].values()} == {"done"}
    again = batch_with(s3, articles, "--out", url, "--cache", cache, "--json")
    assert again.returncode == 0, again.stderr
    assert {r["status"] for r in lines(again)} == {"skipped"}


def test_a_sentence_cache_in_the_object_store_is_shared_by_runs(
    s3: dict[str, str], articles: Path, tmp_path: Path
) -> None:
    one = sorted(articles.iterdir())[0]
    cache = f"s3://{BUCKET}/tts-cache/"
    first = batch_with(s3, one, "--out", tmp_path / "a", "--cache", cache, "--json")
    assert first.returncode == 0, first.stderr
    (made,) = lines(first)
    assert made["engine_calls"] > 0
    entries = s3_objects(s3, BUCKET, "tts-cache/")
    assert len(entries) == made["engine_calls"]
    assert all(name.endswith(".wav") and data[:4] == b"RIFF" for name, data in entries.items())
    second = batch_with(s3, one, "--out", tmp_path / "b", "--cache", cache, "--json")
    assert second.returncode == 0, second.stderr
    (again,) = lines(second)
    assert again["engine_calls"] == 0
    assert again["cache_hits"] == made["engine_calls"]
    assert folder_files(tmp_path / "b") == folder_files(tmp_path / "a")


def test_an_unreachable_store_is_one_clear_error(articles: Path, tmp_path: Path) -> None:
    env = {"AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_ACCESS_KEY_ID": "x",
           "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_MAX_ATTEMPTS": "1"}  # fmt: skip
    process = batch_with(env, articles, "--out", "s3://nowhere/x/")
    assert process.returncode != 0
    assert "Traceback" not in process.stderr
    assert process.stderr.startswith("error: "), process.stderr
    assert len(process.stderr.strip().splitlines()) <= 2  # the error, and perhaps a hint
