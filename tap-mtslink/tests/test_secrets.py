"""No key in stdout, stderr or state: on success and on every error path."""

from __future__ import annotations

import json

from standins import mtslink as mtslink_standin

KEY = mtslink_standin.API_TOKEN


def test_successful_run_leaks_nothing(standin, config, run_cli):
    proc = run_cli([], config=config)

    assert proc.returncode == 0, proc.stderr[-2000:]
    assert KEY not in proc.stdout + proc.stderr
    states = [json.loads(line) for line in proc.stdout.splitlines() if '"STATE"' in line]
    assert states
    assert KEY not in json.dumps(states)


def test_error_paths_leak_nothing(standin, config, run_cli):
    # An error body echoing the key on a top-level stream (fatal), then on a child (skipped).
    standin.inject(
        r"/v3/timezones$",
        400,
        {"error": {"code": 400, "message": f"bad request, x-auth-token {KEY} rejected"}},
    )
    standin.inject(
        r"/participations$",
        404,
        {"error": {"code": 404, "message": f"no such session for key {KEY}"}},
    )
    proc = run_cli([], config=config)
    assert proc.returncode != 0
    assert KEY not in proc.stdout + proc.stderr

    restricted = dict(config, api_token=mtslink_standin.RESTRICTED_TOKEN, strict_mode=True)
    proc = run_cli([], config=restricted)
    assert proc.returncode != 0
    assert mtslink_standin.RESTRICTED_TOKEN not in proc.stdout + proc.stderr

    wrong = dict(config, api_token=KEY + "-wrong")
    proc = run_cli([], config=wrong)
    assert proc.returncode != 0
    assert KEY not in proc.stdout + proc.stderr
    assert "api_token" in proc.stderr
