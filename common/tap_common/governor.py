"""The rate governor: named request budgets, adaptive rates, a bound on requests in flight.

Every request a tap sends is assigned to one **budget** by the rules the tap gives (a regular
expression on the path, first match wins). A budget holds one or more limits:

* **fixed** where the vendor documents its limit (Zoom's categories per plan, Oktopost's 60 a
  minute and 120 per 5 seconds: several windows can guard one budget), each kept exactly as a
  window of the last N starts rather than a token bucket, so the whole allowance is spent;
* **adaptive** where it does not (MTS Link, Stepik, Hyperskill), like TCP congestion control:
  start low and double the rate each second while answers are fast and clean (slow start); on
  429 or 503 wait out ``Retry-After`` and cut the rate to 85%, then probe upwards by 0.5% a
  second (congestion avoidance); never above the ceiling setting.

A 429 pauses its whole budget until ``Retry-After`` (every thread waits, not only the one that
was refused). A daily limit (Zoom's ``X-RateLimit-Type: Daily-limit``) is not retried: the
budget, and every budget that shares its daily count, refuses further requests with
``DailyLimitReached`` until the reset, so streams of other budgets go on.

The clock is injectable so that tests run on a fake one.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Protocol

from singer_sdk.exceptions import FatalAPIError

from tap_common.http import parse_retry_after

THROTTLE_STATUSES = frozenset({429, 503})
#: Seconds after a cut during which further throttles (answers to requests already in flight)
#: pause the budget but do not cut its rate again.
CUT_COOLDOWN = 1.0
#: Seconds of clean answers an adaptive budget counts to measure what the API accepts.
DELIVERY_WINDOW = 1.0
MIN_DELIVERED = 4
#: Seconds added to a documented window (or 1% of a longer one), so that requests sent a window
#: apart that the network delivers closer together still fall into different windows at the API.
JITTER_MARGIN = 0.05


class Clock(Protocol):
    """Monotonic seconds and a way to wait."""

    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock."""

    #: Its waits are real time, so the governor waits on its close event instead.
    real_time = True

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class RunStopping(FatalAPIError):
    """The run is shutting down: a request still waiting for its budget is not sent."""


class DailyLimitReached(FatalAPIError):
    """A daily request limit is used up: no request of this budget until ``resets_at``."""

    def __init__(self, budget: str, resets_at: datetime | None, limit: str | None = None) -> None:
        self.budget = budget
        self.resets_at = resets_at
        self.limit = limit
        when = resets_at.strftime("%Y-%m-%d %H:%M:%S UTC") if resets_at else "an unknown time"
        of = f" of {limit} requests" if limit else ""
        super().__init__(
            f"the API's daily limit{of} for {budget} requests is reached; it resets at {when}"
        )


class Bucket:
    """A token bucket (the rate of an adaptive budget, which adaptation moves).

    Tokens may go below zero: the deficit is the queue of callers already promised a slot, so
    threads are served in order without polling. ``rate`` of 0 or less means no limit.
    """

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate = rate
        self.burst = max(1.0, burst)
        self.tokens = self.burst
        self.updated = now

    def _refill(self, now: float) -> None:
        if now > self.updated:
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
            self.updated = now

    def next_slot(self, now: float) -> float:
        """The earliest time the next request may start."""
        if self.rate <= 0:
            return now
        self._refill(now)
        return now if self.tokens >= 1 else now + (1 - self.tokens) / self.rate

    def take(self, slot: float, now: float) -> None:  # noqa: ARG002 - one signature for limits
        """Record a request promised the slot ``slot``."""
        if self.rate > 0:
            self._refill(now)
            self.tokens -= 1

    def set_rate(self, rate: float, now: float) -> None:
        self._refill(now)
        self.rate = rate


class Window:
    """A documented limit kept exactly: at most ``amount`` request starts in any ``per`` seconds.

    The last ``amount`` starts are remembered; the next may start once the oldest of them is
    ``per`` seconds (plus a margin for network jitter) in the past. However the API counts
    (fixed or sliding windows), it never sees more than ``amount`` in ``per`` seconds, and the
    whole allowance is spent: a burst of ``amount`` at once, where a token bucket paced to stay
    within the same limit would spend one less per window and spread the rest.
    """

    def __init__(self, amount: float, per: float) -> None:
        if amount < 1 or amount != int(amount):
            # A fractional allowance (2.5 a second): one request per 1/rate seconds.
            amount, per = 1, per / amount
        self.amount = int(amount)
        self.per = per
        self.span = per + max(JITTER_MARGIN, 0.01 * per)
        self.starts: deque[float] = deque(maxlen=self.amount)

    @property
    def rate(self) -> float:
        """The documented rate, requests a second."""
        return self.amount / self.per

    def next_slot(self, now: float) -> float:
        """The earliest time the next request may start."""
        if len(self.starts) < self.amount:
            return now
        return max(now, self.starts[0] + self.span)

    def take(self, slot: float, now: float) -> None:  # noqa: ARG002 - one signature for limits
        """Record a request promised the slot ``slot``."""
        self.starts.append(slot)


