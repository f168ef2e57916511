"""A full sync against the stand-in: counts, pagination, month windows, UUIDs, parent keys."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timezone
from urllib.parse import quote

from tap_zoom.client import zoom_path_segment
from tap_zoom.tap import TapZoom

from standins.expectations import zoom_expected_counts
from standins.support import zoom_config
from tap_common.testing import run_sync


def test_every_stream_emits_what_the_standin_served(standin, config):
    result = run_sync(TapZoom, config)

    assert result.counts() == zoom_expected_counts(standin)


def test_primary_keys_are_unique_and_rejoins_are_kept(standin, config):
    result = run_sync(TapZoom, config, streams=["users", "past_meetings", "meeting_participants"])

    sessions = result.records["meeting_participants"]
    keys = [(r["meeting_uuid"], r["user_id"], r["join_time"]) for r in sessions]
    assert len(keys) == len(set(keys))
    per_participant = {}
    for uuid, user_id, _ in keys:
        per_participant[(uuid, user_id)] = per_participant.get((uuid, user_id), 0) + 1
    assert max(per_participant.values()) >= 2, "the stand-in has rejoins; each session is a row"


def test_records_carry_parent_keys(standin, config):
    result = run_sync(
        TapZoom, config, streams=["users", "meetings", "past_meetings", "meeting_participants"]
    )

    instances = {r["uuid"]: r for r in result.records["past_meetings"]}
    assert all(r["user_id"] == r["host_id"] for r in instances.values())
    for row in result.records["meeting_participants"]:
        assert row["meeting_id"] == instances[row["meeting_uuid"]]["id"]
    series_ids = {r["id"] for r in result.records["meetings"]}
    assert all(isinstance(i, int) for i in series_ids)
    assert any(i > 2**31 for i in series_ids), "series ids beyond 32 bits survive as integers"
    recurring = [i for i in series_ids if sum(r["id"] == i for r in instances.values()) > 1]
    assert recurring, "a recurring series has several instances, each its own record"


def test_pages_are_followed_with_the_page_size_setting(standin, config):
    config["page_size"] = 2
    config["user_statuses"] = ["active"]
    result = run_sync(TapZoom, config, streams=["users"])

    assert result.count("users") == len(standin.users)
    calls = standin.requests_to(r"^/v2/users$")
    assert len(calls) == -(-len(standin.users) // 2)
    assert all(c.arg("page_size") == "2" for c in calls)
    assert [bool(c.arg("next_page_token")) for c in calls] == [False] + [True] * (len(calls) - 1)


def test_largest_page_size_by_default(standin, config):
    run_sync(TapZoom, config, streams=["users"])

    assert {c.arg("page_size") for c in standin.requests_to(r"^/v2/users$")} == {"300"}


def test_report_windows_span_at_most_a_month_and_cover_the_range(standin, config):
    run_sync(TapZoom, config, streams=["users", "past_meetings"])

    host = standin.users[0]["id"]
    calls = standin.requests_to(rf"^/v2/report/users/{host}/meetings$")
    windows = sorted(
        (date.fromisoformat(c.arg("from")), date.fromisoformat(c.arg("to"))) for c in calls
    )
    assert len(windows) >= 3
    for (start, end), (next_start, _) in itertools.pairwise(windows):
        assert (next_start - end).days == 1, "windows neither overlap nor leave gaps"
        assert (end - start).days < 31
    assert windows[0][0] == date.fromisoformat(config["start_date"][:10])
    assert windows[-1][1] == datetime.now(timezone.utc).date()


def test_uuids_with_slashes_are_double_encoded():
    assert zoom_path_segment("/abc//d==") == "%252Fabc%252F%252Fd%253D%253D"
    assert zoom_path_segment("ab//cd+e=") == quote(quote("ab//cd+e=", safe=""), safe="")
    assert zoom_path_segment("aDYlohsHRtCd4ii1uC2+hA==") == "aDYlohsHRtCd4ii1uC2%2BhA%3D%3D"


def test_slash_uuids_reach_their_participants(standin, config):
    result = run_sync(TapZoom, config, streams=["users", "past_meetings", "meeting_participants"])

    tricky = [
        i["uuid"]
        for i in standin.report_instances
        if (i["uuid"].startswith("/") or "//" in i["uuid"])
        and i["uuid"] not in standin.deleted_uuids
    ]
    assert tricky, "the stand-in serves UUIDs that need double encoding"
    got = {r["meeting_uuid"] for r in result.records["meeting_participants"]}
    assert set(tricky) <= got


def test_dates_are_rfc3339_utc(standin, config):
    result = run_sync(TapZoom, config, streams=["dashboard_meetings"])

    for row in result.records["dashboard_meetings"]:
        assert row["start_time"].endswith("Z")
        assert isinstance(row["duration_seconds"], int)
        assert isinstance(row["duration"], str)


def test_one_schema_message_per_stream_however_many_parents(standin, config):
    result = run_sync(TapZoom, config, streams=["users", "past_meetings", "meeting_participants"])

    schemas = [m["stream"] for m in result.messages if m["type"] == "SCHEMA"]
    assert sorted(schemas) == ["meeting_participants", "past_meetings", "users"]
    first_record = next(
        i for i, m in enumerate(result.messages) if m.get("stream") == "meeting_participants"
    )
    assert result.messages[first_record]["type"] == "SCHEMA"


def test_deactivated_hosts_and_their_meetings_are_read(make_standin):
    standin, url = make_standin()
    host = standin.users[0]
    host["status"] = "inactive"

    result = run_sync(
        TapZoom, zoom_config(url), streams=["users", "past_meetings", "meeting_participants"]
    )

    assert host["id"] in {u["id"] for u in result.records["users"]}
    assert {c.arg("status") for c in standin.requests_to(r"^/v2/users$")} == {"active", "inactive"}
    hosted = {m["uuid"] for m in standin.report_instances if m["host_id"] == host["id"]}
    assert hosted
    assert hosted <= {r["uuid"] for r in result.records["past_meetings"]}

    only_active = run_sync(
        TapZoom, zoom_config(url, user_statuses=["active"]), streams=["users", "past_meetings"]
    )
    assert host["id"] not in {u["id"] for u in only_active.records["users"]}
