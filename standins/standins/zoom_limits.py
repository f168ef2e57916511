"""Zoom's documented rate limits: categories per endpoint, limits per plan, and the limiter.

The reference table of the Zoom stand-in (``build(rate_plan=...)``). Sources: the project's API
notes (``zoom.md`` §4 labels every endpoint with its category, §7 the limits per plan) and
Zoom's rate-limit page they cite. The tap keeps its own copy of what it needs; this one is what
the stand-in enforces.

Per plan and category (a sliding window per category; the account is the stand-in):

============  =======  ========  =======  ==================
plan          Light    Medium    Heavy    Resource-intensive
============  =======  ========  =======  ==================
free          4/s      2/s       1/s      10/min
pro           30/s     20/s      10/s     10/min
business      80/s     60/s      40/s     20/min
============  =======  ========  =======  ==================

Daily limits (reset at 00:00 UTC): Pro 30,000 and Business+ 60,000 requests shared by Heavy and
Resource-intensive; Free (notes, from a secondary source) 6,000 Light, 2,000 Medium, 1,000
Heavy and 30,000 Resource-intensive, each its own.

Above a per-second (per-minute) limit the answer is 429 ``{"code": 429, "message": "You have
reached the maximum per-second rate limit for this API. Try again later."}`` with
``X-RateLimit-Category``, ``X-RateLimit-Type: QPS``, ``X-RateLimit-Limit``,
``X-RateLimit-Remaining: 0`` and ``Retry-After`` in seconds (when the window frees a slot, at
least 1). Above a daily limit: ``X-RateLimit-Type: Daily-limit``, the daily number as
``X-RateLimit-Limit`` and ``Retry-After`` as the ISO timestamp of the next UTC midnight
(``2020-05-31T00:00:00Z``, the documented example), with a message ending "You may resume these
requests at GMT 00:00:00.". Answers let through carry the category's QPS headers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from standins.limits import Limits, SlidingWindow, retry_after_seconds

LIGHT, MEDIUM, HEAVY, INTENSIVE = "Light", "Medium", "Heavy", "Resource-intensive"
CATEGORIES = (LIGHT, MEDIUM, HEAVY, INTENSIVE)

#: The documented category of every endpoint (paths under ``/v2``). Webinar endpoints are
#: labelled like their meeting counterparts (reports Heavy, lists Medium); the dashboards that
#: the notes name as Resource-intensive are listed even where the stand-in does not serve them.
ENDPOINT_CATEGORIES: dict[str, str] = {
    "/users": MEDIUM,
    "/users/{userId}/meetings": MEDIUM,
    "/users/{userId}/webinars": MEDIUM,
    "/users/{userId}/recordings": MEDIUM,
    "/report/users": HEAVY,
    "/report/users/{userId}/meetings": HEAVY,
    "/report/meetings/{meetingUUID}": HEAVY,
    "/report/meetings/{meetingUUID}/participants": HEAVY,
    "/report/webinars/{webinarUUID}/participants": HEAVY,
    "/report/daily": HEAVY,
    "/metrics/meetings": INTENSIVE,
    "/metrics/webinars": INTENSIVE,
    "/metrics/zoomrooms": INTENSIVE,
    "/metrics/im": INTENSIVE,
    "/metrics/meetings/{meetingUUID}": HEAVY,
    "/metrics/meetings/{meetingUUID}/participants": HEAVY,
    "/past_meetings/{meetingId}/instances": MEDIUM,
    "/past_meetings/{meetingUUID}/participants": MEDIUM,
    "/past_meetings/{meetingUUID}": LIGHT,
}


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    body = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^(?:/v2)?{body}/?$")


_MATCHERS = [(_template_regex(t), c) for t, c in ENDPOINT_CATEGORIES.items()]


def category_of(path: str) -> str | None:
    """The category of a raw request path (``/v2`` optional; path ids percent-encoded)."""
    for pattern, category in _MATCHERS:
        if pattern.match(path):
            return category
    return None


@dataclass(frozen=True)
class Rate:
    """``limit`` requests per ``period`` seconds."""

    limit: int
    period: float = 1.0

    @property
    def unit(self) -> str:
        """``second`` or ``minute``, as Zoom's messages say it."""
        return "minute" if self.period >= 60 else "second"


@dataclass(frozen=True)
class DailyPool:
    """A daily limit shared by ``categories``."""

    categories: frozenset[str]
    limit: int

    @property
    def label(self) -> str:
        """The categories as a message names them."""
        return " and ".join(c for c in CATEGORIES if c in self.categories)


@dataclass(frozen=True)
class Plan:
    """One plan's per-category rates and daily pools."""

    name: str
    rates: dict[str, Rate]
    daily: tuple[DailyPool, ...] = field(default=())


def _shared(limit: int) -> tuple[DailyPool, ...]:
    return (DailyPool(frozenset({HEAVY, INTENSIVE}), limit),)


