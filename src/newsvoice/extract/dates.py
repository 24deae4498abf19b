"""Parse the date formats news pages use into timezone-aware datetimes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

_ISO_LIKE = re.compile(
    r"^(\d{4})-?(\d{2})-?(\d{2})"  # date
    r"(?:[T ](\d{1,2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?"  # time
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?$",  # zone
    re.IGNORECASE,
)


def parse_date(value: object) -> datetime | None:
    """An aware datetime from ISO 8601, RFC 2822 or a Unix timestamp; naive times are UTC."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_timestamp(float(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit() and len(text) in (10, 13):
        return _from_timestamp(int(text) / (1000 if len(text) == 13 else 1))
    parsed = _iso(text) or _rfc2822(text)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    if not 1990 <= parsed.year <= 2100:
        return None
    return parsed


def _from_timestamp(seconds: float) -> datetime | None:
    try:
        parsed = datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return parsed if 1990 <= parsed.year <= 2100 else None


def _iso(text: str) -> datetime | None:
    match = _ISO_LIKE.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, frac, zone = match.groups()
    try:
        naive = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((frac or "0")[:6].ljust(6, "0")),
        )
    except ValueError:
        return None
    if zone is None:
        return naive
    zone = zone.upper()
    if zone in ("Z", "UTC", "GMT"):
        return naive.replace(tzinfo=UTC)
    digits = zone.replace(":", "")
    minutes = int(digits[1:3]) * 60 + int(digits[3:5] or 0)
    if minutes >= 24 * 60:
        return None
    sign = -1 if digits[0] == "-" else 1
    return naive.replace(tzinfo=timezone(timedelta(minutes=sign * minutes)))


def _rfc2822(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
