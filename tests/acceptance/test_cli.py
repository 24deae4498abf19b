"""``newsvoice extract`` end to end: the real console entry point in a subprocess.

Expected values come from samples/README.md. URL tests use a threaded HTTP server on
127.0.0.1 and nothing else; ``10.255.255.1`` is refused before any connection is made.
"""

from __future__ import annotations

import json
import re
import socket
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from newsvoice import __version__
from tests.helpers import CONTRACT_KEYS, Route, run_newsvoice, serve

if TYPE_CHECKING:
    import subprocess
    from collections.abc import Iterator

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
CSM = SAMPLES / "csmonitor-kerry-china.html"
LOCAL = SAMPLES / "localnews-council-budget.html"
SCIENCE = SAMPLES / "science-explainer.html"
SEED = SAMPLES / "seed-kerry-china.txt"

CSM_HEADLINE = "Are the US and China ready to cooperate more on N. Korea?"
LOCAL_HEADLINE = "Harbourton council agrees £4.2m budget package with 4.99% council tax rise"
SCIENCE_HEADLINE = "The hottest city blocks are heating up fastest, a 38-city study finds"
HEADLINES = {
    CSM: CSM_HEADLINE,
    LOCAL: LOCAL_HEADLINE,
    SCIENCE: SCIENCE_HEADLINE,
    SEED: CSM_HEADLINE,
}
CSM_CANONICAL = (
    "https://www.csmonitor.com/World/Asia-Pacific/2016/0127/"
    "Are-the-US-and-China-ready-to-cooperate-more-on-N.-Korea"
)
# A body paragraph of the Monitor article short enough for a text rule (< 300 characters).
CSM_SHORT_PARAGRAPH = "In addition to being Pyongyang’s closet ally, Beijing is its chief trading"


loopback = pytest.mark.network_loopback


nv = run_newsvoice


def ok(result: subprocess.CompletedProcess[str]) -> str:
    """stdout of a run that must have succeeded quietly."""
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def ndjson(stdout: str) -> list[dict[str, Any]]:
    assert stdout.endswith("\n")
    return [json.loads(line) for line in stdout.splitlines()]


