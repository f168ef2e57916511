"""Sessions that have not started: no requests for lists that fill only once they start."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from tap_mtslink import client
from tap_mtslink.specs import session_not_started

from standins import mtslink as mtslink_standin

IN_SESSION = {
    "chat_messages": "chat",
    "questions": "questions",
    "transcripts": "transcript/list",
    "attention_checkpoints": "attention-control/checkpoints",
    "attention_interactions": "attention-control/interactions",
    "raised_hands": "raising-hands",
    "likes": "likes",
    "emoji_reactions": "emoji-reactions",
    "converted_records": "converted-records",
}
BEFORE_START = {
    "event_session_details": "",
    "participations": "/participations",
    "agendas": "/agendas",
    "session_files": "/files",
}
STREAMS = ["event_sessions", *IN_SESSION, *BEFORE_START]


def _asked(standin, sid: int, suffix: str) -> bool:
    return bool(standin.requests_to(rf"^/v3/eventsessions/{sid}{suffix}$"))


def test_planned_sessions_are_asked_only_what_exists_before_they_start(standin, config, sync):
    planned = standin.planned_sessions - standin.deleted_sessions
    started = set(standin.sessions) - standin.planned_sessions - standin.deleted_sessions
    assert planned, "the stand-in has planned sessions"

    result = sync(config, streams=STREAMS)

    for sid in planned:
        assert not any(_asked(standin, sid, f"/{path}") for path in IN_SESSION.values())
        assert all(_asked(standin, sid, suffix) for suffix in BEFORE_START.values())
    for sid in started:
        assert all(_asked(standin, sid, f"/{path}") for path in IN_SESSION.values())
    expected = mtslink_standin.expected_counts(standin)
    for name in STREAMS:
        assert result.count(name) == expected[name], name
    streams = result.tap.streams
    assert streams["chat_messages"].not_started_parents == len(planned)
    assert streams["participations"].not_started_parents == 0


def test_once_they_have_started_a_later_run_reads_everything(standin, config, sync, monkeypatch):
    later = datetime.now(timezone.utc) + timedelta(days=60)  # past every planned start
    monkeypatch.setattr(client, "utcnow", lambda: later)
    planned = standin.planned_sessions - standin.deleted_sessions

    sync(config, streams=STREAMS)

    for sid in planned:
        assert all(_asked(standin, sid, f"/{path}") for path in IN_SESSION.values())


NOW = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("record", "planned"),
    [
        ({"status": "ACTIVE", "startsAt": "2026-12-02T10:00:00+0300"}, True),
        ({"status": "ACTIVE", "startsAt": "2026-12-01T10:00:00+0300"}, False),  # late start
        ({"status": "START", "startsAt": "2026-12-02T10:00:00+0300"}, False),
        ({"status": "STOP", "startsAt": "2026-11-02T10:00:00+0300"}, False),
        ({"status": "ACTIVE", "startsAt": "garbage", "utcStartsAt": 1_800_000_000}, True),
        ({"status": "ACTIVE", "startsAt": "garbage"}, False),  # unreadable: read it all
        ({"status": "ACTIVE"}, False),
    ],
)
def test_a_session_is_planned_only_when_active_and_starting_after_the_run(record, planned):
    assert session_not_started(record, NOW) is planned