Limiter = Bucket | Window


@dataclass
class Adaptation:
    """How an adaptive budget moves its rate (requests per second)."""

    start: float = 4.0
    ceiling: float = 50.0
    floor: float = 0.2
    #: After a throttle, the rate is multiplied by this. Each throttle also costs a pause
    #: (``Retry-After``), so the rate settles just under the limit and probes above it slowly:
    #: a deep cut (TCP's 0.5) would waste a quarter of the budget.
    cut: float = 0.85
    #: Congestion avoidance: the share of the rate added per second of clean answers.
    growth: float = 0.005
    #: An answer slower than this many times the fastest seen is not "fast": no increase.
    slow_factor: float = 3.0


@dataclass
class BudgetStats:
    requests: int = 0
    throttled: int = 0
    waited: float = 0.0


@dataclass
class Budget:
    """One named budget: its limits, its pause, its adaptation and what it has seen.

    An adaptive budget's first limit is the token bucket whose rate adaptation moves.
    """

    name: str
    limits: list[Limiter]
    adaptive: Adaptation | None = None
    daily_group: str | None = None
    paused_until: float = 0.0
    threshold: float = float("inf")  # slow-start threshold (adaptive budgets)
    last_cut: float = float("-inf")  # when the adaptive rate was last cut
    last_slot: float = float("-inf")  # the start promised to the latest reservation
    delivered: deque[float] = field(default_factory=deque)  # recent clean answers (adaptive)
    fastest: float | None = None
    stats: BudgetStats = field(default_factory=BudgetStats)

    @property
    def rate(self) -> float:
        """The rate that binds (the first bucket's, which adaptation moves)."""
        return self.limits[0].rate if self.limits else 0.0

    @property
    def bucket(self) -> Bucket:
        """The adaptive rate's bucket."""
        first = self.limits[0]
        assert isinstance(first, Bucket)  # noqa: S101 - adaptive budgets start with one
        return first


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    budget: str


@dataclass(frozen=True)
class BudgetSpec:
    """What a tap declares for one budget: ``rate`` requests per ``per`` seconds (0: no limit).

    ``burst`` is the token bucket's depth of an adaptive budget (documented limits are kept as
    windows and need none).
    """

    name: str
    rate: float = 0.0
    per: float = 1.0
    burst: float | None = None
    #: Further (rate, per) limits enforced together, e.g. Oktopost's 120 per 5 seconds.
    also: tuple[tuple[float, float], ...] = ()
    adaptive: Adaptation | None = None
    daily_group: str | None = None


