"""Bad config: exit non-zero before any request, with one line naming the setting."""

from __future__ import annotations

import pytest

BAD = [
    ("client_id", lambda c: c.pop("client_id")),
    ("start_date", lambda c: c.update(start_date="last tuesday")),
    ("end_date", lambda c: c.update(end_date="2020-01-01T00:00:00Z")),
    ("page_size", lambda c: c.update(page_size=500)),
    ("api_url", lambda c: c.update(api_url="api.zoom.us/v2")),
    ("max_concurrent_requests", lambda c: c.update(max_concurrent_requests=0)),
    ("client_secret", lambda c: c.update(client_secret="")),
]


@pytest.mark.parametrize(("setting", "spoil"), BAD, ids=[b[0] for b in BAD])
def test_bad_setting_exits_before_any_request(standin, config, run_cli, setting, spoil):
    spoil(config)

    proc = run_cli([], config=config)

    assert proc.returncode != 0
    assert proc.stdout == ""
    errors = [line for line in proc.stderr.splitlines() if f"'{setting}'" in line]
    assert errors, proc.stderr
    assert not standin.log, "no request may be sent with a bad config"


def test_good_config_passes(standin, config, run_cli):
    proc = run_cli(["--discover"], config=config)

    assert proc.returncode == 0, proc.stderr
    assert '"meeting_participants"' in proc.stdout
    assert not standin.log, "discovery needs no request"
