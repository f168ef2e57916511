"""Bring Oktopost's loose values to the schema's types.

Oktopost sends 0/1 for booleans, counts as strings, ``"0000-00-00 00:00:00"`` for "no date",
naive UTC date strings, and ``[]`` for an empty object (PHP's empty array).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from tap_common.dates import to_rfc3339

_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no"}


def _types(schema: Mapping[str, Any]) -> list[str]:
    kind = schema.get("type", [])
    if isinstance(kind, str):
        return [kind]
    if not kind and "anyOf" in schema:
        return [t for sub in schema["anyOf"] for t in _types(sub)]
    return list(kind)


def to_bool(value: Any) -> bool | None:
    """0/1, "0"/"1", "true"/"false" and booleans as a boolean; blank is ``None``."""
    if isinstance(value, bool) or value is None:
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if not text:
        return None
    msg = f"not a boolean: {value!r}"
    raise ValueError(msg)


def to_int(value: Any) -> int | None:
    """Integers, integral decimals and numeric strings as an int; blank is ``None``."""
    if value is None or isinstance(value, bool):
        return None if value is None else int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not text:
        return None
    number = Decimal(text)
    if number != number.to_integral_value():
        msg = f"not an integer: {value!r}"
        raise ValueError(msg)
    return int(number)


def to_number(value: Any) -> Decimal | int | None:
    """Numbers and numeric strings as a Decimal (exact); blank is ``None``."""
    if value is None or isinstance(value, bool):
        return None if value is None else int(value)
    if isinstance(value, (int, Decimal)):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        msg = f"not a number: {value!r}"
        raise ValueError(msg) from exc
    if not number.is_finite():
        msg = f"not a finite number: {value!r}"
        raise ValueError(msg)
    return number


def coerce(value: Any, schema: Mapping[str, Any]) -> Any:  # noqa: PLR0911
    """``value`` converted to what ``schema`` declares (recursively)."""
    if value is None:
        return None
    types = _types(schema)
    if "object" in types:
        if isinstance(value, list) and not value:
            return {}
        if isinstance(value, Mapping):
            props = schema.get("properties", {})
            return {k: coerce(v, props[k]) if k in props else v for k, v in value.items()}
        return value
    if "array" in types:
        if isinstance(value, Mapping):
            value = list(value.values())
        items = schema.get("items", {})
        return [coerce(v, items) for v in value] if isinstance(value, list) else value
    if "boolean" in types:
        return to_bool(value)
    if "integer" in types:
        return to_int(value)
    if "number" in types:
        return to_number(value)
    if "string" in types:
        if schema.get("format") == "date-time":
            return to_rfc3339(value)
        if schema.get("format") == "date":
            text = str(value).strip()
            return None if not text or text.startswith("0000-00-00") else text[:10]
        return value if isinstance(value, str) else str(value)
    return value


def coerce_record(row: dict[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    """Every declared property of ``row`` converted to its schema type."""
    props = schema.get("properties", {})
    return {key: coerce(value, props[key]) if key in props else value for key, value in row.items()}
