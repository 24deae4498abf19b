"""The hostile-input corpus (tests/hostile/cases.toml) run through the real ``newsvoice`` CLI.

Each case runs ``python -m newsvoice extract ...`` in its own empty working directory and
checks the contract: the documented exit code, exactly one ``error: ...`` line on stderr,
nothing on stdout, no traceback, and no stray files left behind.
"""

from __future__ import annotations

import re
import shutil
import tomllib
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.helpers import run_newsvoice

if TYPE_CHECKING:
    import subprocess
    from collections.abc import Callable

HOSTILE = Path(__file__).resolve().parent / "hostile"
CASES: list[dict[str, Any]] = tomllib.loads((HOSTILE / "cases.toml").read_text("utf-8"))["case"]
CAP = 10_000_000
FIELDS = {"id", "file", "generate", "args", "src", "exit", "error", "forbid", "headline"}


def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m newsvoice extract ARGS``."""
    return run_newsvoice("extract", *args, cwd=cwd)


def brief(text: str) -> str:
    """``text`` for an assertion message: long runs of one character shortened, at most 3 KB."""
    text = re.sub(r"(.)\1{39,}", lambda m: f"{m.group(1) * 8}…(×{len(m.group(0))})", text)
    return text if len(text) <= 3000 else "…" + text[-3000:]


# --- generated inputs ------------------------------------------------------------------------


def _deep_nesting(where: Path) -> str:
    depth = 20_000
    html = (
        '<!-- expect: exit 3, "more than 512 deep": 20,000 nested divs -->\n'
        "<!doctype html><html><body>"
        + "<div>" * depth
        + "<p>Text at the bottom of a very deep well.</p>"
        + "</div>" * depth
        + "</body></html>\n"
    )
    (where / "deep.html").write_text(html, "utf-8")
    return "deep.html"


def _over_size_cap(where: Path) -> str:
    head = b'<!-- expect: exit 3, "larger than the 10,000,000-byte limit" -->\n<p>'
    (where / "huge.html").write_bytes(head + b"a" * (CAP + 1 - len(head)))
    return "huge.html"


def _gzip_bomb(where: Path) -> str:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip container
    block = b"<p>" + b" " * (1 << 20)
    parts = [packer.compress(b"<!doctype html><html><body>")]
    parts += [packer.compress(block) for _ in range(2 * CAP // len(block))]
    parts.append(packer.flush())
    (where / "bomb.html.gz").write_bytes(b"".join(parts))
    return "bomb.html.gz"


def _dir_without_articles(where: Path) -> str:
    folder = where / "pictures"
    folder.mkdir()
    shutil.copyfile(HOSTILE / "tiny.png", folder / "tiny.png")
    (folder / "notes.md").write_text("# Notes\n\nNot an article file type.\n", "utf-8")
    return "pictures"


def _long_file_name(where: Path) -> str:
    return "a" * 296 + ".html"  # longer than NAME_MAX (255); nothing is created


def _long_url(where: Path) -> str:
    return "https://news.example.com/" + "a" * 9_000  # longer than PATH_MAX as well


GENERATORS: dict[str, Callable[[Path], str]] = {
    "deep-nesting": _deep_nesting,
    "over-size-cap": _over_size_cap,
    "gzip-bomb": _gzip_bomb,
    "dir-without-articles": _dir_without_articles,
    "long-file-name": _long_file_name,
    "long-url": _long_url,
}


# --- the corpus itself -------------------------------------------------------------------------


def test_cases_are_well_formed() -> None:
    ids = [case["id"] for case in CASES]
    assert len(ids) == len(set(ids))
    for case in CASES:
        assert set(case) <= FIELDS, case["id"]
        assert not ("file" in case and "generate" in case), case["id"]
        if "file" in case:
            assert (HOSTILE / case["file"]).is_file(), case["id"]
        if "generate" in case:
            assert case["generate"] in GENERATORS, case["id"]
        assert isinstance(case["exit"], int)
        assert ("error" in case) == (case["exit"] != 0), case["id"]
        assert ("headline" in case) == (case["exit"] == 0), case["id"]


def test_every_data_file_is_used() -> None:
    used = {case["file"] for case in CASES if "file" in case}
    on_disk = {p.name for p in HOSTILE.iterdir() if p.name != "cases.toml"}
    assert on_disk == used


def test_data_files_say_what_they_expect() -> None:
    """Files that can hold a comment start with one naming the expected outcome.

    (A ZIP holds it in its archive comment, at the end; PNG, gzip and the empty and blank
    files cannot hold one without changing what they test.)
    """
    for case in CASES:
        if case["exit"] == 0 or case.get("file", "article.html") == "article.html":
            continue
        path = HOSTILE / case["file"]
        data = path.read_bytes()
        if path.suffix == ".zip":
            head = data
        elif path.suffix in (".html", ".toml") and data.decode("utf-8", "replace").strip():
            head = data[:200]
        else:
            continue
        assert b"expect: exit %d" % case["exit"] in head, path.name
        assert case["error"].encode() in head, path.name


def _substitute(values: list[str], file: str) -> list[str]:
    return [v.replace("{file}", file).replace("{article}", "article.html") for v in values]


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_hostile_input(case: dict[str, Any], tmp_path: Path) -> None:
    shutil.copyfile(HOSTILE / "article.html", tmp_path / "article.html")
    file = ""
    if "file" in case:
        file = case["file"]
        shutil.copyfile(HOSTILE / file, tmp_path / file)
    elif "generate" in case:
        file = GENERATORS[case["generate"]](tmp_path)
    before = sorted(tmp_path.rglob("*"))
    args = _substitute(case.get("args", []), file) + _substitute(case.get("src", ["{file}"]), file)

    result = run_cli(args, tmp_path)

    no_traceback = "Traceback" not in result.stdout + result.stderr
    assert no_traceback, brief(result.stderr)
    assert sorted(tmp_path.rglob("*")) == before
    assert result.returncode == case["exit"], brief(result.stderr)
    if case["exit"] == 0:
        assert result.stderr == ""
        assert result.stdout.splitlines()[0] == case["headline"]
        return
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, brief(result.stderr)
    assert lines[0].startswith("error: ")
    assert case["error"] in lines[0]
    for secret in case.get("forbid", []):
        assert secret not in result.stderr
