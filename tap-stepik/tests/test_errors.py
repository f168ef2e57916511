"""Retries (bounded), pages that keep failing, end-of-list 404s, skips and permission errors."""

from __future__ import annotations

import contextlib
import io

import pytest
from singer_sdk.exceptions import FatalAPIError
from tap_stepik.tap import TapStepik

from tap_common import AuthFailure
from tap_common.testing import catalog_selecting, parse_singer, run_sync


def _page(number: int, resource: str):
    return lambda r: r.raw_path == f"/api/{resource}" and r.arg("page") == str(number)


def test_429_with_retry_after_is_retried(platform, standin, config):
    standin.inject(
        r"^/api/users$",
        429,
        {"detail": "Request was throttled. Expected available in 1 second."},
        headers={"Retry-After": "0.2"},
        times=2,
    )
    result = run_sync(TapStepik, config, streams=["users"])
    assert result.count("users") == len(standin.data["users"])
    assert len(standin.requests_to(r"^/api/users$")) >= 3


def test_transient_5xx_is_retried(stepik):
    standin, config = stepik
    standin.inject_when(_page(2, "users"), 502, "Bad gateway", headers={"Retry-After": "0"})
    result = run_sync(TapStepik, config, streams=["users"])
    assert result.count("users") == len(standin.data["users"])
    assert [r.arg("page") for r in standin.requests_to(r"^/api/users$")] == ["1", "2", "2"]


def test_a_page_that_keeps_failing_stops_the_run_clearly(stepik):
    standin, config = stepik
    config["max_retries"] = 2
    standin.inject_when(
        _page(2, "users"), 503, {"detail": "down"}, headers={"Retry-After": "0"}, times=99
    )
    with pytest.raises(FatalAPIError, match=r"page 2 of /users still failed after 3 tries"):
        run_sync(TapStepik, config, streams=["users"])
    assert len(standin.requests_to(r"^/api/users$")) == 1 + 3


def test_invalid_page_ends_the_list(stepik):
    """The list shrank between pages: DRF answers 404 "Invalid page." and the list ends."""
    standin, config = stepik
    standin.inject_when(_page(2, "users"), 404, {"detail": "Invalid page."})
    result = run_sync(TapStepik, config, streams=["users"])
    assert result.count("users") == 20


def _sync_keeping_tap(config: dict, streams: list[str]):
    catalog = catalog_selecting(TapStepik, config, streams)
    tap = TapStepik(config=config, catalog=catalog)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        tap.sync_all()
    return tap, parse_singer(buffer.getvalue())


@pytest.mark.parametrize("status", [403, 404])
def test_submissions_of_one_step_denied_or_gone_are_skipped_and_counted(stepik, status):
    standin, config = stepik
    step = next(iter(standin.submission_steps.values()))
    standin.inject_when(
        lambda r: r.raw_path == "/api/submissions" and r.arg("step") == str(step),
        status,
        {"detail": "You do not have permission to perform this action."},
    )
    tap, result = _sync_keeping_tap(config, ["submissions"])
    expected = [s for s, st in standin.submission_steps.items() if st != step]
    assert sorted(r["id"] for r in result.records["submissions"]) == sorted(expected)
    assert tap.runtime.ledger.total == 1
    (line,) = tap.runtime.ledger.summary_lines()
    assert line.startswith(f"submissions: 1 skipped (resource), e.g. step={step}: HTTP {status}")


def test_forbidden_endpoint_stops_the_run(hyperskill):
    standin, config = hyperskill
    standin.inject(r"^/api/tracks$", 403, {"detail": "Authentication required."})
    with pytest.raises(AuthFailure, match=r"may not read /tracks \(HTTP 403"):
        run_sync(TapStepik, config, streams=["tracks"])


def test_cli_exits_non_zero_with_the_reason(run_cli, stepik):
    standin, config = stepik
    config["max_retries"] = 1
    standin.inject(r"^/api/users$", 500, {"detail": "boom"}, headers={"Retry-After": "0"}, times=9)
    done = run_cli([], config=config)
    assert done.returncode != 0
    assert "still failed after 2 tries (HTTP 500 on /api/users: boom)" in done.stderr
    assert config["client_secret"] not in done.stdout + done.stderr
