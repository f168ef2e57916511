"""Incremental state: a second run with the state asks for and emits only new instances."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from tap_zoom.tap import TapZoom

from standins.support import days_ago
from tap_common.dates import add_months, parse_datetime
from tap_common.testing import run_sync

STREAMS = ["users", "past_meetings", "meeting_participants"]


def test_second_run_fetches_only_new_instances(standin, config):
    config["end_date"] = days_ago(20)
    first = run_sync(TapZoom, config, streams=STREAMS)
    bookmark = first.state["bookmarks"]["past_meetings"]["replication_key_value"]
    assert not any("progress_markers" in v for v in first.state["bookmarks"].values())
    cutoff = parse_datetime(bookmark)
    assert cutoff == max(parse_datetime(r["start_time"]) for r in first.records["past_meetings"])

    standin.clear()
    del config["end_date"]
    second = run_sync(TapZoom, config, streams=STREAMS, state=first.state)

    expected = {
        i["uuid"] for i in standin.report_instances if parse_datetime(i["start_time"]) >= cutoff
    }
    assert {r["uuid"] for r in second.records["past_meetings"]} == expected
    assert expected, "the stand-in has instances after the first run's end"
    participants = {r["meeting_uuid"] for r in second.records["meeting_participants"]}
    assert participants <= expected
    froms = {
        date.fromisoformat(c.arg("from"))
        for c in standin.requests_to(r"^/v2/report/users/.+/meetings$")
    }
    assert min(froms) == cutoff.date(), "windows start at the bookmark, not at start_date"
    assert second.state["bookmarks"]["past_meetings"]["replication_key_value"] >= bookmark


def test_state_has_one_bookmark_per_stream_not_per_parent(standin, config):
    result = run_sync(TapZoom, config, streams=STREAMS)

    assert "partitions" not in result.state["bookmarks"].get("past_meetings", {})
    assert "partitions" not in result.state["bookmarks"].get("meeting_participants", {})


def test_start_date_older_than_six_months_is_clamped(standin, config, caplog):
    config["start_date"] = (datetime.now(timezone.utc) - timedelta(days=400)).isoformat()

    run_sync(TapZoom, config, streams=["dashboard_meetings"])

    froms = sorted(
        date.fromisoformat(c.arg("from")) for c in standin.requests_to(r"^/v2/metrics/meetings$")
    )
    assert froms[0] == add_months(datetime.now(timezone.utc).date(), -6) + timedelta(days=1)
    assert any("six months" in r.getMessage() for r in caplog.records)


def test_daily_usage_reruns_from_the_bookmarks_month(standin, config):
    config["end_date"] = days_ago(40)
    first = run_sync(TapZoom, config, streams=["daily_usage"])
    bookmark = first.state["bookmarks"]["daily_usage"]["replication_key_value"]
    assert bookmark == max(r["date"] for r in first.records["daily_usage"]) == days_ago(40)[:10]

    standin.clear()
    del config["end_date"]
    second = run_sync(TapZoom, config, streams=["daily_usage"], state=first.state)

    asked = sorted(  # months are fetched together: the log's order is not the run's
        (int(c.arg("year")), int(c.arg("month"))) for c in standin.requests_to("/report/daily")
    )
    last = date.fromisoformat(bookmark)
    today = datetime.now(timezone.utc).date()
    months = (today.year - last.year) * 12 + today.month - last.month + 1
    assert asked[0] == (last.year, last.month)
    assert len(asked) == months
    days = [r["date"] for r in second.records["daily_usage"]]
    assert days[0] == bookmark, "the last day read is read again"
    assert days == sorted(days)
    assert days[-1] == today.isoformat()
    assert second.state["bookmarks"]["daily_usage"]["replication_key_value"] == today.isoformat()
