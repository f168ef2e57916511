"""Zoom's rate limits: budgets per category and plan, and the daily limit's stop."""

from __future__ import annotations

import pytest
from tap_zoom import rate_limits
from tap_zoom.tap import TapZoom

from standins import zoom as zoom_standin
from standins import zoom_limits
from standins.support import serve_in_background, zoom_config
from tap_common.tap import StreamsFailed
from tap_common.testing import run_sync


def _budgets(config: dict) -> dict[str, float]:
    tap = TapZoom(config=config, setup_mapper=False)
    return {b.name: b.rate for b in tap.runtime.governor.budgets.values()}


def test_each_plan_sets_every_category_budget_within_its_documented_limit():
    config = zoom_config("http://127.0.0.1:9", rate_plan="pro")

    rates = _budgets(config)

    # Each budget keeps its category's documented window (N per period) exactly.
    assert rates == {
        "Light": 30,
        "Medium": 20,
        "Heavy": 10,
        "Resource-intensive": pytest.approx(10 / 60),
    }
    config["rate_plan"] = "enterprise"
    assert _budgets(config)["Light"] == 80


def test_single_budgets_can_be_overridden():
    config = zoom_config("http://127.0.0.1:9", rate_plan="pro", rate_limits={"Heavy": 5})

    assert _budgets(config)["Heavy"] == 5
    assert _budgets(config)["Medium"] == 20


@pytest.mark.parametrize(
    "path",
    [
        "/v2/users",
        "/v2/users/u1/meetings",
        "/v2/users/u1/recordings",
        "/v2/report/daily",
        "/v2/report/meetings/abc%3D%3D/participants",
        "/v2/metrics/meetings",
        "/v2/metrics/webinars",
        "/v2/metrics/meetings/abc/participants",
    ],
)
def test_the_tap_assigns_each_endpoint_the_category_zoom_documents(path):
    """The tap's own table agrees with the stand-in's reference table from the api-notes."""
    assert rate_limits.category_for(path) == zoom_limits.category_of(path)


def test_a_daily_limit_stops_its_categories_and_the_others_finish_with_state():
    standin = zoom_standin.build(rate_plan="business", daily_limit=5)
    # One request in flight: the refusal count below is exact.
    config = zoom_config(serve_in_background(standin), max_concurrent_requests=1)
    streams = ["users", "meetings", "past_meetings", "meeting_participants"]

    result = run_sync(TapZoom, config, streams=streams, allow_failure=True)

    assert isinstance(result.error, StreamsFailed)
    message = str(result.error)
    assert "daily limit of 5 requests for Heavy" in message
    assert "resets at" in message
    assert "\n" not in message
    # Medium streams finished in full, with their state; Heavy ones stopped.
    assert result.count("users") == len(standin.users)
    assert result.count("meetings") > 0
    assert "meetings" in result.state["bookmarks"] or "users" in result.state["bookmarks"]
    assert "past_meetings" in result.tap.runtime.failures
    # The daily limit was not retried: one refused request, then none to that category.
    refused = standin.limits.summary()
    assert sum(refused["rejected_types"].values()) == 1
