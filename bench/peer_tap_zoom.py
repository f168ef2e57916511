"""Run singer-io's ``tap-zoom`` (PyPI 2.1.1) against a stand-in: used by ``rate_governor.py``.

That tap has its API address as a class constant (``ZoomClient.BASE_URL =
'https://api.zoom.us/v2/'``) and refreshes a user-level OAuth token at ``https://zoom.us``, so it
cannot be pointed at a stand-in by its config. This shim, run by the peer's own interpreter,
sets ``BASE_URL`` from ``PEER_ZOOM_BASE_URL`` and calls the tap's ``main``; the benchmark runs
it with ``--dev`` and an ``access_token`` from the stand-in's token endpoint in the config (the
tap's dev mode uses that token instead of a refresh). Nothing of the installed package is
changed.

    PEER_ZOOM_BASE_URL=http://127.0.0.1:PORT/v2/ PEER_VENV/bin/python bench/peer_tap_zoom.py
        --config c.json --catalog cat.json --dev
"""

from __future__ import annotations

import os

from tap_zoom import main  # singer-io's package, from the peer's virtualenv
from tap_zoom.client import ZoomClient

ZoomClient.BASE_URL = os.environ["PEER_ZOOM_BASE_URL"]

if __name__ == "__main__":
    main()
