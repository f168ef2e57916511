"""Fixtures: the MTS Link stand-in served in-process, configs and runners for the tap."""

from __future__ import annotations

from functools import partial

import pytest
from tap_mtslink.tap import TapMtsLink

from standins import mtslink as mtslink_standin
from standins.support import serve_in_background
from tap_common.testing import run_sync, run_tap_cli, standin_factory

FAR_PAST = "2015-01-01T00:00:00Z"

#: One stand-in shared by the read-only tests (faults and log are cleared around each test).
SHARED = mtslink_standin.build()
SHARED_URL = serve_in_background(SHARED)


def make_config(base_url: str, **overrides: object) -> dict:
    """A complete config for a stand-in at ``base_url`` (no rate cap: tests stay fast)."""
    config: dict[str, object] = {
        "api_token": mtslink_standin.API_TOKEN,
        "api_url": f"{base_url}/v3",
        "start_date": FAR_PAST,
        "requests_per_second": 0,
    }
    config.update(overrides)
    return config


@pytest.fixture
def sync():
    """Run the tap in-process: ``sync(config, streams=None, state=None)``; ``result.tap``."""
    return partial(run_sync, TapMtsLink)


@pytest.fixture
def config_for():
    """``config_for(base_url, **overrides)``: a config for another stand-in."""
    return make_config


@pytest.fixture
def standin():
    """The shared stand-in, with faults and the request log cleared around the test."""
    SHARED.clear()
    yield SHARED
    SHARED.clear()


@pytest.fixture
def config(standin):
    """Config for the shared stand-in."""
    return make_config(SHARED_URL)


@pytest.fixture
def make_standin():
    """Build and serve a stand-in with options just for this test: returns (standin, url)."""
    with standin_factory(mtslink_standin.build) as make:
        yield make


@pytest.fixture
def run_cli(tmp_path):
    """Run ``python -m tap_mtslink`` as a user would, with config, state and catalog files."""
    return partial(run_tap_cli, "tap_mtslink", workdir=tmp_path)
