"""Rate limits a stand-in can enforce: all off unless a ``build`` option turns them on.

Every stand-in has ``standin.limits`` (a ``Limits``): the clock its limiters read and counters
of what they accepted and refused, so tests and benchmarks can report 429s::

    standin.limits.rejected        # Counter: refusals by limit name (Zoom: the category)
    standin.limits.rejected_types  # Counter: refusals by kind ("QPS", "Daily-limit", ...)
    standin.limits.accepted        # Counter: requests let through by a limiter, by name
    standin.limits.total_rejected  # every refusal

The clock is ``time.time`` (epoch seconds, so a daily limit can reset at UTC midnight); tests
pass ``build(..., clock=fake)`` or set ``standin.limits.clock`` to a callable they advance
themselves, and never sleep.

The limiters here:

* ``SlidingWindow``: at most ``limit`` requests in any ``period`` seconds. Only requests that
  were let through are counted, so a client that keeps knocking gets in as soon as a slot
  frees.
* ``HiddenLimit``: MTS Link and Stepik/Hyperskill document no limit, so their stand-ins take
  ``hidden_limit=R`` (requests a second) and ``hidden_burst=B`` (default ``R``): at most ``B``
  requests in any ``B/R``-second window (so ``R`` a second on average, bursts up to ``B``).
  The tap is not told; above it the API answers ``hidden_limit_status`` (429, or 503 to play
  an overloaded server) with ``Retry-After`` in whole seconds.
* ``BlockingLimit``: Oktopost's several windows (60 a minute and 120 per 5 s); going over any
  of them blocks every request for ``block_seconds``.

Zoom's per-plan categories and daily limit are in ``standins.zoom_limits``.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from typing import Any

Clock = Callable[[], float]

#: The statuses a hidden limit may answer with.
HIDDEN_STATUSES = (429, 503)
#: ``build`` options of the hidden limit (MTS Link, Stepik, Hyperskill).
HIDDEN_SWITCHES = ("hidden_limit", "hidden_burst", "hidden_limit_status")


class SlidingWindow:
    """At most ``limit`` counted requests in any ``period`` seconds (a sliding log)."""

    def __init__(self, limit: int, period: float) -> None:
        if limit < 1 or period <= 0:
            raise ValueError(f"a window needs limit >= 1 and period > 0, not {limit}/{period}")
        self.limit = int(limit)
        self.period = float(period)
        self._times: deque[float] = deque()

    def _evict(self, now: float) -> None:
        while self._times and self._times[0] <= now - self.period:
            self._times.popleft()

    def used(self, now: float) -> int:
        """Requests counted in the window ending at ``now``."""
        self._evict(now)
        return len(self._times)

    def remaining(self, now: float) -> int:
        """Requests that would still fit at ``now``."""
        return max(0, self.limit - self.used(now))

    def wait(self, now: float) -> float:
        """Seconds until one more request fits (0 if it fits now)."""
        self._evict(now)
        if len(self._times) < self.limit:
            return 0.0
        return max(0.0, self._times[0] + self.period - now)

    def add(self, now: float) -> None:
        """Count a request made at ``now``."""
        self._times.append(now)

    def clear(self) -> None:
        """Forget every counted request."""
        self._times.clear()


def retry_after_seconds(wait: float) -> str:
    """``Retry-After`` in whole seconds, at least 1 (never tells a client to retry at once)."""
    return str(max(1, math.ceil(round(wait, 6))))


class Limits:
    """One stand-in's limit state: the clock every limiter reads and what they counted."""

    def __init__(self, clock: Clock | None = None) -> None:
        #: Seconds since the epoch; replace it (or pass ``build(clock=...)``) in tests.
        self.clock: Clock = clock or time.time
        self.lock = threading.RLock()
        self.rejected: Counter[str] = Counter()
        self.rejected_types: Counter[str] = Counter()
        self.accepted: Counter[str] = Counter()

    def now(self) -> float:
        """The limiters' current time."""
        return float(self.clock())

    @property
    def total_rejected(self) -> int:
        """Every request refused by a limit so far."""
        with self.lock:
            return sum(self.rejected.values())

    def count_rejected(self, name: str, kind: str) -> None:
        """Count one refusal by limit ``name`` of ``kind``."""
        with self.lock:
            self.rejected[name] += 1
            self.rejected_types[kind] += 1

    def count_accepted(self, name: str) -> None:
        """Count one request a limiter let through."""
        with self.lock:
            self.accepted[name] += 1

    def summary(self) -> dict[str, Any]:
        """The counters as plain dictionaries (for benchmark reports)."""
        with self.lock:
            return {
                "rejected": dict(self.rejected),
                "rejected_types": dict(self.rejected_types),
                "accepted": dict(self.accepted),
                "total_rejected": sum(self.rejected.values()),
            }

    def reset_counts(self) -> None:
        """Zero the counters (the limiters' windows are left alone)."""
        with self.lock:
            self.rejected.clear()
            self.rejected_types.clear()
            self.accepted.clear()


