"""Odd shapes: the tap's own record code never raises on, nor drops, a value it did not expect.

What the tap cannot read it passes on as it came; the schema guard (``tap_common``) then parses
JSON text or moves the value to a ``<field>__v_json`` column. These tests cover the tap's side:
``post_process`` (dates, durations, flags, ``[]``, parent keys), flattening, narrowing, dedupe
and child contexts.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

import jsonschema
import pytest
from tap_mtslink import schemas
from tap_mtslink.client import conform, unwrap_items, unwrap_object
from tap_mtslink.specs import NoChildId, by_field, child_id
from tap_mtslink.streams import SPECS
from tap_mtslink.streams.learning import course_groups
from tap_mtslink.tap import TapMtsLink

from standins import mtslink as mtslink_standin

#: No request is sent by these tests: the streams' code is called directly.
CONFIG = {
    "api_token": "unit-test-key",
    "api_url": "http://127.0.0.1:9/v3",
    "start_date": "2015-01-01T00:00:00Z",
}

#: Values of every JSON kind a field may bring that its schema does not expect.
ODD_VALUES: list[Any] = [
    {"a": 1},
    {},
    [1, "x"],
    [],
    "",
    "   ",
    "garbage",
    '{"640x1920": "https://cdn.example/t.png"}',
    "[1, 2]",
    0,
    2,
    -1,
    1.5,
    True,
    False,
    None,
    "nan",
    "inf",
    "1e400",
    "PT",
    "12:xx",
    "²³",  # digits to str.isdigit(), not to int()
    10**30,
]


@pytest.fixture(scope="module")
def tap() -> TapMtsLink:
    return TapMtsLink(config=CONFIG)


def _type_set(node: Mapping[str, Any]) -> set[str]:
    kind = node.get("type", [])
    return {kind} if isinstance(kind, str) else set(kind)


def _properties(
    schema: Mapping[str, Any], path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Mapping[str, Any]]]:
    """Every property of a schema, at any depth (``[]`` in a path: each item of a list)."""
    for name, node in (schema.get("properties") or {}).items():
        yield (*path, name), node
        yield from _properties(node, (*path, name))
        items = node.get("items")
        if isinstance(items, Mapping):
            yield (*path, name, "[]"), items
            yield from _properties(items, (*path, name, "[]"))


def _place(path: tuple[str, ...], value: Any) -> Any:
    """A record holding ``value`` at ``path``."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if head == "[]":
        return [_place(rest, value)]
    return {head: _place(rest, value)}


def _pick(data: Any, path: tuple[str, ...]) -> Any:
    for step in path:
        data = data[0] if step == "[]" else data[step]
    return data


