"""The SDK's standard tap tests, against the Oktopost stand-in."""

from __future__ import annotations

from singer_sdk.testing import get_tap_test_class
from tap_oktopost.tap import TapOktopost

from standins import oktopost as oktopost_standin
from standins.support import serve_in_background

TestTapOktopost = get_tap_test_class(
    tap_class=TapOktopost,
    config=oktopost_standin.tap_config(serve_in_background(oktopost_standin.build())),
)
