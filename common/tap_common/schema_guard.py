"""The schema guard: no record leaves a tap that fails its stream's SCHEMA, no value is lost.

Every record passes through a ``SchemaGuard`` between the tap's ``post_process`` and the
RECORD message. A record that fits the stream's schema (one compiled ``fastjsonschema``
validator per schema) goes out untouched. One that does not is repaired, value by value:

* unambiguous coercions: ``[]``, ``{}`` or ``""`` where an object is declared becomes null;
  JSON text where an object or array is declared is parsed; a numeric string becomes a number
  where a number is declared and the conversion is exact; a number or boolean becomes a string
  where a string is declared; 0/1 and ``"true"``/``"false"`` become booleans where a boolean is
  declared; null where a non-nullable field is declared makes the field nullable;
* a value that still does not fit is kept, never dropped. Inside a JSON column (a property
  nested in an object-valued column, or in the objects of an array column) the nested property
  is widened to any JSON. A top-level column keeps its type: it gets null for this record and
  the value goes to a variant column ``<field>__v_json`` (any JSON), added to the schema;
* an unknown top-level field is added to the schema as a JSON column.

Any change to the schema is sent as a new SCHEMA message before the record. Each drifted field
is logged once and counted for the run summary. With ``schema_drift: fail`` the first drift
stops the run instead. A record without its primary key fails its stream.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import fastjsonschema
from singer_sdk.exceptions import FatalAPIError

from tap_common.jsontypes import any_json

#: Suffix of the variant column that holds top-level values that do not fit their column.
VARIANT_SUFFIX = "__v_json"
ADAPT, FAIL = "adapt", "fail"
DRIFT_MODES = (ADAPT, FAIL)

#: A path step meaning "each item of an array".
ITEMS = "[]"
#: A path step meaning "a key of an object not named in its properties".
EXTRA = "{*}"

_INTEGER = re.compile(r"-?(?:0|[1-9]\d*)")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_EMPTY_FOR_OBJECT: tuple[Any, ...] = ((), "")


class SchemaDriftError(FatalAPIError):
    """A record did not fit its schema and ``schema_drift`` is ``fail``: the run stops."""


class StreamFailure(Exception):
    """This stream cannot go on (e.g. a record without its primary key); the others can."""


class _Misfit(Exception):
    """A value that no coercion makes fit its schema node."""

    def __init__(self, path: tuple[str, ...], node: Mapping[str, Any], value: Any) -> None:
        super().__init__(path)
        self.path = path
        self.node = node
        self.value = value


# --- JSON types ---------------------------------------------------------------------------


#: Python types as the API's JSON parser gives them, in the order they are told apart
#: (``bool`` before ``int``: a boolean is an int in Python).
_JSON_TYPES: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (type(None), "null"),
    (bool, "boolean"),
    (int, "integer"),
    ((float, Decimal), "number"),
    (str, "string"),
    (Mapping, "object"),
    ((list, tuple), "array"),
)


def json_type(value: Any) -> str:
    """The JSON type name of a Python value as the API parser gives it."""
    for python_type, name in _JSON_TYPES:
        if isinstance(value, python_type):
            return name
    return type(value).__name__


def declared_types(node: Mapping[str, Any]) -> set[str] | None:
    """The types a schema node declares, or None when it declares none (any, or anyOf)."""
    kind = node.get("type")
    if kind is None:
        return None
    return set(kind) if isinstance(kind, list) else {kind}


def _describe(node: Mapping[str, Any]) -> str:
    kinds = declared_types(node)
    if kinds is None:
        return "schema without a type"
    text = "|".join(sorted(kinds - {"null"})) or "null"
    if node.get("format"):
        text += f" ({node['format']})"
    return text


def _fits_type(value: Any, kinds: set[str]) -> bool:
    observed = json_type(value)
    if observed in kinds:
        return True
    if observed == "integer" and "number" in kinds:
        return True
    return bool(
        observed == "number"
        and "integer" in kinds
        and not isinstance(value, float | Decimal)  # 1.0 stays a number: no silent change
    )


# --- formats the targets act on ------------------------------------------------------------


def _iso_checker(parse: Callable[[str], Any], pattern: str) -> Callable[[str], bool]:
    regex = re.compile(pattern)

    def check(value: str) -> bool:
        if not regex.fullmatch(value):
            return False
        try:
            parse(value.replace("z", "Z").replace("Z", "+00:00"))
        except ValueError:
            return False
        return True

    return check


_DATE = r"\d{4}-\d{2}-\d{2}"
_TIME = r"\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[zZ]|[+-]\d{2}:?\d{2})?"
#: Formats checked as SQL targets parse them (a ``date-time`` column is a timestamp); every
#: other format is a hint only and is accepted as any string.
CHECKED_FORMATS: dict[str, Callable[[str], bool]] = {
    "date-time": _iso_checker(dt.datetime.fromisoformat, rf"{_DATE}[tT ]{_TIME}"),
    "date": _iso_checker(dt.date.fromisoformat, _DATE),
    "time": _iso_checker(dt.time.fromisoformat, _TIME),
    "uuid": lambda v: bool(
        re.fullmatch(r"[0-9a-fA-F]{8}-?(?:[0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}", v)
    ),
}
_ACCEPT_ANY = {
    name: (lambda _v: True)
    for name in (
        "email",
        "idn-email",
        "hostname",
        "idn-hostname",
        "ipv4",
        "ipv6",
        "uri",
        "uri-reference",
        "iri",
        "iri-reference",
        "uri-template",
        "json-pointer",
        "relative-json-pointer",
        "regex",
        "duration",
        "singer.decimal",
    )
}


def compile_validator(schema: Mapping[str, Any]) -> Callable[[Any], Any]:
    """A compiled validator for ``schema``, checking only the formats targets act on."""
    return fastjsonschema.compile(
        dict(schema), formats={**_ACCEPT_ANY, **CHECKED_FORMATS}, use_default=False
    )


# --- drift accounting ------------------------------------------------------------------------


@dataclass
class DriftLedger:
    """Thread-safe count of drifted values per stream and field, for the run summary."""

    _lock: threading.Lock = field(default_factory=threading.Lock)
    counts: Counter = field(default_factory=Counter)
    actions: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def add(self, stream: str, path: str, action: str) -> bool:
        """Count one drifted value; True the first time this field drifts this way."""
        with self._lock:
            self.counts[(stream, path)] += 1
            seen = self.actions.setdefault((stream, path), [])
            if action in seen:
                return False
            seen.append(action)
            return True

    @property
    def fields(self) -> int:
        """How many distinct fields drifted."""
        return len(self.counts)

    def summary_lines(self) -> list[str]:
        """One line per drifted field: stream, field, count and what was done."""
        return [
            f"{stream}.{path}: {count} value(s); {'; '.join(self.actions[(stream, path)])}"
            for (stream, path), count in sorted(self.counts.items())
        ]


@dataclass(frozen=True)
class Drift:
    """One value that did not fit: where, what was declared and seen, and what was done."""

    stream: str
    path: str
    declared: str
    observed: str
    action: str

    def message(self) -> str:
        """The one-line warning for this drift."""
        return (
            f"Schema drift in stream '{self.stream}', field '{self.path}': declared "
            f"{self.declared}, got {self.observed}; {self.action}."
        )


def dotted(path: tuple[str, ...]) -> str:
    """A path as ``a.b[].c`` for messages."""
    text = ""
    for step in path:
        if step == ITEMS:
            text += "[]"
        elif step == EXTRA:
            text += ".*"
        else:
            text += f".{step}" if text else step
    return text


# --- the guard -------------------------------------------------------------------------------


def normalise_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a stream schema that keeps every nested key the API sends.

    Nested objects accept keys beyond their ``properties`` (``additionalProperties`` true
    unless it is a schema of its own): their values land in the object's JSON column.

    A top-level array becomes a SQL array column (``jsonb[]`` for items of any JSON), and
    PostgreSQL cannot store an array as an item of one (``malformed array literal``): items
    that declare no type or allow ``array`` lose that type here, so a record with nested
    arrays moves the whole field to its variant column ``<field>__v_json`` (``jsonb``).
    """
    result = copy.deepcopy(dict(schema))
    result.setdefault("type", "object")
    result.setdefault("properties", {})

    def walk(node: Any) -> None:
        if not isinstance(node, dict):
            return
        if "properties" in node and not isinstance(node.get("additionalProperties"), dict):
            node["additionalProperties"] = True
        for child in node.get("properties", {}).values():
            walk(child)
        for key in ("items", "additionalProperties"):
            walk(node.get(key))
        for key in ("anyOf", "oneOf", "allOf"):
            for child in node.get(key, []):
                walk(child)

    for child in result["properties"].values():
        walk(child)
        _no_array_items(child)
    return result