def _positive(name: str, value: Any) -> float:
    number = float(value)
    if number <= 0:
        raise ValueError(f"{name} must be a positive number, not {value!r}")
    return number


class HiddenLimit:
    """An undocumented limit: ``rate`` requests a second on average, bursts up to ``burst``."""

    name = "hidden"

    def __init__(
        self, limits: Limits, rate: float, burst: int | None = None, status: int = 429
    ) -> None:
        self.limits = limits
        self.rate = _positive("hidden_limit", rate)
        self.burst = int(burst) if burst not in (None, "") else max(1, math.floor(self.rate))
        if self.burst < 1:
            raise ValueError(f"hidden_burst must be at least 1, not {burst!r}")
        self.status = int(status)
        if self.status not in HIDDEN_STATUSES:
            raise ValueError(f"hidden_limit_status must be 429 or 503, not {status!r}")
        self.window = SlidingWindow(self.burst, self.burst / self.rate)

    @classmethod
    def from_options(cls, limits: Limits, options: dict[str, Any]) -> HiddenLimit | None:
        """The limit ``options`` ask for (``HIDDEN_SWITCHES`` are removed), or ``None``."""
        chosen = {name: options.pop(name) for name in HIDDEN_SWITCHES if name in options}
        rate = chosen.get("hidden_limit")
        if rate in (None, "", 0, "0"):
            return None
        return cls(
            limits,
            rate,
            chosen.get("hidden_burst"),
            chosen.get("hidden_limit_status") or 429,
        )

    def check(self) -> float | None:
        """``None`` if the request may go on (it is counted), else seconds to wait."""
        with self.limits.lock:
            now = self.limits.now()
            wait = self.window.wait(now)
            if wait > 0:
                self.limits.count_rejected(self.name, "hidden")
                return wait
            self.window.add(now)
            self.limits.count_accepted(self.name)
            return None


class BlockingLimit:
    """Several sliding windows; going over any of them blocks everything for a while."""

    def __init__(
        self, limits: Limits, windows: dict[str, tuple[int, float]], block_seconds: float
    ) -> None:
        self.limits = limits
        self.windows = {name: SlidingWindow(n, period) for name, (n, period) in windows.items()}
        self.block_seconds = float(block_seconds)
        if self.block_seconds < 0:
            raise ValueError(f"block_seconds must not be negative, not {block_seconds!r}")
        self.blocked_until = float("-inf")
        #: How many times a window was exceeded (each started a block).
        self.blocks = 0

    def check(self) -> tuple[str, float] | None:
        """``None`` if the request may go on (it is counted), else (reason, seconds left).

        ``reason`` is the name of the window just exceeded, or ``"blocked"`` for a request
        made during a block.
        """
        with self.limits.lock:
            now = self.limits.now()
            if now < self.blocked_until:
                self.limits.count_rejected("blocked", "blocked")
                return "blocked", self.blocked_until - now
            for name, window in self.windows.items():
                if window.wait(now) > 0:
                    self.blocked_until = now + self.block_seconds
                    self.blocks += 1
                    self.limits.count_rejected(name, "exceeded")
                    return name, self.block_seconds
            for window in self.windows.values():
                window.add(now)
            self.limits.count_accepted("api")
            return None
