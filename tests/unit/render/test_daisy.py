"""render/daisy.py and render/daisycheck.py: the DAISY 2.02 book's files, its navigation and
times, written whole or not at all; and the validator, which must catch each kind of broken
book. The fake engine speaks and the real ffmpeg encodes (the real voice and daisy-player are
in tests/acceptance/daisy/)."""

from __future__ import annotations

import itertools
import zipfile
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest
from lxml import etree

from newsvoice.errors import RenderError
from newsvoice.model import Article, Heading, Paragraph, Text
from newsvoice.render.audio import AudioOptions, render_audio
from newsvoice.render.daisy import DaisyOptions, book_identifier, render_daisy
from newsvoice.render.daisycheck import check, hms, npt, parse_hms, parse_npt
from newsvoice.render.epub import render_epub
from tests.unit.render.test_audio import fake_preset, small_article

if TYPE_CHECKING:
    from pathlib import Path


XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def audio(tmp_path: Path) -> AudioOptions:
    return AudioOptions(voice=fake_preset(tmp_path), cache_dir=tmp_path / "cache", jobs=1)


def with_headings() -> Article:
    article = small_article()
    blocks = (
        Heading(3, (Text("First part"),)),  # below the sample's own level 2 heading
        Paragraph((Text("One sentence here. And another one."),)),
        Heading(5, (Text("Deep part"),)),  # skips a level in the source: it does not here
        Paragraph((Text("The last words."),)),
    )
    return replace(article, blocks=article.blocks + blocks)


def test_one_article_makes_ncc_text_smil_and_mp3(tmp_path: Path, audio: AudioOptions) -> None:
    book = tmp_path / "book"
    result = render_daisy([with_headings()], book, DaisyOptions(audio))
    assert sorted(p.name for p in book.iterdir()) == [
        "a001.mp3", "a001.smil", "content.html", "ncc.html",
    ]  # fmt: skip
    assert check(book) == []
    ncc = etree.parse(str(book / "ncc.html")).getroot()
    body = ncc.find(f"{XHTML}body")
    assert body is not None
    headings = [(e.tag.removeprefix(XHTML), "".join(e.itertext()).strip()) for e in body]
    assert headings[0] == ("h1", small_article().headline)
    assert headings[1:] == [("h2", "Standfirst"), ("h2", "Body"), ("h3", "What happens next"),
                            ("h4", "First part"), ("h5", "Deep part")]  # fmt: skip
    # the navigation points start where the MP3's chapters start
    mp3 = render_audio([with_headings()], tmp_path / "same.mp3", audio)
    starts = [p.begin_ms for p in result.navigation if p.label in ("Standfirst", "Body")]
    assert starts == [c.start_ms for c in mp3.timing.chapters[1:]]
    assert result.navigation[0].begin_ms == mp3.timing.chapters[0].start_ms == 0
    assert result.duration_ms == mp3.duration_ms
    assert result.identifier == book_identifier([with_headings()])
    assert mp3.stats.engine_calls == 0  # one narration: the book filled the sentence cache


def test_clips_begin_with_their_sentences_and_fill_the_audio(
    tmp_path: Path, audio: AudioOptions
) -> None:
    """Each clip begins where the timing table says its sentence begins (the read-along EPUB's
    clipBegin), the first at 0, and runs to the next: the clips add up to the MP3's length."""
    article = with_headings()
    render_daisy([article], tmp_path / "book", DaisyOptions(audio))
    mp3 = render_audio([article], tmp_path / "same.mp3", audio)
    smil = etree.parse(str(tmp_path / "book" / "a001.smil")).getroot()
    clips = [
        (parse_npt(str(a.get("clip-begin"))), parse_npt(str(a.get("clip-end"))))
        for a in smil.iter("audio")
    ]
    begins = [0.0] + [s.start_ms / 1000 for s in mp3.timing.segments[1:]]
    assert [b for b, _ in clips] == pytest.approx(begins, abs=0.0005)
    assert all(end == following for (_, end), (following, _) in itertools.pairwise(clips))
    assert clips[-1][1] == pytest.approx(mp3.duration_ms / 1000, abs=0.0005)
    seq = smil.find("body/seq")
    assert seq is not None
    assert seq.get("dur") == f"{mp3.duration_ms / 1000:.3f}s"


