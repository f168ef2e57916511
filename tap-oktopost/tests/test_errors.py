"""Errors: Result:false with HTTP 200, bad credentials, 429, deleted items, missing rights."""

from __future__ import annotations

import pytest
from singer_sdk.exceptions import FatalAPIError
from tap_oktopost.client import BLOCK_SECONDS, OktopostStream, oktopost_error
from tap_oktopost.tap import TapOktopost

from standins import oktopost as oktopost_standin
from tap_common import AuthFailure
from tap_common.stream import RetryAfterTooLong
from tap_common.testing import run_sync

SHAPES = [
    (
        {"Result": False, "Errors": {"API": {"Error": "Campaign module disabled"}}},
        "module disabled",
    ),
    (
        {"Errors": {"api": {"message": "You must send campaignId"}}, "Result": False},
        "send campaignId",
    ),
    ({"Result": False, "Errors": ["Missing required field: email"]}, "Missing required field"),
]


@pytest.mark.parametrize(("body", "text"), SHAPES, ids=["API.Error", "api.message", "list"])
def test_result_false_with_http_200_is_an_error_with_the_api_message(standin, config, body, text):
    standin.inject(r"^/v2/campaign$", 200, body)

    with pytest.raises(FatalAPIError) as raised:
        run_sync(TapOktopost, config, streams=["campaigns"])

    assert text in str(raised.value)
    assert "Result: false" in str(raised.value)


def test_error_message_of_an_empty_error_list():
    assert oktopost_error({"Result": False, "Errors": []}) == "no error message"


def test_bad_credentials_stop_the_run_with_a_clear_message(standin, config, run_cli):
    config["api_key"] = "wrong-key-123"

    proc = run_cli([], config=config)

    assert proc.returncode != 0
    assert "Oktopost rejected the credentials (HTTP 401)" in proc.stderr
    assert "'api_key'" in proc.stderr
    assert '"type":"RECORD"' not in proc.stdout.replace(" ", "")


def test_connection_check_uses_me(standin, config):
    tap = TapOktopost(config=config, setup_mapper=False)
    assert tap.check_connection()["Account"]["Id"] == config["account_id"]
    assert standin.requests_to(r"^/v2/me$")

    config["api_key"] = "nope-nope"
    with pytest.raises(AuthFailure, match="account_id"):
        TapOktopost(config=config, setup_mapper=False).check_connection()


def test_429_waits_what_retry_after_says_then_goes_on(standin, config):
    standin.inject(
        r"^/v2/tag$",
        429,
        {"Result": False, "Errors": {"API": {"Error": "Rate limit exceeded"}}},
        headers={"Retry-After": "1"},
    )

    result = run_sync(TapOktopost, config, streams=["tags"])

    assert result.count("tags") == len(standin.tags)
    assert len(standin.requests_to(r"^/v2/tag$")) == 2


def _stream(config) -> OktopostStream:
    tap = TapOktopost(config=config, setup_mapper=False, validate_config=False)
    return next(s for s in tap.discover_streams() if s.name == "tags")


class _Response:
    def __init__(self, status, headers):
        self.status_code = status
        self.headers = headers


class _Error(Exception):
    def __init__(self, response):
        super().__init__("x")
        self.response = response


def test_429_without_retry_after_waits_out_the_15_minute_block(config):
    stream = _stream(dict(config, bi_export_ids=["none"]))

    assert stream.retry_wait(_Error(_Response(429, {})), 1) == BLOCK_SECONDS
    assert stream.retry_wait(_Error(_Response(429, {"Retry-After": "30"})), 1) == 30


def test_429_longer_than_max_retry_after_fails_clearly(config):
    stream = _stream(dict(config, bi_export_ids=["none"], max_retry_after=60))

    with pytest.raises(RetryAfterTooLong, match="blocked for 15 minutes"):
        stream.retry_wait(_Error(_Response(429, {})), 1)


def test_default_max_retry_after_outlasts_the_block(config):
    tap = TapOktopost(config=config, setup_mapper=False)
    assert tap.config["max_retry_after"] >= BLOCK_SECONDS


def test_a_deleted_campaign_skips_its_messages_and_the_run_goes_on(make_standin, caplog):
    standin, url = make_standin()
    config = oktopost_standin.tap_config(url)
    gone = standin.campaigns[0]["Id"]
    standin.deleted_campaigns.add(gone)

    result = run_sync(TapOktopost, config, streams=["campaigns", "messages"])

    first = [m for m in standin.messages if m["CampaignId"] == gone]
    assert result.count("messages") == len(standin.messages) - len(first)
    assert result.count("campaigns") == len(standin.campaigns)
    assert "1 resource(s) skipped" in caplog.text


def test_a_forbidden_endpoint_skips_the_stream_only(standin, config, caplog):
    standin.inject(
        r"^/v2/lead$", 403, {"Result": False, "Errors": {"API": {"Error": "No permission"}}}
    )

    result = run_sync(TapOktopost, config, streams=["leads", "users"])

    assert result.count("leads") == 0
    assert result.count("users") == len(standin.users)
    assert "No permission" in caplog.text


def test_5xx_is_retried(standin, config):
    standin.inject(r"^/v2/user$", 502, {"message": "bad gateway"}, headers={"Retry-After": "0"})

    result = run_sync(TapOktopost, config, streams=["users"])

    assert result.count("users") == len(standin.users)


def test_no_right_to_bi_exports_skips_them_and_the_rest_goes_on(standin, config, caplog):
    standin.inject(
        r"^/v2/bi-export$",
        403,
        {"Result": False, "Errors": {"API": {"Error": "No access to BI exports"}}},
        times=10,
    )

    result = run_sync(TapOktopost, config)

    assert not [name for name in result.counts() if name.startswith("bi_")]
    assert result.count("campaigns") == len(standin.campaigns)
    assert "No access to BI exports" in caplog.text
    assert "skipped" in caplog.text
