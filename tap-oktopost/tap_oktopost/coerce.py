"""Bring Oktopost's loose values to the schema's types, and keep every value that does not fit.

Oktopost sends 0/1 for booleans, counts as strings, ``"0000-00-00 00:00:00"`` for "no date",
naive UTC date strings or epoch seconds: those are converted. ``[]`` for an empty object (PHP's
empty array) is kept where the schema accepts an array (``Tags``); elsewhere the schema guard
reads it as null. A value no conversion applies to (a dict where a string is declared, ``n/a`` in
a count, ``2`` in a flag, a date that does not parse) is returned as it came, never raised on and
never dropped: the schema guard then places it (a variant column or a widened property).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from tap_common.dates import to_rfc3339

_TRUE = {"1", "true"}
_FALSE = {"0", "false"}
_INTEGER = re.compile(r"-?(?:0|[1-9]\d*)")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ANY_JSON = {"object", "array", "string", "boolean"}
ZERO_DATE = "0000-00-00"

#: "No conversion applies": the next declared type is tried, else the value is kept.
_NO: Any = object()


def _types(schema: Mapping[str, Any]) -> list[str]:
    kind = schema.get("type", [])
    if isinstance(kind, str):
        return [kind]
    if not kind and "anyOf" in schema:
        return [t for sub in schema["anyOf"] for t in _types(sub)]
    return list(kind)


def is_any_json(schema: Mapping[str, Any]) -> bool:
    """Whether ``schema`` accepts every JSON value (``tap_common.jsontypes.ANY_JSON``)."""
    kinds = set(_types(schema))
    return kinds >= _ANY_JSON and bool(kinds & {"number", "integer"})


def is_zero_date(value: Any) -> bool:
    """Whether ``value`` is Oktopost's "no date" (``0000-00-00`` or ``0000-00-00 00:00:00``)."""
    return isinstance(value, str) and value.strip().startswith(ZERO_DATE)


def _blank(value: Any) -> bool:
    return isinstance(value, str) and not value.strip()


# --- one declared type each: a converted value, or _NO --------------------------------------


def _to_object(value: Any, schema: Mapping[str, Any]) -> Any:
    if isinstance(value, Mapping):
        props = schema.get("properties", {})
        return {k: coerce(v, props[k]) if k in props else v for k, v in value.items()}
    return _NO


def _to_array(value: Any, schema: Mapping[str, Any]) -> Any:
    if isinstance(value, list):
        items = schema.get("items", {})
        return [coerce(v, items) for v in value]
    return _NO


def _to_boolean(value: Any, schema: Mapping[str, Any]) -> Any:  # noqa: ARG001
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        if not text:
            return None
    return _NO


def _integral(value: float | Decimal) -> Any:
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        return _NO
    if number.is_finite() and number == number.to_integral_value():
        return int(number)
    return _NO


def _to_integer(value: Any, schema: Mapping[str, Any]) -> Any:
    if isinstance(value, bool):
        return _NO
    if isinstance(value, int):
        return value
    if isinstance(value, (float, Decimal)):
        return _integral(value)
    if isinstance(value, str):
        text = value.strip()
        if _INTEGER.fullmatch(text):
            return int(text)
        if not text and "string" not in _types(schema):
            return None
    return _NO


def _to_number(value: Any, schema: Mapping[str, Any]) -> Any:
    if isinstance(value, bool):
        return _NO
    if isinstance(value, (int, Decimal)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else _NO
    if isinstance(value, str):
        text = value.strip()
        if _NUMBER.fullmatch(text):
            return Decimal(text)
        if not text and "string" not in _types(schema):
            return None
    return _NO


def _to_datetime(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return _NO
    try:
        return to_rfc3339(value)  # epoch seconds or a date string; "" and zero dates: None
    except (ValueError, TypeError, OverflowError, OSError):
        return _NO


def _to_date(value: Any) -> Any:
    if not isinstance(value, str):
        return _NO
    text = value.strip()
    if not text or text.startswith(ZERO_DATE):
        return None
    return text[:10] if _DATE.match(text) else _NO


def _to_string(value: Any, schema: Mapping[str, Any]) -> Any:
    fmt = schema.get("format")
    if fmt == "date-time":
        return _to_datetime(value)
    if fmt == "date":
        return _to_date(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return str(value)  # an id sent as a number
    return _NO


_CONVERTERS = (
    ("object", _to_object),
    ("array", _to_array),
    ("boolean", _to_boolean),
    ("integer", _to_integer),
    ("number", _to_number),
    ("string", _to_string),
)


def coerce(value: Any, schema: Mapping[str, Any]) -> Any:
    """``value`` converted to a type ``schema`` declares, or ``value`` itself if none applies.

    Never raises, never drops: ``None`` comes back only for null, a blank string in a
    non-string field, or a zero date in a date or any-JSON field.
    """
    if value is None:
        return None
    types = _types(schema)
    if is_any_json(schema):
        return None if is_zero_date(value) else value
    for kind, convert in _CONVERTERS:
        if kind in types:
            result = convert(value, schema)
            if result is not _NO:
                return result
    return value


def coerce_record(row: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    """Every declared property of ``row`` converted to its schema type; others kept as they are."""
    props = schema.get("properties", {})
    return {key: coerce(value, props[key]) if key in props else value for key, value in row.items()}


def is_blank(value: Any) -> bool:
    """Whether ``value`` says nothing: missing (``None``) or a blank string."""
    return value is None or _blank(value)
