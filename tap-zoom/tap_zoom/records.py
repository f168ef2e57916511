"""Record helpers that never raise on a value of an unexpected shape, and never drop it.

Zoom may send any field in a shape the docs do not show (an object as ``[]`` or ``""``, a
number as a string, a date in another form). These helpers normalise the shapes they know
and hand every other value back as it came, for the schema guard (``tap_common``) to place.
"""

from __future__ import annotations

import math
import re
from typing import Any

from tap_common.dates import iso_duration_seconds, parse_datetime, to_rfc3339

#: A day at the start of a string: ``2025-06-03`` or ``2025-06-03T...``.
_DAY_PREFIX = re.compile(r"\d{4}-\d{2}-\d{2}")


def _is_date_text(value: object) -> bool:
    """A non-empty string that is not all digits (digits would be read as an epoch)."""
    return isinstance(value, str) and bool(value.strip()) and not value.strip().isdigit()


def normalise_timestamp(value: Any) -> Any:
    """``value`` as an RFC 3339 UTC string when it is date text; otherwise as it came.

    Numbers and digit strings (whose epoch unit would be a guess), ``""``, zero dates,
    objects and arrays are returned unchanged.
    """
    if not _is_date_text(value):
        return value
    try:
        text = to_rfc3339(value)
    except (ValueError, TypeError, OverflowError, OSError):
        return value
    return value if text is None else text


def timestamp_or_none(value: Any) -> Any:
    """The moment ``value`` denotes (aware, UTC), or ``None`` when it is not date text."""
    if not _is_date_text(value):
        return None
    try:
        return parse_datetime(value)
    except (ValueError, TypeError, OverflowError, OSError):
        return None


def day_of(value: Any) -> str | None:
    """The ``yyyy-mm-dd`` a date string starts with, or ``None`` for anything else."""
    if isinstance(value, str) and _DAY_PREFIX.match(value):
        return value[:10]
    return None


def clock_seconds(value: Any) -> int | None:
    """Seconds in a dashboard duration (``"HH:MM:SS"``, ``"MM:SS"``, ISO ``PT1H2M``).

    ``None`` for anything else: a number is not read, because Zoom's bare-number durations
    are minutes on some endpoints and seconds on others (notes §5).
    """
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        seconds = iso_duration_seconds(value)
    except (ValueError, TypeError, OverflowError):
        return None
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return None
    return int(seconds)


def key_value(value: Any) -> str | int | None:
    """A value usable as a parent key in a request path: a non-empty string or an integer."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, str) and value.strip()):
        return value
    return None