def _same(a: Any, b: Any) -> bool:
    """Equal, and of the same JSON kind (``True == 1`` but a flag is not a number)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


# --- every field of every stream, every odd value ---------------------------------------------


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_post_process_never_raises_nor_drops_an_odd_value(tap, spec):
    """Each odd value at each field (any depth) of each stream: no exception, nothing lost."""
    stream = tap.streams[spec.name]
    for path, node in _properties(spec.schema):
        types = _type_set(node)
        for odd in ODD_VALUES:
            row = {k: 1 for k in spec.primary_keys}
            row.update(_place(path, copy.deepcopy(odd)))
            out = stream.post_process(copy.deepcopy(row), None)
            assert out is not None, (spec.name, path, odd)
            got = _pick(out, path)
            where = f"{spec.name}.{'.'.join(path)} = {odd!r} -> {got!r}"
            if odd is None or _same(got, odd):
                continue  # passed on as it came
            # Otherwise only the documented, lossless readings are allowed.
            if got is None:
                blank = odd == [] or (isinstance(odd, str) and not odd.strip())
                zero_date = node.get("format") == "date-time" and odd in (0, False)
                assert blank or zero_date, where
                if odd == []:
                    assert "object" in types, where
                    assert "array" not in types, where
            elif node.get("format") == "date-time":
                assert isinstance(got, str), where
                assert got.endswith("Z"), where
            elif isinstance(got, bool):
                assert "boolean" in types, where
                assert odd in (0, 1, "0", "1"), where
            elif isinstance(got, str):
                assert "string" in types, where
                assert got == str(odd), where
            else:
                pytest.fail(f"unexpected conversion: {where}")


def test_every_object_field_at_any_depth_reads_php_empty_list_as_null():
    """The set of ``[]``-as-null fields comes from the schemas, not from a list of names."""
    as_null = set()
    for spec in SPECS:
        for path, node in _properties(spec.schema):
            types = _type_set(node)
            row = _place(path, [])
            got = _pick(conform(row, spec.schema), path)
            if "object" in types and "array" not in types:
                assert got is None, (spec.name, path)
                as_null.add((spec.name, ".".join(path)))
            else:
                assert got == [], (spec.name, path)  # a list, or any JSON: kept
    assert {
        ("participations", "avatar"),
        ("events", "accessSettings"),
        ("events", "lectors.[]"),
        ("events", "eventSessions.[]"),
        ("event_session_details", "image"),
        ("event_session_details", "timezone"),
        ("stats_events", "referrer"),
        ("stats_events", "attendance"),
        ("stats_users", "eventSessions.[].attentionControl"),
        ("stats_users", "eventSessions.[].connections.[]"),
        ("endless_activities", "eventSession.createdBy"),
        ("chat_members", "chatMemberProfile"),
        ("courses", "owner"),
    } <= as_null
    assert ("participations", "utms") not in as_null  # seen only as []: list or object
    assert ("participations", "referrer") not in as_null  # any JSON


# --- conform: each reading -------------------------------------------------------------------


SCHEMA = schemas.record(
    "id",
    id=schemas.INT,
    at=schemas.DATETIME,
    count=schemas.INT,
    ratio=schemas.NUM,
    flag=schemas.BOOL,
    label=schemas.STR,
    avatar=schemas.obj(url=schemas.STR, thumbnails=schemas.any_json()),
    loose=schemas.any_json(),
    either=schemas.list_or_object(),
)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        # Dates: every form the notes list becomes RFC 3339 UTC...
        ("at", "2025-06-03T15:01:01+0300", "2025-06-03T12:01:01Z"),
        ("at", 1748952061.0, "2025-06-03T12:01:01Z"),
        ("at", "1748952061", "2025-06-03T12:01:01Z"),
        ("at", "0000-00-00 00:00:00", None),
        ("at", 0, None),
        ("at", "2025", "2025"),  # a year, not 1970-01-01T00:33:45Z
        ("at", 20250603, 20250603),
        ("at", 1.5, 1.5),
        # ... and what is not a date is passed on as it came.
        ("at", "garbage", "garbage"),
        ("at", "2025-13-45 99:00:00", "2025-13-45 99:00:00"),
        ("at", {"date": "2025-06-03"}, {"date": "2025-06-03"}),
        ("at", ["2025-06-03"], ["2025-06-03"]),
        ("at", True, True),
        ("at", float("inf"), float("inf")),
        ("at", 10**30, 10**30),
        # Integers: digits, integral floats and durations read; the rest kept.
        ("count", "42", 42),
        ("count", " 42 ", 42),
        ("count", 42.0, 42),
        ("count", "PT1H30M0S", 5400),
        ("count", "01:30:00", 5400),
        ("count", "12.5", "12.5"),  # not an integer: never truncated
        ("count", 12.5, 12.5),
        ("count", "nan", "nan"),
        ("count", "inf", "inf"),
        ("count", "PT", "PT"),
        ("count", "P1Y", "P1Y"),
        ("count", "twelve", "twelve"),
        ("count", "", None),
        ("count", {"n": 1}, {"n": 1}),
        ("count", True, True),
        # Numbers.
        ("ratio", "12.5", 12.5),
        ("ratio", "7", 7),
        ("ratio", "1e400", "1e400"),
        # Flags: 0/1 only.
        ("flag", 1, True),
        ("flag", "0", False),
        ("flag", 2, 2),
        ("flag", "yes", "yes"),
        ("flag", [], []),
        # Strings: numbers written as text, the rest kept.
        ("label", 42, "42"),
        ("label", 1.5, "1.5"),
        ("label", True, True),
        ("label", {"ru": "Имя"}, {"ru": "Имя"}),
        # Objects: [] is PHP's empty object; JSON text and other lists are left to the guard.
        ("avatar", [], None),
        ("avatar", '{"url": "u"}', '{"url": "u"}'),
        ("avatar", [{"url": "u"}], [{"url": "u"}]),
        ("avatar", "", ""),
        ("avatar", {"url": 5, "thumbnails": []}, {"url": "5", "thumbnails": []}),
        # Any JSON and list-or-object unions are never touched.
        ("loose", [], []),
        ("loose", 1, 1),
        ("loose", "2025-06-03T15:01:01+0300", "2025-06-03T15:01:01+0300"),
        ("either", [], []),
        ("either", {"utm_source": "mail"}, {"utm_source": "mail"}),
        ("either", "[]", "[]"),
    ],
)
def test_conform_reads_what_it_can_and_keeps_the_rest(field, value, expected):
    got = conform({"id": 1, field: copy.deepcopy(value)}, SCHEMA)[field]
    if isinstance(expected, float) and math.isinf(expected):
        assert got == expected
    else:
        assert _same(got, expected), (value, got)


def test_conform_does_not_change_its_input():
    row = {"id": 1, "avatar": [], "at": "2025-06-03T15:01:01+0300", "loose": {"a": []}}
    before = copy.deepcopy(row)
    conform(row, SCHEMA)
    assert row == before


# --- post_process: parent keys ---------------------------------------------------------------


def test_parent_keys_fill_missing_or_blank_values_and_keep_the_items_own(tap):
    stream = tap.streams["chat_messages"]
    context = {"eventSessionId": 7669749395}
    assert stream.post_process({"id": 1}, context)["eventSessionId"] == 7669749395
    assert stream.post_process({"id": 1, "eventSessionId": ""}, context)["eventSessionId"] == (
        7669749395
    )
    # The item's own value is kept (a numeric string read as the integer it is).
    own = stream.post_process({"id": 1, "eventSessionId": "7669749396"}, context)
    assert own["eventSessionId"] == 7669749396
    odd = stream.post_process({"id": 1, "eventSessionId": {"id": 5}}, context)
    assert odd["eventSessionId"] == {"id": 5}
    # A context key the schema does not declare is not added.
    assert "courseId" not in stream.post_process({"id": 1}, {**context, "courseId": 3})


def test_a_missing_replication_key_is_emitted_as_null(tap):
    out = tap.streams["records"].post_process({"id": 1}, None)
    assert out["createAt"] is None


# --- flattening, envelopes, narrowing, dedupe ------------------------------------------------


def _session(sid: int, **extra: Any) -> dict[str, Any]:
    return {"id": sid, "status": "STOP", "startsAt": "2025-06-03T15:01:01+0300", **extra}


@pytest.mark.parametrize(
    "sessions",
    [
        [_session(1), _session(2)],
        {"0": _session(1), "1": _session(2)},  # PHP: an array with keys 0..n as an object
        {"3": _session(1), "7": _session(2)},  # PHP: an array with gaps as an object
        json.dumps([_session(1), _session(2)]),  # JSON text
    ],
    ids=["list", "php-object", "php-object-gaps", "json-text"],
)
def test_schedule_rows_flatten_to_sessions_whatever_the_list_shape(tap, sessions):
    stream = tap.streams["event_sessions"]
    rows = list(stream._flatten({"id": 99, "name": "E", "eventSessions": sessions}))
    assert [(r["id"], r["eventId"], r["name"]) for r in rows] == [(1, 99, "E"), (2, 99, "E")]


def test_a_single_session_object_and_empty_or_missing_sessions(tap):
    stream = tap.streams["event_sessions"]
    one = list(stream._flatten({"id": 99, "eventSessions": _session(1)}))
    assert [r["id"] for r in one] == [1]
    for empty in ([], {}, None, "", "null"):
        assert list(stream._flatten({"id": 99, "eventSessions": empty})) == []
    assert list(stream._flatten({"id": 99})) == []
    # A session's own blank eventId falls back to the event's id.
    rows = list(stream._flatten({"id": 99, "eventSessions": [_session(1, eventId="")]}))
    assert rows[0]["eventId"] == 99


def test_items_that_are_not_objects_are_set_aside_loudly(tap, caplog):
    stream = tap.streams["event_sessions"]
    ledger = tap.runtime.ledger
    before = ledger.counts[("event_sessions", "item that is not an object")]
    rows = list(stream._flatten({"id": 99, "eventSessions": [_session(1), 5, "x", None]}))
    assert [r["id"] for r in rows] == [1]
    assert list(stream._flatten(["not", "an", "object"])) == []
    assert ledger.counts[("event_sessions", "item that is not an object")] == before + 4
    assert "not an object" in caplog.text


def test_file_wrappers_flatten_also_from_json_text(tap):
    stream = tap.streams["session_files"]
    file = {"id": 5, "name": "a.pdf"}
    assert list(stream._flatten({"file": file, "position": 1})) == [
        {"id": 5, "name": "a.pdf", "position": 1}
    ]
    assert list(stream._flatten({"file": json.dumps(file)})) == [file]
    # A bare file (no wrapper) is taken as it is.
    assert list(stream._flatten(file)) == [file]
    # A wrapper without a file nor an id of its own cannot be a record: set aside, counted.
    before = tap.runtime.ledger.counts[("session_files", "item that is not an object")]
    assert list(stream._flatten({"file": None, "position": 1})) == []
    assert tap.runtime.ledger.counts[("session_files", "item that is not an object")] == (
        before + 1
    )


def test_envelopes_of_odd_shapes():
    assert unwrap_items({"0": {"id": 1}, "1": {"id": 2}}) == [{"id": 1}, {"id": 2}]
    assert unwrap_items({"data": {"5": {"id": 1}}}) == [{"id": 1}]
    assert unwrap_items({"data": None}) == []
    assert unwrap_items("text") == []
    assert unwrap_items(None) == []
    assert unwrap_items([1, "x"]) == [1, "x"]  # the caller sets them aside
    assert unwrap_object([]) == []  # PHP's empty object: no record
    assert unwrap_object([{"id": 1}]) == [{"id": 1}]
    assert unwrap_object({"data": []}) == []
    assert unwrap_object({"data": None}) == []
    assert unwrap_object({"data": {"id": 1}}) == [{"id": 1}]
    assert unwrap_object({"data": {"id": 1}, "meta": {}}) == [{"data": {"id": 1}, "meta": {}}]
    assert unwrap_object("text") == []


def test_narrowing_compares_ids_of_any_type_without_raising():
    tap = TapMtsLink(config={**CONFIG, "event_ids": [7]})
    stream = tap.streams["events"]
    assert stream._wanted({"id": 7})
    assert stream._wanted({"id": "7"})
    assert stream._wanted({"id": 7.0})
    assert not stream._wanted({"id": 8})
    assert not stream._wanted({"id": {"id": 7}})
    assert not stream._wanted({"id": [7]})
    assert not stream._wanted({"id": None})
    assert not stream._wanted({})


def test_dedupe_accepts_unhashable_keys(tap):
    stream = tap.streams["chat_channels"]
    assert stream._first_time({"id": {"uuid": "a"}})
    assert not stream._first_time({"id": {"uuid": "a"}})
    assert stream._first_time({"id": ["a"]})


# --- child contexts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7669749395, 7669749395),
        ("7669749395", 7669749395),
        (" 42 ", 42),
        ("²", "²"),
        (42.0, 42),
        ("1ef822c2-8e22-6d9c-9a1b-000000000001", "1ef822c2-8e22-6d9c-9a1b-000000000001"),
        (42.5, None),
        ("", None),
        ("  ", None),
        (None, None),
        (True, None),
        ({"id": 1}, None),
        ([1], None),
    ],
)
def test_child_ids(value, expected):
    assert child_id(value) == expected
    contexts = list(by_field("eventSessionId")({"id": value}, {"eventId": 1}))
    if expected is not None:
        assert contexts == [{"eventId": 1, "eventSessionId": expected}]
    elif value is None:
        assert contexts == []  # no id at all: nothing to report
    else:
        assert contexts == [NoChildId("id", value)]  # reported by the stream


def test_raw_and_conformed_records_give_the_same_child_context(tap):
    stream = tap.streams["event_sessions"]
    raw = {"id": "7669749395", "eventId": 1, "startsAt": "2025-06-03T15:01:01+0300"}
    conformed = stream.post_process(dict(raw), None)
    assert stream.generate_child_contexts(raw, None) == stream.generate_child_contexts(
        conformed, None
    )


def test_an_unusable_child_id_is_reported_once_and_gives_no_context(tap, caplog):
    stream = tap.streams["event_sessions"]
    ledger = tap.runtime.ledger
    before = ledger.counts[("event_sessions", "unusable child id")]
    record = {"id": {"odd": True}, "eventId": 1}
    assert list(stream.generate_child_contexts(record, None)) == []
    assert list(stream.generate_child_contexts(dict(record), None)) == []  # the prefetcher
    assert ledger.counts[("event_sessions", "unusable child id")] == before + 1
    assert "cannot address a child request" in caplog.text
    # A course without groups has no children and nothing to report.
    courses = tap.streams["course_details"]
    assert list(courses.generate_child_contexts({"id": 1, "groups": []}, {"courseId": 1})) == []
    assert ledger.counts[("course_details", "unusable child id")] == 0


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ([{"id": 1}, {"id": 2}], [1, 2]),
        ({"0": {"id": 1}, "1": {"id": 2}}, [1, 2]),
        (json.dumps([{"id": 1}, {"id": 2}]), [1, 2]),
        ([1, "2"], [1, 2]),
        ([{"id": 1}, {"id": 1}, {"name": "no id"}, None, {"id": {"x": 1}}], [1]),
        ([], []),
        ({}, []),
        (None, []),
        ("garbage", []),
        (5, []),
    ],
)
def test_course_group_contexts_from_any_groups_shape(groups, expected):
    found = list(course_groups({"id": 8000, "groups": groups}, {"courseId": 8000}))
    contexts = [c for c in found if not isinstance(c, NoChildId)]
    unusable = [c for c in found if isinstance(c, NoChildId)]
    assert contexts == [{"courseId": 8000, "groupId": g} for g in expected]
    # What could not be read is reported, never skipped silently.
    if groups in ("garbage", 5):
        assert unusable == [NoChildId("groups", groups)]
    elif isinstance(groups, list) and None in groups:
        assert [u.value for u in unusable] == [{"name": "no id"}, None, {"id": {"x": 1}}]
    else:
        assert unusable == []


# --- a run against the stand-in with odd shapes ------------------------------------------------

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
THUMBS_TEXT = '{"640x1920": "https://cdn.example/t/640x1920.png"}'


def _latest_schemas(result) -> Iterator[tuple[dict, dict]]:
    """Each RECORD with the SCHEMA last sent for its stream before it."""
    latest: dict[str, dict] = {}
    for message in result.messages:
        if message["type"] == "SCHEMA":
            latest[message["stream"]] = message["schema"]
        elif message["type"] == "RECORD":
            yield message["record"], latest[message["stream"]]


def _drift(standin) -> dict[str, Any]:
    """Put odd shapes into the stand-in's data (what a real recording showed, and worse)."""
    sid = standin.big_session_id
    people = standin.participations[sid]
    odd: dict[str, Any] = {"sid": sid, "people": {}}

    def person(k: int, **changes: Any) -> None:
        people[k].update(changes)
        odd["people"][people[k]["id"]] = changes

    # The reported failure: an object sent as JSON text (here with JSON text inside).
    person(0, avatar=json.dumps({"url": "https://cdn.example/a.png", "thumbnails": THUMBS_TEXT}))
    person(1, registerDate="garbage")
    person(2, registerDate={"date": "2025-06-03"})
    person(3, isOnline="yes", isAccepted=2)
    person(4, referrer="https://ref.example/", utms={"utm_source": "mail"})
    person(5, eventId=str(standin.session_event[sid]), name=42, avatar={})
    person(6, additionalFieldValues={"3": {"label": "City", "value": "Kazan"}})

    detail = standin.sessions[sid]
    image = {"id": 1, "url": "https://cdn.example/i.png", "thumbnails": THUMBS_TEXT}
    detail.update(
        image=json.dumps(image),
        duration="PT-garbage",
        maxParticipationSettings={"max": 100},
        timezone=[],
        lectors=[{"name": "A", "avatar": "https://cdn.example/l.png"}],
        startsAt=detail["utcStartsAt"],
    )
    odd["image"] = image

    standin.chat[sid].append(
        {
            "id": 3_999_999_001,
            "authorName": None,
            "text": ["not", "text"],
            "createAt": ["2025-06-03"],
            "thumbnails": THUMBS_TEXT,
            "additionalData": {"k": 1},
            "isModerated": "1",
        }
    )

    # Course groups as PHP's object of an array, and as JSON text.
    courses = list(standin.course_details.values())
    courses[0]["groups"] = {str(k): g for k, g in enumerate(courses[0]["groups"])}
    courses[1]["groups"] = json.dumps(courses[1]["groups"])
    return odd


