"""HTTP plumbing: Retry-After, a shared requests-per-second cap, per-thread sessions."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import requests
from requests.adapters import HTTPAdapter


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value: seconds, an HTTP date or an ISO date.

    Returns ``None`` when the header is absent or unreadable, and never a negative number.
    """
    if not value:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    moment: datetime | None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        moment = None
    if moment is None:
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    now = now or datetime.now(tz=timezone.utc)
    return max(0.0, (moment - now).total_seconds())


_MIN_WAIT_SECONDS = 1e-6


class RateLimiter:
    """Spaces requests so that, across all threads, at most ``rate`` start per second.

    ``rate`` of 0 or less means no cap. A small burst (``burst`` requests) is allowed after an
    idle period, as a token bucket does.
    """

    def __init__(self, rate: float, burst: int = 1) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self._lock = threading.Lock()
        self._tokens = float(self.burst)
        self._updated = time.monotonic()

    def acquire(self) -> None:
        """Block until one more request may start."""
        if self.rate <= 0:
            return
        while True:
            with self._lock:
                now = time.monotonic()
                self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
                self._updated = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                # At least a microsecond: float rounding can leave 0.9999999 tokens, whose
                # exact wait would not move a clock forward.
                wait = max((1 - self._tokens) / self.rate, _MIN_WAIT_SECONDS)
            time.sleep(wait)


class RateLimitedAdapter(HTTPAdapter):
    """A transport adapter that takes a token from a shared limiter before each send."""

    def __init__(self, limiter: RateLimiter, pool_size: int = 10) -> None:
        super().__init__(pool_connections=pool_size, pool_maxsize=pool_size)
        self.limiter = limiter

    def send(self, request: requests.PreparedRequest, **kwargs: object) -> requests.Response:  # type: ignore[override]
        """Wait for the limiter, then send."""
        self.limiter.acquire()
        return super().send(request, **kwargs)  # type: ignore[arg-type]


class SessionPool:
    """One ``requests.Session`` per thread, all mounted on the same rate limiter."""

    def __init__(self, limiter: RateLimiter) -> None:
        self.limiter = limiter
        self._local = threading.local()

    def session(self) -> requests.Session:
        """The calling thread's session, created on first use."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            adapter = RateLimitedAdapter(self.limiter)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self._local.session = session
        return session
