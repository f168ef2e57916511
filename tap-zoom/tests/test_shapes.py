"""Shape drift: odd values (objects as [] or "", numbers as strings, nulls) never crash the
tap's record code and are never dropped; schemas claim only the types the API notes state."""

from __future__ import annotations

import copy
from types import SimpleNamespace

import pytest
from tap_zoom import schemas
from tap_zoom.records import clock_seconds, normalise_timestamp
from tap_zoom.tap import TapZoom

from standins.expectations import zoom_expected_counts
from standins.support import days_ago, zoom_config
from tap_common.jsontypes import ANY_JSON
from tap_common.testing import run_sync

#: Values of the shapes real APIs send where the stand-ins do not.
ODD = [{}, [], "", {"a": 1}, [1, "x"], 12345, 1.5, True, "not a date", "0000-00-00 00:00:00"]


def tap() -> TapZoom:
    return TapZoom(config=zoom_config("http://127.0.0.1:9"))


def stream(name: str):
    return tap().streams[name]


def kept(record: dict, field: str):
    """The value of ``field`` where the record keeps it: the field, or its variant column."""
    if record.get(field) is not None:
        return record[field]
    return record.get(f"{field}__v_json")


# --- schemas ------------------------------------------------------------------------------


def test_keys_stay_strict_and_every_other_field_is_nullable():
    for stream_ in tap().streams.values():
        props = stream_.schema["properties"]
        keys = {*stream_.primary_keys, stream_.replication_key} - {None}
        for name in keys:
            assert len([t for t in props[name]["type"] if t != "null"]) == 1, (stream_.name, name)
        for name, spec in props.items():
            if name not in keys:
                assert "null" in spec["type"], (stream_.name, name)


def test_fields_the_notes_do_not_type_are_any_json():
    assert schemas.USER["properties"]["email"] == ANY_JSON
    assert schemas.PAST_MEETING["properties"]["participants_count"] == ANY_JSON
    assert schemas.DASHBOARD_MEETING["properties"]["has_video"] == ANY_JSON
    assert schemas.DASHBOARD_WEBINAR["properties"]["id"] == ANY_JSON
    assert schemas.USER["properties"]["group_ids"]["items"] == ANY_JSON
    files = schemas.RECORDING["properties"]["recording_files"]["items"]["properties"]
    assert files["file_size"] == ANY_JSON
    # ...and the ones the notes type stay typed.
    assert schemas.USER["properties"]["pmi"]["type"] == ["integer", "null"]
    assert schemas.PAST_MEETING["properties"]["id"]["type"] == ["integer", "null"]
    assert schemas.DASHBOARD_MEETING["properties"]["duration"]["type"] == ["string", "null"]
    assert files["recording_start"]["format"] == "date-time"


# --- helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [*ODD, None, "12345"])
def test_odd_dates_are_left_as_they_came(value):
    assert normalise_timestamp(copy.deepcopy(value)) == value


def test_dates_are_normalised_to_rfc3339_utc():
    assert normalise_timestamp("2025-06-03T15:01:01+03:00") == "2025-06-03T12:01:01Z"
    assert normalise_timestamp("2025-06-03") == "2025-06-03T00:00:00Z"


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("05:27", 327), ("1:02:03", 3723), ("PT1M", 60), ("00:00", 0)]
    + [(v, None) for v in [*ODD, None, 327, "-05:00", "nan:00", "1e999:00", "05:xx"]],
)
def test_dashboard_durations(value, seconds):
    assert clock_seconds(value) == seconds


# --- post_process -------------------------------------------------------------------------


@pytest.mark.parametrize("value", ODD)
def test_date_fields_keep_odd_values(value):
    users = stream("users")
    row = {"id": "u1", "created_at": copy.deepcopy(value), "last_login_time": None}

    out = users.post_process(row)

    assert out["created_at"] == value
    assert out["last_login_time"] is None


@pytest.mark.parametrize("value", [*ODD, None])
def test_dashboard_duration_is_kept_and_its_seconds_are_null_when_unreadable(value):
    meetings = stream("dashboard_meetings")
    row = {"uuid": "abc==", "id": 1, "start_time": days_ago(1), "duration": copy.deepcopy(value)}

    out = meetings.post_process(row)

    assert out["duration"] == value
    assert out["duration_seconds"] is None


def test_dashboard_duration_seconds_from_clock_text():
    meetings = stream("dashboard_meetings")
    out = meetings.post_process({"uuid": "abc==", "start_time": days_ago(1), "duration": "05:27"})
    assert (out["duration"], out["duration_seconds"]) == ("05:27", 327)


