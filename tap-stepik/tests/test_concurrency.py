"""Child requests fetched ahead on worker threads: same output, fewer wall-clock waits."""

from __future__ import annotations

import pytest
from tap_stepik.tap import TapStepik

from tap_common.testing import run_sync


@pytest.mark.parametrize("platform", ["stepik", "hyperskill"])
def test_output_is_the_same_sequential_or_concurrent(make_standin, platform):
    _, config = make_standin(platform)
    sequential = run_sync(TapStepik, {**config, "max_concurrent_requests": 1})
    concurrent = run_sync(TapStepik, {**config, "max_concurrent_requests": 8})
    assert concurrent.records == sequential.records
    assert concurrent.state == sequential.state


def test_children_are_prefetched_on_worker_threads(make_standin):
    standin, config = make_standin("hyperskill", latency=0.02)
    config["max_concurrent_requests"] = 4
    run_sync(TapStepik, config, streams=["submissions"])
    assert len(standin.requests_to(r"^/api/submissions$")) == len(standin.data["steps"])
    assert standin.max_in_flight > 1  # requests overlapped


def test_one_request_at_a_time_when_asked(make_standin):
    standin, config = make_standin("hyperskill", latency=0.01)
    config["max_concurrent_requests"] = 1
    run_sync(TapStepik, config, streams=["submissions"])
    assert standin.max_in_flight == 1