def one_error(result: subprocess.CompletedProcess[str], code: int) -> str:
    """The single ``error: ...`` line of a run that must have failed with ``code``."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == code, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.fixture(scope="module")
def samples_json() -> dict[str, dict[str, Any]]:
    """``extract --json samples/`` once, keyed by source file name."""
    result = nv("extract", "--json", SAMPLES, cwd=SAMPLES.parent)
    articles = ndjson(ok(result))
    names = [Path(a["provenance"]["source"]).name for a in articles]
    return dict(zip(names, articles, strict=True))


# --- JSON and NDJSON ---------------------------------------------------------------------------


def test_directory_gives_ndjson_one_line_per_sample_in_name_order(
    samples_json: dict[str, dict[str, Any]],
) -> None:
    expected = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".html", ".htm", ".txt"))
    assert list(samples_json) == expected
    for name, article in samples_json.items():
        assert article["headline"] == HEADLINES[SAMPLES / name]
        assert article["provenance"]["source"] == str(SAMPLES / name)


def test_json_has_the_contract_keys(samples_json: dict[str, dict[str, Any]]) -> None:
    for article in samples_json.values():
        assert set(article) >= CONTRACT_KEYS
        assert isinstance(article["blocks"], list)
        assert article["blocks"]
        assert isinstance(article["authors"], list)
        assert article["word_count"] == len(re.findall(r"\w+", article["text"]))
        assert article["provenance"]["sha256"]


def test_json_values_of_the_monitor_page(samples_json: dict[str, dict[str, Any]]) -> None:
    article = samples_json[CSM.name]
    assert article["headline"] == CSM_HEADLINE
    assert article["standfirst"].startswith("The two countries agreed that a UN resolution")
    assert article["byline"] == "By Nathan Corbett, Staff writer"
    assert article["authors"] == ["Nathan Corbett"]
    assert article["published"] == "2016-01-27T12:58:00-05:00"
    assert article["modified"] == "2016-01-27T14:21:00-05:00"
    assert article["language"] == "en-US"
    assert article["site_name"] == "The Christian Science Monitor"
    assert article["url"] == CSM_CANONICAL
    assert article["paywall"] == "open"
    assert article["lead_figure"]["credit"] == "Jacquelyn Martin/Reuters/Pool"
    assert article["lead_figure"]["image"]["url"] == (
        "https://images.csmonitor.com/csm/2016/01/kerry-wang.jpg"
    )
    paragraphs = article["text"].split("\n\n")
    assert len(paragraphs) == 14
    assert paragraphs[0].startswith("US Secretary of State John Kerry and China’s foreign minister")
    assert paragraphs[-1].endswith("including the one on Jan. 6.")
    assert article["word_count"] == 595
    assert article["provenance"]["final_url"] is None
    assert article["provenance"]["encoding"] == "utf-8"


def test_json_values_of_the_other_samples(samples_json: dict[str, dict[str, Any]]) -> None:
    local = samples_json[LOCAL.name]
    assert local["authors"] == ["Priya Natarajan"]
    assert local["language"] == "en-GB"
    assert local["site_name"] == "Harbourton Gazette"
    assert local["published"] == "2024-02-28T19:05:00+00:00"
    assert local["url"] == (
        "https://harbourtongazette.co.uk/2024/02/28/harbourton-council-agrees-4-2m-budget-package/"
    )
    science = samples_json[SCIENCE.name]
    assert science["authors"] == ["Maria Okafor", "Tom Lindqvist"]
    assert science["byline"] == "By Maria Okafor and Tom Lindqvist"
    assert science["url"] == (
        "https://www.meridianpost.com/science/2024/07/16/urban-heat-island-study-38-cities"
    )
    assert science["lead_figure"]["credit"] == "Elena Ruiz for The Meridian Post"
    seed = samples_json[SEED.name]
    assert seed["provenance"]["media_type"] == "text/plain"
    assert seed["word_count"] == 595
    # the seed and the Monitor page hold the same body
    assert seed["text"].split("\n\n") == samples_json[CSM.name]["text"].split("\n\n")


def test_several_sources_keep_input_order() -> None:
    sources = [SCIENCE, SEED, CSM, LOCAL]
    articles = ndjson(ok(nv("extract", "--json", *sources)))
    assert [a["headline"] for a in articles] == [HEADLINES[s] for s in sources]
    assert [a["provenance"]["source"] for a in articles] == [str(s) for s in sources]


def test_one_bad_source_among_good_ones_exits_7(tmp_path: Path) -> None:
    missing = tmp_path / "missing.html"
    result = nv("extract", "--json", LOCAL, missing, SCIENCE, cwd=tmp_path)
    line = one_error(result, 7)
    assert line.startswith(f"error: {missing}: ")
    assert "cannot read" in line
    articles = ndjson(result.stdout)
    assert [a["headline"] for a in articles] == [LOCAL_HEADLINE, SCIENCE_HEADLINE]
    assert list(tmp_path.iterdir()) == []


def test_stdin_is_read_for_dash() -> None:
    with SCIENCE.open("rb") as handle:
        articles = ndjson(ok(nv("extract", "--json", "-", stdin=handle)))
    assert len(articles) == 1
    assert articles[0]["headline"] == SCIENCE_HEADLINE
    assert articles[0]["provenance"]["source"] == "-"
    assert articles[0]["authors"] == ["Maria Okafor", "Tom Lindqvist"]


# --- text and Markdown -------------------------------------------------------------------------


def test_default_output_is_text_starting_with_the_headline() -> None:
    out = ok(nv("extract", CSM))
    lines = out.splitlines()
    assert lines[0] == CSM_HEADLINE
    assert lines[1] == ""
    assert lines[2].startswith("The two countries agreed")
    assert "By Nathan Corbett, Staff writer · 2016-01-27 · The Christian Science Monitor" in lines
    assert "US Secretary of State John Kerry and China’s foreign minister agreed Wednesday" in out
    assert out.rstrip().endswith("including the one on Jan. 6.")
    assert "{" not in lines[0]


def test_markdown_output() -> None:
    out = ok(nv("extract", "--markdown", SCIENCE))
    lines = out.splitlines()
    assert lines[0] == f"# {SCIENCE_HEADLINE}"
    assert "## What the satellites show" in lines
    assert "## Limits of the data" in lines
    assert "*Urban Climate Dynamics*" in out
    assert "By Maria Okafor and Tom Lindqvist · 2024-07-16 · The Meridian Post" in lines
    assert "<script" not in out
    assert "Read more" not in out


# --- options -----------------------------------------------------------------------------------


def test_rules_file_text_pattern_removes_a_paragraph(
    tmp_path: Path, samples_json: dict[str, dict[str, Any]]
) -> None:
    before = samples_json[CSM.name]["text"].split("\n\n")
    assert any(p.startswith(CSM_SHORT_PARAGRAPH) for p in before)
    rules = tmp_path / "extra-rules.toml"
    rules.write_text('[boilerplate]\ntext = ["Pyongyang’s closet ally"]\n', "utf-8")
    [article] = ndjson(ok(nv("extract", "--json", "--rules", rules, CSM)))
    after = article["text"].split("\n\n")
    assert after == [p for p in before if not p.startswith(CSM_SHORT_PARAGRAPH)]
    assert len(after) == len(before) - 1


def test_encoding_option_decodes_undeclared_windows_1252_exactly(tmp_path: Path) -> None:
    headline = "Café owners count the cost of a £4 coffee"
    paragraphs = [
        "“It’s a naïve plan,” said Zoë Brontë – the café’s owner – “but we’ll try it… for now.”",
        "Prices at the Straße Café rose by 12½% to €4.50 — déjà vu for regulars, who remember "
        "the last rise in 2019 and the queue of complaints that followed it.",
        "The council’s licensing committee will review the café’s late-opening permit in the "
        "spring, when residents of Rue Saint-Honoré Terrace may object.",
    ]
    page = (
        f'<!doctype html>\n<html lang="en">\n<head><title>{headline}</title></head>\n<body>\n'
        f"<article>\n<h1>{headline}</h1>\n"
        + "".join(f"<p>{p}</p>\n" for p in paragraphs)
        + "</article>\n</body>\n</html>\n"
    )
    source = tmp_path / "cp1252.html"
    source.write_bytes(page.encode("cp1252"))  # no BOM, no charset anywhere
    [article] = ndjson(ok(nv("extract", "--json", "--encoding", "windows-1252", source)))
    assert article["headline"] == headline
    body = [article["standfirst"], article["text"]] if article["standfirst"] else [article["text"]]
    assert "\n\n".join(body) == "\n\n".join(paragraphs)
    assert article["provenance"]["encoding"] == "windows-1252"
    assert article["provenance"]["encoding_source"] == "given"
    assert article["provenance"]["encoding_was_guessed"] is False


def test_version() -> None:
    out = ok(nv("--version"))
    assert out == f"newsvoice {__version__}\n"


def test_help_exits_0() -> None:
    out = ok(nv("--help"))
    assert "extract" in out
    out = ok(nv("extract", "--help"))
    for option in ("--json", "--markdown", "--rules", "--allow-private", "--encoding"):
        assert option in out


# --- failures that must still be one line ------------------------------------------------------


def test_directory_whose_only_file_fails_reports_it_once(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "empty.html").write_bytes(b"")
    line = one_error(nv("extract", "--json", folder, cwd=tmp_path), 3)
    assert "input is empty" in line


def test_unknown_encoding_with_a_directory_is_one_usage_error() -> None:
    result = nv("extract", "--encoding", "nope", SAMPLES)
    assert result.stdout == ""
    line = one_error(result, 2)
    assert "unknown encoding 'nope'" in line


def test_directory_without_articles_among_good_sources_exits_7(tmp_path: Path) -> None:
    empty = tmp_path / "empty-dir"
    empty.mkdir()
    result = nv("extract", "--json", CSM, empty, SCIENCE, cwd=tmp_path)
    line = one_error(result, 7)
    assert line.startswith(f"error: {empty}: ")
    assert [a["headline"] for a in ndjson(result.stdout)] == [CSM_HEADLINE, SCIENCE_HEADLINE]


# --- URLs, against a loopback server -----------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    routes: dict[str, Route] = {
        "/world/kerry-china": (200, CSM.read_bytes(), "text/html; charset=utf-8", {}),
        "/old-link": (301, b"", "text/html", {"Location": "/world/kerry-china"}),
        "/report.pdf": (200, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf", {}),
    }
    with serve(routes) as base:
        yield base


@loopback
def test_url_with_allow_private(server: str) -> None:
    url = f"{server}/world/kerry-china"
    [article] = ndjson(ok(nv("extract", "--json", "--allow-private", url)))
    assert article["headline"] == CSM_HEADLINE
    assert article["url"] == CSM_CANONICAL
    assert article["provenance"]["source"] == url
    assert article["provenance"]["final_url"] == url


@loopback
def test_loopback_url_needs_allow_private(server: str) -> None:
    url = f"{server}/world/kerry-china"
    result = nv("extract", "--json", url)
    assert result.stdout == ""
    line = one_error(result, 4)
    assert "loopback" in line
    assert "pass --allow-private" in line


@loopback
def test_url_redirect_is_followed(server: str) -> None:
    [article] = ndjson(ok(nv("extract", "--json", "--allow-private", f"{server}/old-link")))
    assert article["headline"] == CSM_HEADLINE
    assert article["provenance"]["source"] == f"{server}/old-link"
    assert article["provenance"]["final_url"] == f"{server}/world/kerry-china"
    assert article["url"] == CSM_CANONICAL


@loopback
def test_url_404_exits_4(server: str) -> None:
    result = nv("extract", "--allow-private", f"{server}/no-such-story")
    assert result.stdout == ""
    assert "HTTP 404" in one_error(result, 4)


@loopback
def test_url_serving_pdf_exits_3(server: str) -> None:
    result = nv("extract", "--allow-private", f"{server}/report.pdf")
    assert result.stdout == ""
    assert "application/pdf" in one_error(result, 3)


@loopback
def test_connection_refused_exits_4() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = nv("extract", "--allow-private", f"http://127.0.0.1:{port}/story")
    assert result.stdout == ""
    assert "cannot connect" in one_error(result, 4)


@loopback
def test_private_address_is_blocked_before_connecting() -> None:
    start = time.monotonic()
    result = nv("extract", "http://10.255.255.1/")
    elapsed = time.monotonic() - start
    assert result.stdout == ""
    line = one_error(result, 4)
    assert "10.255.255.1 is private" in line
    assert "pass --allow-private" in line
    assert elapsed < 5  # an attempted connection would hang for the 10 s connect timeout


COMPLETENESS = Path(__file__).parents[1] / "data" / "completeness"


@pytest.mark.parametrize("name", ["declared-longer.html", "next-page.html", "paywall-teaser.html"])
def test_an_incomplete_article_gets_one_warning_line(name: str) -> None:
    done = run_newsvoice("extract", "--json", COMPLETENESS / name)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert re.fullmatch(rf"warning: .*{re.escape(name)} may be incomplete: .+", warnings[0])
    assert json.loads(done.stdout)["completeness"]


def test_a_complete_article_gets_no_warning() -> None:
    done = run_newsvoice("extract", "--json", SAMPLES / "localnews-council-budget.html")
    assert done.returncode == 0
    assert "warning:" not in done.stderr
    assert "completeness" not in json.loads(done.stdout)


def test_batch_into_a_site_url_is_refused_without_making_a_folder(tmp_path: Path) -> None:
    # a Path would read "s3://bucket/x/" as the folder "s3:/bucket/x"
    source = Path(__file__).resolve().parents[2] / "samples" / "seed-kerry-china.txt"
    done = run_newsvoice("batch", source, "--site", "s3://bucket/x/", "--base-url",
                         "https://example.org/", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "batch publishes into a folder" in done.stderr
    assert list(tmp_path.iterdir()) == []
