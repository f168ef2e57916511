"""Zoom's rate limits: the category of every endpoint the tap calls, and each plan's rates.

Source: https://developers.zoom.us/docs/api/rate-limits/ (api-notes §4 and §7). Limits apply
per account and are shared by every app of the account. Heavy and Resource-intensive requests
also share a daily count (Pro 30,000, Business and above 60,000); the tap does not spend it
blindly: when Zoom answers ``X-RateLimit-Type: Daily-limit``, those two categories stop until
the reset and the other categories finish.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from tap_common.governor import BudgetSpec

LIGHT, MEDIUM, HEAVY, RESOURCE_INTENSIVE = "Light", "Medium", "Heavy", "Resource-intensive"
CATEGORIES = (LIGHT, MEDIUM, HEAVY, RESOURCE_INTENSIVE)

#: Requests per second (Resource-intensive: per minute), per plan.
PLANS: dict[str, dict[str, float]] = {
    "free": {LIGHT: 4, MEDIUM: 2, HEAVY: 1, RESOURCE_INTENSIVE: 10},
    "pro": {LIGHT: 30, MEDIUM: 20, HEAVY: 10, RESOURCE_INTENSIVE: 10},
    "business": {LIGHT: 80, MEDIUM: 60, HEAVY: 40, RESOURCE_INTENSIVE: 20},
}
#: Plans with the Business limits ("Business and above").
PLANS["business_plus"] = PLANS["enterprise"] = PLANS["education"] = PLANS["business"]

PLAN_NAMES = ("free", "pro", "business", "business_plus", "enterprise", "education")

#: Endpoint -> category, first match wins (paths as requested, after the API's base path).
ENDPOINT_CATEGORIES: tuple[tuple[str, str], ...] = (
    (r"/metrics/(meetings|webinars)$", RESOURCE_INTENSIVE),  # dashboards lists
    (r"/metrics/", HEAVY),  # a dashboard meeting's participants
    (r"/report/", HEAVY),  # every report
    (r"/past_(meetings|webinars)/[^/]+$", LIGHT),  # one past instance
    (r"/past_(meetings|webinars)/", MEDIUM),  # instances, participants
    (r"/users(/|$)", MEDIUM),  # users, their meetings, webinars, recordings
)

DAILY_GROUP = "Heavy and Resource-intensive (daily)"


def budgets(plan: str, overrides: Mapping[str, float] | None = None) -> list[BudgetSpec]:
    """The four category budgets of ``plan``, with single rates overridden.

    ``overrides`` maps a category to its rate in the category's own unit (per second, or per
    minute for Resource-intensive); 0 lifts the limit of that category.
    """
    rates = {**PLANS[plan], **{k: v for k, v in (overrides or {}).items() if v is not None}}
    return [
        BudgetSpec(LIGHT, rates[LIGHT]),
        BudgetSpec(MEDIUM, rates[MEDIUM]),
        BudgetSpec(HEAVY, rates[HEAVY], daily_group=DAILY_GROUP),
        BudgetSpec(RESOURCE_INTENSIVE, rates[RESOURCE_INTENSIVE], per=60, daily_group=DAILY_GROUP),
    ]


def category_for(path: str) -> str:
    """The category of one request path (Medium when no rule matches)."""
    return next((c for pattern, c in ENDPOINT_CATEGORIES if re.search(pattern, path)), MEDIUM)
