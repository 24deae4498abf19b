"""A Dask cluster that shares nothing with the client: ``dask scheduler`` and two ``dask
worker`` processes run as another Unix user (``nobody``), each with its own HOME and TMPDIR,
who cannot read the client's sources, output folders or sentence cache (all mode 700).

The workers run this project's installed packages through an interpreter that user may
execute: the venv's own when it can, else the system's Python of the same minor version (a
venv under root's mode-700 home is out of its reach), with the venv's site-packages added."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bench.zyte import pages
from tests.acceptance.batch.conftest import SHORT
from tests.helpers import need, s3_server

if TYPE_CHECKING:
    from collections.abc import Iterator

USER = "nobody"
BUCKET = "cluster"
ARTICLES = SHORT[:4]  # four short corpus pages: two tasks for each worker
BOOT = """\
import site, sys
site.addsitedir({site!r})
from dask.__main__ import main
sys.argv = ["dask", *sys.argv[1:]]
main()
"""


def _runs_as(user: str, argv: list[str]) -> bool:
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return False
    entry = pwd.getpwnam(user)
    probe = [setpriv, f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--clear-groups"]
    done = subprocess.run([*probe, *argv], capture_output=True, check=False, timeout=60)
    return done.returncode == 0


def interpreter() -> str:
    """A Python of this minor version that USER may run (the venv's own, or the system's)."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (
        sys.executable,
        f"/usr/bin/python{version}",
        f"/usr/local/bin/python{version}",
    ):
        if Path(candidate).exists() and _runs_as(USER, [candidate, "-S", "-c", "pass"]):
            return candidate
    return need(f"a Python {version} that the user {USER} may run", None)


@dataclass
class Cluster:
    address: str
    s3: dict[str, str]  # the environment that reaches the local S3 server (bucket BUCKET)
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    homes: list[Path] = field(default_factory=list)


def _as_user(
    argv: list[str], home: Path, log: Path, extra: dict[str, str]
) -> subprocess.Popen[bytes]:
    entry = pwd.getpwnam(USER)
    env = {
        **extra,
        "HOME": str(home),
        "TMPDIR": str(home / "tmp"),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    command = [
        need("setpriv"),
        f"--reuid={entry.pw_uid}",
        f"--regid={entry.pw_gid}",
        "--clear-groups",
        *argv,
    ]  # setpriv execs: the process's pid is the worker's own
    with log.open("wb") as output:  # the child keeps its own copy
        return subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)


def _home(base: Path, name: str) -> Path:
    entry = pwd.getpwnam(USER)
    home = base / name
    (home / "tmp").mkdir(parents=True)
    for path in (home, home / "tmp"):
        os.chown(path, entry.pw_uid, entry.pw_gid)
        path.chmod(0o700)
    return home


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    if os.geteuid() != 0:
        pytest.skip("starting workers as another user needs root (CI runs as root)")
    python = interpreter()
    site = sysconfig.get_paths()["purelib"]
    probe = f"import site; site.addsitedir({site!r}); import newsvoice, distributed"
    if not _runs_as(USER, [python, "-S", "-c", probe]):
        pytest.skip(f"the user {USER} cannot read this checkout and its venv ({site})")
    with s3_server(BUCKET) as s3:
        yield from _cluster(python, s3)


def _cluster(python: str, s3: dict[str, str]) -> Iterator[Cluster]:
    # the other user's homes, outside the client's own temp folders (mode 700)
    base = Path(tempfile.mkdtemp(prefix="newsvoice-cluster-"))
    base.chmod(0o755)
    boot = base / "boot.py"
    boot.write_text(BOOT.format(site=sysconfig.get_paths()["purelib"]), "utf-8")
    boot.chmod(0o644)
    scheduler_home = _home(base, "scheduler")
    address_file = scheduler_home / "scheduler.json"
    processes = [
        _as_user(
            [python, "-S", str(boot), "scheduler", "--host", "127.0.0.1", "--port", "0",
             "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(address_file)],
            scheduler_home, base / "scheduler.log", {},
        )
    ]  # fmt: skip
    deadline = time.monotonic() + 120
    while not address_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert address_file.exists(), (base / "scheduler.log").read_text(errors="replace")
    found = Cluster(json.loads(address_file.read_text())["address"], s3)
    for n in range(2):
        home = _home(base, f"worker-{n}")
        found.homes.append(home)
        found.workers.append(
            _as_user(
                [python, "-S", str(boot), "worker", found.address, "--nthreads", "1",
                 "--no-nanny", "--dashboard-address", "127.0.0.1:0", "--name", f"worker-{n}"],
                home, base / f"worker-{n}.log", s3,
            )
        )  # fmt: skip
    processes += found.workers
    try:
        _wait_for_workers(found.address, 2)
        yield found
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(base, ignore_errors=True)


def _wait_for_workers(address: str, count: int) -> None:
    from distributed import Client
    from distributed.versions import VersionMismatchWarning

    with warnings.catch_warnings():
        # the system's Python may be another patch release of the same minor version
        warnings.simplefilter("ignore", VersionMismatchWarning)
        with Client(address, timeout="60s", set_as_default=False) as client:
            client.wait_for_workers(count, timeout=120)


@pytest.fixture(scope="session")
def private(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A mode-700 folder of the client's: the sources, and room for outputs and the cache."""
    folder = Path(tmp_path_factory.mktemp("client-private"))
    folder.chmod(0o700)
    articles = folder / "articles"
    articles.mkdir(mode=0o700)
    for page in pages():
        if page.id[:12] in ARTICLES:
            (articles / f"{page.id[:12]}.html").write_text(page.html, "utf-8")
    return folder
