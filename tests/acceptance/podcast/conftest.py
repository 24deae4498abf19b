"""A podcast site published once per session from the seed and five Zyte corpus pages, with
the real CLI and the default offline voice, and the helpers the podcast tests share."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.zyte import pages

ROOT = Path(__file__).resolve().parents[3]
SEED_HTML = ROOT / "samples" / "csmonitor-kerry-china.html"
BASE_URL = "http://127.0.0.1:8000/podcast/"
# Five short English news pages of the corpus, each with a date and a standfirst.
CORPUS_IDS = (
    "4a44ab3e4c41d56ce9b79eb07acb06aed1bc52aba68a950f06e7de7ef848400a",
    "5a822960e9a2cb1e664d334b6c936c5cb6e41fb5331877538c2c8339cb59d57e",
    "51374560f40088e227f0053ff1bb0b8525d10a8d7bfbff1cd6033f42347fd85b",
    "7916ecca969ffdd8f6fc32d171fbe0dd63db40fe4c1d2ade02b1dec5929a162f",
    "7a457a4f71735c17b8b34fafc88835d225cf879b2d812311857a64cfc891eee9",
)


def publish(*args: str | Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """``newsvoice publish ...`` through the real entry point."""
    env = {k: v for k, v in os.environ.items() if k != "NEWSVOICE_DEBUG"}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "newsvoice", "publish", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env=env,
        check=False,
    )


def results(process: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    assert process.returncode == 0, process.stderr
    return [json.loads(line) for line in process.stdout.splitlines()]


@dataclass
class Site:
    root: Path
    sources: list[Path]
    cache: Path
    first: list[dict[str, object]]  # the first publish's NDJSON results


def write_sources(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    wanted = set(CORPUS_IDS)
    sources = [directory / "seed.html"]
    sources[0].write_bytes(SEED_HTML.read_bytes())
    for page in pages():
        if page.id in wanted:
            path = directory / f"{page.id[:12]}.html"
            path.write_text(page.html, "utf-8")
            sources.append(path)
    assert len(sources) == 6
    return sources


# The update the kill tests make: a published page corrected, and a new short one.
EDITED_ID = "4a44ab3e4c41"  # a 186-word page of the published six
EDITED_SENTENCE = "but failed to do so."
KILL_EDIT = "but could not save him."
SHORT_ID = "35b158918c67"  # a 161-word corpus page: a short new episode


def update_sources(work: Path) -> list[Path]:
    edited = work / "corrected.html"
    original = next(p.html for p in pages() if p.id.startswith(EDITED_ID))
    assert EDITED_SENTENCE in original
    edited.write_text(original.replace(EDITED_SENTENCE, KILL_EDIT), "utf-8")
    short = work / "short.html"
    short.write_text(next(p.html for p in pages() if p.id.startswith(SHORT_ID)), "utf-8")
    return [edited, short]


KILLER = Path(__file__).with_name("killer.py")


class Killer:
    """``killer.py --serve``: killed publish runs forked from one process that has imported
    newsvoice already (each run is still a whole process, killed by a real SIGKILL)."""

    def __init__(self, extra_env: dict[str, str] | None = None) -> None:
        env = {**os.environ, **(extra_env or {}), "PYTHONIOENCODING": "utf-8"}
        env.pop("NEWSVOICE_DEBUG", None)
        self.process = subprocess.Popen(
            [sys.executable, str(KILLER), "--serve"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, encoding="utf-8", env=env, cwd=ROOT,
        )  # fmt: skip
        self.lock = threading.Lock()

    def run(
        self, point: int, argv: list[str], *, store: bool = False
    ) -> subprocess.CompletedProcess[str]:
        """``newsvoice ARGV`` killed at its ``point``th change to the file system (``store``:
        to the object store)."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        request = {"point": point, "argv": argv, "store": store}
        with self.lock:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            answer = json.loads(self.process.stdout.readline())
        return subprocess.CompletedProcess(argv, answer["status"], "", answer["stderr"])

    def close(self) -> None:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)
        self.process.stdout.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    work = tmp_path_factory.mktemp("podcast")
    sources = write_sources(work / "articles")
    cache = work / "cache"
    root = work / "site"
    init = subprocess.run(
        [sys.executable, "-m", "newsvoice", "feed", "init", str(root), "--owner-name", "News Desk",
         "--owner-email", "desk@example.org", "--category", "News > Politics",
         "--base-url", BASE_URL],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert init.returncode == 0, init.stderr
    process = publish(*sources, "--site", root, "--base-url", BASE_URL, "--cache", cache, "--json")
    return Site(root, sources, cache, results(process))
