"""Top-level streams read ahead: the same output as one at a time, bookmarks kept."""

from __future__ import annotations

import re
import threading

from tap_common.dates import parse_datetime
from tap_common.readahead import ReadAhead

TOP_LEVEL = [
    "endless_meetings",
    "organization_members",
    "timezones",
    "contacts",
    "chat_teams",
    "brandings",
    "records",
    "stats_events",
    "stats_users",
    "files",
    "courses",
    "tests",
]
PATHS = (
    r"^/v3/(eventsessions/endless|organization/members|timezones|contacts/search|chats/teams"
    r"|brandings|records|stats/\w+|fileSystem/files|organization/courses|tests/list)$"
)


def _peak_of(standin, pattern: str) -> dict[str, int]:
    """Wrap the stand-in's dispatch: the most requests matching ``pattern`` served at once."""
    lock, seen = threading.Lock(), {"now": 0, "peak": 0}
    dispatch = standin.dispatch

    def counted(request):
        if not re.search(pattern, request.raw_path):
            return dispatch(request)
        with lock:
            seen["now"] += 1
            seen["peak"] = max(seen["peak"], seen["now"])
        try:
            return dispatch(request)
        finally:
            with lock:
                seen["now"] -= 1

    standin.dispatch = counted
    return seen


def _messages(result):
    return [
        {k: v for k, v in m.items() if k != "time_extracted"}
        for m in result.messages
        if m["type"] != "STATE"
    ]


def test_top_level_streams_are_read_together_with_the_output_of_one_at_a_time(
    make_standin, config_for, sync
):
    built, url = make_standin(latency=0.03)
    sequential = sync(config_for(url, max_concurrent_requests=1), streams=TOP_LEVEL)
    built.clear()
    seen = _peak_of(built, PATHS)

    together = sync(config_for(url, max_concurrent_requests=8), streams=TOP_LEVEL)

    assert seen["peak"] >= 2, "top-level streams were still read one after another"
    assert _messages(together) == _messages(sequential)
    assert together.state == sequential.state


def test_a_stream_read_ahead_asks_from_its_bookmark(make_standin, config_for, sync, monkeypatch):
    started = []
    start = ReadAhead.start
    monkeypatch.setattr(
        ReadAhead, "start", lambda self: (started.append(self.stream.name), start(self))
    )
    built, url = make_standin(records=30)
    config = config_for(url, max_concurrent_requests=8, lookback_days=0)
    first = sync(config, streams=TOP_LEVEL)
    bookmark = parse_datetime(first.state["bookmarks"]["records"]["replication_key_value"])
    built.clear()

    sync(config, streams=TOP_LEVEL, state=first.state)

    (request,) = built.requests_to(r"^/v3/records$")
    asked = parse_datetime(request.arg("from").replace(" ", "T") + "+03:00")
    assert asked == bookmark.replace(microsecond=0)
    assert "records" in started, "the stream was read ahead"
