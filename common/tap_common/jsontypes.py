"""JSON schema building blocks for fields whose shape the API does not pin down.

``ANY_JSON`` accepts every JSON value. It lists every JSON type rather than being ``{}``, so
that SQL targets give it a JSON column (target-postgres: ``jsonb``) instead of a text column.
"""

from __future__ import annotations

import copy
from typing import Any

from singer_sdk import typing as th

#: Every JSON value: object, array, string, number (integers included), boolean or null.
ANY_JSON: dict[str, Any] = {"type": ["object", "array", "string", "number", "boolean", "null"]}


def any_json() -> dict[str, Any]:
    """A fresh copy of ``ANY_JSON`` (schemas are edited in place, so never share one)."""
    return copy.deepcopy(ANY_JSON)


def AnyJSON() -> th.CustomType:  # noqa: N802 - reads like the SDK's type helpers
    """``ANY_JSON`` as a singer-sdk type helper, for ``th.Property(name, AnyJSON())``."""
    return th.CustomType(any_json())


def union(*types: str) -> dict[str, Any]:
    """A nullable union of JSON types, e.g. ``union("integer", "string")``."""
    return {"type": [*dict.fromkeys([*types, "null"])]}
