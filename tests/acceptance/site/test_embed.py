"""The embeddable player: ``embed.html`` plays inside an iframe on another origin
(127.0.0.2) while every other page refuses to be framed (the headers ``feed serve`` sends,
and ``_headers`` states for static hosts); ``oembed.json`` is an oEmbed 1.0 ``rich``
response, discovered from the episode page, whose iframe is the embed."""

from __future__ import annotations

import json
import urllib.request
from typing import TYPE_CHECKING, Any

import pytest
from lxml import html

from tests.acceptance.site.conftest import EMBED, EPISODES, INDEX

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = [pytest.mark.slow, pytest.mark.network_loopback]

OEMBED_REQUIRED = {"version", "type", "html", "width", "height"}  # oEmbed 1.0, 2.3.4 (rich)
OEMBED_OPTIONAL = {
    "title",
    "author_name",
    "author_url",
    "provider_name",
    "provider_url",
    "cache_age",
    "thumbnail_url",
    "thumbnail_width",
    "thumbnail_height",
}


def _headers(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers


def test_only_the_embed_may_be_framed(site_url: str) -> None:
    embed = _headers(site_url + EMBED)
    assert embed["Content-Security-Policy"] == "frame-ancestors *"
    assert embed["X-Frame-Options"] is None
    for path in (INDEX, *EPISODES):
        headers = _headers(site_url + path)
        assert headers["Content-Security-Policy"] == "frame-ancestors 'none'"
        assert headers["X-Frame-Options"] == "DENY"


def test_the_embed_plays_in_a_frame_on_another_origin(browser_report: dict[str, Any]) -> None:
    framing = browser_report["framing"]
    assert framing.get("error") is None, framing["error"]
    embed, page = framing["frames"]["embed"], framing["frames"]["page"]
    assert embed["player"]
    assert embed["title"].startswith("Listen: ")
    assert not embed["played"]["paused"]
    assert embed["played"]["currentTime"] > 0.3
    assert not page["player"]  # the episode page refused to be framed


def test_the_embed_reads_along(browser_report: dict[str, Any]) -> None:
    read_along = browser_report["pages"][EMBED]["readAlong"]
    click = read_along["click"]
    assert abs(click["seeked"] - click["start"]) <= 0.05
    assert click["speaking"] == [10]
    assert all(len(sample["speaking"]) <= 1 for sample in read_along["samples"])


def test_oembed_is_discovered_and_valid(site: Path) -> None:
    folder = site / EPISODES[0]
    page = html.fromstring((folder / "index.html").read_bytes())
    (link,) = page.xpath('//link[@type="application/json+oembed"]')
    assert link.get("href").endswith(EPISODES[0] + "oembed.json")
    data = json.loads((folder / "oembed.json").read_bytes())
    assert set(data) >= OEMBED_REQUIRED
    assert set(data) <= OEMBED_REQUIRED | OEMBED_OPTIONAL
    assert (data["version"], data["type"]) == ("1.0", "rich")
    assert all(isinstance(data[k], int) and data[k] > 0 for k in ("width", "height"))
    frame = html.fragment_fromstring(data["html"])
    assert frame.tag == "iframe"
    assert frame.get("src").endswith(EMBED)
    assert frame.get("title")  # a name for screen readers
    snippet = page.xpath('//section[@class="embed-code"]//code')[0].text
    assert snippet == data["html"]  # the page documents the same snippet


def test_the_static_host_headers_say_the_same(site: Path) -> None:
    rules: dict[str, list[str]] = {}
    pattern = ""
    for line in (site / "_headers").read_text("utf-8").splitlines():
        if line.startswith("/"):
            pattern = line
            rules[pattern] = []
        elif line.startswith("  ") and pattern:
            rules[pattern].append(line.strip())
    assert rules["/episodes/*/embed.html"] == ["Content-Security-Policy: frame-ancestors *"]
    for pattern in ("/", "/index.html", "/episodes/*/", "/episodes/*/index.html"):
        assert "Content-Security-Policy: frame-ancestors 'none'" in rules[pattern]
