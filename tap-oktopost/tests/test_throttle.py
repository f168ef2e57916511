"""The governor keeps within 60 calls a minute and 120 per 5 seconds, and spends them."""

from __future__ import annotations

import pytest
from tap_oktopost.tap import DEFAULT_REQUESTS_PER_SECOND, TapOktopost

from tap_common import governor as governor_module
from tap_common.governor import Governor
from tap_common.testing import FakeClock, max_in_window


def test_default_settings_throttle_below_the_documented_limits(config):
    del config["requests_per_minute"]
    tap = TapOktopost(config=config, setup_mapper=False)
    assert tap.config["requests_per_second"] == DEFAULT_REQUESTS_PER_SECOND == 1
    clock = FakeClock()
    governor = tap.runtime.governor
    governor.clock = clock

    times = []
    for _ in range(300):  # five minutes' worth of calls, as fast as the governor lets them
        governor.acquire("/v2/post")
        times.append(clock.t)
        governor.release()

    assert max_in_window(times, 60.0) <= 60  # never above the documented limits
    assert max_in_window(times, 5.0) <= 120
    assert max_in_window(times, 60.0) >= 58  # and spends nearly all of them


def test_a_run_keeps_the_configured_calls_a_minute(standin, config, sync, monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(governor_module, "SystemClock", lambda: clock)
    starts: list[float] = []
    acquire = Governor.acquire

    def recorded(self, path):
        budget = acquire(self, path)
        starts.append(clock.now())
        return budget

    monkeypatch.setattr(Governor, "acquire", recorded)
    config["requests_per_minute"] = 3
    config["max_concurrent_requests"] = 1

    sync(config, streams=["campaigns", "messages", "users", "tags"], prepare=starts.clear)

    assert len(starts) >= 9
    assert max_in_window(starts, 60.0) <= 3
    assert starts[3] - starts[0] >= 60  # the fourth call waits for the first one's minute


def test_requests_per_minute_overrides_the_rate(config):
    config["requests_per_minute"] = 30
    config["requests_per_second"] = 5

    tap = TapOktopost(config=config, setup_mapper=False)

    (budget,) = tap.runtime.governor.budgets.values()
    assert budget.rate == pytest.approx(30 / 60)  # any minute within 30 calls
