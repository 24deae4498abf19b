"""``batch --scheduler`` on workers that share nothing with the client (see conftest): they
cannot read its sources or output folder, yet the batch completes with files byte-identical
to a local ``--jobs 1`` run, and a worker killed with SIGKILL mid-run loses no article and
leaves no part of one behind."""

from __future__ import annotations

import json
import os
import pwd
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest

from newsvoice.batch import read_manifest
from tests.acceptance.batch.conftest import batch, lines
from tests.helpers import s3_objects

from .conftest import ARTICLES, BUCKET

if TYPE_CHECKING:
    from pathlib import Path

    from .conftest import Cluster

pytest.importorskip("distributed")
pytestmark = pytest.mark.slow


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".newsvoice" not in p.parts
    }


@pytest.fixture(scope="module")
def local(private: Path) -> dict[str, bytes]:
    out = private / "local"
    process = batch(private / "articles", "--out", out, "--cache", private / "cache", "--jobs", "1")
    assert process.returncode == 0, process.stderr
    return files(out)


def test_the_workers_cannot_read_the_clients_folders(cluster: Cluster, private: Path) -> None:
    source = next((private / "articles").iterdir())
    entry = pwd.getpwnam("nobody")

    def as_nobody() -> None:
        os.setgid(entry.pw_gid)
        os.setuid(entry.pw_uid)

    denied = subprocess.run(
        ["cat", str(source)], preexec_fn=as_nobody, capture_output=True, check=False
    )
    assert denied.returncode != 0
    assert b"Permission denied" in denied.stderr


def test_a_batch_on_share_nothing_workers_equals_the_local_run(
    cluster: Cluster, private: Path, local: dict[str, bytes]
) -> None:
    out = private / "cluster"
    process = batch(private / "articles", "--out", out, "--scheduler", cluster.address, "--json")
    assert process.returncode == 0, process.stderr
    assert {r["status"] for r in lines(process)} == {"done"}
    assert files(out) == local  # byte for byte
    assert {v["status"] for v in read_manifest(out).values()} == {"done"}
    # the workers spoke the sentences themselves, into caches of their own
    assert any(any(home.rglob("*.wav")) for home in cluster.homes)


def test_a_worker_killed_mid_run_loses_no_article(
    cluster: Cluster, private: Path, local: dict[str, bytes]
) -> None:
    out = private / "killed"
    env = {k: v for k, v in os.environ.items() if k != "NEWSVOICE_SCHEDULER"}
    run = subprocess.Popen(
        [sys.executable, "-m", "newsvoice", "batch", str(private / "articles"), "--out", str(out),
         "--no-cache", "--scheduler", cluster.address, "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not (out / ".newsvoice/manifest.json").exists():
        time.sleep(0.05)
    assert len(read_manifest(out)) < len(ARTICLES)  # mid-run
    victim = cluster.workers[0]
    victim.send_signal(signal.SIGKILL)
    stdout, stderr = run.communicate(timeout=600)
    assert run.returncode == 0, stderr
    results = [json.loads(line) for line in stdout.splitlines()]
    assert len(results) == len(ARTICLES)
    assert {r["status"] for r in results} == {"done"}
    assert victim.wait(timeout=30) == -signal.SIGKILL
    assert files(out) == local  # nothing half-written, nothing missing


def test_workers_write_straight_into_an_object_store(
    cluster: Cluster, private: Path, local: dict[str, bytes]
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NEWSVOICE_SCHEDULER"} | cluster.s3
    process = subprocess.run(
        [sys.executable, "-m", "newsvoice", "batch", str(private / "articles"),
         "--out", f"s3://{BUCKET}/editions/", "--scheduler", cluster.address, "--json"],
        capture_output=True, text=True, timeout=600, env=env, check=False,
    )  # fmt: skip
    assert process.returncode == 0, process.stderr
    stored = s3_objects(cluster.s3, BUCKET, "editions/")
    stored.pop(".newsvoice/manifest.json")
    assert stored == local
