"""Helpers shared by the test modules."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

# The keys the JSON contract promises at least.
CONTRACT_KEYS = frozenset(
    {
        "id",
        "headline",
        "standfirst",
        "byline",
        "authors",
        "published",
        "modified",
        "language",
        "site_name",
        "url",
        "lead_figure",
        "paywall",
        "blocks",
        "text",
        "word_count",
        "provenance",
    }
)


def run_newsvoice(
    *args: str | Path, cwd: Path | None = None, stdin: IO[bytes] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m newsvoice ARGS``: the real entry point, UTF-8 pipes, no debug switch."""
    env = {k: v for k, v in os.environ.items() if k != "NEWSVOICE_DEBUG"}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "newsvoice", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=60,
        cwd=cwd,
        env=env,
        stdin=stdin if stdin is not None else subprocess.DEVNULL,
        check=False,
    )
