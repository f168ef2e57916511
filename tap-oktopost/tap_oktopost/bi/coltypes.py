"""Type inference over CSV values, with a safe fallback to string, and value conversion."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from tap_common.dates import to_rfc3339

INT64 = 2**63
_INTEGER = re.compile(r"^-?(?:0|[1-9]\d*)$")
_NUMBER = re.compile(r"^-?(?:0|[1-9]\d*)(?:\.\d+)?$")
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BOOLEAN = {"true", "false"}
ZERO_DATE = "0000-00-00"

#: Inferred kinds, narrowest first. ``None`` means "only blanks seen so far".
KINDS = ("integer", "number", "boolean", "date-time", "date", "string")


def _is_datetime(text: str) -> bool:
    if not _DATETIME.match(text):
        return False
    try:
        to_rfc3339(text)
    except ValueError:
        return False
    return True


def _is_date(text: str) -> bool:
    if not _DATE.match(text):
        return False
    if text == ZERO_DATE:
        return True  # Oktopost's "no date": null
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def fits(kind: str, text: str) -> bool:
    """Whether a non-blank ``text`` is a value of ``kind``."""
    if kind == "integer":
        return bool(_INTEGER.match(text)) and -INT64 <= int(text) < INT64
    if kind == "number":
        return bool(_NUMBER.match(text))
    if kind == "boolean":
        return text.lower() in _BOOLEAN
    if kind == "date-time":
        return _is_datetime(text)
    if kind == "date":
        return _is_date(text)
    return True


class ColumnType:
    """The narrowest kind every non-blank value of a column fits so far."""

    __slots__ = ("candidates", "seen")

    def __init__(self) -> None:
        self.candidates = list(KINDS)
        self.seen = False

    def add(self, value: str) -> None:
        """Narrow with one raw value; blanks say nothing."""
        text = value.strip()
        if not text:
            return
        self.seen = True
        if len(self.candidates) > 1:
            self.candidates = [k for k in self.candidates if fits(k, text)]

    @property
    def kind(self) -> str | None:
        """The inferred kind, ``None`` if only blanks were seen."""
        return self.candidates[0] if self.seen else None


def merge_kinds(a: str | None, b: str | None) -> str | None:
    """The narrowest kind holding values of both (string when they differ)."""
    if a is None or a == b:
        return b
    if b is None:
        return a
    if {a, b} == {"integer", "number"}:
        return "number"
    return "string"


def kind_of(schema: dict[str, Any]) -> str:
    """The inferred kind a column schema stands for.

    A column that accepts any string (``["string", "null"]``, a union, any JSON) is a string
    column: its cells are emitted as they are.
    """
    types = schema.get("type", [])
    types = [types] if isinstance(types, str) else types
    if "string" in types and schema.get("format") not in {"date-time", "date"}:
        return "string"
    if "integer" in types:
        return "integer"
    if "number" in types:
        return "number"
    if "boolean" in types:
        return "boolean"
    return (
        schema.get("format", "string")
        if schema.get("format") in {"date-time", "date"}
        else ("string")
    )


def column_schema(kind: str | None) -> dict[str, Any]:
    """JSON schema of a column of ``kind`` (all-blank columns are strings); always nullable."""
    if kind in {"integer", "number", "boolean"}:
        return {"type": [kind, "null"]}
    if kind in {"date-time", "date"}:
        return {"type": ["string", "null"], "format": kind}
    return {"type": ["string", "null"]}


def _text(value: str) -> str:
    return value


def _integer(value: str) -> int | str:
    return int(value) if fits("integer", value) else value


def _number(value: str) -> Decimal | str:
    return Decimal(value) if _NUMBER.match(value) else value


def _boolean(value: str) -> bool | str:
    text = value.lower()
    return text == "true" if text in _BOOLEAN else value


def _datetime(value: str) -> str | None:
    if value.startswith(ZERO_DATE):
        return None
    if not _DATETIME.match(value):
        return value
    try:
        return to_rfc3339(value) or value
    except ValueError:
        return value


def _date(value: str) -> str | None:
    if value.startswith(ZERO_DATE):
        return None
    return value


def converter(kind: str) -> Callable[[str], Any]:
    """A function from a non-blank, stripped raw value to the emitted value of ``kind``.

    It never raises: a value that is not of ``kind`` (``n/a`` in an integer column, a file newer
    than the catalog) comes back as the original string, for the schema guard to place. Zero
    dates (``0000-00-00...``) in date columns are null.
    """
    return {
        "integer": _integer,
        "number": _number,
        "boolean": _boolean,
        "date-time": _datetime,
        "date": _date,
    }.get(kind, _text)
