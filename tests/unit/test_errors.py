"""errors.py: one test per exit status, the class → exit code map, one-line messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsvoice.errors import (
    BlockedAddress,
    ConfigError,
    DecodeError,
    EngineError,
    ExitStatus,
    FeedCorrupt,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    InputError,
    InputTooLarge,
    NewsvoiceError,
    NoContentFound,
    NotHTML,
    RenderError,
    SiteError,
    TooComplex,
    TooManyRedirects,
    UnsafeURL,
)


def test_exit_ok_is_0() -> None:
    assert ExitStatus.OK.value == 0


def test_exit_internal_is_1() -> None:
    assert ExitStatus.INTERNAL.value == 1


def test_exit_usage_is_2() -> None:
    assert ExitStatus.USAGE.value == 2


def test_exit_input_is_3() -> None:
    assert ExitStatus.INPUT.value == 3


def test_exit_fetch_is_4() -> None:
    assert ExitStatus.FETCH.value == 4


def test_exit_engine_is_5() -> None:
    assert ExitStatus.ENGINE.value == 5


def test_exit_render_is_6() -> None:
    assert ExitStatus.RENDER.value == 6


def test_exit_partial_is_7() -> None:
    assert ExitStatus.PARTIAL.value == 7


def test_exit_interrupted_is_130() -> None:
    assert ExitStatus.INTERRUPTED.value == 130


def test_exit_site_is_8() -> None:
    assert ExitStatus.SITE.value == 8


def test_no_undocumented_exit_status() -> None:
    assert sorted(int(s) for s in ExitStatus) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 130]
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    documented = sorted(int(code) for code in re.findall(r"^\| (\d+) \| ", readme, re.M))
    assert documented == sorted(int(s) for s in ExitStatus)


@pytest.mark.parametrize(
    ("cls", "code"),
    [
        (NewsvoiceError, 1),
        (ConfigError, 2),
        (InputError, 3),
        (InputTooLarge, 3),
        (SiteError, 8),
        (FeedCorrupt, 8),
        (NotHTML, 3),
        (DecodeError, 3),
        (TooComplex, 3),
        (NoContentFound, 3),
        (UnsafeURL, 3),
        (FetchError, 4),
        (BlockedAddress, 4),
        (FetchTimeout, 4),
        (TooManyRedirects, 4),
        (HTTPStatusError, 4),
        (EngineError, 5),
        (RenderError, 6),
    ],
)
def test_error_class_maps_to_exit_code(cls: type[NewsvoiceError], code: int) -> None:
    assert issubclass(cls, NewsvoiceError)
    assert cls.exit_code == code
    assert cls("boom").exit_code == code
    assert isinstance(cls.exit_code, ExitStatus)


@pytest.mark.parametrize("cls", [InputTooLarge, NotHTML, DecodeError, NoContentFound, UnsafeURL])
def test_input_errors_are_input_errors(cls: type[NewsvoiceError]) -> None:
    assert issubclass(cls, InputError)


@pytest.mark.parametrize("cls", [BlockedAddress, FetchTimeout, TooManyRedirects, HTTPStatusError])
def test_fetch_errors_are_fetch_errors(cls: type[NewsvoiceError]) -> None:
    assert issubclass(cls, FetchError)


def test_str_with_hint_is_message_then_hint_on_one_line() -> None:
    err = UnsafeURL("cannot fetch ftp://x/", hint="use an http or https URL")
    assert str(err) == "cannot fetch ftp://x/; use an http or https URL"
    assert "\n" not in str(err)
    assert err.message == "cannot fetch ftp://x/"
    assert err.hint == "use an http or https URL"


def test_str_without_hint_is_the_message() -> None:
    err = ConfigError("rules file x.toml is not valid TOML")
    assert str(err) == "rules file x.toml is not valid TOML"
    assert err.hint is None


def _decode_or_raise(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError("cannot decode input as utf-8") from exc


def test_errors_chain_their_cause() -> None:
    with pytest.raises(DecodeError) as info:
        _decode_or_raise(b"\xff")
    assert isinstance(info.value.__cause__, UnicodeDecodeError)
