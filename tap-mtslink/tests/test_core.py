"""The SDK's standard tap tests, against the MTS Link stand-in."""

from __future__ import annotations

from singer_sdk.testing import get_tap_test_class
from tap_mtslink.tap import TapMtsLink

from standins import mtslink as mtslink_standin
from standins.support import serve_in_background

_URL = serve_in_background(mtslink_standin.build())

TestTapMtsLink = get_tap_test_class(
    tap_class=TapMtsLink,
    config={
        "api_token": mtslink_standin.API_TOKEN,
        "api_url": f"{_URL}/v3",
        "start_date": "2015-01-01T00:00:00Z",
        "requests_per_second": 0,
    },
)
