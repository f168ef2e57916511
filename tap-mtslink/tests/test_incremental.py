"""Incremental streams send their bookmark to the API as ``from``."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tap_mtslink.streams import SPECS

INCREMENTAL = {s.name: s.replication_key for s in SPECS if s.replication_key}
MOSCOW = timezone(timedelta(hours=3))


def _bookmark(state: dict, stream: str) -> str:
    return state["bookmarks"][stream]["replication_key_value"]


def test_incremental_streams_are_the_date_filtered_ones():
    assert INCREMENTAL == {
        "events": "startsAt",
        "event_sessions": "startsAt",
        "endless_activities": "startedAt",
        "records": "createAt",
        "stats_events": "startsAt",
    }


def test_second_run_starts_from_the_bookmark(standin, config, sync):
    config["lookback_days"] = 0
    streams = ["event_sessions", "records", "stats_events"]
    first = sync(config, streams=streams)
    state = first.state
    for stream in streams:
        rows = first.records[stream]
        key = INCREMENTAL[stream]
        # The bookmark is the latest value, capped at the run's start (planned sessions).
        latest_past = max(r[key] for r in rows if r[key] <= _now())
        bookmark = datetime.fromisoformat(_bookmark(state, stream))
        assert datetime.fromisoformat(latest_past) <= bookmark <= datetime.now(timezone.utc)

    standin.clear()
    second = sync(config, streams=streams, state=state)

    for stream, pattern in (
        ("event_sessions", r"/organization/events/schedule$"),
        ("records", r"/v3/records$"),
        ("stats_events", r"/stats/events$"),
    ):
        bookmark = datetime.fromisoformat(_bookmark(state, stream))
        sent = standin.requests_to(pattern)[0].query["from"][0]
        assert sent == bookmark.astimezone(MOSCOW).strftime("%Y-%m-%d %H:%M:%S")
        assert 0 < second.count(stream) < first.count(stream)
        key = INCREMENTAL[stream]
        assert all(datetime.fromisoformat(r[key]) >= bookmark for r in second.records[stream])


def test_lookback_days_rereads_before_the_bookmark(standin, config, sync):
    config["lookback_days"] = 10
    state = {
        "bookmarks": {
            "records": {
                "replication_key": "createAt",
                "replication_key_value": "2026-01-20T00:00:00Z",
            }
        }
    }
    sync(config, streams=["records"], state=state)

    assert standin.requests_to(r"/v3/records$")[0].query["from"] == ["2026-01-10 03:00:00"]


def test_full_table_streams_keep_start_date(standin, config, sync):
    sync(config, streams=["stats_users"], state={"bookmarks": {}})

    assert standin.requests_to(r"/stats/users$")[0].query["from"] == ["2015-01-01 03:00:00"]


def test_end_date_bounds_the_window(standin, config, sync):
    config["end_date"] = "2030-01-01T00:00:00Z"
    sync(config, streams=["records", "events"])

    assert standin.requests_to(r"/v3/records$")[0].query["to"] == ["2030-01-01 03:00:00"]
    assert standin.requests_to(r"/schedule$")[0].query["to"] == ["2030-01-01 03:00:00"]


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_an_item_without_its_replication_key_does_not_stop_the_run(standin, config, sync):
    record = dict(standin.records[0])
    del record["createAt"]
    standin.inject(r"/v3/records$", 200, [record])
    result = sync(config, streams=["records"])

    assert result.records["records"][0]["id"] == record["id"]
    assert result.records["records"][0]["createAt"] is None
