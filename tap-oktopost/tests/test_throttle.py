"""The client-side throttle keeps below 60 calls a minute and 120 per 5 seconds."""

from __future__ import annotations

from tap_oktopost.tap import DEFAULT_REQUESTS_PER_SECOND, TapOktopost

from tap_common import http as http_module


class VirtualClock:
    """Stands in for the ``time`` module inside the limiter: sleeping advances the clock."""

    def __init__(self):
        self.now = 1000.0

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        # At least a microsecond: float rounding must not leave the clock standing still.
        self.now += max(seconds, 1e-6)


def _max_in_window(times, window):
    best, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def test_default_settings_throttle_below_the_documented_limits(config, monkeypatch):
    del config["requests_per_minute"]
    tap = TapOktopost(config=config, setup_mapper=False)
    assert tap.config["requests_per_second"] == DEFAULT_REQUESTS_PER_SECOND < 1
    clock = VirtualClock()
    monkeypatch.setattr(http_module, "time", clock)
    limiter = tap.runtime.limiter

    times = []
    for _ in range(300):  # five minutes' worth of calls, as fast as the limiter lets them
        limiter.acquire()
        times.append(clock.now)

    assert _max_in_window(times, 60.0) <= 60 - 5  # a margin below 60 a minute
    assert _max_in_window(times, 5.0) <= 120
    assert times[-1] - times[0] >= (len(times) - limiter.burst) / DEFAULT_REQUESTS_PER_SECOND


def test_a_run_is_spaced_by_the_configured_cap(standin, config, sync):
    del config["requests_per_minute"]
    config["requests_per_second"] = 20
    config["max_concurrent_requests"] = 4
    rate, burst = 20, 4

    sync(config, streams=["campaigns", "messages", "users", "tags"], prepare=standin.arrivals.clear)

    times = sorted(standin.arrivals)
    assert len(times) >= 9
    for i in range(len(times)):
        for j in range(i + burst + 1, len(times)):
            # A token bucket lets at most burst + rate * elapsed requests through.
            assert j - i <= burst + (times[j] - times[i]) * rate * 1.2 + 1


def test_requests_per_minute_overrides_the_rate(config):
    config["requests_per_minute"] = 30
    config["requests_per_second"] = 5

    tap = TapOktopost(config=config, setup_mapper=False)

    assert tap.runtime.limiter.rate == 0.5
