"""Drift mode end to end: every tap loads a drifting API into PostgreSQL with nothing lost.

Each stand-in changes the shape of a share of the values it serves (objects as ``[]``, ``""`` or
JSON text, numbers as strings or objects, arrays as objects, booleans as 0/1, nulls, missing and
unknown fields) and records each change. ``meltano run <tap> target-postgres`` must exit 0 with
every row loaded, and every changed value must be in PostgreSQL: in its typed column (as served,
or through one of the guard's documented coercions) or in its variant column ``<field>__v_json``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

import psycopg
import pytest
from tap_oktopost.bi.names import column_names

from standins import mtslink, oktopost, stepik, zoom
from standins.drift import MISSING
from standins.expectations import zoom_expected_counts
from standins.support import serve_in_background, zoom_config

from .conftest import schema_tables

DRIFT = {"drift": "0.3", "drift_seed": 11}


@dataclass
class Case:
    plugin: str
    build: Callable[[], Any]
    config: Callable[[Any, str], dict]
    expected: Callable[[Any], dict[str, int]]


CASES = [
    Case(
        "tap-zoom",
        lambda: zoom.build(**DRIFT),
        lambda s, url: zoom_config(url),
        zoom_expected_counts,
    ),
    Case(
        "tap-mtslink",
        lambda: mtslink.build(**DRIFT),
        lambda s, url: {
            "api_token": mtslink.API_TOKEN,
            "api_url": f"{url}/v3",
            "start_date": "2015-01-01T00:00:00Z",
            "requests_per_second": 0,
        },
        mtslink.expected_counts,
    ),
    Case(
        "tap-oktopost",
        lambda: oktopost.build(**DRIFT),
        lambda s, url: oktopost.tap_config(url),
        oktopost.expected_counts,
    ),
    Case(
        "tap-stepik",
        lambda: stepik.build(platform="stepik", **DRIFT),
        lambda s, url: stepik.tap_config(s, url, requests_per_second=0),
        stepik.expected_counts,
    ),
    Case(
        "tap-hyperskill",
        lambda: stepik.build(platform="hyperskill", **DRIFT),
        lambda s, url: stepik.tap_config(s, url, requests_per_second=0),
        stepik.expected_counts,
    ),
]


# --- reading PostgreSQL back ------------------------------------------------------------------


def load_tables(dsn: str, schema: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table in ``schema``, as dicts."""
    with psycopg.connect(dsn) as conn:
        tables = {}
        for name in schema_tables(conn, schema):
            cursor = conn.execute(
                psycopg.sql.SQL("select * from {}.{}").format(
                    psycopg.sql.Identifier(schema), psycopg.sql.Identifier(name)
                )
            )
            columns = [c.name for c in cursor.description]
            tables[name] = [dict(zip(columns, row, strict=True)) for row in cursor]
        return tables


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _instant(value: Any) -> datetime | None:
    """A moment in UTC (PostgreSQL ``timestamp`` columns come back naive, in UTC)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def same(a: Any, b: Any) -> bool:
    """Equal as the warehouse can tell: numbers by value, instants by moment, JSON deeply."""
    if a == b and type(a) is type(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    na, nb = _number(a), _number(b)
    if na is not None and nb is not None and not (isinstance(a, str) and isinstance(b, str)):
        return na == nb
    ta, tb = _instant(a), _instant(b)
    if ta is not None and tb is not None and (isinstance(a, datetime) or isinstance(b, datetime)):
        return ta == tb
    if isinstance(b, date) and isinstance(a, str):
        return a.startswith(b.isoformat())
    return str(a) == str(b) if isinstance(a, str) and isinstance(b, str) else False


def holds(after: Any, found: Any) -> bool:
    """Whether ``found`` holds the drifted value ``after``, as served or coerced by the guard."""
    if same(after, found):
        return True
    if after in ([], {}) and found in ([], {}):
        return True  # an empty object or list: the tap keeps the empty container
    if after == MISSING or after in ([], {}, ""):
        return found is None
    if isinstance(found, str) and not isinstance(after, str):
        try:
            return same(after, json.loads(found))  # a JSON value in a text column
        except ValueError:
            pass
    if isinstance(after, str):
        try:
            if same(json.loads(after), found):  # JSON text parsed, numeric string read
                return True
        except ValueError:
            pass
        if after in ("true", "false"):
            return found is (after == "true")
    if isinstance(found, bool) and after in (0, 1, "0", "1") and not isinstance(after, bool):
        return found is (after in (1, "1"))  # a 0/1 flag read as a boolean
    if isinstance(found, datetime) and _number(after) is not None:
        moment = _instant(found)  # epoch seconds or milliseconds read as a timestamp
        return any(
            abs(moment.timestamp() - float(_number(after)) / scale) < 0.001 for scale in (1, 1000)
        )
    if isinstance(found, str) and isinstance(after, int | float | Decimal | bool):
        return found == (str(after).lower() if isinstance(after, bool) else str(after))
    return False


def dig(value: Any, path: list[Any]) -> Any:
    """The value at ``path`` inside a JSON value (None where the path ends early)."""
    for step in path:
        if isinstance(value, dict):
            value = value.get(str(step))
        elif isinstance(value, list) and isinstance(step, int) and step < len(value):
            value = value[step]
        else:
            return None
    return value


def column(name: Any) -> Any:
    """The column a served field name lands in (CSV headers become snake_case columns)."""
    return column_names([name])[0] if isinstance(name, str) and not name.islower() else name


#: Objects a tap reshapes on purpose, and where their fields land: MTS Link file wrappers have
#: the inner ``file`` lifted into the record (None: top level); Stepik's object ``feedback``
#: is kept whole in ``feedback_details`` (``feedback`` holds its message).
MOVED = {
    ("tap-mtslink", "file"): None,
    ("tap-stepik", "feedback"): "feedback_details",
    ("tap-hyperskill", "feedback"): "feedback_details",
}


def found_in_row(row: dict[str, Any], change: dict[str, Any], plugin: str) -> bool:
    """Whether the changed value is in this row: its column, nested, or its variant column."""
    head, rest = change["path"][0], change["path"][1:]
    if rest and (plugin, head) in MOVED:
        moved = MOVED[plugin, head]
        path = [moved, *rest] if moved else rest
        if found_in_row(row, {**change, "path": path}, plugin):
            return True
    if head not in row and column(head) in row:
        head = column(head)
    candidates = []
    if head in row:
        candidates.append(dig(row[head], rest) if rest else row[head])
    variant = row.get(f"{head}__v_json")
    if variant is not None:
        candidates.append(dig(variant, rest) if rest else variant)
    if not candidates:
        return change["after"] == MISSING or change["kind"] in {"null", "empty"}
    return any(holds(change["after"], value) for value in candidates)


def rows_for(tables: dict[str, list[dict]], key: dict[str, Any]) -> list[dict]:
    """The rows, in any table, whose columns match every identity field of a change."""
    return [
        row
        for rows in tables.values()
        for row in rows
        if key
        and all(
            (name in row and same(value, row[name]))
            or (column(name) in row and same(value, row[column(name)]))
            for name, value in key.items()
        )
    ]


#: Fields a tap never loads on purpose: Oktopost Destination credentials (only the listed
#: sub-fields of ``Destination`` reach a record, see tap_oktopost.schemas).
NOT_LOADED = {("tap-oktopost", "Destination")}


@pytest.mark.parametrize("case", CASES, ids=[c.plugin for c in CASES])
def test_meltano_run_loads_a_drifting_api_with_every_value_kept(
    case, run_meltano, settings_env, pg_counts, pg_dsn, schema_name
):
    standin = case.build()
    url = serve_in_background(standin)
    env = settings_env(case.plugin.upper().replace("-", "_"), case.config(standin, url))
    env["MELTANO_RUN_STATE_ID_SUFFIX"] = "drift"  # its own state: other tests start clean

    proc = run_meltano("run", "--full-refresh", case.plugin, "target-postgres", env=env)

    assert proc.returncode == 0, proc.stderr[-3000:]
    expected = {name: n for name, n in case.expected(standin).items() if n}
    counts = pg_counts()
    assert {k: counts.get(k) for k in expected} == expected
    changes = standin.drift.changes
    assert len(changes) > 20, "drift mode changed too little to test anything"
    tables = load_tables(pg_dsn, schema_name)
    missing, unlocated = [], 0
    for change in changes:
        if (case.plugin, change["path"][0]) in NOT_LOADED and len(change["path"]) > 1:
            continue
        rows = rows_for(tables, change["key"])
        if not rows:  # a record the tap leaves out on purpose (before start_date, ...)
            unlocated += 1
        elif not any(found_in_row(row, change, case.plugin) for row in rows):
            missing.append(change)
    assert unlocated <= len(changes) // 50, f"{unlocated} changed records not loaded at all"
    assert not missing, f"{len(missing)} of {len(changes)} changes not found, e.g. {missing[:3]}"
    assert "drifted from the schema" in proc.stderr  # the run summary names the fields
