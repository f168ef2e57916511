"""Child requests fetched concurrently give exactly the output of a sequential run."""

from __future__ import annotations

from tap_zoom.tap import TapZoom

from standins.support import zoom_config
from tap_common.testing import run_sync


def _sequence(result):
    return [(m["stream"], m["record"]) for m in result.messages if m["type"] == "RECORD"]


def _bookmarks(result):
    return {
        name: value.get("replication_key_value")
        for name, value in result.state["bookmarks"].items()
    }


def test_concurrent_and_sequential_runs_write_the_same_messages(make_standin):
    standin, url = make_standin(latency=0.002)
    sequential = run_sync(TapZoom, zoom_config(url, max_concurrent_requests=1))
    requests_sequential = len(standin.log)
    standin.clear()
    concurrent = run_sync(TapZoom, zoom_config(url, max_concurrent_requests=8))

    assert _sequence(concurrent) == _sequence(sequential)
    assert _bookmarks(concurrent) == _bookmarks(sequential)
    assert len(standin.log) == requests_sequential, "prefetch adds no request"


def test_skips_in_prefetched_children_are_counted_like_sequential_ones(standin, config, caplog):
    config["max_concurrent_requests"] = 8
    run_sync(TapZoom, config, streams=["users", "past_meetings", "meeting_participants"])

    messages = [r.getMessage() for r in caplog.records]
    assert sum("code 3001" in m for m in messages if m.startswith("Skipping")) == len(
        standin.deleted_uuids
    )
