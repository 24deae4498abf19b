"""The same batch on a Dask cluster (a LocalCluster of two worker processes on 127.0.0.1):
the results equal the local run's, byte for byte, and killing a worker mid-run loses no
article (Dask runs its tasks again elsewhere)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest

from newsvoice.batch import read_manifest

from .conftest import SHORT, batch, lines

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[str, distributed.Client]]:
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # never the default port another cluster holds
            silence_logs=40,
        ) as local,
        distributed.Client(local) as client,
    ):
        yield local.scheduler_address, client


def outputs(root: Path) -> dict[str, dict[str, str]]:
    return {k.rsplit("/", 1)[-1]: v["outputs"] for k, v in read_manifest(root).items()}


def test_the_cluster_makes_the_same_files_as_the_local_run(
    cluster: tuple[str, distributed.Client],
    warm: tuple[Path, Path, list[dict[str, object]]],
    articles: Path,
    tmp_path: Path,
) -> None:
    address, _ = cluster
    cache, local_out, _ = warm
    out = tmp_path / "out"
    process = batch(articles, "--out", out, "--cache", cache, "--scheduler", address, "--json")
    assert process.returncode == 0, process.stderr
    assert {r["status"] for r in lines(process)} == {"done"}
    assert outputs(out) == outputs(local_out)


def test_a_worker_killed_mid_run_loses_no_article(
    cluster: tuple[str, distributed.Client],
    warm: tuple[Path, Path, list[dict[str, object]]],
    articles: Path,
    tmp_path: Path,
) -> None:
    address, client = cluster
    out = tmp_path / "out"
    shutil.copytree(warm[0], tmp_path / "cache")  # warm: still about a second an article
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    run = subprocess.Popen(
        [sys.executable, "-m", "newsvoice", "batch", str(articles), "--out", str(out),
         "--cache", str(tmp_path / "cache"), "--scheduler", address, "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not (out / ".newsvoice/manifest.json").exists():
        time.sleep(0.05)
    assert len(read_manifest(out)) < len(SHORT)  # mid-run
    pids = client.run(os.getpid)
    victim = sorted(pids.values())[0]
    os.kill(victim, signal.SIGKILL)
    stdout, stderr = run.communicate(timeout=600)
    assert run.returncode == 0, stderr
    results = [json.loads(line) for line in stdout.splitlines()]
    assert len(results) == len(SHORT)
    assert {r["status"] for r in results} == {"done"}
    assert all(v["status"] == "done" for v in read_manifest(out).values())
    assert victim not in client.run(os.getpid).values()  # the worker really died