def test_an_edition_has_a_spoken_title_and_one_smil_per_article(
    tmp_path: Path, audio: AudioOptions
) -> None:
    articles = [small_article(), with_headings()]
    book = tmp_path / "edition.zip"
    result = render_daisy(articles, book, DaisyOptions(audio, title="Morning edition"))
    with zipfile.ZipFile(book) as archive:
        names = sorted(archive.namelist())
    files = ("a001.mp3", "a001.smil", "a002.mp3", "a002.smil", "content.html", "ncc.html",
             "title.mp3", "title.smil")  # fmt: skip
    assert names == [f"edition/{n}" for n in files]
    assert check(book) == []
    levels = [(p.level, p.label) for p in result.navigation]
    assert levels[0] == (1, "Morning edition")
    assert [label for level, label in levels if level == 1][1:] == [a.headline for a in articles]
    title, first, second = (
        render_audio([a], tmp_path / f"{n}.mp3", audio)
        for n, a in enumerate([Article("t", "Morning edition", language="en"), *articles])
    )
    assert result.duration_ms == title.duration_ms + first.duration_ms + second.duration_ms
    starts = [p.elapsed_ms for p in result.navigation if p.level == 1]
    assert starts == [0, title.duration_ms, title.duration_ms + first.duration_ms]


def test_the_folder_is_replaced_only_when_the_new_book_is_whole(
    tmp_path: Path, audio: AudioOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = tmp_path / "book"
    render_daisy([small_article()], book, DaisyOptions(audio))
    before = {p.name: p.read_bytes() for p in book.iterdir()}

    def broken(*args: object, **kwargs: object) -> list[str]:
        return ["something is wrong"]

    monkeypatch.setattr("newsvoice.render.daisy.check", broken)
    with pytest.raises(RenderError, match="does not check: something is wrong"):
        render_daisy([with_headings()], book, DaisyOptions(audio))
    assert {p.name: p.read_bytes() for p in book.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book", "cache", "fake-voice.toml"]


def test_a_folder_that_is_not_a_book_is_not_replaced(tmp_path: Path, audio: AudioOptions) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("keep me")
    with pytest.raises(RenderError, match="is not a DAISY book"):
        render_daisy([small_article()], tmp_path / "notes", DaisyOptions(audio))
    assert (tmp_path / "notes" / "mine.txt").read_text() == "keep me"


def test_the_epub_and_the_daisy_book_share_the_identifier(
    tmp_path: Path, audio: AudioOptions
) -> None:
    for articles in ([small_article()], [small_article(), with_headings()]):
        epub = render_epub(articles, tmp_path / "book.epub")
        daisy = render_daisy(articles, tmp_path / "book.zip", DaisyOptions(audio))
        assert epub.identifier == daisy.identifier == book_identifier(articles)


# --- the validator: each mutation of a good book is caught ---------------------------------

MUTATIONS = {
    "no format": ("ncc.html", b'<meta name="dc:format" content="Daisy 2.02"/>', b"", "dc:format"),
    "title not first": ("ncc.html", b'class="title"', b'class="chapter"', 'h1 class="title"'),
    "total time": (
        "ncc.html",
        b'name="ncc:totalTime" content="',
        b'name="ncc:totalTime" content="1',
        "ncc:totalTime",
    ),
    "file count": (
        "ncc.html",
        b'name="ncc:files" content="4"',
        b'name="ncc:files" content="5"',
        "ncc:files",
    ),
    "broken link": ("ncc.html", b'a001.smil#a1-t1"', b'a001.smil#nowhere"', "does not resolve"),
    "broken text": ("a001.smil", b"content.html#a1-s2", b"content.html#a1-s99", "does not resolve"),
    "clip past end": ("a001.smil", b'clip-end="npt=', b'clip-end="npt=9', "past the end"),
    "seq dur": ("a001.smil", b'<seq dur="', b'<seq dur="1', "seq dur"),
    "elapsed": (
        "a001.smil",
        b'ncc:totalElapsedTime" content="00:00:00"',
        b'ncc:totalElapsedTime" content="00:09:00"',
        "totalElapsedTime",
    ),
    "not xml": ("content.html", b"</body>", b"</bdy>", "not well-formed"),
}


@pytest.mark.parametrize("case", sorted(MUTATIONS))
def test_the_validator_catches(case: str, tmp_path: Path, audio: AudioOptions) -> None:
    book = tmp_path / "book"
    result = render_daisy([with_headings()], book, DaisyOptions(audio))
    lengths = {"a001.mp3": result.duration_ms}
    assert check(book, lengths) == []
    name, old, new, expected = MUTATIONS[case]
    data = (book / name).read_bytes()
    assert old in data, case
    (book / name).write_bytes(data.replace(old, new, 1))
    found = check(book, lengths)
    assert any(expected in problem for problem in found), found


def test_clock_values() -> None:
    assert hms(3_723_400) == "01:02:03"
    assert hms(59_600) == "00:01:00"
    assert npt(1234) == "npt=1.234s"
    assert parse_npt("npt=1.234s") == 1.234
    assert parse_hms("01:02:03") == 3723
    with pytest.raises(ValueError, match="not an npt"):
        parse_npt("1.234")
