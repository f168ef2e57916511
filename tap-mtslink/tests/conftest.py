"""Fixtures: the MTS Link stand-in served in-process, configs and runners for the tap."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys

import pytest
from tap_mtslink.tap import TapMtsLink

from standins import mtslink as mtslink_standin
from standins.support import serve_in_background
from tap_common.testing import SyncResult, catalog_selecting, parse_singer

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


def run_sync(config: dict, streams=None, state=None) -> SyncResult:
    """Run the tap in-process; the result also carries the tap (``result.tap``)."""
    catalog = catalog_selecting(TapMtsLink, config, streams) if streams is not None else None
    tap = TapMtsLink(config=config, catalog=catalog, state=state)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        tap.sync_all()
    result = parse_singer(buffer.getvalue())
    result.tap = tap  # type: ignore[attr-defined]
    return result


@pytest.fixture
def sync():
    """Run the tap in-process: ``sync(config, streams=None, state=None)``."""
    return run_sync


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
    servers = []

    def make(**options):
        built = mtslink_standin.build(**options)
        server = built.serve()
        servers.append(server)
        return built, server.__enter__()

    yield make
    for server in servers:
        server.__exit__(None, None, None)


@pytest.fixture
def run_cli(tmp_path):
    """Run ``python -m tap_mtslink`` as a user would, with a config file and optional state."""

    def run(args, config=None, state=None, catalog=None, timeout=180):
        argv = [sys.executable, "-m", "tap_mtslink", *args]
        for name, value in (("config", config), ("state", state), ("catalog", catalog)):
            if value is not None:
                path = tmp_path / f"{name}.json"
                path.write_text(json.dumps(value))
                argv += [f"--{name}", str(path)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("TAP_MTSLINK_")}
        return subprocess.run(  # noqa: S603
            argv, capture_output=True, text=True, timeout=timeout, env=env, check=False
        )

    return run