@pytest.mark.parametrize("value", ODD)
def test_an_odd_replication_key_neither_raises_nor_drops_the_record(value):
    past = stream("past_meetings")
    row = {"uuid": "abc==", "start_time": copy.deepcopy(value)}

    out = past.post_process(row, {"user_id": "u1"})

    assert out is not None
    assert out["start_time"] == value


def test_records_before_the_bookmark_are_still_dropped():
    past = stream("past_meetings")
    assert past.post_process({"uuid": "a", "start_time": "2000-01-01T00:00:00Z"}) is None


def test_parent_keys_fill_missing_or_null_fields_only():
    participants = stream("meeting_participants")
    context = {"meeting_uuid": "abc==", "meeting_id": 123}

    assert participants.post_process({"user_id": "1"}, context)["meeting_uuid"] == "abc=="
    assert participants.post_process({"meeting_id": None}, context)["meeting_id"] == 123
    assert participants.post_process({"meeting_id": "777"}, context)["meeting_id"] == "777"


@pytest.mark.parametrize("files", [{}, "", "[]", {"id": "f"}, 7, [None, "x", 3, []]])
def test_recording_files_of_any_shape_are_kept(files):
    recordings = stream("recordings")
    row = {"uuid": "abc==", "start_time": days_ago(1), "recording_files": copy.deepcopy(files)}

    assert recordings.post_process(row, {"user_id": "u1"})["recording_files"] == files


def test_recording_file_dates_are_normalised_or_kept():
    recordings = stream("recordings")
    files = [
        {"id": "a", "recording_start": "2025-06-03T15:01:01+03:00", "recording_end": {}},
        {"id": "b", "recording_start": "", "recording_end": 1700000000},
    ]
    row = {"uuid": "abc==", "start_time": days_ago(1), "recording_files": files}

    out = recordings.post_process(row, {"user_id": "u1"})["recording_files"]

    assert out[0] == {"id": "a", "recording_start": "2025-06-03T12:01:01Z", "recording_end": {}}
    assert out[1] == {"id": "b", "recording_start": "", "recording_end": 1700000000}


@pytest.mark.parametrize(
    ("pmi", "expected"),
    [(1234567890, "1234567890"), ("1234567890", "1234567890")]
    + [(v, v) for v in [{}, [], "", {"a": 1}, 1.5, True, None]],
)
def test_meeting_pmi_integers_become_strings_other_shapes_stay(pmi, expected):
    meetings = stream("meetings")
    out = meetings.post_process({"id": 1, "pmi": copy.deepcopy(pmi)}, {"user_id": "u1"})
    assert out["pmi"] == expected


@pytest.mark.parametrize("day", [None, 20250103, {}, "", "January 3rd", ["2025-01-03"]])
def test_daily_rows_with_an_odd_date_are_kept(day):
    daily = stream("daily_usage")
    assert daily.post_process({"date": copy.deepcopy(day), "meetings": 1}) == {
        "date": day,
        "meetings": 1,
    }


def test_daily_rows_outside_the_run_are_still_dropped():
    daily = stream("daily_usage")
    assert daily.post_process({"date": "2000-01-01"}) is None
    assert daily.post_process({"date": days_ago(1)[:10]}) is not None


# --- child contexts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"), [("past_meetings", "meeting_uuid"), ("dashboard_meetings", "meeting_uuid")]
)
@pytest.mark.parametrize("uuid", [None, "", {}, [], True, 1.5])
def test_no_child_context_without_a_usable_uuid(name, key, uuid):
    parent = stream(name)
    assert parent.get_child_context({"uuid": uuid, "id": 1}, None) is None
    assert parent.get_child_context({"id": 1}, None) is None
    assert parent.get_child_context({"uuid": "ab//c==", "id": {}}, None) == {
        key: "ab//c==",
        "meeting_id": {},
    }


def test_child_contexts_of_users_and_webinars():
    assert stream("users").get_child_context({"id": 42}, None) == {"user_id": 42}
    assert stream("users").get_child_context({"id": {}}, None) is None
    webinars = stream("dashboard_webinars")
    assert webinars.get_child_context({"uuid": "/w==", "id": "9"}, None) == {
        "webinar_uuid": "/w==",
        "webinar_id": "9",
    }
    assert webinars.get_child_context({"uuid": ""}, None) is None


# --- active hosts' window -------------------------------------------------------------------


def _report_response(body: dict) -> SimpleNamespace:
    url = "http://x/v2/report/users?page_size=300&type=active&from=2025-01-01&to=2025-01-31"
    return SimpleNamespace(json=lambda: body, request=SimpleNamespace(url=url))