PLANS: dict[str, Plan] = {
    "free": Plan(
        "free",
        {LIGHT: Rate(4), MEDIUM: Rate(2), HEAVY: Rate(1), INTENSIVE: Rate(10, 60)},
        (
            DailyPool(frozenset({LIGHT}), 6000),
            DailyPool(frozenset({MEDIUM}), 2000),
            DailyPool(frozenset({HEAVY}), 1000),
            DailyPool(frozenset({INTENSIVE}), 30000),
        ),
    ),
    "pro": Plan(
        "pro",
        {LIGHT: Rate(30), MEDIUM: Rate(20), HEAVY: Rate(10), INTENSIVE: Rate(10, 60)},
        _shared(30000),
    ),
    "business": Plan(
        "business",
        {LIGHT: Rate(80), MEDIUM: Rate(60), HEAVY: Rate(40), INTENSIVE: Rate(20, 60)},
        _shared(60000),
    ),
}
#: Other names of the plans (Zoom's "Business+" covers Business, Education, Enterprise and
#: Partner accounts).
PLAN_ALIASES = {
    "business+": "business",
    "business_plus": "business",
    "businessplus": "business",
    "enterprise": "business",
    "education": "business",
    "partner": "business",
}


def plan_named(name: str) -> Plan:
    """The plan called ``name`` (case-insensitive, aliases accepted)."""
    key = str(name).strip().lower()
    key = PLAN_ALIASES.get(key, key)
    if key not in PLANS:
        known = ", ".join([*PLANS, *PLAN_ALIASES])
        raise ValueError(f"unknown Zoom rate_plan {name!r}; use one of {known}")
    return PLANS[key]


def next_utc_midnight(epoch: float) -> datetime:
    """The first 00:00 UTC after the moment ``epoch``."""
    moment = datetime.fromtimestamp(epoch, timezone.utc)
    return datetime.combine(moment.date() + timedelta(days=1), datetime.min.time(), timezone.utc)


@dataclass
class Verdict:
    """What the limiter decided: headers for the answer, and a 429 body if refused."""

    headers: dict[str, str]
    refusal: dict[str, Any] | None = None

    @property
    def refused(self) -> bool:
        """Whether the request must be answered 429."""
        return self.refusal is not None


class ZoomRateLimiter:
    """A plan's limits for one account: a sliding window per category and the daily pools."""

    def __init__(self, limits: Limits, plan: Plan | str, daily_limit: int | None = None) -> None:
        self.limits = limits
        self.plan = plan if isinstance(plan, Plan) else plan_named(plan)
        pools = self.plan.daily
        if daily_limit not in (None, ""):
            override = int(daily_limit)  # type: ignore[arg-type]
            if override < 0:
                raise ValueError(f"daily_limit must not be negative, not {daily_limit!r}")
            pools = tuple(DailyPool(p.categories, override) for p in pools)
        self.pools = pools
        self.windows = {c: SlidingWindow(r.limit, r.period) for c, r in self.plan.rates.items()}
        self._daily_used: dict[int, tuple[str, int]] = {}

    def daily_used(self, category: str) -> int:
        """Requests counted today against the daily pool of ``category`` (0 if it has none)."""
        with self.limits.lock:
            pool = self._pool_index(category)
            if pool is None:
                return 0
            return self._today(pool, self.limits.now())

    def _pool_index(self, category: str) -> int | None:
        for index, pool in enumerate(self.pools):
            if category in pool.categories:
                return index
        return None

    def _today(self, index: int, now: float) -> int:
        day = datetime.fromtimestamp(now, timezone.utc).date().isoformat()
        counted_day, used = self._daily_used.get(index, (day, 0))
        return used if counted_day == day else 0

    def admit(self, category: str) -> Verdict:
        """Count a request of ``category`` if it may go on; the headers and body to answer."""
        rate = self.plan.rates[category]
        window = self.windows[category]
        with self.limits.lock:
            now = self.limits.now()
            index = self._pool_index(category)
            if index is not None and self._today(index, now) >= self.pools[index].limit:
                return self._daily_refusal(category, self.pools[index], now)
            wait = window.wait(now)
            if wait > 0:
                self.limits.count_rejected(category, "QPS")
                headers = self._headers(category, "QPS", rate.limit, 0)
                headers["Retry-After"] = retry_after_seconds(wait)
                message = (
                    f"You have reached the maximum per-{rate.unit} rate limit for this API. "
                    "Try again later."
                )
                return Verdict(headers, {"code": 429, "message": message})
            window.add(now)
            if index is not None:
                day = datetime.fromtimestamp(now, timezone.utc).date().isoformat()
                self._daily_used[index] = (day, self._today(index, now) + 1)
            self.limits.count_accepted(category)
            return Verdict(self._headers(category, "QPS", rate.limit, window.remaining(now)))

    def _daily_refusal(self, category: str, pool: DailyPool, now: float) -> Verdict:
        self.limits.count_rejected(category, "Daily-limit")
        headers = self._headers(category, "Daily-limit", pool.limit, 0)
        headers["Retry-After"] = next_utc_midnight(now).strftime("%Y-%m-%dT%H:%M:%SZ")
        message = (
            f"You have exceeded the daily rate limit ({pool.limit}) of {pool.label} API "
            "requests permitted for this account. You may resume these requests at GMT 00:00:00."
        )
        return Verdict(headers, {"code": 429, "message": message})

    @staticmethod
    def _headers(category: str, kind: str, limit: int, remaining: int) -> dict[str, str]:
        return {
            "X-RateLimit-Category": category,
            "X-RateLimit-Type": kind,
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
        }
