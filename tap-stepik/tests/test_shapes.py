"""Shape drift: odd values never crash the tap's record code and are never dropped.

The schemas are narrow only where the API notes state a type; the record code (dates,
``[]`` objects, feedback, parent keys, child ids, the list of a page) leaves any value it does
not expect as it came, for the shared schema guard to keep.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone

import pytest
import requests
from singer_sdk.exceptions import FatalAPIError
from tap_stepik.client import HasNextPaginator, object_id, rfc3339_or_none
from tap_stepik.platforms import STREAM_SPECS
from tap_stepik.tap import TapStepik

from standins import stepik as stepik_standin
from tap_common.jsontypes import ANY_JSON
from tap_common.testing import run_sync

#: Values of every unexpected kind: object, list, number where text is expected, "", null...
ODD_VALUES = [
    {"nested": {"deep": [1, 2]}},
    [1, "two", None],
    7,
    3.5,
    "",
    None,
    "some text",
    True,
    "0000-00-00 00:00:00",
    "1700000000",
]
VARIANT = "__v_json"
#: Empty values the schema guard reads as null where an object is declared (its documented rule).
EMPTY_FOR_OBJECT = ("", [], {})
_TAPS: dict[str, TapStepik] = {}


def _config(platform: str) -> dict:
    """Settings for a tap that is built but never syncs (no request is made)."""
    return {
        "platform": platform,
        "client_id": "id",
        "client_secret": "secret",
        "api_url": "http://127.0.0.1:9/api",
        "start_date": "2000-01-01T00:00:00Z",
    }


def _stream(platform: str, name: str, *, fresh: bool = False):
    if fresh or platform not in _TAPS:
        _TAPS[platform] = TapStepik(config=_config(platform))
    return _TAPS[platform].streams[name]


def _all_streams():
    return [(p, spec.name) for p in STREAM_SPECS for spec in STREAM_SPECS[p]]


def _response(body, status: int = 200) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.request = requests.Request("GET", "https://example.org/api/x").prepare()
    return response


# --- schemas ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("platform", "name"), _all_streams())
def test_schema_keys_strict_other_fields_nullable(platform, name):
    stream = _stream(platform, name)
    properties = stream.schema["properties"]
    assert properties["id"]["type"] == ["integer"]
    assert stream.schema["required"] == ["id"]
    if stream.replication_key:
        assert properties[stream.replication_key] == {
            "type": ["string", "null"],
            "format": "date-time",
        }
    for field, prop in properties.items():
        if field != "id":
            assert "null" in prop["type"], (name, field)


def test_fields_the_notes_do_not_type_are_any_json():
    courses = _stream("stepik", "courses").schema["properties"]
    assert courses["title"] == ANY_JSON  # listed by name only
    assert courses["sections"]["items"] == {"type": ["integer"]}  # sections[int]
    steps = _stream("stepik", "steps").schema["properties"]
    assert steps["lesson"]["type"] == ["integer", "null"]  # lesson (int)
    assert steps["position"] == ANY_JSON  # an untyped "scalar"
    submissions = _stream("stepik", "submissions").schema["properties"]
    assert submissions["score"]["type"] == ["number", "string", "null"]  # 0.0, or a string
    tracks = _stream("hyperskill", "tracks").schema["properties"]
    assert all(prop == ANY_JSON for field, prop in tracks.items() if field != "id")  # SEED


def test_custom_objects_are_permissive(make_standin):
    _, config = make_standin("stepik")
    config["custom_objects"] = ["sections", "course-grades"]
    tap = TapStepik(config=config)
    sections = tap.streams["sections"].schema
    assert sections["additionalProperties"] is True
    assert sections["properties"]["units"] == ANY_JSON  # named in the notes, untyped
    assert sections["properties"]["update_date"] == ANY_JSON  # no date rewriting
    assert set(tap.streams["course_grades"].schema["properties"]) == {"id"}


# --- post_process on odd values -------------------------------------------------------------


@pytest.mark.parametrize(("platform", "name"), _all_streams())
@pytest.mark.parametrize("odd", ODD_VALUES, ids=repr)
def test_post_process_keeps_odd_values_as_they_came(platform, name, odd):
    stream = _stream(platform, name)
    fields = [f for f in stream.schema["properties"] if f != "id"]
    row = {"id": 5, **{field: copy.deepcopy(odd) for field in fields}}
    context = {stream.spec.parent_param: 42} if stream.spec.parent_param else None
    out = stream.post_process(copy.deepcopy(row), context)
    assert out is not None
    for field in fields:
        if field in {"feedback", "feedback_details"} and isinstance(odd, dict):
            continue  # split below
        if field == stream.spec.parent_param and odd is None:
            assert out[field] == 42  # a null parent key is filled from the parent
            continue
        assert out[field] == odd, field


@pytest.mark.parametrize("platform", ["stepik", "hyperskill"])
def test_post_process_without_fields_adds_only_parent_and_bookmark_keys(platform):
    stream = _stream(platform, "submissions")
    out = stream.post_process({"id": 1}, {"step": 9})
    assert out == {"id": 1, "step": 9, "time": None}  # the SDK's bookmark reads "time"


@pytest.mark.parametrize(
    ("feedback", "text"),
    [
        ({"message": "Wrong answer", "code_style": {"errors": []}}, "Wrong answer"),
        ({"message": 3}, "3"),
        ({"message": {"text": "nested"}}, None),
        ({"message": None}, None),
        ({"code_style": {"quality": {"code": "A"}}}, None),
        ({}, None),
    ],
)
def test_object_feedback_keeps_the_object_and_derives_text_or_null(feedback, text):
    stream = _stream("hyperskill", "submissions")
    out = stream.post_process({"id": 1, "feedback": copy.deepcopy(feedback)}, None)
    assert out["feedback_details"] == feedback
    assert out["feedback"] == text


@pytest.mark.parametrize("feedback", ["", "Well done", None, ["a"], 0, False])
def test_feedback_that_is_not_an_object_stays_as_it_came(feedback):
    stream = _stream("stepik", "submissions")
    out = stream.post_process({"id": 1, "feedback": copy.deepcopy(feedback)}, None)
    assert out["feedback"] == feedback
    assert "feedback_details" not in out


def test_dates_are_rewritten_only_when_they_are_iso_text():
    stream = _stream("hyperskill", "submissions")
    row = {
        "id": 1,
        "time": "2023-01-16T12:55:36.346446+00:00",
        "next_free_test_available_at": "2023-01-16T15:55:36+03:00",
    }
    out = stream.post_process(row, None)
    assert out["time"] == "2023-01-16T12:55:36.346446Z"
    assert out["next_free_test_available_at"] == "2023-01-16T12:55:36Z"
    assert rfc3339_or_none("2017-07-26T11:52:26Z") == "2017-07-26T11:52:26Z"
    for value in ["", "  ", "not a date", "1700000000", 1700000000, {"d": 1}, ["x"], None]:
        assert rfc3339_or_none(value) is None, value


def test_an_odd_replication_value_is_emitted_not_compared(monkeypatch):
    stream = _stream("stepik", "steps", fresh=True)
    start = datetime(2000, 1, 1, tzinfo=timezone.utc)
    monkeypatch.setattr(stream, "get_starting_timestamp", lambda _context: start)
    for value in ["", "soon", 17, {"at": "x"}, None]:
        assert stream.older_than_bookmark({"id": 1, "update_date": value}, None) is False
    assert stream.older_than_bookmark({"id": 1, "update_date": "1990-01-01T00:00:00Z"}, None)


def test_empty_list_becomes_object_only_where_an_object_is_declared():
    stream = _stream("stepik", "steps")
    assert "block" in stream.object_fields
    assert "position" not in stream.object_fields  # any JSON: [] may be a real list
    out = stream.post_process({"id": 1, "block": [], "actions": [], "position": []}, None)
    assert (out["block"], out["actions"], out["position"]) == ({}, {}, [])


# --- child ids and the list of a page --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        *[(7, 7), ("7", 7), (" 7 ", 7), (7.0, 7), (7.5, None), (True, None), ("", None)],
        *[(None, None), ({"id": 7}, None), ([7], None), ("seven", None)],
    ],
)
def test_object_id(value, expected):
    assert object_id(value) == expected


@pytest.mark.parametrize("record", [{}, {"id": None}, {"id": {"x": 1}}, {"id": ""}, {"id": [1]}])
def test_parents_without_a_usable_id_ask_for_no_children(record):
    steps = _stream("stepik", "steps")
    assert steps.get_child_context(record, None) == {}
    assert list(steps.generate_child_contexts(record, None)) == []


def test_a_numeric_text_id_still_feeds_the_child_filter():
    topics = _stream("hyperskill", "topics")
    assert list(topics.generate_child_contexts({"id": "405", "has_steps": True}, None)) == [
        {"topic": 405}
    ]
    # Only a literal false means "no steps": any other value asks.
    assert list(topics.generate_child_contexts({"id": 405, "has_steps": "false"}, None))
    assert not list(topics.generate_child_contexts({"id": 405, "has_steps": False}, None))


def test_page_items_that_are_not_objects_are_counted_not_hidden():
    stream = _stream("stepik", "users", fresh=True)
    body = {"meta": {"has_next": False}, "users": [{"id": 1}, 7, None, "x", [1]]}
    assert list(stream.parse_response(_response(body))) == [{"id": 1}]
    assert stream.runtime.ledger.counts[("users", "not an object")] == 4


@pytest.mark.parametrize(
    ("body", "ids"),
    [
        ({"users": {"id": 3}}, [3]),  # one object where the list belongs
        ({"users": None}, []),  # null: an empty page
        ({"users": None, "profiles": [{"id": 4}]}, [4]),  # the other key has the list
        ({"users": [{"id": 5}], "enrollments": "garbage", "meta": []}, [5]),  # side-loads
    ],
)
def test_page_shapes(body, ids):
    stream = _stream("hyperskill", "users")
    assert [row["id"] for row in stream.parse_response(_response(body))] == ids


def test_a_page_without_the_list_or_not_json_stops_clearly():
    stream = _stream("stepik", "users")
    with pytest.raises(FatalAPIError, match="no 'users' list"):
        list(stream.parse_response(_response({"courses": []})))
    broken = _response({})
    broken._content = b"<html>oops</html>"
    with pytest.raises(FatalAPIError, match="not JSON"):
        list(stream.parse_response(broken))


@pytest.mark.parametrize(
    ("body", "more"),
    [
        ({"meta": {"has_next": True}}, True),
        ({"meta": {"has_next": "true"}}, True),
        ({"meta": {"has_next": 1}}, True),
        ({"meta": {"has_next": "false"}}, False),
        ({"meta": {"has_next": None}}, False),
        ({"meta": []}, False),
        ({"meta": "x"}, False),
        ([], False),
    ],
)
def test_has_next_of_odd_shapes(body, more):
    assert HasNextPaginator(1).has_more(_response(body)) is more


# --- syncs against the stand-in --------------------------------------------------------------


def _kept(row: dict, field: str, value, declared: dict) -> bool:
    """The value is in its column as sent, or (moved by the schema guard) in its variant.

    An empty value where an object is declared may be null: the guard's documented coercion.
    """
    if row.get(field) == value or row.get(field + VARIANT) == value:
        return True
    is_object = "object" in declared.get("type", []) and "string" not in declared["type"]
    return is_object and value in EMPTY_FOR_OBJECT and row.get(field) is None


def _by_id(result, stream: str) -> dict:
    return {row["id"]: row for row in result.records[stream]}


STEPIK_DRIFT = {
    "courses": {
        "title": {"en": "Loops", "ru": "Циклы"},
        "owner": "1000",
        "cover": ["a.png"],
        "learners_count": "",
        "is_public": "yes",
        "actions": "",
        "sections": [{"id": 1}],
        "begin_date": {"at": "2022-01-01"},
        "end_date": 1700000000,
    },
    "lessons": {"owner": {"id": 1000}, "title": 12, "tags": "python", "language": ["en"]},
    "steps": {
        "position": "1",
        "status": {"code": 1},
        "block": "<p>text</p>",
        "actions": ["submit"],
        "progress": None,
        "subscriptions": "x",
        "create_date": "yesterday",
        "worth": 0.5,
    },
    "users": {"join_date": {"d": 1}, "profile": 123, "first_name": ["Ada"], "is_private": 0},
    "submissions": {
        "feedback": {"message": {"nested": True}, "hints": ["x"]},
        "reply": "",
        "score": "0.5",
        "hint": ["a"],
        "session": {"id": 3},
        "attempt": "n/a",
    },
}

HYPERSKILL_DRIFT = {
    "topics": {"has_steps": "yes", "children": "", "title": {"en": "x"}, "followers": "all"},
    "steps": {
        "block": "",
        "likes_statistics": {"subject": "step"},
        "seconds_to_complete": "12.5",
        "type": ["practice"],
        "content_created_at": "",
    },
    "tracks": {"results": "", "projects_by_level": [], "projects": "101,102"},
    "projects": {"tracks": "", "stages_ids": {"1": 2}, "results": []},
    "users": {"gamification": "none", "languages": "en", "date_registered": 0, "country": {}},
    "submissions": {
        "feedback": {"code_style": {"quality": {"code": "A"}}},
        "solving_context": "",
        "user_id": "anonymous",
        "is_published": "no",
        "client": ["web"],
    },
}


@pytest.mark.parametrize(
    ("platform", "drift"), [("stepik", STEPIK_DRIFT), ("hyperskill", HYPERSKILL_DRIFT)]
)
def test_sync_with_drifted_shapes_loses_no_record_and_no_value(make_standin, platform, drift):
    standin, config = make_standin(platform)
    changed = {}
    for stream, values in drift.items():
        target = standin.data[stream][1]
        target.update(copy.deepcopy(values))
        changed[stream] = target["id"]
    result = run_sync(TapStepik, config)

    assert result.counts() == stepik_standin.expected_counts(standin)
    tap = TapStepik(config=config)
    for stream, values in drift.items():
        row = _by_id(result, stream)[changed[stream]]
        declared = tap.streams[stream].schema["properties"]
        for field, value in values.items():
            if field == "feedback":
                assert row["feedback_details"] == value  # the object, whole
                assert row["feedback"] is None  # no text message in it
            else:
                assert _kept(row, field, value, declared[field]), (stream, field, row)


def test_sync_with_odd_items_in_a_page(make_standin):
    """A page whose list holds non-objects: the objects are records, the rest is counted."""
    standin, config = make_standin("stepik", users=3)
    users = [dict(u) for u in standin.data["users"]]
    body = {
        "meta": {"page": 1, "has_next": "false", "has_previous": False},
        "users": [users[0], 12, None, users[1], "x", users[2]],
    }
    standin.inject_when(lambda r: r.raw_path == "/api/users", 200, body)
    result = run_sync(TapStepik, config, streams=["users"])
    assert [r["id"] for r in result.records["users"]] == [u["id"] for u in users]
    assert len(standin.requests_to(r"^/api/users$")) == 1  # "false" is not a next page
    assert result.tap.runtime.ledger.counts[("users", "not an object")] == 3
