"""The seed as a DAISY 2.02 book and in braille, through the real CLI: the book passes the
structural check, its navigation points start where the MP3's chapters start, the zip and
the folder are the same book; the braille is UEB grade 2 on 40 × 25 pages and back-translates
to the text. eSpeak NG speaks (fast and offline); the default voice is the demo's."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from newsvoice.render.daisycheck import check, parse_hms
from tests.helpers import need, run_newsvoice

REPO = Path(__file__).resolve().parents[3]
SEED = REPO / "samples" / "csmonitor-kerry-china.html"
PEF = "{http://www.daisy.org/ns/2008/pef}"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    need("espeak-ng", shutil.which("espeak-ng"))
    work = tmp_path_factory.mktemp("daisy")
    cache = work / "cache"
    audio = run_newsvoice("audio", SEED, "-o", work / "seed.mp3", "--voice", "espeak",
                          "--cache", cache, "--json")  # fmt: skip
    assert audio.returncode == 0, audio.stderr
    book = run_newsvoice("daisy", SEED, "-o", work / "book", "--voice", "espeak",
                         "--cache", cache, "--json")  # fmt: skip
    assert book.returncode == 0, book.stderr
    zipped = run_newsvoice("daisy", SEED, "-o", work / "seed-daisy.zip", "--voice", "espeak",
                           "--cache", cache)  # fmt: skip
    assert zipped.returncode == 0, zipped.stderr
    return {"work": work, "audio": json.loads(audio.stdout), "book": json.loads(book.stdout)}


def test_the_book_passes_the_check_as_folder_and_zip(made: dict[str, object]) -> None:
    work = Path(str(made["work"]))
    book = made["book"]
    assert isinstance(book, dict)
    lengths = {"a001.mp3": book["duration_ms"]}
    assert check(work / "book", lengths) == []
    assert check(work / "seed-daisy.zip", lengths) == []
    with zipfile.ZipFile(work / "seed-daisy.zip") as archive:
        for name in ("ncc.html", "content.html", "a001.smil", "a001.mp3"):
            assert archive.read(f"seed-daisy/{name}") == (work / "book" / name).read_bytes()
    assert book["engine_calls"] == 0  # `audio` narrated it already: one narration, cached


def test_navigation_points_are_the_mp3_chapters(made: dict[str, object]) -> None:
    audio, book = made["audio"], made["book"]
    assert isinstance(audio, dict)
    assert isinstance(book, dict)
    chapters = [(c["title"], c["start_ms"]) for c in audio["chapters"]]
    assert [title for title, _ in chapters] == ["Headline", "Standfirst", "Body"]
    points = book["navigation"]
    assert points[0]["label"].startswith("Are the US and China")
    assert [p["label"] for p in points[1:3]] == ["Standfirst", "Body"]
    for (_, start), point in zip(chapters, points, strict=False):
        assert abs(point["elapsed_ms"] - start) <= 50, (chapters, points)
    ncc = etree.parse(str(Path(str(made["work"])) / "book" / "ncc.html")).getroot()
    metas = {m.get("name"): m.get("content") for m in ncc.iter("{*}meta") if m.get("name")}
    assert metas["dc:format"] == "Daisy 2.02"
    assert "synthetic voice" in str(metas["ncc:narrator"])
    assert abs(parse_hms(str(metas["ncc:totalTime"])) - audio["duration_ms"] / 1000) <= 0.5


def test_the_seed_in_braille(tmp_path: Path) -> None:
    need("lou_translate (liblouis-bin)", shutil.which("lou_translate"))
    done = run_newsvoice("braille", SEED, "-o", tmp_path / "seed.brf", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["table"], report["cells"], report["lines"]) == ("en-ueb-g2.ctb", 40, 25)
    assert report["back_translation_agreement"] >= 0.95
    pages = (tmp_path / "seed.brf").read_bytes().decode("ascii").split("\f")[:-1]
    assert len(pages) == report["pages"]
    for page in pages:
        lines = page.split("\r\n")[:-1]  # each line ends with CR LF, then the form feed
        assert len(lines) == 25
        assert all(len(line) <= 40 for line in lines)
    pef = run_newsvoice("braille", SEED, "-o", tmp_path / "seed.pef", "--pef")
    assert pef.returncode == 0, pef.stderr
    root = etree.parse(str(tmp_path / "seed.pef")).getroot()
    (volume,) = root.iter(f"{PEF}volume")
    assert (volume.get("cols"), volume.get("rows")) == ("40", "25")


def test_bad_input_is_one_line(tmp_path: Path) -> None:
    done = run_newsvoice("braille", SEED, "-o", tmp_path / "x.brf", "--table", "nope.ctb")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "nope.ctb" in done.stderr
    assert not (tmp_path / "x.brf").exists()
    done = run_newsvoice("daisy", tmp_path / "missing.html", "-o", tmp_path / "book")
    assert done.returncode == 3
    assert done.stderr.count("\n") == 1
    assert not (tmp_path / "book").exists()
