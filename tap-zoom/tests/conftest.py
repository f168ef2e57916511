"""Fixtures: the Zoom stand-in served in-process, and configs pointing the tap at it."""

from __future__ import annotations

from functools import partial

import pytest

from standins import zoom as zoom_standin
from standins.support import serve_in_background, zoom_config
from tap_common.testing import run_tap_cli, standin_factory

#: One stand-in shared by the read-only tests (faults and log are cleared around each test).
SHARED = zoom_standin.build()
SHARED_URL = serve_in_background(SHARED)


@pytest.fixture
def standin():
    """The shared stand-in, with faults and the request log cleared around the test."""
    SHARED.clear()
    yield SHARED
    SHARED.clear()


@pytest.fixture
def config(standin):
    """Config for the shared stand-in."""
    return zoom_config(SHARED_URL)


@pytest.fixture
def run_cli(tmp_path):
    """Run ``python -m tap_zoom`` as a user would, with a config file and optional state."""
    return partial(run_tap_cli, "tap_zoom", workdir=tmp_path)


@pytest.fixture
def make_standin():
    """Build and serve a stand-in with options just for this test: returns (standin, url)."""
    with standin_factory(zoom_standin.build) as make:
        yield make
