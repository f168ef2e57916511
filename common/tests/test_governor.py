"""The rate governor on a fake clock: fixed budgets, pauses, adaptation, daily limits."""

from __future__ import annotations

import threading
from collections import deque

import pytest

from tap_common.governor import (
    JITTER_MARGIN,
    Adaptation,
    BudgetSpec,
    DailyLimitReached,
    Governor,
    RunStopping,
)
from tap_common.redaction import Redactor
from tap_common.runtime import TapRuntime
from tap_common.testing import FakeClock, max_in_window


def send(governor: Governor, clock: FakeClock, path: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
        budget = governor.acquire(path)
        times.append(clock.now())
        governor.observe(budget, 200, {}, 0.01, path=path)
        governor.release()
    return times


ZOOM_PRO = [
    BudgetSpec("Light", 30),
    BudgetSpec("Medium", 20),
    BudgetSpec("Heavy", 10, daily_group="heavy+resource"),
    BudgetSpec("Resource-intensive", 10, per=60, daily_group="heavy+resource"),
]
ZOOM_RULES = [
    (r"^/v2/report/", "Heavy"),
    (r"^/v2/metrics/meetings$", "Resource-intensive"),
    (r"^/v2/past_meetings/[^/]+$", "Light"),
    (r"^/v2/", "Medium"),
]


def zoom(clock: FakeClock, **kwargs) -> Governor:
    return Governor(ZOOM_PRO, ZOOM_RULES, clock=clock, **kwargs)


def test_requests_go_to_the_budget_of_the_first_matching_rule():
    governor = zoom(FakeClock())

    assert governor.budget_for("/v2/report/daily").name == "Heavy"
    assert governor.budget_for("/v2/metrics/meetings").name == "Resource-intensive"
    assert governor.budget_for("/v2/past_meetings/abc").name == "Light"
    assert governor.budget_for("/v2/past_meetings/abc/participants").name == "Medium"
    assert governor.budget_for("/v2/users").name == "Medium"


@pytest.mark.parametrize(("path", "limit", "per"), [("/v2/users", 20, 1), ("/v2/report/x", 10, 1)])
def test_a_fixed_budget_never_exceeds_its_limit_in_any_window_and_nearly_reaches_it(
    path, limit, per
):
    clock = FakeClock()
    times = send(zoom(clock), clock, path, 400)

    assert max_in_window(times, per) <= limit
    achieved = (len(times) - 1) / (times[-1] - times[0])
    assert achieved >= 0.9 * limit / per


def test_a_documented_window_is_spent_at_once_and_the_next_waits_a_window_and_a_margin():
    clock = FakeClock()
    times = send(zoom(clock), clock, "/v2/users", 41)

    assert times[:20] == [times[0]] * 20  # Medium's 20 go out together
    assert times[20] - times[0] == pytest.approx(1 + JITTER_MARGIN)
    assert times[40] - times[20] == pytest.approx(1 + JITTER_MARGIN)


def test_a_fractional_rate_spaces_single_requests():
    clock = FakeClock()
    governor = Governor([BudgetSpec("api", 2.5)], clock=clock)

    times = send(governor, clock, "/x", 6)

    assert max_in_window(times, 1.0) <= 3
    assert times[-1] - times[0] == pytest.approx(5 * (0.4 + JITTER_MARGIN))


def test_budgets_are_independent():
    clock = FakeClock()
    governor = zoom(clock)
    send(governor, clock, "/v2/report/x", 50)  # Heavy is spent for a while
    before = clock.now()

    send(governor, clock, "/v2/past_meetings/abc", 1)

    assert clock.now() == before, "a Light request does not wait for the Heavy budget"


def test_several_limits_on_one_budget_all_hold():
    clock = FakeClock()
    governor = Governor(
        [BudgetSpec("oktopost", 60, per=60, also=((120, 5),))], [(r".", "oktopost")], clock=clock
    )

    times = send(governor, clock, "/v2/post", 150)

    assert max_in_window(times, 60) <= 60
    assert max_in_window(times, 5) <= 120


def test_a_429_pauses_the_whole_budget_for_retry_after():
    clock = FakeClock()
    governor = zoom(clock)
    budget = governor.acquire("/v2/users")
    governor.observe(budget, 429, {"Retry-After": "7"}, 0.01, path="/v2/users")
    governor.release()
    refused_at = clock.now()

    send(governor, clock, "/v2/users", 1)

    assert clock.now() - refused_at >= 7
    assert budget.stats.throttled == 1


def test_remaining_zero_waits_for_the_next_second():
    clock = FakeClock()
    governor = zoom(clock)
    budget = governor.acquire("/v2/users")
    governor.observe(budget, 200, {"X-RateLimit-Type": "QPS", "X-RateLimit-Remaining": "0"}, 0.01)
    governor.release()
    start = clock.now()

    send(governor, clock, "/v2/users", 1)

    assert clock.now() - start >= 1


def test_a_daily_limit_stops_its_group_until_the_reset_and_spares_the_others():
    clock = FakeClock()
    governor = zoom(clock)
    budget = governor.acquire("/v2/report/daily")
    governor.observe(
        budget,
        429,
        {
            "X-RateLimit-Category": "Heavy",
            "X-RateLimit-Type": "Daily-limit",
            "X-RateLimit-Limit": "30000",
            "Retry-After": "3600",
        },
        0.01,
        path="/v2/report/daily",
    )
    governor.release()

    with pytest.raises(DailyLimitReached) as heavy:
        governor.acquire("/v2/report/users")
    with pytest.raises(DailyLimitReached):
        governor.acquire("/v2/metrics/meetings")  # shares the daily count
    assert "daily limit of 30000 requests for Heavy" in str(heavy.value)
    assert "resets at" in str(heavy.value)
    send(governor, clock, "/v2/users", 3)  # other categories go on

    clock.sleep(3601)
    send(governor, clock, "/v2/report/users", 1)


def test_the_category_the_api_names_wins_over_the_tap_table():
    clock = FakeClock()
    governor = zoom(clock)
    budget = governor.acquire("/v2/users/u1/recordings")
    assert budget.name == "Medium"
    governor.observe(budget, 200, {"X-RateLimit-Category": "Heavy"}, 0.01, path="/v2/users/x")
    governor.release()

    assert governor.budget_for("/v2/users/u2/recordings").name == "Heavy"


class HiddenLimit:
    """An API that refuses more than ``limit`` requests in any one-second window."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.recent: deque[float] = deque()

    def answer(self, now: float) -> int:
        while self.recent and now - self.recent[0] >= 1:
            self.recent.popleft()
        if len(self.recent) >= self.limit:
            return 429
        self.recent.append(now)
        return 200


@pytest.mark.parametrize("limit", [5, 20, 45])
def test_an_adaptive_budget_finds_an_unknown_limit_and_stays_near_it(limit):
    clock = FakeClock()
    governor = Governor([BudgetSpec("api", adaptive=Adaptation(start=4, ceiling=100))], clock=clock)
    api = HiddenLimit(limit)
    served = throttled = 0
    start = clock.now()

    while clock.now() - start < 120:
        budget = governor.acquire("/anything")
        status = api.answer(clock.now())
        headers = {"Retry-After": "1"} if status == 429 else {}
        governor.observe(budget, status, headers, 0.02, path="/anything")
        governor.release()
        served += status == 200
        throttled += status == 429

    wall = clock.now() - start
    floor = served / limit
    assert wall <= 1.3 * floor, f"{served} served in {wall:.1f}s, floor {floor:.1f}s"
    assert throttled < 0.03 * (served + throttled)


def test_an_adaptive_budget_never_passes_its_ceiling_and_holds_when_answers_slow_down():
    clock = FakeClock()
    governor = Governor([BudgetSpec("api", adaptive=Adaptation(start=4, ceiling=10))], clock=clock)
    send(governor, clock, "/x", 300)
    (budget,) = governor.budgets.values()
    assert budget.rate == 10

    slow = Governor([BudgetSpec("api", adaptive=Adaptation(start=4, ceiling=10))], clock=clock)
    (held,) = slow.budgets.values()
    b = slow.acquire("/x")
    slow.observe(b, 200, {}, 0.1)
    slow.release()
    for _ in range(50):
        b = slow.acquire("/x")
        slow.observe(b, 200, {}, 2.0)  # twenty times slower than the fastest answer
        slow.release()
    assert held.rate == 5  # one increase (the fast answer), then held


def test_a_503_cuts_an_adaptive_rate_like_a_429():
    clock = FakeClock()
    governor = Governor([BudgetSpec("api", adaptive=Adaptation(start=10))], clock=clock)
    (budget,) = governor.budgets.values()
    b = governor.acquire("/x")
    governor.observe(b, 503, {}, 0.01)
    governor.release()

    assert budget.rate == pytest.approx(8.5)
    assert budget.stats.throttled == 1


def test_requests_in_flight_are_bounded():
    governor = Governor([BudgetSpec("api")], max_in_flight=3)
    inside = peak = 0
    lock = threading.Lock()
    go = threading.Event()

    def worker() -> None:
        nonlocal inside, peak
        governor.acquire("/x")
        with lock:
            inside += 1
            peak = max(peak, inside)
        go.wait(timeout=0.05)
        with lock:
            inside -= 1
        governor.release()

    threads = [threading.Thread(target=worker) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert peak == 3


def test_the_summary_names_each_budget_used():
    clock = FakeClock()
    governor = zoom(clock)
    send(governor, clock, "/v2/users", 3)

    (line,) = governor.summary_lines()
    assert line.startswith("Medium: 3 requests, 0 throttled, limit 20.0/s")


def test_a_full_window_is_no_reason_to_pause_a_budget_already_paced_within_the_limit():
    clock = FakeClock()
    governor = zoom(clock)  # Medium keeps Zoom's 20 a second
    budget = governor.acquire("/v2/users")
    governor.observe(
        budget,
        200,
        {"X-RateLimit-Type": "QPS", "X-RateLimit-Limit": "20", "X-RateLimit-Remaining": "0"},
        0.01,
    )
    governor.release()
    start = clock.now()

    send(governor, clock, "/v2/users", 1)

    assert clock.now() - start < 0.1


def test_a_burst_of_refusals_cuts_an_adaptive_rate_once():
    clock = FakeClock()
    governor = Governor([BudgetSpec("api", adaptive=Adaptation(start=10))], clock=clock)
    (budget,) = governor.budgets.values()
    in_flight = [governor.acquire("/x") for _ in range(4)]
    for b in in_flight:  # four answers to requests sent before the first refusal came back
        governor.observe(b, 429, {"Retry-After": "1"}, 0.01)
        governor.release()

    assert budget.rate == pytest.approx(8.5)
    assert budget.stats.throttled == 4


def test_closing_releases_threads_waiting_out_a_long_pause_and_reopening_allows_requests():
    governor = Governor([BudgetSpec("Medium", 20)], [(r".", "Medium")])  # the real clock
    budget = governor.acquire("/v2/users")
    governor.observe(budget, 429, {"Retry-After": "36000"}, 0.01)  # ten hours
    governor.release()
    outcome: list[BaseException | None] = []

    def waiting_worker() -> None:
        try:
            governor.acquire("/v2/users")
        except RunStopping as exc:
            outcome.append(exc)
        else:
            outcome.append(None)

    worker = threading.Thread(target=waiting_worker)
    worker.start()
    worker.join(0.2)
    assert worker.is_alive(), "the worker waits for the pause"

    governor.close()
    worker.join(5)

    assert not worker.is_alive()
    assert isinstance(outcome[0], RunStopping)
    with pytest.raises(RunStopping):
        governor.acquire("/v2/users")
    governor.reopen()
    budget.paused_until = 0.0
    governor.acquire("/v2/users")
    governor.release()


def test_a_run_shuts_down_without_waiting_for_workers_paused_by_the_api():
    governor = Governor([BudgetSpec("Medium", 20)], [(r".", "Medium")])
    runtime = TapRuntime(max_workers=2, governor=governor, redactor=Redactor([]))
    budget = governor.acquire("/v2/users")
    governor.observe(budget, 429, {"Retry-After": "36000"}, 0.01)
    governor.release()
    future = runtime.executor.submit(governor.acquire, "/v2/users")

    stopping = threading.Thread(target=runtime.shutdown)
    stopping.start()
    stopping.join(5)

    assert not stopping.is_alive(), "the run waited for a worker paused for ten hours"
    assert isinstance(future.exception(timeout=1), RunStopping)