def test_a_run_over_odd_shapes_loses_nothing_and_every_record_fits_its_schema(
    make_standin, config_for, sync
):
    standin, url = make_standin()
    expected = mtslink_standin.expected_counts(standin)
    odd = _drift(standin)
    # The schedule lists one event's sessions as PHP's object of an array and one as JSON text.
    events = copy.deepcopy(standin.events)
    events[0]["eventSessions"] = {str(k): s for k, s in enumerate(events[0]["eventSessions"])}
    events[1]["eventSessions"] = json.dumps(events[1]["eventSessions"])
    schedule = standin.inject(r"^/v3/organization/events/schedule$", 200, events)

    streams = [
        "event_sessions",
        "event_session_details",
        "participations",
        "chat_messages",
        "courses",
        "course_details",
        "course_groups",
    ]
    result = sync(config_for(url), streams=streams)

    # Nothing lost: every stream has every record, every child was read.
    counts = {name: result.count(name) for name in streams}
    assert counts == {
        **{n: expected[n] for n in streams},
        "chat_messages": expected["chat_messages"] + 1,
    }
    assert not result.tap.runtime.failures
    set_aside = {"unusable child id", "item that is not an object"}
    assert not [key for key in result.tap.runtime.ledger.counts if key[1] in set_aside]

    # Every record fits the SCHEMA last sent before it; top-level dates are RFC 3339.
    for record, schema in _latest_schemas(result):
        jsonschema.validate(record, schema)
        for name, node in schema["properties"].items():
            if node.get("format") == "date-time" and record.get(name) is not None:
                assert RFC3339.match(record[name]), (name, record[name])

    people = {p["id"]: p for p in result.records["participations"]}
    first, second, third, fourth, fifth, sixth, seventh = (people[i] for i in odd["people"])
    # JSON text where an object belongs: parsed; the any-JSON thumbnails inside kept as text.
    assert first["avatar"] == {"url": "https://cdn.example/a.png", "thumbnails": THUMBS_TEXT}
    # Unreadable dates and flags: null in the column, the original in its variant column.
    assert (second["registerDate"], second["registerDate__v_json"]) == (None, "garbage")
    assert third["registerDate__v_json"] == {"date": "2025-06-03"}
    assert (fourth["isOnline"], fourth["isOnline__v_json"]) == (None, "yes")
    assert fourth["isAccepted__v_json"] == 2
    # Any JSON and list-or-object fields keep what came.
    assert fifth["referrer"] == "https://ref.example/"
    assert fifth["utms"] == {"utm_source": "mail"}
    assert seventh["additionalFieldValues"] == {"3": {"label": "City", "value": "Kazan"}}
    # Unambiguous readings.
    assert sixth["eventId"] == standin.session_event[odd["sid"]]  # digits read as an id
    assert sixth["name"] == "42"

    detail = next(d for d in result.records["event_session_details"] if d["id"] == odd["sid"])
    assert detail["image"] == odd["image"]
    assert (detail["duration"], detail["duration__v_json"]) == (None, "PT-garbage")
    assert detail["maxParticipationSettings"] == {"max": 100}
    assert detail["timezone"] is None
    assert detail["lectors"][0]["avatar"] == "https://cdn.example/l.png"
    assert RFC3339.match(detail["startsAt"])  # epoch seconds read as a date

    message = next(m for m in result.records["chat_messages"] if m["id"] == 3_999_999_001)
    assert message["eventSessionId"] == odd["sid"]  # the parent key from the context
    assert message["createAt__v_json"] == ["2025-06-03"]
    assert message["text__v_json"] == ["not", "text"]
    assert message["thumbnails"] == THUMBS_TEXT
    assert message["additionalData"] == {"k": 1}
    assert message["isModerated"] is True

    # Sessions listed as PHP's object or as JSON text are all read, with their children.
    assert schedule.hits == 1
    assert {r["id"] for r in result.records["event_sessions"]} == set(standin.sessions)
    # Every drift is counted for the run summary.
    drifted = {path for _stream, path in result.tap.runtime.drift.counts}
    assert {"registerDate", "isOnline", "duration", "createAt", "avatar"} <= drifted
