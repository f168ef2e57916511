"""No secret value in stdout, stderr or state: on success and on every error path."""

from __future__ import annotations

import base64
import json

from standins import zoom as zoom_standin

SECRET = zoom_standin.CLIENT_SECRET


def leaked(text: str, standin) -> list[str]:
    basic = base64.b64encode(f"{zoom_standin.CLIENT_ID}:{SECRET}".encode()).decode()
    values = [SECRET, basic, *standin.issued_tokens]
    return [v for v in values if v and v in text]


def test_successful_run_leaks_nothing(standin, config, run_cli):
    config["max_concurrent_requests"] = 4
    proc = run_cli([], config=config)

    assert proc.returncode == 0, proc.stderr[-2000:]
    assert standin.issued_tokens
    assert leaked(proc.stdout + proc.stderr, standin) == []


def test_error_paths_leak_nothing(standin, config, run_cli):
    # Bad secret, an API error body echoing the token, and a failing server.
    standin.inject(
        r"^/v2/users$",
        400,
        {"code": 300, "message": f"bad request with token {SECRET} echoed"},
    )
    proc = run_cli([], config=config)
    assert proc.returncode != 0
    assert leaked(proc.stdout + proc.stderr, standin) == []

    bad = dict(config, client_secret=SECRET + "-wrong")
    proc = run_cli([], config=bad)
    assert proc.returncode != 0
    assert SECRET not in proc.stdout + proc.stderr
    assert "client_secret" in proc.stderr


def test_state_holds_no_secret(standin, config, run_cli):
    proc = run_cli([], config=config)
    states = [json.loads(line) for line in proc.stdout.splitlines() if '"STATE"' in line]

    assert states
    assert leaked(json.dumps(states), standin) == []
