"""Fixtures: the Oktopost stand-in served in-process, and configs pointing the tap at it."""

from __future__ import annotations

import contextlib
import io
from functools import partial

import pytest
from tap_oktopost.tap import TapOktopost

from standins import oktopost as oktopost_standin
from standins.support import serve_in_background
from tap_common.testing import catalog_selecting, parse_singer, run_tap_cli

#: One stand-in shared by the read-only tests (faults and log are cleared around each test).
SHARED = oktopost_standin.build()
SHARED_URL = serve_in_background(SHARED)


@pytest.fixture
def standin():
    """The shared stand-in, with faults and the request log cleared around the test."""
    SHARED.clear()
    SHARED.arrivals.clear()
    yield SHARED
    SHARED.clear()


@pytest.fixture
def config(standin):
    """Config for the shared stand-in (no client-side rate cap, to keep tests fast)."""
    return oktopost_standin.tap_config(SHARED_URL)


@pytest.fixture
def make_standin():
    """Build and serve a stand-in just for this test (it may change its data): (standin, url)."""
    servers = []

    def make(**options):
        built = oktopost_standin.build(**options)
        server = built.serve()
        servers.append((built, server))
        return built, server.__enter__()

    yield make
    for built, server in servers:
        server.__exit__(None, None, None)
        built.close()


@pytest.fixture
def sync(standin):
    """Run the tap in-process with a discovered catalog; the request log then holds only the
    sync's requests (discovery, which downloads the files, happens first)."""

    def run(config, streams=None, state=None, target=None, prepare=None):
        target = target or standin
        tap = TapOktopost(config=config, validate_config=False)
        wanted = streams if streams is not None else list(tap.streams)
        catalog = catalog_selecting(TapOktopost, config, wanted)
        target.clear()
        if prepare is not None:
            prepare()
        tap = TapOktopost(config=config, catalog=catalog, state=state)
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            tap.sync_all()
        return parse_singer(buffer.getvalue())

    return run


@pytest.fixture
def run_cli(tmp_path):
    """Run ``python -m tap_oktopost`` as a user would, with config, state and catalog files."""
    return partial(run_tap_cli, "tap_oktopost", workdir=tmp_path)
