"""dates.py: ISO 8601, RFC 2822 and Unix timestamps into aware datetimes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsvoice.extract.dates import parse_date


def _tz(hours: int, minutes: int = 0) -> timezone:
    sign = -1 if hours < 0 else 1
    return timezone(sign * timedelta(hours=abs(hours), minutes=minutes))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-07-16T10:00:00Z", datetime(2024, 7, 16, 10, tzinfo=UTC)),
        ("2024-07-16T10:00:00z", datetime(2024, 7, 16, 10, tzinfo=UTC)),
        ("2024-07-16T10:00:00.000Z", datetime(2024, 7, 16, 10, tzinfo=UTC)),
        ("2024-07-16T10:00:00.5Z", datetime(2024, 7, 16, 10, 0, 0, 500000, tzinfo=UTC)),
        (
            "2024-07-16T14:32:11.123456789Z",
            datetime(2024, 7, 16, 14, 32, 11, 123456, tzinfo=UTC),
        ),
        ("2016-01-27T12:58:00-05:00", datetime(2016, 1, 27, 12, 58, tzinfo=_tz(-5))),
        ("2016-01-27T12:58:00-0500", datetime(2016, 1, 27, 12, 58, tzinfo=_tz(-5))),
        ("2016-01-27T12:58:00+05", datetime(2016, 1, 27, 12, 58, tzinfo=_tz(5))),
        ("2024-02-28T19:05:00+05:30", datetime(2024, 2, 28, 19, 5, tzinfo=_tz(5, 30))),
        ("2024-02-28T19:05:00,25+05:45", datetime(2024, 2, 28, 19, 5, 0, 250000, _tz(5, 45))),
        ("2024-02-28 19:05", datetime(2024, 2, 28, 19, 5, tzinfo=UTC)),
        ("2024-02-28T19:05:00 UTC", datetime(2024, 2, 28, 19, 5, tzinfo=UTC)),
        ("2024-02-28T19:05:00 GMT", datetime(2024, 2, 28, 19, 5, tzinfo=UTC)),
        ("20240228T190500Z", datetime(2024, 2, 28, 19, 5, tzinfo=UTC)),
        ("  2024-02-28T19:05:00Z \n", datetime(2024, 2, 28, 19, 5, tzinfo=UTC)),
    ],
)
def test_iso_8601(value: str, expected: datetime) -> None:
    got = parse_date(value)
    assert got == expected
    assert got is not None
    assert got.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("value", ["2024-02-28", "20240228"])
def test_date_only_is_midnight_utc(value: str) -> None:
    assert parse_date(value) == datetime(2024, 2, 28, tzinfo=UTC)


def test_naive_time_is_utc() -> None:
    got = parse_date("2024-02-28T19:05:00")
    assert got == datetime(2024, 2, 28, 19, 5, tzinfo=UTC)
    assert got is not None
    assert got.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Wed, 27 Jan 2016 12:58:00 -0500", datetime(2016, 1, 27, 12, 58, tzinfo=_tz(-5))),
        ("Wed, 27 Jan 2016 17:58:00 GMT", datetime(2016, 1, 27, 17, 58, tzinfo=UTC)),
        ("27 Jan 2016 12:58:00 +0100", datetime(2016, 1, 27, 12, 58, tzinfo=_tz(1))),
        ("Wed, 27 Jan 2016 12:58:00 -0000", datetime(2016, 1, 27, 12, 58, tzinfo=UTC)),
    ],
)
def test_rfc_2822(value: str, expected: datetime) -> None:
    got = parse_date(value)
    assert got == expected
    assert got is not None
    assert got.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "value", [1700000000, 1700000000.0, "1700000000", 1700000000000 / 1000, "1700000000000"]
)
def test_unix_seconds_and_milliseconds(value: object) -> None:
    assert parse_date(value) == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)


def test_unix_milliseconds_keep_the_fraction() -> None:
    assert parse_date("1700000000250") == datetime(2023, 11, 14, 22, 13, 20, 250000, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "not a date",
        "yesterday",
        "2024-13-01",
        "2024-02-30",
        "2024-02-28T25:00",
        "2024-02-28T10:00:00+25:00",
        "2024/02/28 10:00 in the morning",
        "12345",
        "<script>alert(1)</script>",
        None,
        True,
        ["2024-02-28"],
        {"date": "2024-02-28"},
        float("nan"),
        float("inf"),
    ],
)
def test_garbage_is_none(value: object) -> None:
    assert parse_date(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "1989-12-31T23:59:59Z",
        "0001-01-01",
        "2101-01-01",
        "9999-12-31T23:59:59Z",
        "Sun, 31 Dec 1989 12:00:00 GMT",
        0,
        "0000000000",
        -1,
        10**12,
        "9999999999999",
    ],
)
def test_out_of_range_years_are_none(value: object) -> None:
    assert parse_date(value) is None


@pytest.mark.parametrize("value", ["1990-01-01", "2100-12-31T12:00:00Z"])
def test_edge_years_are_accepted(value: str) -> None:
    assert parse_date(value) is not None


def test_every_result_is_aware() -> None:
    for value in ("2024-02-28", "2024-02-28T19:05", "Wed, 27 Jan 2016 12:58:00", 1700000000):
        got = parse_date(value)
        assert got is not None
        assert got.tzinfo is not None
        assert got.utcoffset() is not None
