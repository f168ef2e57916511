"""The SDK's standard tap tests, against the MTS Link stand-in."""

from __future__ import annotations

from tap_mtslink.tap import TapMtsLink

from standins import mtslink as mtslink_standin
from standins.support import serve_in_background
from tap_common.testing import attribute_checked_fields, standard_tap_tests

_URL = serve_in_background(mtslink_standin.build())

TestTapMtsLink = standard_tap_tests(
    TapMtsLink,
    {
        "api_token": mtslink_standin.API_TOKEN,
        "api_url": f"{_URL}/v3",
        "start_date": "2015-01-01T00:00:00Z",
        "requests_per_second": 0,
    },
)


def test_any_json_fields_are_not_checked_as_one_type():
    checked = attribute_checked_fields(TestTapMtsLink)
    assert "agendas.userId" not in checked
    assert "participations.referrer" not in checked
    assert "participations.isOnline" in checked, "single-typed fields keep their checks"
    assert "events.accessSettings" in checked
