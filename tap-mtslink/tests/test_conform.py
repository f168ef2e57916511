"""The record normaliser: dates, durations, flags and PHP's ``[]`` for an empty object."""

from __future__ import annotations

import pytest
from tap_mtslink import schemas
from tap_mtslink.client import conform, unwrap_items, unwrap_object

SCHEMA = schemas.record(
    "id",
    id=schemas.INT,
    at=schemas.DATETIME,
    duration=schemas.INT,
    flag=schemas.BOOL,
    avatar=schemas.obj(url=schemas.STR),
    tags=schemas.arr(schemas.STR),
    nested=schemas.obj(when=schemas.DATETIME),
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-06-03T15:01:01+0300", "2025-06-03T12:01:01Z"),
        ("2025-06-03T15:01:01+0500", "2025-06-03T10:01:01Z"),
        ("2024-07-25T12:10:26+03:00", "2024-07-25T09:10:26Z"),
        ("2025-08-15 09:25:27", "2025-08-15T06:25:27Z"),  # naive: Moscow time
        (1748952061, "2025-06-03T12:01:01Z"),  # epoch seconds
        (1748952061000, "2025-06-03T12:01:01Z"),  # epoch milliseconds
        ("0000-00-00 00:00:00", None),
        ("", None),
        # Unreadable: left as it came, for the schema guard's variant column (never dropped).
        ("garbage", "garbage"),
    ],
)
def test_dates(value, expected):
    assert conform({"id": 1, "at": value}, SCHEMA)["at"] == expected


def test_durations_flags_and_empty_objects():
    row = conform(
        {
            "id": 7669749395,
            "duration": "PT1H30M0S",
            "flag": 1,
            "avatar": [],
            "tags": [],
            "nested": {"when": "2025-06-03 15:00:00"},
        },
        SCHEMA,
    )
    assert row == {
        "id": 7669749395,
        "duration": 5400,
        "flag": True,
        "avatar": None,
        "tags": [],
        "nested": {"when": "2025-06-03T12:00:00Z"},
    }
    assert conform({"duration": "3600"}, SCHEMA)["duration"] == 3600
    assert conform({"avatar": {"url": "u"}}, SCHEMA)["avatar"] == {"url": "u"}


def test_envelopes():
    assert unwrap_items([{"id": 1}]) == [{"id": 1}]
    assert unwrap_items({"data": [{"id": 1}]}) == [{"id": 1}]
    assert unwrap_items({"data": {"items": [{"id": 1}], "nextPageCursor": None}}) == [{"id": 1}]
    assert unwrap_items({"items": [{"id": 1}]}) == [{"id": 1}]
    assert unwrap_items({"data": {"items": []}}) == []
    assert unwrap_object({"id": 1}) == [{"id": 1}]
    assert unwrap_object({"data": {"id": 1}}) == [{"id": 1}]
