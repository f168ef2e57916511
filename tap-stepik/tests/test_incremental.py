"""Incremental streams: the bookmark drops unchanged records, children of old parents still sync.

The APIs cannot filter by update time, so a second run makes the same requests; it only emits
less. These tests pin both halves of that statement.
"""

from __future__ import annotations

import pytest
from tap_stepik.tap import TapStepik

from tap_common.dates import parse_datetime
from tap_common.testing import run_sync

KEYS = {
    "stepik": {"courses": "update_date", "lessons": "update_date", "steps": "update_date"},
    "hyperskill": {"steps": "updated_at"},
}


def _at_or_after(rows, key, bookmark):
    start = parse_datetime(bookmark)
    return sorted(r["id"] for r in rows if parse_datetime(r[key]) >= start)


@pytest.mark.parametrize("platform", ["stepik", "hyperskill"])
def test_second_run_emits_only_what_changed(make_standin, platform):
    standin, config = make_standin(platform)
    first = run_sync(TapStepik, config)
    first_requests = len(standin.requests_to(r"^/api/"))
    bookmarks = first.state["bookmarks"]

    # Between runs: one step is edited, one old step gets a new submission.
    steps = standin.data["steps"]
    key = KEYS[platform]["steps"]
    by_age = sorted(steps, key=lambda step: parse_datetime(step[key]))
    old_step, edited = by_age[0]["id"], by_age[1]
    edited[key] = "2026-01-01T00:00:00Z"
    new_submission = {
        "id": 999_999_999,
        "attempt": 1,
        "status": "correct",
        "time": "2026-01-01T00:00:00Z",
        "step" if platform == "hyperskill" else "_step": old_step,
    }
    standin.data["submissions"].append(new_submission)
    standin.clear()

    second = run_sync(TapStepik, config, state=first.state)
    assert len(standin.requests_to(r"^/api/")) == first_requests  # no request is saved
    for stream, rk in KEYS[platform].items():
        bookmark = bookmarks[stream]["replication_key_value"]
        emitted = sorted(r["id"] for r in second.records.get(stream, []))
        assert emitted == _at_or_after(standin.data[stream], rk, bookmark)
    assert edited["id"] in [r["id"] for r in second.records["steps"]]
    assert old_step not in [r["id"] for r in second.records["steps"]]
    # The new submission of an unchanged step is found through the step, which is not re-emitted.
    submissions = second.records["submissions"]
    assert 999_999_999 in [r["id"] for r in submissions]
    assert [r["step"] for r in submissions if r["id"] == 999_999_999] == [old_step]
    assert len(submissions) < len(first.records["submissions"])
    # Full-table streams are emitted whole again.
    assert second.count("users") == len(standin.data["users"])
    assert second.state["bookmarks"]["submissions"]["replication_key_value"].startswith("2026-01")


def test_start_date_keeps_newer_records_of_incremental_streams_only(stepik):
    standin, config = stepik
    config["start_date"] = "2023-01-01T00:00:00Z"
    result = run_sync(TapStepik, config, streams=["lessons", "users"])
    start = parse_datetime(config["start_date"])
    expected = [
        r["id"] for r in standin.data["lessons"] if parse_datetime(r["update_date"]) >= start
    ]
    assert 0 < len(expected) < len(standin.data["lessons"])
    assert sorted(r["id"] for r in result.records["lessons"]) == sorted(expected)
    assert result.count("users") == len(standin.data["users"])
