"""A full run: every stream's count, and the API's quirks turned into clean records."""

from __future__ import annotations

import re
from datetime import datetime

import requests
from tap_mtslink.client import CHAT_LIMIT
from tap_mtslink.streams import SPECS

from standins import mtslink as mtslink_standin

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def test_every_stream_emits_exactly_the_expected_counts(standin, config, sync):
    result = sync(config)

    expected = mtslink_standin.expected_counts(standin)
    assert set(expected) == {spec.name for spec in SPECS}
    assert all(expected.values()), "the default data feeds every stream"
    assert {name: result.count(name) for name in expected} == expected
    # Primary keys are unique over the whole run (targets upsert on them).
    for spec in SPECS:
        rows = result.records[spec.name]
        keys = {tuple(row[k] for k in spec.primary_keys) for row in rows}
        assert len(keys) == len(rows), spec.name
        assert not [k for k in keys if None in k], spec.name


def test_schedule_asks_for_every_status_with_php_indexed_arrays(standin, config, sync):
    sync(config, streams=["events"])

    request = standin.requests_to(r"/organization/events/schedule$")[0]
    assert request.query["status[0]"] == ["ACTIVE"]
    assert request.query["status[1]"] == ["START"]
    assert request.query["status[2]"] == ["STOP"]
    assert request.query["perPage"] == ["250"]
    assert request.headers["x-auth-token"] == mtslink_standin.API_TOKEN
    # from/to as the API documents them (Moscow time, "yyyy-mm-dd hh:mm:ss").
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", request.query["from"][0])
    assert request.query["from"][0] == "2015-01-01 03:00:00"


def test_sessions_of_every_status_are_synced(standin, config, sync):
    result = sync(config, streams=["event_sessions"])

    statuses = {row["status"] for row in result.records["event_sessions"]}
    assert statuses >= {"ACTIVE", "STOP"}
    assert {row["id"] for row in result.records["event_sessions"]} == set(standin.sessions)
    by_id = {row["id"]: row for row in result.records["event_sessions"]}
    for sid, event_id in standin.session_event.items():
        assert by_id[sid]["eventId"] == event_id


def test_dates_are_rfc3339_utc(standin, config, sync):
    result = sync(config, streams=["event_session_details", "participations", "transcripts"])

    detail = result.records["event_session_details"][0]
    raw = standin.sessions[detail["id"]]
    assert raw["startsAt"].endswith(("+0300", "+0500"))  # the API's form
    assert RFC3339.match(detail["startsAt"])
    assert datetime.fromisoformat(detail["startsAt"]) == datetime.fromisoformat(
        raw["startsAt"][:-2] + ":" + raw["startsAt"][-2:]
    )
    # utcStartsAt arrives as epoch seconds.
    assert datetime.fromisoformat(detail["utcStartsAt"]).timestamp() == raw["utcStartsAt"]
    # Naive registerDate is Moscow time.
    participation = next(
        p for p in result.records["participations"] if p["registerDate"] is not None
    )
    raw_p = next(
        p
        for rows in standin.participations.values()
        for p in rows
        if p["id"] == participation["id"]
    )
    assert RFC3339.match(participation["registerDate"])
    moscow = datetime.fromisoformat(raw_p["registerDate"] + "+03:00")
    assert datetime.fromisoformat(participation["registerDate"]) == moscow
    assert all(RFC3339.match(t["createdAt"]) for t in result.records["transcripts"])


def test_iso_durations_become_seconds_and_flags_booleans(standin, config, sync):
    result = sync(config, streams=["event_session_details", "participations", "records"])

    with_duration = [r for r in result.records["event_session_details"] if r.get("duration")]
    assert with_duration
    for row in with_duration:
        raw = standin.sessions[row["id"]]["duration"]
        assert raw.startswith("PT")
        assert isinstance(row["duration"], int)
    assert all(isinstance(p["isOnline"], bool) for p in result.records["participations"])
    # /records' duration is in no public source: any JSON, passed on as the API sent it.
    raw = {r["id"]: r["duration"] for r in standin.records}
    assert {r["id"]: r["duration"] for r in result.records["records"]} == raw


