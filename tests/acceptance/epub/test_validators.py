"""The official checkers and a real reading system judge the books.

EPUBCheck 5.3.0 (0 fatals, errors, warnings and usage notes), DAISY Ace 1.4.6 (0
violations) and epub.js in headless Chromium (it renders the headline and first paragraph;
the screenshot is kept in tests/artifacts/).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from tests.acceptance.epub.books import ARTIFACTS, Book, run

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow
BOOKS = ["seed_book", "edition_book", "samples_book", "quote_book"]


@pytest.mark.parametrize("book_name", BOOKS)
def test_epubcheck_finds_nothing(
    book_name: str, epubcheck_jar: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    book: Book = request.getfixturevalue(book_name)
    report = tmp_path / "epubcheck.json"
    done = run(
        [
            "java",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-jar",
            epubcheck_jar,
            str(book.path),
            "-u",
            "--json",
            str(report),
        ]
    )
    data = json.loads(report.read_text("utf-8"))
    messages = [(m["severity"], m["ID"], m["message"]) for m in data["messages"]]
    checker = data["checker"]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"], checker["nUsage"]) == (
        0,
        0,
        0,
        0,
    ), messages
    assert done.returncode == 0, done.stdout + done.stderr
    assert data["publication"]["ePubVersion"].startswith("3")


@pytest.mark.parametrize("book_name", BOOKS)
def test_ace_finds_no_violations(
    book_name: str, ace_cli: str, chromium: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    book: Book = request.getfixturevalue(book_name)
    out = tmp_path / "ace"
    env_run = run(
        [
            "env",
            f"PUPPETEER_EXECUTABLE_PATH={chromium}",
            ace_cli,
            "-E",
            "-s",
            "-f",
            "-o",
            str(out),
            str(book.path),
        ]
    )
    assert (out / "report.json").exists(), env_run.stdout + env_run.stderr
    report = json.loads((out / "report.json").read_text("utf-8"))
    violations = [
        (
            doc["earl:testSubject"]["url"],
            item["earl:test"]["dct:title"],
            item["earl:result"].get("dct:description"),
        )
        for doc in report["assertions"]
        for item in doc.get("assertions", [])
    ]
    assert violations == []
    assert report["earl:result"]["earl:outcome"] == "pass"
    assert env_run.returncode == 0, env_run.stdout + env_run.stderr
    present = set(report["a11y-metadata"]["present"])
    assert {
        "schema:accessMode",
        "schema:accessibilityFeature",
        "schema:accessibilityHazard",
        "schema:accessibilitySummary",
        "schema:accessModeSufficient",
    } <= present


def test_epubjs_renders_headline_and_first_paragraph(seed_book: Book, epubjs_script: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "seed-epubjs.png"
    done = run(["node", epubjs_script, str(seed_book.path), str(shot), "1"], timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["ok"], report
    assert report["href"] == "article-001.xhtml"
    assert report["headings"][0] == "Are the US and China ready to cooperate more on N. Korea?"
    assert report["subtitle"] == [
        "The two countries agreed that a UN resolution condemning North Korea's most recent "
        "nuclear test was necessary. But deep-rooted suspicions could stunt specific action."
    ]
    assert any(
        p.startswith("US Secretary of State John Kerry and China’s foreign minister agreed")
        for p in report["paragraphs"]
    )
    assert report["toc"] == ["Are the US and China ready to cooperate more on N. Korea?"]
    assert shot.stat().st_size > 10_000


def test_epubjs_shows_the_embedded_chart(samples_book: Book, epubjs_script: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    spine = [n for n in samples_book.members() if n.startswith("EPUB/article-")]
    index = 1 + sorted(spine).index("EPUB/article-003.xhtml")  # the cover page comes first
    shot = ARTIFACTS / "samples-epubjs-science.png"
    done = run(["node", epubjs_script, str(samples_book.path), str(shot), str(index)])
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["headings"][0].startswith("The hottest city blocks")
    charts = [i for i in report["images"] if i["alt"].startswith("Bar chart")]
    assert charts == [{"alt": charts[0]["alt"], "loaded": True}]
