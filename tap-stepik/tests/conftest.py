"""Fixtures: Stepik and Hyperskill stand-ins served in-process, and configs for the tap."""

from __future__ import annotations

from functools import partial

import pytest

from standins import stepik as stepik_standin
from standins.support import serve_in_background
from tap_common.testing import run_tap_cli

PLATFORMS = ("stepik", "hyperskill")

#: One stand-in per platform shared by read-only tests (faults and log cleared around each test).
SHARED = {p: stepik_standin.build(platform=p) for p in PLATFORMS}
SHARED_URL = {p: serve_in_background(SHARED[p]) for p in PLATFORMS}


#: No rate cap in tests: the stand-in is local (the default of 10 per second is for the real APIs).
FAST = {"requests_per_second": 0}


def shared_config(platform: str, **overrides) -> dict:
    """Config for the shared stand-in of ``platform``."""
    return stepik_standin.tap_config(
        SHARED[platform], SHARED_URL[platform], **{**FAST, **overrides}
    )


@pytest.fixture(params=PLATFORMS)
def platform(request):
    """Each platform in turn."""
    return request.param


@pytest.fixture
def standin(platform):
    """The shared stand-in of the platform, with faults and the request log cleared."""
    SHARED[platform].clear()
    yield SHARED[platform]
    SHARED[platform].clear()


@pytest.fixture
def config(platform, standin):
    """Config for the shared stand-in of the platform."""
    return shared_config(platform)


def _shared(platform: str):
    SHARED[platform].clear()
    yield SHARED[platform], shared_config(platform)
    SHARED[platform].clear()


@pytest.fixture
def stepik():
    """The shared Stepik stand-in (cleared) and a config for it."""
    yield from _shared("stepik")


@pytest.fixture
def hyperskill():
    """The shared Hyperskill stand-in (cleared) and a config for it."""
    yield from _shared("hyperskill")


@pytest.fixture
def make_standin():
    """Build and serve a stand-in just for this test: returns ``(standin, config)``."""
    servers = []

    def make(platform: str = "stepik", **options):
        built = stepik_standin.build(platform=platform, **options)
        server = built.serve()
        servers.append(server)
        url = server.__enter__()
        return built, stepik_standin.tap_config(built, url, **FAST)

    yield make
    for server in servers:
        server.__exit__(None, None, None)


@pytest.fixture
def run_cli(tmp_path):
    """Run ``python -m tap_stepik`` as a user would, with config, state and catalog files."""
    return partial(run_tap_cli, "tap_stepik", workdir=tmp_path)
