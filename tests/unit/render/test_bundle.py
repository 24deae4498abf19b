"""render/bundle.py: one article → EPUB, MP3, transcript, chapters (and read-along EPUB,
DAISY book, braille), narrated once; and the read-along edition of several articles. The fake
engine speaks, the real ffmpeg encodes and the EPUBs pass newsvoice's own self-check (the
validators run on the real voice in tests/acceptance/)."""

from __future__ import annotations

import json
import shutil
import zipfile
from typing import TYPE_CHECKING

import pytest

from newsvoice.render.audio import AudioOptions
from newsvoice.render.bundle import BundleOptions, render_bundle, render_readalong
from newsvoice.render.daisycheck import check
from newsvoice.render.epub import EpubOptions
from newsvoice.render.kinds import Edition, Format, also_available
from tests.unit.render.test_audio import fake_preset, small_article

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def audio(tmp_path: Path) -> AudioOptions:
    return AudioOptions(
        voice=fake_preset(tmp_path),
        transcript=True,
        chapters_json=True,
        cache_dir=tmp_path / "cache",
        jobs=1,
    )


def test_every_file_is_written_under_the_name(tmp_path: Path, audio: AudioOptions) -> None:
    out = tmp_path / "out"
    out.mkdir()
    bundle = render_bundle(small_article(), out, "budget", BundleOptions(audio, readalong=True))
    assert sorted(p.name for p in out.iterdir()) == [
        "budget.chapters.json",
        "budget.epub",
        "budget.mp3",
        "budget.readalong.epub",
        "budget.vtt",
    ]
    assert [p.name for p in bundle.paths] == [
        "budget.mp3",
        "budget.vtt",
        "budget.chapters.json",
        "budget.epub",
        "budget.readalong.epub",
    ]
    chapters = json.loads((out / "budget.chapters.json").read_text("utf-8"))
    assert [c["title"] for c in chapters["chapters"]] == ["Headline", "Standfirst", "Body"]
    assert bundle.audio.stats.engine_calls == len(bundle.audio.timing.segments)


def test_the_read_along_book_holds_the_same_mp3(tmp_path: Path, audio: AudioOptions) -> None:
    options = BundleOptions(audio, readalong=True)
    bundle = render_bundle(small_article(), tmp_path, "budget", options)
    assert bundle.readalong is not None
    with zipfile.ZipFile(tmp_path / "budget.readalong.epub") as book:
        inside = book.read("EPUB/audio/article-001.mp3")
        assert any(name.endswith(".smil") for name in book.namelist())
    assert inside == (tmp_path / "budget.mp3").read_bytes()
    assert bundle.readalong.overlays["duration_ms"] > 0


def test_a_read_along_bundle_narrates_in_mp3(tmp_path: Path, audio: AudioOptions) -> None:
    options = BundleOptions(
        AudioOptions(**{**_fields(audio), "format": Format.M4B}), readalong=True
    )
    bundle = render_bundle(small_article(), tmp_path, "budget", options)
    assert bundle.audio.format == Format.MP3
    assert (tmp_path / "budget.mp3").is_file()


def test_without_a_book_only_the_audio_is_made(tmp_path: Path, audio: AudioOptions) -> None:
    plain = AudioOptions(voice=audio.voice, cache_dir=audio.cache_dir, jobs=1)
    bundle = render_bundle(small_article(), tmp_path, "budget", BundleOptions(plain, book=False))
    assert bundle.book is None
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "budget.mp3",
        "fake-voice.toml",
    ]


def test_a_read_along_edition_has_one_narration_per_article(
    tmp_path: Path, audio: AudioOptions
) -> None:
    second = small_article("The mayor spoke first. Then the vote was taken.")
    result = render_readalong(
        [small_article(), second], tmp_path / "edition.epub", EpubOptions(), audio
    )
    with zipfile.ZipFile(tmp_path / "edition.epub") as book:
        audio_files = sorted(n for n in book.namelist() if n.endswith(".mp3"))
    assert audio_files == ["EPUB/audio/article-001.mp3", "EPUB/audio/article-002.mp3"]
    assert len(result.book.overlays["documents"]) == 2
    assert result.stats.engine_calls > 0
    again = render_readalong([small_article(), second], tmp_path / "again.epub", None, audio)
    assert again.stats.engine_calls == 0  # every sentence from the cache
    assert again.stats.cache_hits == result.stats.engine_calls + result.stats.cache_hits


def test_daisy_and_braille_come_from_the_same_narration(
    tmp_path: Path, audio: AudioOptions
) -> None:
    if not shutil.which("lou_translate"):
        pytest.skip("lou_translate (liblouis-bin) is not installed")
    options = BundleOptions(audio, daisy=True, braille=True)
    bundle = render_bundle(small_article(), tmp_path, "budget", options)
    assert bundle.daisy is not None
    assert bundle.braille is not None
    assert [p.name for p in bundle.paths][-2:] == ["budget.daisy.zip", "budget.brf"]
    assert bundle.daisy.stats.engine_calls == 0  # the MP3's narration, from the cache
    assert bundle.daisy.duration_ms == bundle.audio.duration_ms
    with zipfile.ZipFile(tmp_path / "budget.daisy.zip") as book:
        assert book.namelist()[0] == "budget/ncc.html"  # NAME.daisy.zip holds NAME/
        ncc = book.read("budget/ncc.html").decode("utf-8")
    assert check(tmp_path / "budget.daisy.zip", {"a001.mp3": bundle.daisy.duration_ms}) == []
    assert also_available((Edition.EPUB, Edition.AUDIO, Edition.BRAILLE)) in ncc
    with zipfile.ZipFile(tmp_path / "budget.epub") as epub:
        opf = epub.read("EPUB/content.opf").decode("utf-8")
    assert also_available((Edition.AUDIO, Edition.DAISY, Edition.BRAILLE)) in opf
    assert (tmp_path / "budget.brf").read_bytes().isascii()


def test_each_summary_names_the_other_editions_only() -> None:
    options = BundleOptions(readalong=True, daisy=True)
    assert options.editions == (Edition.EPUB, Edition.AUDIO, Edition.READALONG, Edition.DAISY)
    assert options.others(Edition.DAISY) == (Edition.EPUB, Edition.AUDIO, Edition.READALONG)
    assert Edition.BRAILLE not in options.others(Edition.EPUB)
    assert also_available(()) == ""
    one = also_available((Edition.DAISY,))
    assert one == (
        "The same text is also published as a DAISY 2.02 talking book (full text and full audio)."
    )
    three = also_available((Edition.EPUB, Edition.AUDIO, Edition.EPUB, Edition.BRAILLE))
    assert three.count("an EPUB 3 e-book") == 1  # each named once
    assert ", a narrated MP3" in three
    assert " and a braille file" in three


def _fields(options: AudioOptions) -> dict[str, object]:
    return {name: getattr(options, name) for name in AudioOptions.__dataclass_fields__}
