"""Skip rules, retries, Retry-After, token renewal, scope and plan errors."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from types import SimpleNamespace

import pytest
from singer_sdk.exceptions import RetriableAPIError
from tap_zoom.tap import TapZoom

from standins.expectations import zoom_expected_counts
from standins.support import zoom_config
from tap_common import AuthFailure
from tap_common.tap import StreamsFailed
from tap_common.testing import run_sync

RATE_LIMITED = {"code": 429, "message": "You have reached the maximum per-second rate limit."}


def summary_lines(caplog):
    return [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]


def test_unlicensed_users_and_deleted_meetings_are_skipped_and_counted(standin, config, caplog):
    caplog.set_level(logging.INFO)
    result = run_sync(TapZoom, config)

    assert result.counts() == zoom_expected_counts(standin)
    messages = [r.getMessage() for r in caplog.records]
    assert any("code 3161" in m and "meetings" in m for m in messages)
    assert any("code 3001" in m and "meeting_participants" in m for m in messages)
    summary = next(m for m in messages if m.startswith("Run summary"))
    deleted = len(standin.deleted_uuids)
    unlicensed_calls = 3  # meetings, webinars, recordings of the one unlicensed user
    assert summary == f"Run summary: {2 * deleted + unlicensed_calls} resource(s) skipped."


def test_429_waits_for_retry_after_in_seconds(standin, config, caplog):
    config["user_statuses"] = ["active"]  # one partition: request counts are exact
    caplog.set_level(logging.INFO)
    standin.inject(r"^/v2/users$", 429, RATE_LIMITED, headers={"Retry-After": "1"}, times=2)

    result = run_sync(TapZoom, config, streams=["users"])

    assert result.count("users") == len(standin.users)
    assert len(standin.requests_to(r"^/v2/users$")) == 3
    waits = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Retrying")]
    assert waits == [
        "Retrying /users in 1.00 s after try 1 failed (HTTP 429)",
        "Retrying /users in 1.00 s after try 2 failed (HTTP 429)",
    ]


def test_retry_after_as_a_date_or_missing():
    stream = TapZoom(config=zoom_config("http://127.0.0.1:9")).streams["users"]
    later = datetime.now(timezone.utc) + timedelta(seconds=30)

    def failure(headers):
        return RetriableAPIError("x", SimpleNamespace(headers=headers, status_code=429))

    assert (
        28
        <= stream.retry_wait(failure({"Retry-After": format_datetime(later, usegmt=True)}), 1)
        <= 30
    )
    assert 28 <= stream.retry_wait(failure({"Retry-After": later.isoformat()}), 1) <= 30
    first, third = (stream.retry_wait(failure({}), n) for n in (1, 3))
    assert 1 <= first <= 1.5
    assert 4 <= third <= 6, "without Retry-After the wait grows exponentially"


def test_daily_limit_beyond_max_retry_after_fails_with_the_reason(standin, config):
    tomorrow = (datetime.now(timezone.utc) + timedelta(hours=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    standin.inject(r"^/v2/users$", 429, RATE_LIMITED, headers={"Retry-After": tomorrow})

    with pytest.raises(Exception, match="max_retry_after"):
        run_sync(TapZoom, config, streams=["users"])


def test_server_errors_are_retried(standin, config):
    config["user_statuses"] = ["active"]  # one partition: request counts are exact
    standin.inject(r"^/v2/users$", 503, {"message": "unavailable"}, times=2)
    config["max_retries"] = 3

    result = run_sync(TapZoom, config, streams=["users"])

    assert result.count("users") == len(standin.users)


def test_server_errors_beyond_max_retries_fail(standin, config):
    config["user_statuses"] = ["active"]  # one partition: request counts are exact
    standin.inject(r"^/v2/users$", 500, {"message": "boom"}, times=10)
    config["max_retries"] = 1

    with pytest.raises(StreamsFailed, match=r"'users': RetriableAPIError: HTTP 500"):
        run_sync(TapZoom, config, streams=["users"])
    assert len(standin.requests_to(r"^/v2/users$")) == 2


def test_token_is_renewed_once_after_a_401(standin, config):
    tap = TapZoom(config=config)
    stream = tap.streams["users"]
    assert len(list(stream.request_records(None))) == len(standin.users)
    standin.revoke_tokens()

    assert len(list(stream.request_records(None))) == len(standin.users)
    assert tap.authenticator.token_requests == 2


def test_token_is_renewed_before_it_expires(make_standin):
    standin, url = make_standin(token_ttl=600)  # renewed 60 s before it runs out
    tap = TapZoom(config=zoom_config(url))
    stream = tap.streams["users"]
    list(stream.request_records(None))
    tap.authenticator.last_refreshed -= timedelta(seconds=539)
    list(stream.request_records(None))
    assert tap.authenticator.token_requests == 1, "still 61 s to go: no renewal yet"
    tap.authenticator.last_refreshed -= timedelta(seconds=2)

    list(stream.request_records(None))

    assert tap.authenticator.token_requests == 2
    assert standin.token_requests == 2


def test_a_401_with_a_fresh_token_stops_the_run(standin, config):
    config["user_statuses"] = ["active"]  # one partition: request counts are exact
    standin.inject(r"^/v2/users$", 401, {"code": 124, "message": "Invalid access token."}, times=5)

    with pytest.raises(AuthFailure, match="freshly issued access token was rejected too"):
        run_sync(TapZoom, config, streams=["users"])
    assert len(standin.requests_to(r"^/v2/users$")) == 2


def test_bad_credentials_stop_the_run_naming_the_settings(standin, config):
    config["client_secret"] = "wrong-secret-value"

    with pytest.raises(AuthFailure, match="client_secret") as excinfo:
        run_sync(TapZoom, config, streams=["users"])
    assert "wrong-secret-value" not in str(excinfo.value)
    assert not standin.requests_to(r"^/v2/")


def test_missing_dashboard_scope_stops_the_run(make_standin):
    _, url = make_standin(dashboard="scope")

    with pytest.raises(AuthFailure, match="4711"):
        run_sync(TapZoom, zoom_config(url), streams=["dashboard_meetings"])


def test_plan_without_dashboard_skips_those_streams_only(make_standin, caplog):
    standin, url = make_standin(dashboard="plan")
    caplog.set_level(logging.INFO)

    result = run_sync(TapZoom, zoom_config(url), streams=["users", "dashboard_meetings"])

    assert result.count("users") == len(standin.users)
    assert result.count("dashboard_meetings") == 0
    assert any("Stream 'dashboard_meetings' skipped" in m for m in summary_lines(caplog))


def test_dropped_connections_and_timeouts_are_retried(standin, config):
    config["user_statuses"] = ["active"]  # one partition: request counts are exact
    standin.inject(r"^/v2/users$", 200, drop=True)
    standin.inject(r"^/v2/users$", 200, {"users": []}, delay=2.5)
    config["request_timeout"] = 1

    result = run_sync(TapZoom, config, streams=["users"])

    assert result.count("users") == len(standin.users)
    assert len(standin.requests_to(r"^/v2/users$")) == 3
