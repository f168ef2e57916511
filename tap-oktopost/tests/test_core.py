"""The SDK's standard tap tests, against the Oktopost stand-in."""

from __future__ import annotations

from tap_oktopost.tap import TapOktopost

from standins import oktopost as oktopost_standin
from standins.support import serve_in_background
from tap_common.testing import attribute_checked_fields, standard_tap_tests

TestTapOktopost = standard_tap_tests(
    TapOktopost,
    oktopost_standin.tap_config(serve_in_background(oktopost_standin.build())),
)


def test_attribute_type_tests_remain_for_single_typed_fields():
    checked = attribute_checked_fields(TestTapOktopost)
    assert "advocates.Id" in checked, "single-typed fields keep their checks"
    assert "bi_campaign_summary.clicks" in checked
    assert "messages.Subject" not in checked, "any-JSON fields are not checked as one type"
