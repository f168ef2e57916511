"""Top-level streams read ahead: the same output as one at a time, bookmarks kept."""

from __future__ import annotations

from standins.support import peak_concurrency
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


def test_top_level_streams_are_read_together_with_the_output_of_one_at_a_time(
    make_standin, config_for, sync
):
    built, url = make_standin(latency=0.03)
    sequential = sync(config_for(url, max_concurrent_requests=1), streams=TOP_LEVEL)
    built.clear()
    seen = peak_concurrency(built, PATHS)

    together = sync(config_for(url, max_concurrent_requests=8), streams=TOP_LEVEL)

    assert seen["peak"] >= 2, "top-level streams were still read one after another"
    assert together.comparable_messages() == sequential.comparable_messages()
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
