"""Bad config: exit non-zero before any request, with one line naming the setting."""

from __future__ import annotations

import pytest

BAD = [
    ("api_token", lambda c: c.pop("api_token")),
    ("start_date", lambda c: c.update(start_date="last tuesday")),
    ("end_date", lambda c: c.update(end_date="2010-01-01T00:00:00Z")),
    ("api_url", lambda c: c.update(api_url="userapi.mts-link.ru/v3")),
    ("event_session_ids", lambda c: c.update(event_session_ids=["abc"])),
    ("user_ids", lambda c: c.update(user_ids=7)),
    ("strict_mode", lambda c: c.update(strict_mode="yes")),
    ("lookback_days", lambda c: c.update(lookback_days=-1)),
    ("max_concurrent_requests", lambda c: c.update(max_concurrent_requests=0)),
    ("api_token", lambda c: c.update(api_token="")),
]


@pytest.mark.parametrize(("setting", "spoil"), BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_bad_setting_exits_before_any_request(standin, config, run_cli, setting, spoil):
    spoil(config)

    proc = run_cli([], config=config)

    assert proc.returncode != 0
    assert proc.stdout == ""
    named = (f"'{setting}'", f"'{setting}.")  # an array item is named 'ids.0'
    errors = [line for line in proc.stderr.splitlines() if any(n in line for n in named)]
    assert errors, proc.stderr
    assert not standin.log, "no request may be sent with a bad config"


def test_good_config_discovers_without_requests(standin, config, run_cli):
    proc = run_cli(["--discover"], config=config)

    assert proc.returncode == 0, proc.stderr
    assert '"event_sessions"' in proc.stdout
    assert not standin.log, "discovery needs no request"
