"""urls.py: canonical URLs for identity, and link targets fit to keep."""

from __future__ import annotations

import pytest

from newsvoice.extract.urls import MAX_URL, clean_url, safe_href

BASE = "https://news.example.com/world/2024/story.html"


# --- clean_url -----------------------------------------------------------------------------


def test_plain_url_is_unchanged() -> None:
    url = "https://news.example.com/world/2024/story.html"
    assert clean_url(url) == url


def test_fragment_is_dropped() -> None:
    assert clean_url("https://example.com/a/b#comments") == "https://example.com/a/b"


def test_credentials_are_dropped_and_port_kept() -> None:
    assert clean_url("https://user:secret@example.com:8443/a") == "https://example.com:8443/a"
    assert clean_url("http://user@example.com/a") == "http://example.com/a"


def test_scheme_and_host_are_lower_cased_but_path_is_not() -> None:
    assert (
        clean_url("HTTPS://News.Example.COM/World/Story") == "https://news.example.com/World/Story"
    )


def test_empty_path_becomes_slash() -> None:
    assert clean_url("https://example.com") == "https://example.com/"
    assert clean_url("https://example.com?x=1") == "https://example.com/?x=1"


@pytest.mark.parametrize(
    "tracking",
    [
        "utm_source=twitter",
        "utm_medium=social&utm_campaign=spring",
        "utm_content=x",
        "fbclid=IwAR0abc",
        "gclid=xyz",
    ],
)
def test_tracking_parameters_are_removed(tracking: str) -> None:
    assert clean_url(f"https://example.com/a?{tracking}") == "https://example.com/a"
    assert clean_url(f"https://example.com/a?id=7&{tracking}") == "https://example.com/a?id=7"
    assert clean_url(f"https://example.com/a?{tracking}&id=7") == "https://example.com/a?id=7"


def test_query_without_tracking_is_kept_verbatim() -> None:
    url = "https://example.com/search?q=a%20b&path=x/y&flag&z=%C3%A9"
    assert clean_url(url) == url


def test_other_query_is_kept_verbatim_when_tracking_is_removed() -> None:
    got = clean_url("https://example.com/search?q=a%20b&path=x/y&utm_source=tw&page=2")
    assert got == "https://example.com/search?q=a%20b&path=x/y&page=2"


def test_ipv6_host_keeps_brackets() -> None:
    assert clean_url("http://[2001:DB8::1]:8080/a") == "http://[2001:db8::1]:8080/a"
    assert clean_url("http://[::1]/") == "http://[::1]/"


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "ftp://example.com/file",
        "javascript:alert(1)",
        "mailto:desk@example.com",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "//example.com/a",
        "/relative/path",
        "example.com/a",
        "https://",
        "http://example.com:99999/",
        "http://[::1/",
    ],
)
def test_non_http_or_malformed_is_rejected(url: str | None) -> None:
    assert clean_url(url) is None


def test_absurd_length_is_rejected() -> None:
    head = "https://example.com/"
    assert clean_url(head + "a" * (MAX_URL - len(head))) is not None
    assert clean_url(head + "a" * (MAX_URL + 1)) is None


def test_control_characters_and_spaces_are_removed() -> None:
    assert clean_url(" https://example.com/a\tb\n ") == "https://example.com/ab"


# --- safe_href -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "href",
    [
        "https://other.example.org/a?b=1#c",
        "http://other.example.org/",
        "mailto:desk@example.com",
        "MAILTO:desk@example.com?subject=Hi",
    ],
)
def test_absolute_http_https_and_mailto_are_kept(href: str) -> None:
    assert safe_href(href, BASE) == href


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/about", "https://news.example.com/about"),
        ("other.html", "https://news.example.com/world/2024/other.html"),
        ("../2023/old.html", "https://news.example.com/world/2023/old.html"),
        ("//cdn.example.net/x", "https://cdn.example.net/x"),
        ("?page=2", "https://news.example.com/world/2024/story.html?page=2"),
        ("other.html#part", "https://news.example.com/world/2024/other.html#part"),
    ],
)
def test_relative_links_resolve_against_base(href: str, expected: str) -> None:
    assert safe_href(href, BASE) == expected


def test_relative_link_without_base_is_dropped() -> None:
    assert safe_href("/about", None) is None


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "  javascript:alert(1)",
        "jav\tascript:alert(1)",  # what the parser makes of jav&#x09;ascript:
        "jav\nascript:alert(1)",
        "java\rscript:alert(1)",
        "java\x00script:alert(1)",
        "\x01javascript:alert(1)",
        "java\x7fscript:alert(1)",
        "java\u00adscript:alert(1)",
        "java\u200bscript:alert(1)",
        "vbscript:msgbox(1)",
        "VBScript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "file:///etc/passwd",
        "ftp://example.com/",
        "tel:+441234567",
        "#",
        "#top",
        " #top",
        "",
        None,
        "http://[::1",
    ],
)
def test_unsafe_or_useless_hrefs_are_dropped(href: str | None) -> None:
    assert safe_href(href, BASE) is None


def test_overlong_href_is_dropped() -> None:
    assert safe_href("https://example.com/" + "a" * MAX_URL, BASE) is None
