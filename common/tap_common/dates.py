"""Date parsing and windows: every date a tap emits is an RFC 3339 string in UTC."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

UTC = timezone.utc
_OFFSET_WITHOUT_COLON = re.compile(r"([+-]\d{2})(\d{2})$")
_ISO_DURATION = re.compile(
    r"^P(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)
_EPOCH_MS_THRESHOLD = 10**11  # later than 5138 AD in seconds: must be milliseconds


def parse_datetime(value: object, *, naive_tz: timezone = UTC) -> datetime | None:
    """Parse the date forms vendor APIs send into an aware datetime, or ``None``.

    Accepts ISO 8601 with ``Z``, ``+03:00`` or ``+0300`` offsets, naive ``YYYY-MM-DD HH:MM:SS``
    (read in ``naive_tz``), plain dates, epoch seconds or milliseconds (int, float or digits),
    and datetime objects. Empty strings, zero dates (``0000-00-00 00:00:00``) and ``None``
    give ``None``. Anything else raises ``ValueError``.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().isdigit()):
        seconds = float(value)
        if seconds == 0:
            return None
        if seconds > _EPOCH_MS_THRESHOLD:
            seconds /= 1000
        return datetime.fromtimestamp(seconds, tz=UTC)
    elif isinstance(value, str):
        text = value.strip()
        if not text or text.startswith("0000-00-00"):
            return None
        text = _OFFSET_WITHOUT_COLON.sub(r"\1:\2", text) if "T" in text or " " in text else text
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        parsed = datetime.fromisoformat(text)
    else:
        msg = f"not a date: {value!r}"
        raise ValueError(msg)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=naive_tz)
    return parsed.astimezone(UTC)


def to_rfc3339(value: object, *, naive_tz: timezone = UTC) -> str | None:
    """Return ``value`` as an RFC 3339 UTC string (``2025-06-03T12:01:01Z``), or ``None``."""
    parsed = parse_datetime(value, naive_tz=naive_tz)
    if parsed is None:
        return None
    text = parsed.isoformat()
    return text.replace("+00:00", "Z")


def iso_duration_seconds(value: object) -> float | None:
    """Seconds in an ISO 8601 duration (``PT1H2M3S``), ``HH:MM:SS``/``MM:SS`` or a number."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    if ":" in text:
        total = 0.0
        for part in text.split(":"):
            total = total * 60 + float(part)
        return total
    match = _ISO_DURATION.match(text)
    if not match or text in {"P", "PT"}:
        msg = f"not a duration: {value!r}"
        raise ValueError(msg)
    parts = {k: float(v) for k, v in match.groupdict().items() if v}
    return (
        parts.get("days", 0) * 86400
        + parts.get("hours", 0) * 3600
        + parts.get("minutes", 0) * 60
        + parts.get("seconds", 0)
    )


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError  # pragma: no cover - day 28 exists in every month


def date_windows(start: date, end: date, *, months: int = 1) -> Iterator[tuple[date, date]]:
    """Consecutive inclusive ``(from, to)`` date windows covering ``start..end``.

    Each window spans less than ``months`` calendar months, so APIs that accept "at most
    one month" take it, and windows neither overlap nor leave gaps.
    """
    current = start
    while current <= end:
        window_end = min(add_months(current, months) - timedelta(days=1), end)
        yield current, window_end
        current = window_end + timedelta(days=1)


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(tz=UTC)
