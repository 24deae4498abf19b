"""Short corpus articles for batch runs, and a warm sentence cache shared by the tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.zyte import pages

ROOT = Path(__file__).resolve().parents[3]
# Six short English corpus pages (161 to 250 words).
SHORT = (
    "35b158918c67",
    "432362af0be4",
    "e1cd54e5577d",
    "4a44ab3e4c41",
    "8e3efab59f48",
    "51374560f400",
)


def batch(*args: str | Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("NEWSVOICE_DEBUG", "NEWSVOICE_SCHEDULER")
    }
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "newsvoice", "batch", *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", timeout=timeout, env=env, check=False,
    )  # fmt: skip


def lines(process: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in process.stdout.splitlines()]


@pytest.fixture(scope="session")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    for page in pages():
        if page.id[:12] in SHORT:
            (folder / f"{page.id[:12]}.html").write_text(page.html, "utf-8")
    assert len(list(folder.iterdir())) == len(SHORT)
    return folder


@pytest.fixture(scope="session")
def warm(
    articles: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path, list[dict[str, object]]]:
    """(cache, output folder, results) of one complete local run with --jobs 2."""
    work = tmp_path_factory.mktemp("warm")
    cache, out = work / "cache", work / "out"
    process = batch(articles, "--out", out, "--cache", cache, "--jobs", "2", "--json")
    assert process.returncode == 0, process.stderr
    return cache, out, lines(process)
