"""Podcast pieces on their own: slugs, settings, feed escaping, page escaping."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree, html

from newsvoice.errors import ConfigError, FeedCorrupt
from newsvoice.io import slugify
from newsvoice.podcast.config import PodcastConfig, load_config, write_config
from newsvoice.podcast.episode import Chapter, Episode, Line
from newsvoice.podcast.feed import build_feed, channel_description, feed_guid, read_feed
from newsvoice.podcast.listening import embed_page, episode_page, oembed
from newsvoice.podcast.site import index_page

HOSTILE = "<script>alert(1)</script> \x00\x07 Title \ud800 & <b onmouseover=x>bold</b>"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Are the US and China ready?", "are-the-us-and-china-ready"),
        ("../../etc/passwd", "etc-passwd"),
        ("CON", "episode-abcdef12"),
        ("", "episode-abcdef12"),
        ("北京の天気", "episode-abcdef12"),
        ("Ça coûte 4,99 €", "ca-coute-4-99"),
        ("word " * 100, ("word-" * 12)[:-1]),
    ],
)
def test_slugify(title: str, expected: str) -> None:
    slug = slugify(title, "abcdef1234")
    assert slug == expected
    assert len(slug) <= 60
    assert slug == Path(slug).name


def episode(**changes: object) -> Episode:
    values: dict[str, object] = {
        "id": "158fc9ac-17da-586e-9946-7d52c21098f0",
        "slug": "kerry",
        "headline": HOSTILE,
        "standfirst": HOSTILE,
        "byline": HOSTILE,
        "site_name": HOSTILE,
        "url": "javascript:alert(1)",
        "language": "en",
        "published": datetime(2016, 1, 27, 17, 58, tzinfo=UTC),
        "updated": datetime(2026, 1, 1, tzinfo=UTC),
        "duration_ms": 261_275,
        "audio": "kerry-1.mp3",
        "audio_bytes": 2_000_000,
        "epub": "kerry-1.epub",
        "epub_bytes": 100_000,
        "transcript": "kerry-1.vtt",
        "chapters_file": "kerry-1.chapters.json",
        "image": "kerry-1.png",
        "voice": "hibari/heart",
        "chapters": (Chapter(HOSTILE, 0, 5575), Chapter("Body", 5575, 261_275)),
        "lines": (Line(0, -1, "headline", 500, 5000, HOSTILE),),
    }
    values.update(changes)
    return Episode(**values)  # type: ignore[arg-type]


CONFIG = PodcastConfig(base_url="https://example.org/listen/", owner_email="desk@example.org")


def test_hostile_text_is_escaped_and_cleaned_in_the_feed() -> None:
    data = build_feed(
        CONFIG, [episode()], "https://example.org/listen/artwork.png", existing=None,
        built=datetime(2026, 1, 1, tzinfo=UTC),
    )  # fmt: skip
    root = etree.fromstring(data)
    assert root.find(".//script") is None
    assert b"\x00" not in data
    assert b"\x07" not in data
    title = root.findtext("channel/item/title")
    assert title is not None
    assert "<script>alert(1)</script>" in title  # text, escaped by the serializer
    assert "\ud800" not in title
    assert "javascript:" not in (root.findtext("channel/item/description") or "")


def test_hostile_text_is_escaped_in_pages() -> None:
    pages = (
        episode_page(CONFIG, episode()),
        embed_page(CONFIG, episode()),
        index_page(CONFIG, [episode()]),
    )
    for page in pages:
        document = html.fromstring(page)
        scripts = [s for s in document.iter("script") if s.get("type") != "application/ld+json"]
        assert [s.get("src") for s in scripts] in (["../../player.js"], ["search.js"])
        for data in document.iter("script"):
            if data.get("type") == "application/ld+json":
                assert "<" not in (data.text or "")  # nothing in it can close the element
                assert json.loads(data.text or "")["@type"] == "PodcastEpisode"
        assert not any(
            name.startswith("on") for element in document.iter() for name in element.attrib
        )
        assert b"javascript:" not in page


def test_hostile_text_stays_text_in_the_oembed_response() -> None:
    data = json.loads(oembed(CONFIG, episode()))
    frame = html.fragment_fromstring(data["html"])
    assert frame.tag == "iframe"
    assert list(frame) == []  # the headline is an attribute value, escaped, never markup
    assert frame.get("title", "").startswith("Listen: ")
    assert "\ud800" not in data["html"]


def test_podcast_guid_follows_the_namespace() -> None:
    # the namespace's rule: UUIDv5 of the feed URL without scheme and trailing slashes
    assert feed_guid("https://example.org/listen/feed.xml/") == feed_guid(
        "http://example.org/listen/feed.xml"
    )


def test_settings_round_trip_and_errors(tmp_path: Path) -> None:
    config = PodcastConfig(
        title='Quote " and \\ backslash', category="Science > Physics", base_url="https://x.org/a"
    )
    write_config(tmp_path, config)
    loaded = load_config(tmp_path)
    assert loaded is not None
    assert loaded.title == config.title
    assert loaded.base_url == "https://x.org/a/"
    assert loaded.categories == ("Science", "Physics")
    with pytest.raises(ConfigError, match="already exists"):
        write_config(tmp_path, config)
    for bad in (
        'category = "Cooking"',
        'colour = "red"',
        "explicit = 3",
        'owner_email = "x"',
        'embed_frame_ancestors = "https://a.org; script-src *"',
        'embed_frame_ancestors = ""',
    ):
        (tmp_path / "newsvoice.toml").write_text(f"[podcast]\n{bad}\n", "utf-8")
        with pytest.raises(ConfigError):
            load_config(tmp_path)


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss>&x;</rss>',
        b"<rss><channel>",
        b"<feed xmlns='http://www.w3.org/2005/Atom'/>",
    ],
)
def test_a_feed_that_is_unsafe_or_broken_is_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(data)
    with pytest.raises(FeedCorrupt):
        read_feed(path)


def test_an_incomplete_articles_episode_description_says_so() -> None:
    note = "The article continues on another page (https://news.example/a/2/), not read."
    data = build_feed(
        CONFIG, [episode(incomplete=note), episode(id="x", slug="other")],
        "https://example.org/listen/artwork.png", existing=None,
        built=datetime(2026, 1, 1, tzinfo=UTC),
    )  # fmt: skip
    descriptions = [d.text or "" for d in etree.fromstring(data).iter("description")][1:]
    assert "may not hold the whole article" in descriptions[0]
    assert note in descriptions[0]
    assert "may not hold the whole article" not in descriptions[1]
    assert "incomplete" not in episode().to_dict()
    assert Episode.from_dict(episode(incomplete=note).to_dict()).incomplete == note


def test_the_feed_says_the_voice_is_synthetic() -> None:
    data = build_feed(
        CONFIG, [episode()], "https://example.org/listen/artwork.png", existing=None,
        built=datetime(2026, 1, 1, tzinfo=UTC),
    )  # fmt: skip
    root = etree.fromstring(data)
    assert (root.findtext("channel/description") or "").endswith(
        "Episodes are read by a synthetic voice."
    )
    assert "Read by a synthetic voice (hibari/heart)." in (
        root.findtext("channel/item/description") or ""
    )
    said = PodcastConfig(description="Read aloud by a synthetic voice, daily.")
    assert channel_description(said) == "Read aloud by a synthetic voice, daily."


def test_daisy_and_braille_editions_are_offered_where_the_others_are() -> None:
    extra = episode(
        daisy="kerry-2.daisy.zip", daisy_bytes=2_100_000, braille="kerry-3.brf", braille_bytes=3460
    )
    assert extra.files[-2:] == ("kerry-2.daisy.zip", "kerry-3.brf")  # kept, and cleaned up
    assert Episode.from_dict(extra.to_dict()) == extra
    assert "daisy" not in episode().to_dict()  # records without them stay as they were
    page = html.fromstring(episode_page(CONFIG, extra))
    links = {a.get("href"): a for a in page.iter("a")}
    daisy, braille = links["kerry-2.daisy.zip"], links["kerry-3.brf"]
    assert daisy.getparent().getparent() is braille.getparent().getparent()  # the Downloads list
    assert "DAISY 2.02" in daisy.text_content()
    assert "2.1 MB" in daisy.text_content()
    assert (daisy.get("type"), braille.get("type")) == ("application/zip", "application/x-brf")
    assert braille.get("download") == "kerry-3.brf"
    data = build_feed(
        CONFIG, [extra], "https://example.org/listen/artwork.png", existing=None,
        built=datetime(2026, 1, 1, tzinfo=UTC),
    )  # fmt: skip
    item = etree.fromstring(data).find("channel/item")
    assert item is not None
    related = {
        link.get("href"): (link.get("type"), link.get("length"))
        for link in item.iter("{http://www.w3.org/2005/Atom}link")
    }
    base = "https://example.org/listen/episodes/kerry/"
    assert related[base + "kerry-2.daisy.zip"] == ("application/zip", "2100000")
    assert related[base + "kerry-3.brf"] == ("application/x-brf", "3460")
    description = item.findtext("description") or ""
    assert f'<a href="{base}kerry-3.brf">Download braille</a>' in description
    assert "daisy.zip" not in (build_feed(
        CONFIG, [episode()], "https://example.org/listen/artwork.png", existing=None,
        built=datetime(2026, 1, 1, tzinfo=UTC),
    )).decode()  # fmt: skip


def test_a_quote_in_another_language_keeps_it_in_the_transcript() -> None:
    lines = (
        Line(2, 0, "paragraph", 0, 900, "She summed it up:"),
        Line(2, 0, "paragraph", 900, 2000, "es la fiesta más bonita del año,", 1, "es"),
        Line(2, 0, "paragraph", 2000, 3000, "شكرا على هذا اليوم الجميل", 2, "ar"),
    )
    quoted = episode(headline="Festival", lines=lines)
    assert Episode.from_dict(quoted.to_dict()) == quoted
    assert "language" not in quoted.to_dict()["lines"][0]  # the article's own: not written
    page = html.fromstring(episode_page(CONFIG, quoted))
    spans = {s.text: (s.get("lang"), s.get("dir")) for s in page.find_class("s")}
    assert spans["She summed it up:"] == (None, None)
    assert spans["es la fiesta más bonita del año,"] == ("es", "ltr")
    assert spans["شكرا على هذا اليوم الجميل"] == ("ar", "rtl")


def test_only_the_changed_episodes_pages_are_rendered_again(tmp_path: Path) -> None:
    from newsvoice.podcast.publish import render_site

    ids = [f"158fc9ac-17da-586e-9946-7d52c21098f{n}" for n in range(3)]
    episodes = [
        episode(id=ident, slug=f"story-{n}", headline=f"Story {n}") for n, ident in enumerate(ids)
    ]
    for item in episodes:
        (tmp_path / "episodes" / item.slug).mkdir(parents=True)
    render_site(tmp_path, CONFIG, episodes, changed=())  # no stamp yet: every page
    pages = [tmp_path / "episodes" / e.slug / "index.html" for e in episodes]
    assert all(page.is_file() for page in pages)
    for page in pages:
        page.write_bytes(b"left alone")
    (tmp_path / "episodes" / "story-2" / "embed.html").unlink()  # as a killed run may leave
    render_site(tmp_path, CONFIG, episodes, changed={ids[0]})
    assert pages[0].read_bytes() != b"left alone"  # changed
    assert pages[1].read_bytes() == b"left alone"  # unchanged, complete: not rendered
    assert pages[2].read_bytes() != b"left alone"  # unchanged, but missing a file
    retitled = PodcastConfig(base_url=CONFIG.base_url, owner_email=CONFIG.owner_email, title="New")
    render_site(tmp_path, retitled, episodes, changed=())  # new settings: every page
    assert pages[1].read_bytes() != b"left alone"
