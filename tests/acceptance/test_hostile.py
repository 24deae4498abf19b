"""The hostile-input corpus (tests/data/hostile/cases.toml) run through the real ``newsvoice`` CLI.

Each case runs ``python -m newsvoice extract ...`` (or the case's ``command``) in its own empty
working directory and checks the contract: the documented exit code, exactly one
``error: ...`` line on stderr, nothing on stdout, no traceback, no stray files left behind,
and, for inputs built to exhaust time or memory, an answer within the case's ``within``.

URL cases are served by a loopback server in this process (``{server}`` in ``src``). Two
things the real command line cannot do quickly are done by a small launcher that then runs
the same ``main()``: ``public_loopback`` treats 127.0.0.1 as a public address (so that a
redirect from it to a private address meets the check at the hop, as a public server's
would), and ``limits`` shortens the fetch deadlines (a slow-loris case in 2 s, not 120 s).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import tomllib
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from newsvoice.podcast.config import PodcastConfig, write_config
from tests.helpers import run_newsvoice

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"
CASES: list[dict[str, Any]] = tomllib.loads((HOSTILE / "cases.toml").read_text("utf-8"))["case"]
CAP = 10_000_000
FIELDS = {"id", "file", "generate", "args", "src", "exit", "error", "forbid", "headline"} | {
    "command",
    "stdin",
    "site",
    "within",
    "public_loopback",
    "limits",
}
LAUNCHER = """
import json, os, sys
settings = json.loads(os.environ["NEWSVOICE_TEST_LAUNCH"])
import newsvoice.extract.fetch, newsvoice.limits
for name, value in settings.get("limits", {}).items():
    object.__setattr__(newsvoice.limits.DEFAULT_LIMITS, name, value)
if settings.get("public_loopback"):
    checked = newsvoice.extract.fetch.check_address
    newsvoice.extract.fetch.check_address = lambda ip: (
        None if str(ip) == "127.0.0.1" else checked(ip)
    )
