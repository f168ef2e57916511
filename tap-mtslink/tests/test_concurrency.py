"""Child requests fetched ahead on worker threads give the same output as one at a time."""

from __future__ import annotations

import threading

STREAMS = ["event_sessions", "participations", "chat_messages", "transcripts", "transcript_details"]


def _records(result):
    return [(m["stream"], m["record"]) for m in result.messages if m["type"] == "RECORD"]


def test_concurrent_output_equals_sequential_output(standin, config, sync):
    sequential = sync(dict(config, max_concurrent_requests=1), streams=STREAMS)
    concurrent = sync(dict(config, max_concurrent_requests=8), streams=STREAMS)

    assert _records(concurrent) == _records(sequential)
    # Same state, but for the bookmark capped at each run's own start time (planned sessions).
    assert _without_signpost(concurrent.state) == _without_signpost(sequential.state)


def _without_signpost(state):
    bookmarks = dict(state["bookmarks"])
    bookmarks["event_sessions"] = {
        k: v for k, v in bookmarks["event_sessions"].items() if k != "replication_key_value"
    }
    return bookmarks


def test_children_are_fetched_on_worker_threads(standin, config, sync, monkeypatch):
    from tap_mtslink.client import MtsLinkStream  # noqa: PLC0415

    threads: set[str] = set()
    original = MtsLinkStream.fetch_records

    def spy(self, context):
        threads.add(threading.current_thread().name)
        return original(self, context)

    monkeypatch.setattr(MtsLinkStream, "fetch_records", spy)
    sync(dict(config, max_concurrent_requests=4), streams=STREAMS)

    assert any(name.startswith("tap-fetch") for name in threads)
