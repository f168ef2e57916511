"""The SDK's standard tap tests, against the Stepik and the Hyperskill stand-ins."""

from __future__ import annotations

from tap_stepik.tap import TapStepik

from standins import stepik as stepik_standin
from standins.support import serve_in_background
from tap_common.testing import attribute_checked_fields, standard_tap_tests


def _config(platform: str) -> dict:
    standin = stepik_standin.build(platform=platform)
    url = serve_in_background(standin)
    return stepik_standin.tap_config(standin, url, requests_per_second=0)


# Custom objects are left out: their permissive schema admits fields it does not list, which
# the suite's "no record field outside the schema" test rejects by design. test_objects.py
# covers them.
TestTapStepik = standard_tap_tests(TapStepik, _config("stepik"))

TestTapHyperskill = standard_tap_tests(TapStepik, _config("hyperskill"))


def test_attribute_type_tests_remain_for_single_typed_fields():
    """The filter above keeps the suite's type tests where the schema claims one type."""
    kept = attribute_checked_fields(TestTapStepik)
    assert {"steps.lesson", "steps.correct_ratio", "steps.block", "lessons.owner"} <= kept
    assert "courses.title" not in kept