@pytest.mark.parametrize("echo", [None, "", {}, "garbage", 20250101])
def test_active_hosts_window_falls_back_to_the_window_asked_for(echo):
    hosts = stream("active_hosts")
    body = {"from": echo, "to": echo, "users": [{"id": "u1", "dept": []}]}

    (row,) = hosts.parse_response(_report_response(body))

    assert row == {
        "id": "u1",
        "dept": [],
        "window_from": "2025-01-01T00:00:00Z",
        "window_to": "2025-01-31T00:00:00Z",
    }


def test_active_hosts_window_prefers_zoom_echo():
    hosts = stream("active_hosts")
    body = {"from": "2025-01-02", "to": "2025-01-30", "users": [{"id": "u1"}]}
    (row,) = hosts.parse_response(_report_response(body))
    assert (row["window_from"], row["window_to"]) == (
        "2025-01-02T00:00:00Z",
        "2025-01-30T00:00:00Z",
    )


# --- a whole sync against the stand-in, fed odd shapes ---------------------------------------


def test_a_sync_with_odd_shapes_emits_every_record_and_loses_no_value(make_standin):
    standin, url = make_standin()
    host = standin.users[0]
    odd_user = {
        "dept": {"name": "Research"},
        "custom_attributes": "",
        "verified": "1",
        "group_ids": {},
        "phone_number": None,
        "last_login_time": "",
        "created_at": 1700000000,
        "brand_new_field": [{"x": 1}],
    }
    host.update(copy.deepcopy(odd_user))
    metrics = [m for m in standin.metrics_meetings if m["start_time"] >= days_ago(80)]
    odd_durations = [{"minutes": 5}, 327, "", "1:02:03"]
    assert len(metrics) >= len(odd_durations)
    for meeting, duration in zip(metrics, odd_durations, strict=False):
        meeting["duration"] = copy.deepcopy(duration)
        meeting["has_video"] = "yes"
    instance = next(
        i
        for i in standin.report_instances
        if i["uuid"] not in standin.deleted_uuids and i["start_time"] >= days_ago(80)
    )
    instance["total_minutes"] = "3"
    instance["custom_keys"] = '[{"key": "k", "value": "v"}]'
    session = standin.participants[instance["uuid"]][0]
    session.update({"leave_time": "", "duration": "12", "id": None, "failover": 0})
    recording = next(
        r for rows in standin.recordings.values() for r in rows if r["start_time"] >= days_ago(80)
    )
    recording["recording_files"][0]["recording_start"] = {"odd": True}
    recording["recording_files"][0]["file_size"] = "12345"
    series = next(s for rows in standin.series.values() for s in rows)
    series["pmi"] = {"pmi": 1}

    result = run_sync(TapZoom, zoom_config(url))

    assert result.counts() == zoom_expected_counts(standin)
    user = next(r for r in result.records["users"] if r["id"] == host["id"])
    for field, value in odd_user.items():
        assert kept(user, field) == value, field
    by_uuid = {r["uuid"]: r for r in result.records["dashboard_meetings"]}
    for meeting, duration in zip(metrics, odd_durations, strict=False):
        row = by_uuid[meeting["uuid"]]
        assert kept(row, "duration") in (duration, str(duration)), "no duration is lost"
        assert kept(row, "has_video") == "yes"
    seconds = [by_uuid[m["uuid"]]["duration_seconds"] for m in metrics[:4]]
    assert seconds == [None, None, None, 3723], "a bare number's unit is unknown: no seconds"
    past = next(r for r in result.records["past_meetings"] if r["uuid"] == instance["uuid"])
    assert past["total_minutes"] == "3"
    assert past["custom_keys"] == instance["custom_keys"]
    row = next(
        r
        for r in result.records["meeting_participants"]
        if r["meeting_uuid"] == instance["uuid"]
        and r["join_time"] == session["join_time"]
        and r["user_id"] == session["user_id"]
    )
    assert kept(row, "leave_time") == ""
    assert kept(row, "duration") in ("12", 12)
    assert row["failover"] == 0
    assert row["meeting_id"] == instance["id"], "parent keys are still copied"
    rec = next(r for r in result.records["recordings"] if r["uuid"] == recording["uuid"])
    first = rec["recording_files"][0]
    assert first["recording_start"] == {"odd": True}
    assert first["file_size"] == "12345"
    series_row = next(r for r in result.records["meetings"] if r["id"] == series["id"])
    assert kept(series_row, "pmi") == {"pmi": 1}
