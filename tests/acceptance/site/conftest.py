"""Session fixtures: a site published by the real CLI from two samples, served on 127.0.0.1
by ``newsvoice feed serve``'s own server, and the headless-Chromium report on its pages
(tests/js/site_check.js: axe-core, the player, the keyboard, the console).

Node, Chromium, playwright-core and axe-core are installed by `make test`. When one is
missing the tests are skipped locally, but with NEWSVOICE_REQUIRE_TOOLS=1 (set by
`make test` and so by CI) a missing one fails.
"""

from __future__ import annotations

import http.server
import json
import shutil
import subprocess
import threading
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from newsvoice.podcast.serve import make_server
from tests.helpers import need, run_newsvoice

if TYPE_CHECKING:
    from collections.abc import Iterator

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "samples"
JS = REPO / "tests" / "js"
ARTIFACTS = REPO / "tests" / "artifacts"
SOURCES = ("csmonitor-kerry-china.html", "localnews-council-budget.html")
SLUGS = (  # the episodes they make, in that order
    "are-the-us-and-china-ready-to-cooperate-more-on-n-korea",
    "harbourton-council-agrees-4-2m-budget-package-with-4-99",
)
INDEX = "index.html"
EPISODES = tuple(f"episodes/{slug}/" for slug in SLUGS)
EMBED = f"episodes/{SLUGS[0]}/embed.html"
PAGES = (INDEX, *EPISODES, EMBED)
OTHER_ORIGIN = "127.0.0.2"  # loopback too, but another origin: a newsroom framing the player


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site ``newsvoice publish`` makes of the seed article and the local-news sample."""
    directory = tmp_path_factory.mktemp("site") / "site"
    done = run_newsvoice(
        "publish",
        *(SAMPLES / name for name in SOURCES),
        "--site",
        directory,
        "--base-url",
        "http://127.0.0.1:8000/",
        "--no-cache",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    episodes = directory / "episodes"
    assert sorted(p.name for p in episodes.iterdir() if p.is_dir()) == sorted(SLUGS)
    return directory


@pytest.fixture(scope="session")
def site_url(site: Path) -> Iterator[str]:
    """The site served with byte ranges (the player seeks by them) on a free loopback port."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSVOICE_SERVE_QUIET", "1")
        httpd = make_server(site, "127.0.0.1", 0)
        thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}/"
        finally:
            httpd.shutdown()
            httpd.server_close()
            thread.join()


@pytest.fixture(scope="session")
def frame_host(site_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A page on another origin that frames the seed's embed.html and its episode page."""
    folder = tmp_path_factory.mktemp("newsroom")
    (folder / "host.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>A newsroom</title>'
        "</head><body><h1>An article with its narration</h1>"
        f'<iframe name="embed" title="Listen" src="{site_url}{EMBED}" width="640" height="480">'
        f'</iframe><iframe name="page" title="Episode" src="{site_url}{EPISODES[0]}" '
        'width="640" height="480"></iframe></body></html>',
        "utf-8",
    )
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    httpd = http.server.ThreadingHTTPServer((OTHER_ORIGIN, 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://{OTHER_ORIGIN}:{httpd.server_address[1]}/host.html"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture(scope="session")
def site_check() -> list[str]:
    """The command that drives headless Chromium over the pages."""
    chromium = need("chromium", shutil.which("chromium") or shutil.which("chromium-browser"))
    node = need("node", shutil.which("node"))
    need("playwright-core (npm)", str(JS / "node_modules/playwright-core/package.json"))
    need("axe-core (npm)", str(JS / "node_modules/axe-core/axe.min.js"))
    shots = ARTIFACTS / "screenshots"
    return ["env", f"CHROMIUM={chromium}", f"ARTIFACTS={shots}", node, str(JS / "site_check.js")]


@pytest.fixture(scope="session")
def browser_report(site_check: list[str], site_url: str, frame_host: str) -> dict[str, Any]:
    """site_check.js's report on every page; kept in tests/artifacts/site-check.json."""
    done = subprocess.run(
        [site_check[0], f"FRAME_HOST={frame_host}", *site_check[1:], site_url, *PAGES],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.stdout.strip(), done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "site-check.json").write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    assert report["ok"], {path: page.get("error") for path, page in report["pages"].items()}
    assert done.returncode == 0, done.stderr
    return report
