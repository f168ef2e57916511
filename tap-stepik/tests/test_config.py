"""Bad config exits non-zero with one line naming the setting, before any request; no secret
value ever reaches stdout, stderr or state, on success or on error."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from tap_stepik.tap import TapStepik

from standins import stepik as stepik_standin
from tap_common.testing import catalog_selecting, parse_singer


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "| ERROR" in line]


@pytest.mark.parametrize(
    ("change", "setting"),
    [
        ({"client_id": None}, "'client_id' is required"),
        ({"platform": "stepic"}, "'platform' must be one of hyperskill, stepik"),
        ({"client_secret": None}, "'client_secret' is required unless"),
        ({"api_url": "stepik.org/api"}, "'api_url' must be an http"),
        ({"start_date": "yesterday-ish"}, "'start_date'"),
        ({"ids": {"lessonz": [1]}}, "'ids.lessonz': no such stream"),
        ({"ids": {"steps": ["x"]}}, "'ids.steps.0' has the wrong type"),
        ({"ids_file": "/nonexistent.csv", "ids_file_stream": "steps"}, "'ids_file' names a file"),
        ({"ids_file": "/nonexistent.csv"}, "'ids_file_stream' is required"),
        ({"max_records": {"stepz": 3}}, "'max_records.stepz': no such stream"),
        ({"max_records": {"steps": 0}}, "'max_records.steps' must be at least 1"),
        ({"custom_objects": ["Bad Name"]}, "'custom_objects': 'Bad Name' is not"),
        ({"custom_objects": ["steps"]}, "'custom_objects': 'steps' is already a stream"),
        ({"token_file": "/nonexistent.json"}, "'token_file' is not a readable JSON file"),
        ({"page_size": 5000}, "'page_size' must be at most 1000"),
    ],
)
def test_bad_config_exits_before_any_request(run_cli, make_standin, change, setting):
    standin, config = make_standin("stepik")
    for key, value in change.items():
        if value is None:
            config.pop(key)
        else:
            config[key] = value
    done = run_cli([], config=config)
    assert done.returncode != 0
    errors = _error_lines(done.stderr)
    assert errors
    assert f"Setting {setting}" in errors[0]
    assert standin.log == []
    assert standin.client_secret not in done.stderr


def test_token_file_without_refresh_token(tmp_path, run_cli, make_standin):
    _, config = make_standin("stepik")
    token_file = tmp_path / "tokens.json"
    token_file.write_text(json.dumps({"platform": "stepik"}))
    config["token_file"] = str(token_file)
    done = run_cli([], config=config)
    assert done.returncode != 0
    assert "Setting 'token_file': the file holds no refresh_token." in done.stderr


def _secrets(standin) -> list[str]:
    return [
        standin.client_secret,
        *standin.access_tokens,
        *standin.refresh_tokens,
        stepik_standin.STEPIK_REFRESH_TOKEN,
        stepik_standin.HYPERSKILL_REFRESH_TOKEN,
    ]


def test_no_secret_in_output_on_success(run_cli, make_standin, tmp_path):
    standin, config = make_standin("hyperskill")
    config["refresh_token"] = stepik_standin.HYPERSKILL_REFRESH_TOKEN
    done = run_cli([], config=config)
    assert done.returncode == 0, done.stderr[-2000:]
    state = [line for line in done.stdout.splitlines() if '"type":"STATE"' in line.replace(" ", "")]
    assert state
    assert len(standin.access_tokens) == 1
    for secret in _secrets(standin):
        assert secret not in done.stdout
        assert secret not in done.stderr


@pytest.mark.parametrize(
    "fault",
    [
        ("token", 401, {"error": "invalid_client"}),
        ("api", 401, {"detail": "Invalid token."}),
        ("api", 500, {"detail": "Server Error"}),
    ],
)
def test_no_secret_in_output_on_error(run_cli, make_standin, fault):
    standin, config = make_standin("stepik")
    config["max_retries"] = 0
    where, status, body = fault
    if where == "token":
        standin.inject(r"^/oauth2/token/$", status, body, method="POST", times=9)
    else:
        standin.inject(r"^/api/", status, body, times=9)
    done = run_cli([], config=config)
    assert done.returncode != 0
    assert done.stderr.strip()
    for secret in _secrets(standin):
        assert secret not in done.stdout
        assert secret not in done.stderr
    if where == "token":
        assert "Check the settings client_id and client_secret" in done.stderr


def test_about_lists_secrets_as_secret():
    schema = TapStepik.config_jsonschema["properties"]
    assert schema["client_secret"].get("secret") is True
    assert schema["refresh_token"].get("secret") is True


def test_object_and_number_settings_from_env_vars(make_standin, tmp_path):
    standin, config = make_standin("stepik")
    wanted = [u["id"] for u in standin.data["users"][:3]]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAP_STEPIK_")}
    for key, value in config.items():
        env[f"TAP_STEPIK_{key.upper()}"] = str(value)
    env["TAP_STEPIK_IDS"] = json.dumps({"users": wanted})
    env["TAP_STEPIK_MAX_RECORDS"] = '{"users": 2}'
    env["TAP_STEPIK_REQUESTS_PER_SECOND"] = "0.5e2"
    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps(catalog_selecting(TapStepik, config, ["users"])))
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tap_stepik", "--config", "ENV", "--catalog", str(catalog)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-1500:]
    records = parse_singer(done.stdout).records["users"]
    assert [r["id"] for r in records] == wanted[:2]