from newsvoice.cli import main
main()
"""


def run_cli(
    args: list[str], cwd: Path, case: dict[str, Any] | None = None, stdin: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m newsvoice COMMAND ARGS`` (the launcher when the case needs it)."""
    case = case or {}
    command = case.get("command", "extract").split()
    with contextlib.ExitStack() as stack:
        pipe = stack.enter_context(stdin.open("rb")) if stdin else None
        if "public_loopback" not in case and "limits" not in case:
            return run_newsvoice(*command, *args, cwd=cwd, stdin=pipe)
        env = {k: v for k, v in os.environ.items() if k != "NEWSVOICE_DEBUG"}
        env["PYTHONIOENCODING"] = "utf-8"
        env["NEWSVOICE_TEST_LAUNCH"] = json.dumps(
            {
                "public_loopback": case.get("public_loopback", False),
                "limits": case.get("limits", {}),
            }
        )
        return subprocess.run(
            [sys.executable, "-c", LAUNCHER, *command, *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=60,
            cwd=cwd,
            env=env,
            stdin=pipe if pipe is not None else subprocess.DEVNULL,
            check=False,
        )


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


def _page_of(filler: bytes, name: str, where: Path, size: int = CAP - 1000) -> str:
    head = b"<!doctype html><html><body><article><h1>Many</h1><p>Some words.</p>"
    (where / name).write_bytes(head + filler * ((size - len(head)) // len(filler)))
    return name


def _tiny_elements(where: Path) -> str:
    return _page_of(b"<br>", "tiny.html", where)  # 2.5 million empty elements, under the cap


def _unclosed_inline(where: Path) -> str:
    return _page_of(b"<i>", "unclosed.html", where)  # 3.3 million levels of <i>


def _page_50mb(where: Path) -> str:
    with (where / "huge.html").open("wb") as out:
        out.write(b"<!doctype html><html><body><article><h1>Big</h1>")
        for _ in range(50):
            out.write(b"<p>" + b"word " * 200_000 + b"</p>\n")
    return "huge.html"


def _huge_attribute(where: Path) -> str:
    text = (HOSTILE / "article.html").read_bytes()
    big = b'<p title="' + b"A" * 5_000_000 + b'" data-x="' + b"&amp;" * 500_000 + b'">'
    (where / "attr.html").write_bytes(text.replace(b"<p>", big, 1))
    return "attr.html"


GENERATORS: dict[str, Callable[[Path], str]] = {
    "deep-nesting": _deep_nesting,
    "over-size-cap": _over_size_cap,
    "gzip-bomb": _gzip_bomb,
    "dir-without-articles": _dir_without_articles,
    "long-file-name": _long_file_name,
    "long-url": _long_url,
    "tiny-elements": _tiny_elements,
    "unclosed-inline": _unclosed_inline,
    "page-50mb": _page_50mb,
    "huge-attribute": _huge_attribute,
}


# --- a loopback server with hostile routes ------------------------------------------------------


class _HostileServer(ThreadingHTTPServer):
    daemon_threads = True
    stop: threading.Event


class _Hostile(BaseHTTPRequestHandler):
    """One route per hostile behaviour; every loop gives up when the client does."""

    server: _HostileServer
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def _send(self, status: int, body: bytes = b"", **fields: str) -> None:
        self.send_response(status)
        headers = {name.replace("_", "-"): value for name, value in fields.items()}
        headers.setdefault("Content-Type", "text/html; charset=utf-8")
        headers.setdefault("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _drip(self, piece: bytes, every: float, seconds: float = 20.0) -> None:
        end = time.monotonic() + seconds
        with contextlib.suppress(OSError):  # the client hung up, as it should
            while time.monotonic() < end and not self.server.stop.wait(every):
                self.wfile.write(piece)
                self.wfile.flush()

    def do_GET(self) -> None:  # one branch per route
        port = self.server.server_address[1]
        route = self.path.split("?")[0]
        if route == "/article":
            self._send(200, (HOSTILE / "article.html").read_bytes())
        elif route == "/utf16-no-bom":
            self._send(
                200, (HOSTILE / "utf16le-no-bom.html").read_bytes(), Content_Type="text/html"
            )
        elif route == "/gzip-bomb":
            self._send(200, _bomb_bytes(), Content_Encoding="gzip")
        elif route == "/declares-50mb":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "50000000")
            self.end_headers()
            self._drip(b"<p>" * 1000, 0.01, 2.0)
        elif route == "/streams-50mb":  # no Content-Length: read until the server closes
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self._drip(b"<p>word " * 8192, 0.0005, 10.0)
        elif route == "/slow-loris":  # a byte every 0.2 s: never idle long enough to time out
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self._drip(b"<", 0.2)
        elif route == "/silent":  # headers, then nothing
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.flush()
            self.server.stop.wait(10)
        elif route == "/to-loopback":
            self._send(302, Location=f"http://127.0.0.2:{port}/article")
        elif route == "/to-private":
            self._send(302, Location="http://10.20.30.40/article")
        elif route == "/to-metadata":
            self._send(302, Location="http://169.254.169.254/latest/meta-data/")
        elif route == "/to-decimal-loopback":
            self._send(302, Location=f"http://2130706434:{port}/article")
        elif route == "/to-file":
            self._send(302, Location="file:///etc/passwd")
        elif route == "/to-article":
            self._send(302, Location="/article")
        elif route == "/loop":
            self._send(302, Location="/loop")
        elif route == "/pdf":
            self._send(200, b"%PDF-1.7\n", Content_Type="application/pdf")
        elif route == "/png-as-html":
            self._send(200, (HOSTILE / "tiny.png").read_bytes(), Content_Type="text/html")
        else:
            self._send(404, b"<h1>Not found</h1>")


def _bomb_bytes() -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b" " * (1 << 20)
    parts = [packer.compress(b"<!doctype html><p>")]
    parts += [packer.compress(block) for _ in range(2 * CAP // len(block))]
    return b"".join([*parts, packer.flush()])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = _HostileServer(("127.0.0.1", 0), _Hostile)
    httpd.stop = threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()


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
    used |= {case["site"] for case in CASES if "site" in case}
    on_disk = {p.name for p in HOSTILE.iterdir() if p.is_file() and p.name != "cases.toml"}
    assert on_disk == used  # (outputs/ holds the cases of test_hostile_outputs.py)


def test_data_files_say_what_they_expect() -> None:
    """Files that can hold a comment start with one naming the expected outcome.

    (A ZIP holds it in its archive comment, at the end; PNG, gzip and the empty and blank
    files cannot hold one without changing what they test.)
    """
    for case in CASES:
        name = case.get("site") or case.get("file", "article.html")
        if case["exit"] == 0 or name == "article.html":
            continue
        path = HOSTILE / name
        data = path.read_bytes()
        if path.suffix == ".zip":
            head = data
        elif path.suffix in (".html", ".toml", ".xml") and data.decode("utf-8", "replace").strip():
            head = data[:300]
        else:
            continue
        assert b"expect: exit %d" % case["exit"] in head, path.name
        assert case["error"].encode() in head, path.name


def _substitute(values: list[str], file: str, server: str) -> list[str]:
    return [
        v.replace("{file}", file)
        .replace("{article}", "article.html")
        .replace("{server}", server)
        .replace("{site}", "site")
        for v in values
    ]


def _marks(case: dict[str, Any]) -> list[pytest.MarkDecorator]:
    served = any("{server}" in v for v in case.get("src", []) + case.get("args", []))
    return [pytest.mark.network_loopback] if served else []


@pytest.mark.parametrize(
    "case", [pytest.param(case, id=case["id"], marks=_marks(case)) for case in CASES]
)
def test_hostile_input(
    case: dict[str, Any], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    shutil.copyfile(HOSTILE / "article.html", tmp_path / "article.html")
    file = ""
    if "file" in case:
        file = case["file"]
        shutil.copyfile(HOSTILE / file, tmp_path / file)
    elif "generate" in case:
        file = GENERATORS[case["generate"]](tmp_path)
    feed = b""
    if "site" in case:
        site = tmp_path / "site"
        write_config(site, PodcastConfig(base_url="https://podcast.example/listen/"))
        feed = (HOSTILE / case["site"]).read_bytes()
        (site / "feed.xml").write_bytes(feed)
    server = ""
    if _marks(case):
        server = request.getfixturevalue("server")
    stdin = tmp_path / file if case.get("stdin") else None
    before = sorted(tmp_path.rglob("*"))
    src = case.get("src", ["-"] if stdin else ["{file}"])
    args = _substitute(case.get("args", []), file, server) + _substitute(src, file, server)

    started = time.monotonic()
    result = run_cli(args, tmp_path, case, stdin)
    took = time.monotonic() - started

    no_traceback = "Traceback" not in result.stdout + result.stderr
    assert no_traceback, brief(result.stderr)
    assert sorted(tmp_path.rglob("*")) == before
    if feed:
        assert (tmp_path / "site" / "feed.xml").read_bytes() == feed  # never overwritten
    assert result.returncode == case["exit"], brief(result.stderr)
    if "within" in case:
        assert took < case["within"], f"took {took:.1f} s"
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
