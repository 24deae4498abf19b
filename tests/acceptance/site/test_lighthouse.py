"""Lighthouse (npm, 12.x: the last line that runs on Node 20) in Debian's Chromium on the
seed's episode page, served on 127.0.0.1: accessibility 100 and best practices at least 95
(tests/js/lighthouse_check.mjs runs it; its report is kept in tests/artifacts/)."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest

from tests.acceptance.site.conftest import ARTIFACTS, EPISODES, JS
from tests.helpers import need

pytestmark = [pytest.mark.slow, pytest.mark.network_loopback]


@pytest.fixture(scope="session")
def lighthouse(site_url: str) -> dict[str, Any]:
    chromium = need("chromium", shutil.which("chromium") or shutil.which("chromium-browser"))
    node = need("node", shutil.which("node"))
    need("lighthouse (npm)", str(JS / "node_modules/lighthouse/package.json"))
    done = subprocess.run(
        [
            "env",
            f"CHROMIUM={chromium}",
            node,
            str(JS / "lighthouse_check.mjs"),
            site_url + EPISODES[0],
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "lighthouse.json").write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    return report[site_url + EPISODES[0]]


def test_the_episode_page_scores_100_for_accessibility(lighthouse: dict[str, Any]) -> None:
    assert lighthouse["runtimeError"] is None
    assert lighthouse["accessibility"] == 1, lighthouse["failing"]


def test_the_episode_page_follows_best_practices(lighthouse: dict[str, Any]) -> None:
    assert lighthouse["bestPractices"] >= 0.95, lighthouse["failing"]
