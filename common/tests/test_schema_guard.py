"""The schema guard: every admitted record fits the last schema, no input value is lost."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tap_common.jsontypes import ANY_JSON
from tap_common.schema_guard import (
    VARIANT_SUFFIX,
    SchemaDriftError,
    SchemaGuard,
    StreamFailure,
)

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": ["string", "null"]},
        "count": {"type": ["integer", "null"]},
        "price": {"type": ["number", "null"]},
        "active": {"type": ["boolean", "null"]},
        "starts": {"type": ["string", "null"], "format": "date-time"},
        "settings": {
            "type": ["object", "null"],
            "properties": {
                "level": {"type": ["integer", "null"]},
                "audio": {"type": ["object", "null"], "properties": {"kind": {"type": "string"}}},
            },
        },
        "tags": {"type": ["array", "null"], "items": {"type": "string"}},
        "files": {
            "type": ["array", "null"],
            "items": {"type": "object", "properties": {"size": {"type": ["integer", "null"]}}},
        },
        "title": {"type": "string"},
    },
    "required": ["id"],
}


class Sink:
    """Collects what the guard sends: schemas and drift warnings."""

    def __init__(self) -> None:
        self.schemas: list[dict] = []
        self.drifts: list[str] = []


def make_guard(schema: dict | None = None, **kwargs: Any) -> tuple[SchemaGuard, Sink]:
    sink = Sink()
    guard = SchemaGuard(
        "things",
        copy.deepcopy(schema or SCHEMA),
        key_properties=kwargs.pop("key_properties", ("id",)),
        endpoint="/things",
        on_schema_change=lambda s: sink.schemas.append(copy.deepcopy(s)),
        on_drift=lambda d: sink.drifts.append(d.message()),
        **kwargs,
    )
    return guard, sink


checker = jsonschema.FormatChecker(formats=())


@checker.checks("date-time", raises=ValueError)
def _parses_as_the_target_parses(value: object) -> bool:
    if isinstance(value, str):
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


def valid(schema: dict, record: dict) -> bool:
    """An independent check: jsonschema, no unknown top-level keys, formats as targets parse."""
    strict = {**schema, "additionalProperties": False}
    return jsonschema.Draft202012Validator(strict, format_checker=checker).is_valid(record)


# --- the fast path -------------------------------------------------------------------------


def test_a_fitting_record_goes_out_untouched_and_no_schema_is_sent():
    guard, sink = make_guard()
    record = {
        "id": 1,
        "name": "a",
        "count": 2,
        "price": Decimal("1.5"),
        "active": True,
        "starts": "2026-01-02T03:04:05Z",
        "settings": {"level": 1, "extra": "kept"},
        "tags": ["x"],
        "files": [{"size": 3}],
        "title": "t",
    }
    before = copy.deepcopy(record)

    assert guard.admit(record) is record
    assert record == before
    assert sink.schemas == []
    assert sink.drifts == []


def test_nested_unknown_keys_are_allowed_so_the_sdk_does_not_drop_them():
    guard, _ = make_guard()
    assert guard.schema["properties"]["settings"]["additionalProperties"] is True
    assert guard.schema["properties"]["files"]["items"]["additionalProperties"] is True


# --- coercions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("settings", [], None),
        ("settings", "", None),
        ("settings", '{"level": 3}', {"level": 3}),
        ("tags", '["a", "b"]', ["a", "b"]),
        ("count", "42", 42),
        ("count", "-7", -7),
        ("price", "1.25", Decimal("1.25")),
        ("name", 12, "12"),
        ("name", Decimal("1.50"), "1.50"),
        ("name", True, "true"),
        ("active", 1, True),
        ("active", 0, False),
        ("active", "false", False),
        ("active", "true", True),
    ],
)
def test_unambiguous_coercions(field, value, expected):
    guard, sink = make_guard()
    record = guard.admit({"id": 1, field: value})

    assert record[field] == expected
    assert type(record[field]) is type(expected)
    assert f"{field}{VARIANT_SUFFIX}" not in record
    assert valid(guard.schema, record)
    assert len(sink.drifts) == 1
    assert f"field '{field}'" in sink.drifts[0]


@pytest.mark.parametrize("text", ["007", "1e3", "12abc", " 5", "NaN"])
def test_inexact_numeric_strings_are_not_converted_to_integers(text):
    guard, _ = make_guard()
    record = guard.admit({"id": 1, "count": text})

    assert record["count"] is None
    assert record[f"count{VARIANT_SUFFIX}"] == text


def test_null_in_a_non_nullable_field_makes_it_nullable():
    guard, sink = make_guard()
    record = guard.admit({"id": 1, "title": None})

    assert record["title"] is None
    assert "null" in guard.schema["properties"]["title"]["type"]
    assert sink.schemas  # the widened schema went out
    assert valid(sink.schemas[-1], record)


# --- values that do not fit ------------------------------------------------------------------


def test_a_top_level_misfit_goes_to_a_variant_column_announced_before_the_record():
    guard, sink = make_guard()
    record = guard.admit({"id": 1, "count": {"value": 5}})

    assert record["count"] is None
    assert record["count__v_json"] == {"value": 5}
    assert sink.schemas[-1]["properties"]["count__v_json"] == ANY_JSON
    # the declared column keeps its type: a target cannot change bigint to JSON in place
    assert sink.schemas[-1]["properties"]["count"]["type"] == ["integer", "null"]
    assert valid(sink.schemas[-1], record)


def test_a_bad_date_goes_to_the_variant_column():
    guard, _ = make_guard()
    record = guard.admit({"id": 1, "starts": "next tuesday"})

    assert record["starts"] is None
    assert record["starts__v_json"] == "next tuesday"


def test_a_nested_misfit_widens_the_nested_property_only():
    guard, sink = make_guard()
    record = guard.admit({"id": 1, "settings": {"level": {"deep": True}}})

    assert record["settings"] == {"level": {"deep": True}}
    assert guard.schema["properties"]["settings"]["properties"]["level"] == ANY_JSON
    assert guard.schema["properties"]["settings"]["type"] == ["object", "null"]
    assert "widened" in sink.drifts[0]
    assert valid(sink.schemas[-1], record)


def test_items_of_a_top_level_array_are_never_widened_in_place():
    guard, _ = make_guard()
    record = guard.admit({"id": 1, "tags": [{"a": 1}]})

    assert guard.schema["properties"]["tags"]["items"] == {"type": "string"}
    assert record["tags"] is None
    assert record["tags__v_json"] == [{"a": 1}]


def test_nested_arrays_never_reach_a_sql_array_column():
    schema = copy.deepcopy(SCHEMA)
    schema["properties"]["any"] = {"type": ["array", "null"], "items": ANY_JSON}
    schema["properties"]["grid"] = {"type": "array", "items": {"type": "array"}}
    guard, _ = make_guard(schema)

    assert "array" not in guard.schema["properties"]["any"]["items"]["type"]
    assert guard.schema["properties"]["grid"] == ANY_JSON
    record = guard.admit({"id": 1, "any": [1, "a", {"b": [2]}], "grid": [[1], [2, 3]]})
    assert record["any"] == [1, "a", {"b": [2]}]
    assert record["grid"] == [[1], [2, 3]]
    record = guard.admit({"id": 2, "any": [[1], None]})
    assert record["any"] is None
    assert record["any__v_json"] == [[1], None]
    assert valid(guard.schema, record)


def test_fields_inside_array_objects_are_widened():
    guard, _ = make_guard()
    record = guard.admit({"id": 1, "files": [{"size": "big"}]})

    assert record["files"] == [{"size": "big"}]
    assert guard.schema["properties"]["files"]["items"]["properties"]["size"] == ANY_JSON


def test_an_unknown_top_level_field_becomes_a_json_column():
    guard, sink = make_guard()
    record = guard.admit({"id": 1, "surprise": [1, "two"]})

    assert record["surprise"] == [1, "two"]
    assert sink.schemas[-1]["properties"]["surprise"] == ANY_JSON


def test_each_field_is_logged_once_per_kind_and_counted_every_time():
    guard, sink = make_guard()
    for _ in range(5):
        guard.admit({"id": 1, "count": "3"})

    assert len(sink.drifts) == 1
    assert guard.ledger.counts[("things", "count")] == 5
    assert guard.ledger.summary_lines() == [
        "things.count: 5 value(s); numeric string read as integer"
    ]


def test_the_schema_is_sent_again_only_when_it_changed():
    guard, sink = make_guard()
    guard.admit({"id": 1, "count": {"a": 1}})
    guard.admit({"id": 2, "count": {"a": 2}})

    assert len(sink.schemas) == 1


# --- keys and the fail mode -------------------------------------------------------------------


def test_a_record_without_its_primary_key_fails_the_stream_naming_it():
    guard, _ = make_guard()
    with pytest.raises(StreamFailure, match=r"'things'.*/things.*primary key 'id'"):
        guard.admit({"name": "no id"})


def test_a_primary_key_of_the_wrong_shape_fails_the_stream():
    guard, _ = make_guard()
    with pytest.raises(StreamFailure, match="primary key 'id'"):
        guard.admit({"id": {"nested": 1}})


def test_a_numeric_string_primary_key_is_read_exactly():
    guard, _ = make_guard()
    assert guard.admit({"id": "17"})["id"] == 17


def test_fail_mode_stops_at_the_first_drift_naming_stream_and_field():
    guard, _ = make_guard(mode="fail")
    guard.admit({"id": 1, "count": 3})
    with pytest.raises(SchemaDriftError, match=r"stream 'things', field 'settings.level'"):
        guard.admit({"id": 2, "settings": {"level": "x"}})


# --- properties over generated schemas and values ----------------------------------------------

NAMES = st.sampled_from(["a", "b", "c", "d", "e"])
SCALAR_TYPES = st.sampled_from(["string", "integer", "number", "boolean"])


@st.composite
def leaf_schemas(draw: st.DrawFn) -> dict:
    kind = draw(SCALAR_TYPES)
    node: dict[str, Any] = {"type": [kind, "null"] if draw(st.booleans()) else kind}
    if kind == "string" and draw(st.booleans()):
        node["format"] = "date-time"
    return node


def schemas() -> st.SearchStrategy[dict]:
    return st.recursive(
        leaf_schemas(),
        lambda inner: st.one_of(
            st.builds(
                lambda props, nullable: {
                    "type": ["object", "null"] if nullable else "object",
                    "properties": props,
                },
                st.dictionaries(NAMES, inner, max_size=4),
                st.booleans(),
            ),
            st.builds(lambda items: {"type": ["array", "null"], "items": items}, inner),
        ),
        max_leaves=8,
    )


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.decimals(allow_nan=False, allow_infinity=False, places=3)
    | st.text(max_size=8)
    | st.sampled_from(
        ["", "[]", "{}", "12", "1.5", "true", "0", '{"a": 1}', "2026-01-01T00:00:00Z"]
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(NAMES, inner, max_size=3),
    max_leaves=10,
)


DATE_TIMES = st.datetimes(timezones=st.just(timezone.utc)).map(
    lambda moment: moment.isoformat().replace("+00:00", "Z")
)


def from_schema(node: dict) -> st.SearchStrategy[Any]:
    """Values valid for the schemas ``schemas()`` draws (hypothesis-jsonschema 0.23 does not
    run on current Hypothesis, so this covers the subset these tests generate)."""
    kinds = node["type"] if isinstance(node["type"], list) else [node["type"]]
    options = []
    for kind in kinds:
        if kind == "null":
            options.append(st.none())
        elif kind == "string":
            options.append(DATE_TIMES if node.get("format") else st.text(max_size=8))
        elif kind == "integer":
            options.append(st.integers(-(2**40), 2**40))
        elif kind == "number":
            options.append(st.decimals(allow_nan=False, allow_infinity=False, places=2))
        elif kind == "boolean":
            options.append(st.booleans())
        elif kind == "array":
            options.append(st.lists(from_schema(node["items"]), max_size=3))
        elif kind == "object":
            options.append(
                st.fixed_dictionaries(
                    {}, optional={k: from_schema(v) for k, v in node["properties"].items()}
                )
            )
    return st.one_of(options)


@st.composite
def stream_cases(draw: st.DrawFn) -> tuple[dict, list[dict]]:
    properties = draw(st.dictionaries(NAMES, schemas(), min_size=1, max_size=5))
    schema = {"type": "object", "properties": {"id": {"type": "integer"}, **properties}}
    records = []
    for index in range(draw(st.integers(1, 4))):
        record: dict[str, Any] = {"id": index}
        for name, node in properties.items():
            choice = draw(st.sampled_from(["valid", "any", "missing"]))
            if choice == "valid":
                record[name] = draw(from_schema(node))
            elif choice == "any":
                record[name] = draw(JSON_VALUES)
        if draw(st.booleans()):
            record[draw(st.sampled_from(["x", "y"]))] = draw(JSON_VALUES)
        records.append(record)
    return schema, records


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        return None
    try:
        return Decimal(value) if not isinstance(value, float) else Decimal(repr(value))
    except ArithmeticError:
        return None


def kept(original: Any, out: Any) -> bool:
    """Whether ``out`` holds ``original``: equal, or one of the documented coercions."""
    if original == out and type(original) is type(out):
        return True
    if isinstance(original, dict) and isinstance(out, dict):
        return original.keys() == out.keys() and all(kept(original[k], out[k]) for k in out)
    if isinstance(original, list) and isinstance(out, list):
        return len(original) == len(out) and all(map(kept, original, out))
    if out is None and original in ([], {}, ""):
        return True
    if isinstance(original, str) and isinstance(out, dict | list):
        return kept(json.loads(original), out)
    if isinstance(out, bool):
        return original in ((1, "true") if out else (0, "false")) and not isinstance(original, bool)
    if isinstance(out, str):
        return out == (str(original).lower() if isinstance(original, bool) else str(original))
    if isinstance(out, int | Decimal) and isinstance(original, str):
        return _number(original) == _number(out)
    return original == out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stream_cases())
def test_every_admitted_record_fits_the_last_schema_and_keeps_every_value(case):
    schema, records = case
    guard, sink = make_guard(schema)
    for original in records:
        record = guard.admit(copy.deepcopy(original))
        last_schema = sink.schemas[-1] if sink.schemas else guard.schema

        assert valid(last_schema, record), (last_schema, record)
        for name, value in original.items():
            variant = record.get(f"{name}{VARIANT_SUFFIX}")
            if variant is not None or (
                record.get(name) is None and f"{name}{VARIANT_SUFFIX}" in record
            ):
                assert variant == value
                assert record[name] is None
            else:
                assert kept(value, record[name]), (name, value, record[name])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_record_valid_for_the_schema_passes_unchanged(data):
    properties = data.draw(st.dictionaries(NAMES, schemas(), min_size=1, max_size=5))
    schema = {"type": "object", "properties": {"id": {"type": "integer"}, **properties}}
    guard, sink = make_guard(schema)
    record = {"id": 1, **data.draw(from_schema({"type": "object", "properties": properties}))}
    record = {k: v for k, v in record.items() if k == "id" or k in properties}
    if not valid(guard.schema, record):
        return  # hypothesis-jsonschema's date-times can be wider than what targets parse
    before = copy.deepcopy(record)

    assert guard.admit(record) == before
    assert sink.schemas == []
    assert sink.drifts == []
