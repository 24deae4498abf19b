"""sources.py: SRC… → articles. Expansion (directories, URL lists, feeds), the one loading
loop, and its failure policies."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from newsvoice.errors import ExitStatus, InputError, NoContentFound
from newsvoice.sources import Loading, Policy, Stopped, expand, load_many

if TYPE_CHECKING:
    from pathlib import Path

ARTICLE = "Ferry plan approved\n\nThe council voted seven to two for the new ferry service.\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE.replace("Ferry", "Bridge"), "utf-8")
    (tmp_path / "empty.html").write_text("<html><body></body></html>", "utf-8")
    (tmp_path / "notes.md").write_text("not an article source", "utf-8")
    return tmp_path


def test_a_directory_expands_to_its_article_files_in_name_order(folder: Path) -> None:
    found = [f.source for f in expand([str(folder)])]
    assert found == [str(folder / n) for n in ("a.txt", "b.txt", "empty.html")]


def test_a_url_list_expands_to_its_urls(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("# today\nhttps://example.org/a\n\nhttps://example.org/b\n", "utf-8")
    assert [f.source for f in expand([str(listing)])] == [
        "https://example.org/a",
        "https://example.org/b",
    ]


def test_a_feed_expands_to_its_item_links(tmp_path: Path) -> None:
    feed = tmp_path / "news.xml"
    feed.write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>N</title>"
        "<item><link>https://example.org/one</link></item>"
        "<item><link>javascript:alert(1)</link></item>"
        "<item><link>https://example.org/two</link></item></channel></rss>",
        "utf-8",
    )
    assert [f.source for f in expand([str(feed)])] == [
        "https://example.org/one",
        "https://example.org/two",
    ]


def test_an_empty_feed_is_a_failure_of_its_own(tmp_path: Path) -> None:
    feed = tmp_path / "empty.xml"
    feed.write_text("<?xml version='1.0'?><rss><channel></channel></rss>", "utf-8")
    (found,) = expand([str(feed)])
    assert isinstance(found.error, InputError)
    assert "without article links" in str(found.error)


def test_load_many_reports_each_failure_and_goes_on(folder: Path) -> None:
    outcomes = list(load_many([str(folder)]))
    assert [o.article.headline for o in outcomes if o.article] == [
        "Ferry plan approved",
        "Bridge plan approved",
    ]
    (failed,) = [o for o in outcomes if o.error]
    assert failed.source.endswith("empty.html")
    assert isinstance(failed.error, NoContentFound)


@pytest.mark.parametrize(
    ("policy", "status"),
    [(Policy.PARTIAL, ExitStatus.PARTIAL), (Policy.SKIP, ExitStatus.OK)],
)
def test_partial_and_skip_keep_what_loaded(folder: Path, policy: Policy, status: int) -> None:
    reported: list[str] = []
    loading = Loading([str(folder)], policy=policy, report=lambda s, e: reported.append(s))
    assert len(loading.articles()) == 2
    assert reported == [str(folder / "empty.html")]
    assert loading.status() == status


def test_stop_makes_nothing_and_names_every_failure(folder: Path) -> None:
    (folder / "also-empty.html").write_text("<html></html>", "utf-8")
    reported: list[str] = []
    loading = Loading([str(folder)], policy=Policy.STOP, report=lambda s, e: reported.append(s))
    with pytest.raises(Stopped) as caught:
        loading.articles()
    assert caught.value.exit_code == ExitStatus.INPUT
    assert "2 sources failed" in str(caught.value)
    assert len(reported) == 2
    assert loading.status() == ExitStatus.INPUT


def test_a_single_failing_source_raises_its_own_error(folder: Path) -> None:
    for policy in Policy:
        with pytest.raises(NoContentFound):
            list(Loading([str(folder / "empty.html")], policy=policy))


def test_when_everything_fails_the_status_is_the_first_error(folder: Path) -> None:
    sources = [str(folder / "empty.html"), str(folder / "missing.html")]
    for policy in Policy:
        loading = Loading(sources, policy=policy)
        assert list(loading) == []
        assert loading.status() == ExitStatus.INPUT
