"""No secret value in stdout, stderr or state: on success and on every error path."""

from __future__ import annotations

import base64
import json

from standins import oktopost as oktopost_standin

SECRET = oktopost_standin.API_KEY
DESTINATION_SECRETS = ("sftp-Secret-91!", "ftp-pw-55", "okto-sftp-user")


def leaked(text: str, standin) -> list[str]:
    basic = base64.b64encode(f"{oktopost_standin.ACCOUNT_ID}:{SECRET}".encode()).decode()
    signatures = [e.signature for e in standin.exports if e.signature]
    values = [SECRET, basic, *DESTINATION_SECRETS, *signatures]
    return [v for v in values if v and v in text]


def test_successful_run_leaks_nothing(standin, config, run_cli):
    proc = run_cli([], config=config)

    assert proc.returncode == 0, proc.stderr[-2000:]
    assert '"bi_posts"' in proc.stdout
    assert leaked(proc.stdout + proc.stderr, standin) == []


def test_error_paths_leak_nothing(standin, config, run_cli):
    # An API error body echoing the key, a bad key, a refused download.
    standin.inject(
        r"^/v2/campaign$",
        200,
        {"Result": False, "Errors": {"API": {"Error": f"bad request with key {SECRET}"}}},
    )
    proc = run_cli([], config=config)
    assert proc.returncode != 0
    assert "bad request with key" in proc.stderr
    assert leaked(proc.stdout + proc.stderr, standin) == []

    bad = dict(config, api_key=SECRET + "-wrong")
    proc = run_cli([], config=bad)
    assert proc.returncode != 0
    assert SECRET not in proc.stdout + proc.stderr
    assert "api_key" in proc.stderr

    standin.inject(r"^/files/", 403, b"<Error><Code>AccessDenied</Code></Error>", times=20)
    proc = run_cli([], config=config)
    assert proc.returncode != 0
    assert leaked(proc.stdout + proc.stderr, standin) == []


def test_state_holds_no_secret(standin, config, run_cli):
    proc = run_cli([], config=config)
    states = [json.loads(line) for line in proc.stdout.splitlines() if '"STATE"' in line]

    assert states
    assert leaked(json.dumps(states), standin) == []
