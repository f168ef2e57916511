"""OAuth: client credentials, refresh tokens (rotated), renewal before expiry and after a 401."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from singer_sdk.helpers._util import utc_now
from tap_stepik.auth import PlatformAuthenticator
from tap_stepik.tap import TapStepik

from standins import stepik as stepik_standin
from tap_common import AuthFailure
from tap_common.testing import run_sync


def test_one_client_credentials_token_per_run(platform, make_standin):
    standin, config = make_standin(platform)
    config["max_concurrent_requests"] = 8
    run_sync(TapStepik, config)
    assert standin.token_grants == ["client_credentials"]
    token_requests = standin.requests_to(r"^/oauth2/token/$", method="POST")
    assert token_requests[0].headers["authorization"].startswith("Basic ")


def test_tokens_running_out_mid_run_are_renewed(platform, make_standin):
    standin, config = make_standin(platform, token_max_uses=10)
    result = run_sync(TapStepik, config)
    assert result.counts() == stepik_standin.expected_counts(standin)
    api_requests = len(standin.requests_to(r"^/api/"))
    # Each token serves 10 requests, then one 401 per token in flight asks for a new one.
    assert len(standin.token_grants) >= api_requests // 11
    assert set(standin.token_grants) == {"client_credentials"}


def test_a_rejected_token_is_renewed_once(make_standin):
    standin, config = make_standin("stepik")
    standin.inject(r"^/api/lessons$", 401, {"detail": "Invalid token."}, times=1)
    result = run_sync(TapStepik, config, streams=["lessons"])
    assert result.count("lessons") == len(standin.data["lessons"])
    assert standin.token_grants == ["client_credentials", "client_credentials"]


def test_a_fresh_token_rejected_again_stops_the_run(stepik):
    standin, config = stepik
    standin.inject(r"^/api/lessons$", 401, {"detail": "Invalid token."}, times=5)
    with pytest.raises(AuthFailure, match="freshly issued access token"):
        run_sync(TapStepik, config, streams=["lessons"])
    assert len(standin.requests_to(r"^/api/lessons$")) == 2


def test_renews_before_expiry():
    auth = PlatformAuthenticator(
        platform="stepik", oauth_url="http://x/oauth2", client_id="a", client_secret="b"
    )
    auth.access_token = "t"
    auth.expires_in = 36000
    auth.last_refreshed = utc_now() - timedelta(seconds=36000 - 700)
    assert auth.is_token_valid()
    auth.last_refreshed = utc_now() - timedelta(seconds=36000 - 500)
    assert not auth.is_token_valid()  # inside the 600 s margin
    auth.expires_in = 60
    auth.last_refreshed = utc_now() - timedelta(seconds=29)
    assert auth.is_token_valid()  # short lifetimes: renew after half
    auth.last_refreshed = utc_now() - timedelta(seconds=31)
    assert not auth.is_token_valid()


def test_refresh_token_grant_and_rotation_into_token_file(tmp_path, make_standin):
    standin, config = make_standin("hyperskill")
    token_file = tmp_path / "tokens.json"
    token_file.write_text(json.dumps({"refresh_token": stepik_standin.HYPERSKILL_REFRESH_TOKEN}))
    config["token_file"] = str(token_file)
    del config["client_secret"]  # a public application: client_id in the form

    first = run_sync(TapStepik, config, streams=["tracks"])
    assert first.count("tracks") == len(standin.data["tracks"])
    rotated = json.loads(token_file.read_text())["refresh_token"]
    assert rotated != stepik_standin.HYPERSKILL_REFRESH_TOKEN
    assert rotated in standin.refresh_tokens
    assert stepik_standin.HYPERSKILL_REFRESH_TOKEN not in standin.refresh_tokens
    assert oct(token_file.stat().st_mode & 0o777) == "0o600"

    second = run_sync(TapStepik, config, streams=["tracks"])
    assert second.count("tracks") == len(standin.data["tracks"])
    assert standin.token_grants == ["refresh_token", "refresh_token"]
    form = standin.requests_to(r"^/oauth2/token/$", method="POST")[0].form()
    assert form["client_id"] == [standin.client_id]


def test_refresh_token_setting_with_confidential_client(make_standin, caplog):
    standin, config = make_standin("stepik")
    config["refresh_token"] = stepik_standin.STEPIK_REFRESH_TOKEN
    result = run_sync(TapStepik, config, streams=["users"])
    assert result.count("users") == len(standin.data["users"])
    assert standin.token_grants == ["refresh_token"]
    assert "rotated the refresh token" in caplog.text


def test_spent_refresh_token_says_to_log_in_again(make_standin):
    _, config = make_standin("stepik")
    config["refresh_token"] = "spent-refresh-token-value"
    with pytest.raises(AuthFailure, match="tap-stepik-login --platform stepik") as info:
        run_sync(TapStepik, config, streams=["users"])
    assert "invalid_grant" in str(info.value)
    assert "spent-refresh-token-value" not in str(info.value)


def test_renewal_does_not_use_the_retry_budget(make_standin):
    standin, config = make_standin("hyperskill", token_max_uses=5)
    config["max_retries"] = 0
    result = run_sync(TapStepik, config)
    assert result.counts() == stepik_standin.expected_counts(standin)
    assert len(standin.token_grants) > 5
