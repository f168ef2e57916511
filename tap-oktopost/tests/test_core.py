"""The SDK's standard tap tests, against the Oktopost stand-in."""

from __future__ import annotations

from typing import Any

from singer_sdk.testing import get_tap_test_class
from singer_sdk.testing.suites import SingerTestSuite
from singer_sdk.testing.tap_tests import (
    AttributeIsBooleanTest,
    AttributeIsDateTimeTest,
    AttributeIsIntegerTest,
    AttributeIsNumberTest,
    AttributeIsObjectTest,
    AttributeNotNullTest,
)
from tap_oktopost.tap import TapOktopost

from standins import oktopost as oktopost_standin
from standins.support import serve_in_background


def _one_type(schema: dict[str, Any]) -> bool:
    """Whether a property declares exactly one type besides null.

    The SDK's attribute tests check a property against each type it lists; a union (any JSON,
    integer or string) is satisfied by any one of them, so only single-typed properties are
    checked.
    """
    kinds = schema.get("type", [])
    kinds = {kinds} if isinstance(kinds, str) else set(kinds)
    return len(kinds - {"null"}) == 1


def _single_typed(test: type) -> type:
    def evaluate(cls: type, stream: Any, property_name: str, property_schema: dict) -> bool:
        return _one_type(property_schema) and test.evaluate.__func__(
            cls, stream, property_name, property_schema
        )

    return type(test.__name__, (test,), {"evaluate": classmethod(evaluate)})


ATTRIBUTE_TESTS = SingerTestSuite(
    kind="tap_stream_attribute",
    tests=[
        *(
            _single_typed(test)
            for test in (
                AttributeIsBooleanTest,
                AttributeIsDateTimeTest,
                AttributeIsIntegerTest,
                AttributeIsNumberTest,
                AttributeIsObjectTest,
            )
        ),
        AttributeNotNullTest,
    ],
)

TestTapOktopost = get_tap_test_class(
    tap_class=TapOktopost,
    config=oktopost_standin.tap_config(serve_in_background(oktopost_standin.build())),
    include_stream_attribute_tests=False,
    custom_suites=[ATTRIBUTE_TESTS],
)
