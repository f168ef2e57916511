"""404 skips one resource, 403 skips a stream (or fails in strict mode), 401 stops, 429 waits."""

from __future__ import annotations

import re
import time

import pytest

from standins import mtslink as mtslink_standin
from tap_common import AuthFailure


def test_404_on_one_sessions_children_is_skipped_and_counted(standin, config, sync):
    result = sync(config, streams=["event_session_details", "participations", "transcripts"])

    deleted = next(iter(standin.deleted_sessions))
    assert deleted not in {r["id"] for r in result.records["event_session_details"]}
    ledger = result.tap.runtime.ledger
    assert ledger.counts[("participations", "resource")] == 1
    assert ledger.counts[("event_session_details", "resource")] == 1
    # Sessions without a transcript answer 404 too: each one skipped, the run goes on (planned
    # sessions are not asked for transcripts).
    assert ledger.counts[("transcripts", "resource")] == len(
        (standin.no_transcript | standin.deleted_sessions) - standin.planned_sessions
    )
    expected = mtslink_standin.expected_counts(standin)
    assert result.count("participations") == expected["participations"]


def test_injected_404_on_a_child_skips_that_session_only(standin, config, sync):
    sid = standin.big_session_id
    standin.inject(rf"/eventsessions/{sid}/chat$", 404, {"error": {"code": 404, "message": "x"}})
    result = sync(config, streams=["chat_messages"])

    assert sid not in {r["eventSessionId"] for r in result.records["chat_messages"]}
    assert result.count("chat_messages") == mtslink_standin.expected_counts(standin)[
        "chat_messages"
    ] - len(standin.chat[sid])


def test_skips_are_summarised_at_the_end_of_a_cli_run(standin, config, run_cli):
    proc = run_cli([], config=config)

    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = proc.stderr[proc.stderr.index("Run summary") :]
    assert "participations: 1 skipped" in summary
    assert "contact_users: 2 skipped" in summary


def test_403_skips_the_stream_and_the_run_goes_on(standin, config, sync):
    config["api_token"] = mtslink_standin.RESTRICTED_TOKEN
    result = sync(config, streams=["records", "record_conversions", "courses", "timezones"])

    assert result.count("records") == 0
    assert result.count("courses") == 0
    assert result.count("record_conversions") == 0
    assert result.count("timezones") == len(standin.timezones)
    ledger = result.tap.runtime.ledger
    assert ledger.counts[("records", "stream unavailable")] == 1
    # A child family refused for every session is reported once and asked once per worker.
    assert ledger.counts[("record_conversions", "stream unavailable")] == 1
    assert len(standin.requests_to(r"/records/conversions/")) <= 8
    assert "'records'" in ledger.examples[("records", "stream unavailable")]
    assert "scope" in ledger.examples[("records", "stream unavailable")]


def test_403_fails_the_run_in_strict_mode(standin, config, run_cli):
    config.update(api_token=mtslink_standin.RESTRICTED_TOKEN, strict_mode=True)
    proc = run_cli([], config=config)

    assert proc.returncode != 0
    line = next(x for x in proc.stderr.splitlines() if "is not available to this API key" in x)
    assert re.search(r"stream '\w+' is not available", line)
    assert "HTTP 403" in line
    assert "access scope" in line
    assert proc.stderr.count("is not available to this API key") >= 1


def test_403_strict_mode_raises_auth_failure(standin, config, sync):
    config.update(api_token=mtslink_standin.RESTRICTED_TOKEN, strict_mode=True)
    with pytest.raises(AuthFailure, match="'records'"):
        sync(config, streams=["records"])


def test_401_stops_with_a_clear_message(standin, config, run_cli):
    config["api_token"] = "not-a-valid-key"
    proc = run_cli([], config=config)

    assert proc.returncode != 0
    assert "HTTP 401" in proc.stderr
    assert "api_token" in proc.stderr
    assert len(standin.log) == 1


def test_429_waits_for_retry_after_and_retries(standin, config, sync):
    standin.inject(
        r"/v3/timezones$",
        429,
        {"error": {"code": 429, "message": "Too many requests"}},
        headers={"Retry-After": "1"},
    )
    started = time.monotonic()
    result = sync(config, streams=["timezones"])

    assert result.count("timezones") == len(standin.timezones)
    assert len(standin.requests_to(r"/v3/timezones$")) == 2
    assert time.monotonic() - started >= 1.0


def test_5xx_is_retried(standin, config, sync):
    standin.inject(r"/v3/organization/members$", 503, {"error": {"code": 503, "message": "down"}})
    config["max_retries"] = 2
    result = sync(config, streams=["organization_members"])

    assert result.count("organization_members") == len(standin.members)
    assert len(standin.requests_to(r"/v3/organization/members$")) == 2


def test_400_on_a_top_level_stream_fails_the_run(standin, config, sync):
    standin.inject(r"/v3/timezones$", 400, {"error": {"code": 400, "message": "bad"}})
    with pytest.raises(Exception, match="'timezones': FatalAPIError: HTTP 400"):
        sync(config, streams=["timezones"])


def test_dropped_connections_and_timeouts_are_retried_on_worker_threads(standin, config, sync):
    sid = standin.big_session_id
    pattern = rf"/eventsessions/{sid}/participations$"
    standin.inject(pattern, 200, drop=True)
    standin.inject(pattern, 200, [], delay=2.5)
    config.update(request_timeout=1, max_concurrent_requests=4)

    result = sync(config, streams=["participations"])

    assert (
        result.count("participations") == mtslink_standin.expected_counts(standin)["participations"]
    )
    # The dropped one, the timed-out one, then two pages.
    assert len(standin.requests_to(pattern)) == 4
