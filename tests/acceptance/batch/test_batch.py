"""`newsvoice batch`: every article through extract, EPUB and narration; the manifest; reruns
that skip finished work; one bad article among good ones; feeds and URL lists as sources;
a batch killed halfway and resumed."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsvoice.batch import read_manifest
from newsvoice.errors import ExitStatus
from tests.helpers import serve

from .conftest import ROOT, SHORT, batch, lines

pytestmark = pytest.mark.slow


def test_every_article_gets_its_files_and_a_manifest_entry(
    warm: tuple[Path, Path, list[dict[str, object]]],
) -> None:
    _, out, results = warm
    assert len(results) == len(SHORT)
    assert {r["status"] for r in results} == {"done"}
    manifest = read_manifest(out)
    assert len(manifest) == len(SHORT)
    for result in results:
        entry = manifest[str(result["source"])]
        assert entry["status"] == "done"
        assert entry["stages"] == ["extract", "epub", "audio"]
        suffixes = sorted(Path(name).suffixes[-1] for name in entry["outputs"])
        assert suffixes == [".epub", ".json", ".mp3", ".vtt"]
        for name, digest in entry["outputs"].items():
            import hashlib

            assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest


def test_a_rerun_skips_finished_unchanged_work(
    warm: tuple[Path, Path, list[dict[str, object]]], articles: Path, tmp_path: Path
) -> None:
    cache, out, _ = warm
    copy, sources = tmp_path / "out", tmp_path / "articles"
    shutil.copytree(out, copy)
    shutil.copytree(articles, sources)
    manifest = json.loads((copy / ".newsvoice/manifest.json").read_text("utf-8"))
    manifest["items"] = {
        str(sources / Path(k).name): v for k, v in manifest["items"].items()
    }  # the copies are the same articles
    (copy / ".newsvoice/manifest.json").write_text(json.dumps(manifest), "utf-8")
    changed = sorted(sources.iterdir())[0]
    changed.write_text(changed.read_text("utf-8").replace("</p>", " Updated.</p>", 1), "utf-8")
    again = lines(batch(sources, "--out", copy, "--cache", cache, "--json", "--jobs", "1"))
    status = {Path(str(r["source"])).name: r["status"] for r in again}
    assert status.pop(changed.name) == "done"
    assert set(status.values()) == {"skipped"}


def test_one_bad_article_does_not_stop_the_others(
    warm: tuple[Path, Path, list[dict[str, object]]], articles: Path, tmp_path: Path
) -> None:
    cache = warm[0]
    sources = tmp_path / "articles"
    shutil.copytree(articles, sources)
    (sources / "broken.html").write_bytes(b"\x00\x01\x02 binary \x00")
    (sources / "empty.html").write_text("<html><body><nav>Menu</nav></body></html>", "utf-8")
    process = batch(sources, "--out", tmp_path / "out", "--cache", cache, "--json")
    assert process.returncode == ExitStatus.PARTIAL, process.stderr
    results = {Path(str(r["source"])).name: r for r in lines(process)}
    assert results["broken.html"]["status"] == "failed"
    assert results["broken.html"]["exit"] == ExitStatus.INPUT
    assert results["empty.html"]["status"] == "failed"
    assert sum(r["status"] == "done" for r in results.values()) == len(SHORT)
    assert "Traceback" not in process.stderr


def test_feeds_and_url_lists_are_sources(
    warm: tuple[Path, Path, list[dict[str, object]]], articles: Path, tmp_path: Path
) -> None:
    cache = warm[0]
    files = sorted(articles.iterdir())[:2]
    routes = {f"/{p.name}": (200, p.read_bytes(), "text/html; charset=utf-8", {}) for p in files}
    with serve(routes) as base:
        items = "".join(f"<item><title>t</title><link>{base}/{p.name}</link></item>" for p in files)
        feed = tmp_path / "news.xml"
        feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>')
        listing = tmp_path / "urls.txt"
        listing.write_text(f"# a list of URLs\n{base}/{files[0].name}\n", "utf-8")
        refused = batch(feed, "--out", tmp_path / "refused", "--cache", cache, "--json")
        assert refused.returncode == ExitStatus.FETCH  # loopback needs --allow-private
        process = batch(
            feed, listing, "--out", tmp_path / "out", "--cache", cache, "--json",
            "--allow-private",
        )  # fmt: skip
    assert process.returncode == 0, process.stderr
    results = lines(process)
    assert len(results) == 2  # the listed URL is also in the feed: once
    assert {r["status"] for r in results} == {"done"}


def test_a_killed_batch_resumes_with_only_the_unfinished_work(
    warm: tuple[Path, Path, list[dict[str, object]]], articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    cache = tmp_path / "cache"
    shutil.copytree(warm[0], cache)  # warm: still about a second an article (EPUB, encoding)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    process = subprocess.Popen(
        [sys.executable, "-m", "newsvoice", "batch", str(articles), "--out", str(out),
         "--cache", str(cache), "--jobs", "1", "--json"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True,
    )  # fmt: skip
    manifest = out / ".newsvoice/manifest.json"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if manifest.exists() and len(read_manifest(out)) >= 2:
            break
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    finished = {k for k, v in read_manifest(out).items() if v["status"] == "done"}
    assert 2 <= len(finished) < len(SHORT)
    rerun = batch(articles, "--out", out, "--cache", cache, "--json", "--resume")
    assert rerun.returncode == 0, rerun.stderr
    results = {str(r["source"]): r for r in lines(rerun)}
    assert {k for k, r in results.items() if r["status"] == "skipped"} == finished
    assert {k for k, r in results.items() if r["status"] == "done"} == set(results) - finished
    assert all(v["status"] == "done" for v in read_manifest(out).values())


def test_publishing_a_batch_into_a_site(
    warm: tuple[Path, Path, list[dict[str, object]]], articles: Path, tmp_path: Path
) -> None:
    import feedparser

    site = tmp_path / "site"
    process = batch(
        articles, "--site", site, "--base-url", "http://127.0.0.1:8000/", "--cache", warm[0],
        "--jobs", "2", "--json",
    )  # fmt: skip
    assert process.returncode == 0, process.stderr
    assert all(r["stages"] == ["extract", "epub", "audio", "publish"] for r in lines(process))
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert parsed.bozo == 0
    assert len(parsed.entries) == len(SHORT)
    assert (site / ".newsvoice/manifest.json").is_file()


def test_daisy_books_and_braille_beside_the_other_files(
    warm: tuple[Path, Path, list[dict[str, object]]], articles: Path, tmp_path: Path
) -> None:
    """``--daisy --braille``: each article's folder (or episode) gains NAME.daisy.zip and
    NAME.brf, recorded in the manifest, from the narration already in the cache."""
    from newsvoice.podcast.check import check_site
    from newsvoice.render.daisycheck import check

    two = tmp_path / "two"
    two.mkdir()
    for page in sorted(articles.iterdir())[:2]:
        shutil.copy(page, two / page.name)
    out, site = tmp_path / "out", tmp_path / "site"
    process = batch(two, "--out", out, "--cache", warm[0], "--daisy", "--braille", "--json")
    assert process.returncode == 0, process.stderr
    results = lines(process)
    assert [r["stages"] for r in results] == [["extract", "epub", "audio", "daisy", "braille"]] * 2
    assert all(r["engine_calls"] == 0 for r in results)
    for entry in read_manifest(out).values():
        names = sorted(entry["outputs"])
        assert [n for n in names if n.endswith((".daisy.zip", ".brf"))] != []
        (book,) = [out / n for n in names if n.endswith(".daisy.zip")]
        (braille,) = [out / n for n in names if n.endswith(".brf")]
        assert check(book) == []
        assert book.name.removesuffix(".daisy.zip") == braille.name.removesuffix(".brf")
        assert braille.read_bytes().isascii()
    again = batch(two, "--out", out, "--cache", warm[0], "--daisy", "--braille", "--json")
    assert {r["status"] for r in lines(again)} == {"skipped"}
    published = batch(
        two, "--site", site, "--base-url", "http://127.0.0.1:8000/", "--cache", warm[0],
        "--daisy", "--braille", "--json",
    )  # fmt: skip
    assert published.returncode == 0, published.stderr
    assert [r["stages"][-1] for r in lines(published)] == ["publish"] * 2
    assert [f for f in check_site(site) if f.level == "error"] == []
    for record in site.glob("episodes/*/episode.json"):
        data = json.loads(record.read_text("utf-8"))
        assert (record.parent / data["daisy"]).stat().st_size == data["daisy_bytes"]
        assert (record.parent / data["braille"]).stat().st_size == data["braille_bytes"]


def test_needs_exactly_one_destination(tmp_path: Path) -> None:
    process = batch(ROOT / "samples", "--out", tmp_path / "a", "--site", tmp_path / "b")
    assert process.returncode == ExitStatus.USAGE
    assert process.stderr.startswith("error: ")
