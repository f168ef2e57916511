import itertools
from datetime import date, timezone

import pytest

from tap_common.dates import date_windows, iso_duration_seconds, parse_datetime, to_rfc3339


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-06-03T15:01:01+0300", "2025-06-03T12:01:01Z"),
        ("2025-06-03T15:01:01+03:00", "2025-06-03T12:01:01Z"),
        ("2025-08-15 09:25:27", "2025-08-15T09:25:27Z"),
        ("2019-08-16T01:13:12Z", "2019-08-16T01:13:12Z"),
        (1700000000, "2023-11-14T22:13:20Z"),
        ("1700000000", "2023-11-14T22:13:20Z"),
        (1700000000000, "2023-11-14T22:13:20Z"),
        ("2025-01-02", "2025-01-02T00:00:00Z"),
        ("0000-00-00 00:00:00", None),
        ("", None),
        (None, None),
    ],
)
def test_to_rfc3339(raw, expected):
    assert to_rfc3339(raw) == expected


def test_naive_dates_follow_the_given_zone():
    moscow = timezone.utc.__class__(__import__("datetime").timedelta(hours=3))
    assert to_rfc3339("2025-08-15 09:25:27", naive_tz=moscow) == "2025-08-15T06:25:27Z"


def test_garbage_is_an_error():
    with pytest.raises(ValueError, match=r"Invalid isoformat|not a date"):
        parse_datetime("last tuesday")


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [
        ("PT1H2M3S", 3723),
        ("P1DT1S", 86401),
        ("PT0.5S", 0.5),
        ("05:27", 327),
        ("01:00:05", 3605),
        (42, 42),
        (None, None),
    ],
)
def test_durations(raw, seconds):
    assert iso_duration_seconds(raw) == seconds


def test_duration_garbage():
    with pytest.raises(ValueError, match="not a duration"):
        iso_duration_seconds("P")


def test_windows_cover_the_range_without_gaps_or_overlap():
    windows = list(date_windows(date(2025, 1, 31), date(2025, 6, 2)))

    assert windows[0][0] == date(2025, 1, 31)
    assert windows[-1][1] == date(2025, 6, 2)
    for (_, end), (start, _) in itertools.pairwise(windows):
        assert (start - end).days == 1
    assert all((end - start).days < 31 for start, end in windows)


def test_single_day_window():
    assert list(date_windows(date(2025, 3, 1), date(2025, 3, 1))) == [
        (date(2025, 3, 1), date(2025, 3, 1))
    ]
