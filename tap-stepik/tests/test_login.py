"""``tap-stepik-login``: the authorization-code flow, driven by a client hitting the redirect."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import requests
from tap_stepik.tap import TapStepik

from tap_common.testing import run_sync


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_login(standin, base_url, output, *extra, secret=True):
    env = {k: v for k, v in os.environ.items() if not k.endswith("_CLIENT_SECRET")}
    if secret:
        env["HYPERSKILL_CLIENT_SECRET"] = standin.client_secret
    argv = [
        sys.executable,
        "-m",
        "tap_stepik.login",
        "--platform",
        "hyperskill",
        "--port",
        str(_free_port()),
        "--output",
        str(output),
        "--client-id",
        standin.client_id,
        "--oauth-url",
        f"{base_url}/oauth2",
        "--timeout",
        "60",
        *extra,
    ]
    process = subprocess.Popen(  # noqa: S603
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert process.stdout is not None
    lines = []
    while True:
        line = process.stdout.readline()
        assert line, f"login exited early: {process.stderr.read() if process.stderr else ''}"
        lines.append(line)
        if line.startswith("Waiting for the redirect"):
            break
    url = next(line.strip() for line in lines if "/oauth2/authorize/" in line)
    return process, url


def test_login_flow_stores_a_refresh_token_the_tap_can_use(tmp_path, make_standin):
    standin, config = make_standin("hyperskill")
    base_url = config["api_url"].removesuffix("/api")
    output = tmp_path / "tokens.json"
    process, url = _start_login(standin, base_url, output)

    # The "browser": follow the authorize URL; the stand-in redirects to the local server.
    page = requests.get(url, timeout=30)
    assert page.status_code == 200
    assert "Logged in" in page.text
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert f"saved to {output}" in stdout

    stored = json.loads(output.read_text())
    assert stored["platform"] == "hyperskill"
    assert stored["refresh_token"] in standin.refresh_tokens
    assert stored["refresh_token"] not in stdout + stderr
    assert oct(output.stat().st_mode & 0o777) == "0o600"
    assert standin.token_grants == ["authorization_code"]
    authorize = standin.requests_to(r"^/oauth2/authorize/$")[0]
    assert authorize.arg("code_challenge_method") == "S256"
    assert authorize.arg("redirect_uri").startswith("http://localhost:")

    config["token_file"] = str(output)
    del config["client_secret"]
    result = run_sync(TapStepik, config, streams=["projects"])
    assert result.count("projects") == len(standin.data["projects"])


def test_login_rejects_a_redirect_with_the_wrong_state(tmp_path, make_standin):
    standin, config = make_standin("hyperskill")
    base_url = config["api_url"].removesuffix("/api")
    output = tmp_path / "tokens.json"
    process, url = _start_login(standin, base_url, output)
    redirect = requests.get(url, allow_redirects=False, timeout=30).headers["Location"]
    forged = redirect.split("&state=")[0] + "&state=forged"
    requests.get(forged, timeout=30)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert "state does not match" in stderr
    assert not output.exists()
    assert standin.token_grants == []


def test_login_reports_a_refused_code_exchange(tmp_path, make_standin):
    standin, config = make_standin("hyperskill")
    base_url = config["api_url"].removesuffix("/api")
    output = tmp_path / "tokens.json"
    process, url = _start_login(standin, base_url, output, secret=False)
    standin.inject(r"^/oauth2/token/$", 400, {"error": "invalid_grant"}, method="POST")
    requests.get(url, timeout=30)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert "refused the code (HTTP 400: invalid_grant)" in stderr
    assert not output.exists()
