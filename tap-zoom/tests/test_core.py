"""The SDK's standard tap tests, against the Zoom stand-in."""

from __future__ import annotations

from tap_zoom.tap import TapZoom

from standins import zoom as zoom_standin
from standins.support import serve_in_background, zoom_config
from tap_common.testing import attribute_checked_fields, standard_tap_tests

TestTapZoom = standard_tap_tests(TapZoom, zoom_config(serve_in_background(zoom_standin.build())))


def test_any_json_fields_are_not_checked_as_one_type():
    checked = attribute_checked_fields(TestTapZoom)
    assert "users.email" not in checked
    assert "dashboard_meetings.id" in checked, "single-typed fields keep their checks"