def test_empty_objects_sent_as_lists_become_null(standin, config, sync):
    result = sync(config, streams=["participations", "stats_events", "events"])

    avatars = [p["avatar"] for p in result.records["participations"]]
    assert None in avatars
    assert any(isinstance(a, dict) and a.get("url") for a in avatars)
    assert [] not in avatars
    referrers = [s["referrer"] for s in result.records["stats_events"]]
    assert None in referrers
    assert any(isinstance(r, dict) for r in referrers)
    assert None in [e["accessSettings"] for e in result.records["events"]]


def test_ids_above_2_31_stay_integers(standin, config, sync):
    result = sync(config, streams=["event_sessions", "participations"])

    ids = [row["id"] for row in result.records["event_sessions"]]
    assert all(isinstance(i, int) and i > 2**31 for i in ids)
    assert all(p["eventSessionId"] > 2**31 for p in result.records["participations"])


def test_file_wrappers_are_flattened_and_carry_their_session(standin, config, sync):
    result = sync(config, streams=["session_files"])

    rows = result.records["session_files"]
    assert rows
    for row in rows:
        assert "file" not in row
        assert row["downloadUrl"].startswith("https://")
        assert row["eventSessionId"] in standin.sessions


def test_child_records_carry_parent_keys(standin, config, sync):
    result = sync(config, streams=["chat_messages", "transcript_details", "course_group_stats"])

    for row in result.records["chat_messages"]:
        assert row["eventSessionId"] in standin.sessions
    for row in result.records["transcript_details"]:
        assert row["transcriptId"] == row["id"]
    keys = {(r["courseId"], r["groupId"]) for r in result.records["course_group_stats"]}
    assert keys == set(standin.course_group_stats)


def test_chat_asks_for_more_than_the_default_last_100(standin, config, sync):
    sync(config, streams=["chat_messages"])

    requests = standin.requests_to(r"/chat$")
    assert requests
    assert all(r.query["limit"] == [str(CHAT_LIMIT)] for r in requests)


def test_records_carry_download_metadata_only(standin, config, sync):
    result = sync(config, streams=["records", "converted_records"])

    assert all(r["link"].startswith("https://") for r in result.records["records"])
    done = [r for r in result.records["converted_records"] if r["status"] == "loaded"]
    assert done
    assert all(r["downloadUrl"].endswith(".mp4") for r in done)
    assert not [q for q in standin.log if q.path.endswith(".mp4")]


def test_unknown_route_answers_404_no_route(standin, config):
    # /stats/users/visits/{userID} does not exist in the API (404, no route): no stream reads it.
    assert not [s for s in SPECS if "/stats/users/visits/{" in s.path]
    response = requests.get(
        f"{config['api_url']}/stats/users/visits/1",
        headers={"x-auth-token": config["api_token"]},
        timeout=10,
    )
    assert response.status_code == 404
    assert "No route found" in response.json()["error"]["message"]


def test_chat_channels_are_read_once_although_every_member_lists_them(standin, config, sync):
    result = sync(config, streams=["chat_channels", "chat_channel_messages"])

    ids = [c["id"] for c in result.records["chat_channels"]]
    listed = [c["id"] for rows in standin.user_channels.values() for c in rows]
    assert len(listed) > len(set(listed))  # members share channels
    assert sorted(ids) == sorted(set(listed))
    for channel in set(listed):
        assert len(standin.requests_to(rf"/chats/channel/{channel}/messages$")) == 1
    message = result.records["chat_channel_messages"][0]
    raw = next(
        m for rows in standin.channel_messages.values() for m in rows if m["id"] == message["id"]
    )
    assert datetime.fromisoformat(message["createdAtMs"]).timestamp() == raw["createdAtMs"] // 1000


def test_mp4_metadata_by_conversion_id_skips_unfinished_conversions(standin, config, sync):
    result = sync(config, streams=["converted_record_downloads"])

    assert {r["conversionId"] for r in result.records["converted_record_downloads"]} == set(
        standin.conversion_files
    )
    assert all(r["mimeType"] == "video/mp4" for r in result.records["converted_record_downloads"])
    unfinished = sum(
        1
        for sid in standin.live_sessions()
        for row in standin.converted_records[sid]
        if not row["downloadUrl"]
    )
    ledger = result.tap.runtime.ledger
    assert ledger.counts[("converted_record_downloads", "resource")] == unfinished
