"""Fixtures: the Zoom stand-in served in-process, and configs pointing the tap at it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from standins import zoom as zoom_standin
from standins.support import serve_in_background, zoom_config

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
def make_standin():
    """Build and serve a stand-in with options just for this test: returns (standin, url)."""
    servers = []

    def make(**options):
        built = zoom_standin.build(**options)
        server = built.serve()
        servers.append(server)
        return built, server.__enter__()

    yield make
    for server in servers:
        server.__exit__(None, None, None)


@pytest.fixture
def run_cli(tmp_path):
    """Run ``python -m tap_zoom`` as a user would, with a config file and optional state."""

    def run(args, config=None, state=None, timeout=180):
        argv = [sys.executable, "-m", "tap_zoom", *args]
        if config is not None:
            path = tmp_path / "config.json"
            path.write_text(json.dumps(config))
            argv += ["--config", str(path)]
        if state is not None:
            path = tmp_path / "state.json"
            path.write_text(json.dumps(state))
            argv += ["--state", str(path)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("TAP_ZOOM_")}
        return subprocess.run(  # noqa: S603
            argv, capture_output=True, text=True, timeout=timeout, env=env, check=False
        )

    return run