class Governor:
    """Budgets for one run, shared by every thread of the tap."""

    def __init__(
        self,
        budgets: Iterable[BudgetSpec],
        rules: Iterable[tuple[str, str]] = (),
        *,
        default: str | None = None,
        max_in_flight: int = 8,
        clock: Clock | None = None,
    ) -> None:
        self.clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max(1, max_in_flight))
        self.max_in_flight = max(1, max_in_flight)
        now = self.clock.now()
        self.budgets: dict[str, Budget] = {}
        for spec in budgets:
            kept: list[Limiter] = [Window(amount, per) for amount, per in spec.also if amount > 0]
            if spec.adaptive:
                kept.insert(0, Bucket(spec.adaptive.start, spec.burst or 1.0, now))
            elif spec.rate > 0:
                kept.insert(0, Window(spec.rate, spec.per))
            self.budgets[spec.name] = Budget(
                spec.name, kept, adaptive=spec.adaptive, daily_group=spec.daily_group
            )
        self.rules = [Rule(re.compile(pattern), budget) for pattern, budget in rules]
        self.default = default or next(iter(self.budgets), None)
        self._daily_exhausted: dict[str, tuple[float, DailyLimitReached]] = {}
        self._closed = threading.Event()
        #: Set by the first answer that is not an error: the credentials work.
        self.answered = threading.Event()
        self._learned: dict[str, str] = {}

    # --- assignment ---------------------------------------------------------------------------

    def budget_for(self, path: str) -> Budget | None:
        """The budget a request path belongs to (a category the API named wins)."""
        for rule in self.rules:
            if rule.pattern.search(path):
                name = self._learned.get(rule.pattern.pattern, rule.budget)
                return self.budgets.get(name)
        return self.budgets.get(self.default) if self.default else None

    # --- before a request ---------------------------------------------------------------------

    def acquire(self, path: str) -> Budget | None:
        """Wait until a request to ``path`` may start; take a slot in flight.

        Raises ``DailyLimitReached`` (without taking a slot) when its daily limit is used up.
        Call ``release`` after the response, whatever happened.
        """
        budget = self.budget_for(path)
        self._check_daily(budget)
        if self._closed.is_set():
            msg = "The run is stopping; this request was not sent."
            raise RunStopping(msg)
        self._slots.acquire()
        try:
            if budget is not None:
                self._wait_for_token(budget)
        except BaseException:
            self._slots.release()
            raise
        return budget

    def release(self) -> None:
        self._slots.release()

    def close(self) -> None:
        """Stop the run's waits: every thread waiting for a budget raises ``RunStopping``.

        A worker fetching ahead may be waiting out a long pause (a ``Retry-After`` of hours
        that stopped the run); the run must not wait for it to end.
        """
        self._closed.set()

    def reopen(self) -> None:
        """Allow requests again (after the threads that were waiting have ended)."""
        self._closed.clear()

    def _sleep(self, seconds: float) -> None:
        if getattr(self.clock, "real_time", False):
            self._closed.wait(seconds)  # time.sleep that close() can end
        else:
            self.clock.sleep(seconds)
        if self._closed.is_set():
            msg = "The run is stopping; this request was not sent."
            raise RunStopping(msg)

    def _check_daily(self, budget: Budget | None) -> None:
        if budget is None or budget.daily_group is None:
            return
        with self._lock:
            exhausted = self._daily_exhausted.get(budget.daily_group)
            if exhausted is None:
                return
            until, error = exhausted
            if self.clock.now() < until:
                raise DailyLimitReached(budget.name, error.resets_at, error.limit)
            del self._daily_exhausted[budget.daily_group]

    def _wait_for_token(self, budget: Budget) -> None:
        while True:
            with self._lock:
                now = self.clock.now()
                pause = budget.paused_until - now
                if pause <= 0:
                    # Every limit is asked for its earliest slot and all record the latest,
                    # in order of reservation, so no limit believes a request went out earlier.
                    slot = max([now, budget.last_slot, *(x.next_slot(now) for x in budget.limits)])
                    for limit in budget.limits:
                        limit.take(slot, now)
                    budget.last_slot = slot
                    wait = slot - now
                    budget.stats.requests += 1
                    budget.stats.waited += wait
                    break
            self._sleep(pause)
        if wait > 0:
            self._sleep(wait)

    # --- after a response ---------------------------------------------------------------------

    def observe(
        self,
        budget: Budget | None,
        status: int,
        headers: Mapping[str, str],
        elapsed: float,
        *,
        path: str = "",
    ) -> None:
        """Learn from one answer: throttles pause and cut, clean fast answers grow the rate."""
        if status < 400:
            self.answered.set()
        if budget is None:
            return
        self._learn_category(budget, headers, path)
        if status in THROTTLE_STATUSES:
            self._throttled(budget, status, headers)
            return
        if status >= 400:
            return
        self._obey_headers(budget, headers)
        if budget.adaptive:
            self._grow(budget, elapsed)

    def _learn_category(self, budget: Budget, headers: Mapping[str, str], path: str) -> None:
        """Follow the category the API names (``X-RateLimit-Category``) for this endpoint."""
        named = _header(headers, "X-RateLimit-Category")
        if not named or not path:
            return
        target = _budget_named(self.budgets, named)
        if target is None or target is budget:
            return
        for rule in self.rules:
            if rule.pattern.search(path):
                with self._lock:
                    self._learned[rule.pattern.pattern] = target.name
                return

    def _throttled(self, budget: Budget, status: int, headers: Mapping[str, str]) -> None:
        retry_after = parse_retry_after(_header(headers, "Retry-After"))
        kind = (_header(headers, "X-RateLimit-Type") or "").lower()
        with self._lock:
            now = self.clock.now()
            budget.stats.throttled += 1
            if status == 429 and "daily" in kind:
                resets = retry_after if retry_after is not None else _seconds_to_utc_midnight()
                resets_at = datetime.now(timezone.utc) + timedelta(seconds=resets)
                error = DailyLimitReached(
                    budget.name, resets_at, _header(headers, "X-RateLimit-Limit")
                )
                group = budget.daily_group or budget.name
                budget.daily_group = group
                self._daily_exhausted[group] = (now + resets, error)
                return
            pause = retry_after if retry_after is not None else 1.0
            budget.paused_until = max(budget.paused_until, now + pause)
            # One cut per burst of refusals: the requests already in flight when the first 429
            # came back are refused for the same overrun and must not cut the rate again.
            if budget.adaptive and now - budget.last_cut >= max(pause, CUT_COOLDOWN):
                budget.last_cut = now
                cut = budget.rate * budget.adaptive.cut
                # What the API accepted in the last second is a measure of its limit: in slow
                # start the rate can be far above it, and 85% of it would overrun again.
                delivered = sum(1 for t in budget.delivered if now - t <= DELIVERY_WINDOW)
                if delivered >= MIN_DELIVERED:
                    cut = min(cut, delivered / DELIVERY_WINDOW * budget.adaptive.cut)
                cut = max(budget.adaptive.floor, cut)
                budget.threshold = cut
                budget.bucket.set_rate(cut, now)
                budget.bucket.tokens = min(budget.bucket.tokens, 0.0)

    def _obey_headers(self, budget: Budget, headers: Mapping[str, str]) -> None:
        """``X-RateLimit-Remaining: 0`` on a per-second limit: wait for the next second.

        Only when the budget is not already kept within the limit the answer states (a fixed
        budget spends its whole window, so the window filling up is expected, and pausing
        would waste up to a second each time): an unlimited or adaptive budget, or a fixed one
        set above what the API says.
        """
        remaining = _header(headers, "X-RateLimit-Remaining")
        kind = (_header(headers, "X-RateLimit-Type") or "qps").lower()
        if remaining is None or remaining.strip() != "0" or "daily" in kind:
            return
        stated = _number(_header(headers, "X-RateLimit-Limit"))
        paced = bool(budget.limits) and not budget.adaptive
        if paced and stated is not None and budget.rate <= stated:
            return
        with self._lock:
            budget.paused_until = max(budget.paused_until, self.clock.now() + 1.0)

    def _grow(self, budget: Budget, elapsed: float) -> None:
        adaptive = budget.adaptive
        assert adaptive is not None  # noqa: S101 - checked by the caller
        with self._lock:
            now = self.clock.now()
            budget.delivered.append(now)
            while budget.delivered and now - budget.delivered[0] > DELIVERY_WINDOW:
                budget.delivered.popleft()
            if budget.fastest is None or elapsed < budget.fastest:
                budget.fastest = max(elapsed, 1e-4)
            if elapsed > adaptive.slow_factor * budget.fastest and elapsed > 0.05:
                return  # answers slow down: hold the rate
            rate = budget.rate
            # Slow start adds one per answer (doubling each second); congestion avoidance adds
            # `growth` per answer (so `growth` of the rate each second).
            new = rate + (1.0 if rate < budget.threshold else adaptive.growth)
            new = min(adaptive.ceiling, new)
            if new != rate:
                budget.bucket.set_rate(new, self.clock.now())

    # --- reporting ----------------------------------------------------------------------------

    def summary_lines(self) -> list[str]:
        """One line per budget that saw requests: rate settled at, requests, throttles, waits."""
        lines = []
        for budget in self.budgets.values():
            stats = budget.stats
            if not stats.requests:
                continue
            kind = "adaptive, settled at" if budget.adaptive else "limit"
            rate = f"{budget.rate:.1f}/s" if budget.rate > 0 else "none"
            lines.append(
                f"{budget.name}: {stats.requests} requests, {stats.throttled} throttled, "
                f"{kind} {rate}, {stats.waited:.1f}s waited for the budget"
            )
        return lines


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    return value


def _budget_named(budgets: Mapping[str, Budget], named: str) -> Budget | None:
    key = re.sub(r"[^a-z]", "", named.lower())
    return next((b for b in budgets.values() if re.sub(r"[^a-z]", "", b.name.lower()) == key), None)


def _seconds_to_utc_midnight() -> float:
    now = datetime.now(timezone.utc)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight - now).total_seconds()
