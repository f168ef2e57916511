import itertools
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

from tap_common import http
from tap_common.http import RateLimiter, parse_retry_after

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)


def test_retry_after_forms():
    assert parse_retry_after("7") == 7
    assert parse_retry_after("1.5") == 1.5
    assert (
        parse_retry_after(format_datetime(NOW + timedelta(seconds=90), usegmt=True), now=NOW) == 90
    )
    assert parse_retry_after("2026-01-01T12:00:30Z", now=NOW) == 30
    assert parse_retry_after("2025-01-01T00:00:00Z", now=NOW) == 0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_rate_limiter_spaces_requests(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(http.time, "monotonic", clock.monotonic)
    monkeypatch.setattr(http.time, "sleep", clock.sleep)
    limiter = RateLimiter(rate=4, burst=1)

    starts = []
    for _ in range(9):
        limiter.acquire()
        starts.append(clock.now)

    assert starts[0] == 0
    assert starts[-1] == 2.0, "9 requests at 4/s take two seconds"
    assert all(b - a >= 0.25 - 1e-9 for a, b in itertools.pairwise(starts))


def test_rate_limiter_allows_a_burst_then_the_rate(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(http.time, "monotonic", clock.monotonic)
    monkeypatch.setattr(http.time, "sleep", clock.sleep)
    limiter = RateLimiter(rate=2, burst=3)

    for _ in range(5):
        limiter.acquire()

    assert clock.now == 1.0, "3 at once, then 2 more at 2/s"


def test_no_cap_never_waits(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(http.time, "sleep", clock.sleep)
    limiter = RateLimiter(rate=0)
    for _ in range(100):
        limiter.acquire()
    assert clock.sleeps == []


def test_rate_limiter_never_stalls_on_float_rounding(monkeypatch):
    clock = FakeClock()
    clock.now = 1000.0  # large enough that a 1e-16 s sleep would not move the clock
    monkeypatch.setattr(http.time, "monotonic", clock.monotonic)
    monkeypatch.setattr(http.time, "sleep", clock.sleep)
    limiter = RateLimiter(rate=0.9, burst=1)

    starts = []
    for _ in range(300):
        limiter.acquire()
        starts.append(clock.now)

    assert len(clock.sleeps) < 1000, "no run of vanishing sleeps"
    assert starts[-1] - starts[0] >= 299 / 0.9
