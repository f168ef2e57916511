"""The SDK's standard tap tests, against the Zoom stand-in."""

from __future__ import annotations

from singer_sdk.testing import get_tap_test_class
from tap_zoom.tap import TapZoom

from standins import zoom as zoom_standin
from standins.support import serve_in_background, zoom_config

TestTapZoom = get_tap_test_class(
    tap_class=TapZoom,
    config=zoom_config(serve_in_background(zoom_standin.build())),
)