_ITEM_TYPES_BUT_ARRAY = ["object", "string", "number", "boolean", "null"]


def _no_array_items(node: Any) -> None:
    """Drop ``array`` from what the items of a top-level array column may be."""
    if not isinstance(node, dict) or "array" not in (declared_types(node) or set()):
        return
    items = node.get("items")
    if not isinstance(items, dict) or any(k in items for k in ("anyOf", "oneOf", "allOf")):
        return
    kinds = declared_types(items)
    if kinds is None:
        items["type"] = list(_ITEM_TYPES_BUT_ARRAY)
    elif kinds in ({"array"}, {"array", "null"}):
        node.clear()  # an array of arrays: one JSON column (jsonb) rather than jsonb[]
        node.update(any_json())
    elif "array" in kinds:
        items["type"] = [k for k in items["type"] if k != "array"]
        items.pop("items", None)


class SchemaGuard:
    """Keeps one stream's records valid against the schema it last sent, losing nothing.

    ``on_schema_change`` is called with the new schema whenever a repair changed it (the
    stream sends a new SCHEMA message there, before the record); ``on_drift`` with each
    ``Drift`` the first time its field drifts.
    """

    def __init__(
        self,
        stream: str,
        schema: Mapping[str, Any],
        *,
        key_properties: tuple[str, ...] | list[str] = (),
        replication_key: str | None = None,
        endpoint: str = "",
        mode: str = ADAPT,
        ledger: DriftLedger | None = None,
        on_schema_change: Callable[[dict[str, Any]], None] | None = None,
        on_drift: Callable[[Drift], None] | None = None,
    ) -> None:
        self.stream = stream
        self.schema = normalise_schema(schema)
        self.key_properties = tuple(key_properties or ())
        self.replication_key = replication_key
        self.endpoint = endpoint
        self.mode = mode
        self.ledger = ledger if ledger is not None else DriftLedger()
        self.on_schema_change = on_schema_change
        self.on_drift = on_drift
        self._changed = False
        self._compile()

    def _compile(self) -> None:
        strict = {**self.schema, "additionalProperties": False}
        self._validate = compile_validator(strict)

    def is_valid(self, record: Mapping[str, Any]) -> bool:
        """Whether ``record`` fits the current schema (unknown top-level keys do not)."""
        try:
            self._validate(record)
        except fastjsonschema.JsonSchemaValueException:
            return False
        return True

    def admit(self, record: dict[str, Any]) -> dict[str, Any]:
        """The record, made valid against the schema (changed in place), or an error.

        Raises ``StreamFailure`` for a record without its primary key and
        ``SchemaDriftError`` for any drift when the mode is ``fail``.
        """
        for key in self.key_properties:
            if record.get(key) is None:
                msg = (
                    f"Stream '{self.stream}': a record from {self.endpoint or 'the API'} has "
                    f"no value for its primary key '{key}'; the stream stops here."
                )
                raise StreamFailure(msg)
        try:
            self._validate(record)
        except fastjsonschema.JsonSchemaValueException:
            self._repair(record)
        return record

    # --- repair -------------------------------------------------------------------------

    def _repair(self, record: dict[str, Any]) -> None:
        properties = self.schema["properties"]
        for name in list(record):
            value = record[name]
            if name not in properties:
                self._drift((name,), {}, value, "new field, added as a JSON column")
                properties[name] = any_json()
                self._changed = True
                continue
            node = properties[name]
            try:
                record[name] = self._fit(value, node, (name,))
            except _Misfit as misfit:
                self._to_variant(record, name, value, misfit)
        for name in self.schema.get("required", []):
            if name not in record:
                record[name] = None
                self._allow_null(properties[name], (name,), "missing required field")
        if self._changed:
            self._compile()
        if not self.is_valid(record):
            self._last_resort(record)
        if self._changed:
            self._changed = False
            if self.on_schema_change is not None:
                self.on_schema_change(self.schema)

    def _last_resort(self, record: dict[str, Any]) -> None:
        """Move every top-level value the validator still rejects to its variant column.

        Reached only when a schema keyword the repair does not model (a bound, a pattern)
        rejects a value; the record must still never leave invalid.
        """
        properties = self.schema["properties"]
        for name in list(record):
            node = properties.get(name)
            if node is None or record[name] is None or _matches(record[name], node):
                continue
            value = record[name]
            self._to_variant(record, name, value, _Misfit((name,), node, value))
        self._compile()
        if not self.is_valid(record):  # pragma: no cover - a guard bug must never pass
            msg = (
                f"Stream '{self.stream}': the schema guard could not make a record from "
                f"{self.endpoint or 'the API'} fit its schema."
            )
            raise StreamFailure(msg)

    def _to_variant(self, record: dict[str, Any], name: str, value: Any, misfit: _Misfit) -> None:
        if name in self.key_properties or name == self.replication_key:
            role = "primary key" if name in self.key_properties else "replication key"
            msg = (
                f"Stream '{self.stream}': {role} '{name}' from {self.endpoint or 'the API'} "
                f"is {json_type(value)}, declared {_describe(misfit.node)}; the stream stops."
            )
            raise StreamFailure(msg)
        variant = f"{name}{VARIANT_SUFFIX}"
        self._drift(
            misfit.path,
            misfit.node,
            misfit.value,
            f"the value goes to column '{variant}', '{name}' is null for the record",
        )
        properties = self.schema["properties"]
        self._allow_null(properties[name], (name,), None)
        if variant not in properties:
            properties[variant] = any_json()
            self._changed = True
        record[name] = None
        record[variant] = value

    def _allow_null(self, node: dict[str, Any], path: tuple[str, ...], why: str | None) -> None:
        kinds = declared_types(node)
        if kinds is None or "null" in kinds:
            return
        if why is not None:
            self._drift(path, node, None, f"{why}; the field is now nullable")
        node["type"] = [*sorted(kinds), "null"]
        self._changed = True

    def _drift(
        self, path: tuple[str, ...], node: Mapping[str, Any], value: Any, action: str
    ) -> None:
        drift = Drift(
            self.stream,
            dotted(path),
            _describe(node) if node else "no such field",
            json_type(value),
            action,
        )
        if self.mode == FAIL:
            msg = (
                f"Schema drift in stream '{self.stream}', field '{drift.path}': declared "
                f"{drift.declared}, got {drift.observed} (schema_drift=fail)."
            )
            raise SchemaDriftError(msg)
        if self.ledger.add(self.stream, drift.path, action) and self.on_drift is not None:
            self.on_drift(drift)

    def _fit(self, value: Any, node: dict[str, Any], path: tuple[str, ...]) -> Any:  # noqa: PLR0911, PLR0912
        """``value`` made to fit ``node``; nested misfits widen their node; else ``_Misfit``."""
        kinds = declared_types(node)
        if kinds is None:
            if _matches(value, node):
                return value
            raise _Misfit(path, node, value)
        if value is None:
            if "null" not in kinds:
                self._allow_null(node, path, "null value")
            return None
        if isinstance(value, dt.datetime | dt.date | dt.time) and "string" in kinds:
            value = value.isoformat()
        if isinstance(value, tuple):
            value = list(value)
        if _fits_type(value, kinds):
            if isinstance(value, Mapping) and (
                "properties" in node or "additionalProperties" in node
            ):
                return self._fit_object(value, node, path)
            if isinstance(value, list) and isinstance(node.get("items"), dict):
                return self._fit_items(value, node, path)
            if isinstance(value, str) and node.get("format") in CHECKED_FORMATS:
                if CHECKED_FORMATS[node["format"]](value):
                    return value
            elif _matches(value, node):
                return value
        coerced = self._coerce(value, node, kinds, path)
        if coerced is not _NO:
            return coerced
        raise _Misfit(path, node, value)

    def _coerce(
        self, value: Any, node: dict[str, Any], kinds: set[str], path: tuple[str, ...]
    ) -> Any:
        observed = json_type(value)
        declared = _describe(node)

        def done(new: Any, what: str) -> Any:
            self._drift(path, node, value, f"{what}")
            return new

        if "object" in kinds and (value == {} or value in _EMPTY_FOR_OBJECT or value == []):
            if "null" not in kinds:
                self._allow_null(node, path, None)
            return done(None, f"empty {observed} read as null")
        if isinstance(value, str) and kinds & {"object", "array"}:
            try:
                parsed = json.loads(value)
            except ValueError:
                parsed = _NO
            if (isinstance(parsed, dict) and "object" in kinds) or (
                isinstance(parsed, list) and "array" in kinds
            ):
                self._drift(path, node, value, "JSON text parsed")
                return self._fit(parsed, node, path)
        if isinstance(value, str) and kinds & {"integer", "number"}:
            number = _exact_number(value, integer_only="number" not in kinds)
            if number is not _NO:
                return done(number, f"numeric string read as {declared}")
        if "string" in kinds and observed in {"integer", "number", "boolean"}:
            text = _as_text(value)
            fmt = node.get("format")
            if fmt not in CHECKED_FORMATS or CHECKED_FORMATS[fmt](text):
                return done(text, f"{observed} written as a string")
        if "boolean" in kinds:
            flag = _as_boolean(value)
            if flag is not _NO:
                return done(flag, f"{observed} read as a boolean")
        return _NO

    def _fit_object(
        self, value: Mapping[str, Any], node: dict[str, Any], path: tuple[str, ...]
    ) -> dict:
        properties = node.get("properties", {})
        extra = node.get("additionalProperties")
        result: dict[str, Any] = {}
        for key, item in value.items():
            if key in properties:
                result[key] = self._fit_nested(item, properties, key, (*path, key))
            elif isinstance(extra, dict):
                result[key] = self._fit_nested(item, node, "additionalProperties", (*path, EXTRA))
            else:
                result[key] = item
        for key in node.get("required", []):
            if key not in result:
                self._drift(
                    (*path, key), properties.get(key, {}), None, "missing; no longer required"
                )
                node["required"] = [k for k in node["required"] if k != key]
                self._changed = True
        return result

    def _fit_items(self, value: list[Any], node: dict[str, Any], path: tuple[str, ...]) -> list:
        return [self._fit_nested(item, node, "items", (*path, ITEMS)) for item in value]

    def _fit_nested(
        self, value: Any, parent: dict[str, Any], slot: str, path: tuple[str, ...]
    ) -> Any:
        """Fit a value nested in a column; widen its node to any JSON when it cannot fit.

        The items of a top-level array decide the SQL column type (``text[]`` and the like),
        so those are never widened: the misfit goes up to the column (variant column).
        """
        child = parent[slot]
        try:
            return self._fit(value, child, path)
        except _Misfit as misfit:
            if len(path) == 2 and path[1] == ITEMS:
                raise
            self._drift(
                misfit.path, misfit.node, misfit.value, "nested property widened to any JSON"
            )
            parent[slot] = any_json()
            self._changed = True
            return value


_NO = object()


_NODE_VALIDATORS: dict[str, Callable[[Any], Any]] = {}


def _matches(value: Any, node: Mapping[str, Any]) -> bool:
    """Whether ``value`` fits ``node`` (keywords beyond type: enum, anyOf, bounds...)."""
    text = json.dumps(node, sort_keys=True, default=str)
    validate = _NODE_VALIDATORS.get(text)
    if validate is None:
        validate = _NODE_VALIDATORS[text] = compile_validator(node)
    try:
        validate(value)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


def _exact_number(text: str, *, integer_only: bool) -> Any:
    if _INTEGER.fullmatch(text):
        return int(text)
    if integer_only or not _NUMBER.fullmatch(text):
        return _NO
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return _NO
    return number if number.is_finite() else _NO


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _as_boolean(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
        return bool(value)
    if value in ("true", "false"):
        return value == "true"
    return _NO
