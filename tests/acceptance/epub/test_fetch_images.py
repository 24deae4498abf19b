"""--fetch-images: remote pictures are downloaded under the same rules as articles."""

from __future__ import annotations

import json
import zipfile
from typing import TYPE_CHECKING

import pytest

from tests.acceptance.epub.books import SAMPLES
from tests.helpers import run_newsvoice, serve

if TYPE_CHECKING:
    from pathlib import Path

CHART = (SAMPLES / "science-explainer_files" / "heat-gap-chart.png").read_bytes()
BODY = "<p>" + "Councillors met on Tuesday and agreed the budget after a long debate. " * 4 + "</p>"


def _page(image_url: str) -> bytes:
    return (
        "<!doctype html><html lang='en'><head><title>Budget agreed</title></head><body>"
        "<article><h1>Budget agreed after a long debate</h1>"
        f"<figure><img src='{image_url}' alt='A bar chart of the budget'>"
        "<figcaption>The budget by service.</figcaption></figure>"
        f"{BODY}{BODY}</article></body></html>"
    ).encode()


@pytest.mark.network_loopback
def test_fetch_images_embeds_the_remote_picture(tmp_path: Path) -> None:
    routes = {"/chart.png": (200, CHART, "image/png", {})}
    with serve(routes) as base:
        routes["/story"] = (200, _page(f"{base}/chart.png"), "text/html; charset=utf-8", {})
        book = tmp_path / "story.epub"
        done = run_newsvoice(
            "epub", f"{base}/story", "-o", str(book), "--fetch-images", "--allow-private", "--json"
        )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["images"], result["images_left_out"]) == (1, [])
    with zipfile.ZipFile(book) as z:
        embedded = [n for n in z.namelist() if n.startswith("EPUB/images/a1-")]
        assert [z.read(n) for n in embedded] == [CHART]


@pytest.mark.network_loopback
def test_remote_pictures_obey_the_address_rules(tmp_path: Path) -> None:
    with serve({"/chart.png": (200, CHART, "image/png", {})}) as base:
        page = tmp_path / "story.html"
        page.write_bytes(_page(f"{base}/chart.png"))
        book = tmp_path / "story.epub"
        done = run_newsvoice("epub", str(page), "-o", str(book), "--fetch-images", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["images"] == 0
    (reason,) = result["images_left_out"]
    assert "is loopback" in reason
    assert "warning: image left out" in done.stderr


@pytest.mark.network_loopback
def test_a_page_that_is_not_an_image_is_left_out(tmp_path: Path) -> None:
    with serve({"/chart.png": (200, b"<html>nope</html>", "image/png", {})}) as base:
        page = tmp_path / "story.html"
        page.write_bytes(_page(f"{base}/chart.png"))
        done = run_newsvoice(
            "epub",
            str(page),
            "-o",
            str(tmp_path / "s.epub"),
            "--fetch-images",
            "--allow-private",
            "--json",
        )
    assert done.returncode == 0, done.stderr
    (reason,) = json.loads(done.stdout)["images_left_out"]
    assert "not a readable JPEG, PNG, GIF or WebP image" in reason
