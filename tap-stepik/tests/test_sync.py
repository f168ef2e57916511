"""Full syncs against both stand-ins: counts, request shapes, pagination, record shapes."""

from __future__ import annotations

import re

from singer_sdk.streams.rest import PageContext
from tap_stepik.tap import TapStepik

from standins import stepik as stepik_standin
from tap_common.testing import run_sync

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def test_full_sync_emits_expected_counts(platform, standin, config):
    result = run_sync(TapStepik, config)
    assert result.counts() == stepik_standin.expected_counts(standin)


def test_discovers_only_the_platforms_streams(platform, config):
    streams = {s.name for s in TapStepik(config=config).streams.values()}
    assert streams == set(stepik_standin.STREAMS[platform])


def test_primary_keys_unique_and_dates_rfc3339(platform, standin, config):
    result = run_sync(TapStepik, config)
    for name, rows in result.records.items():
        ids = [r["id"] for r in rows]
        assert len(ids) == len(set(ids)), name
    date_fields = {"update_date", "create_date", "updated_at", "time", "date_registered"}
    checked = 0
    for rows in result.records.values():
        for row in rows:
            for key in date_fields & row.keys():
                if row[key] is not None:
                    assert RFC3339.match(row[key]), (key, row[key])
                    checked += 1
    assert checked > 100


def test_stepik_pages_of_twenty_and_only_the_endpoint_list(make_standin):
    standin, config = make_standin("stepik", courses=45)
    result = run_sync(TapStepik, config, streams=["courses"])
    assert result.count("courses") == 45
    pages = standin.requests_to(r"^/api/courses$")
    assert [r.arg("page") for r in pages] == ["1", "2", "3"]  # 20 + 20 + 5, page_size ignored
    assert "page_size" not in pages[0].query
    # The side-loaded "enrollments" list is not mistaken for courses.
    assert all("course" not in row for row in result.records["courses"])


def test_hyperskill_sends_page_size(make_standin):
    standin, config = make_standin("hyperskill", projects=7)
    config["page_size"] = 3
    result = run_sync(TapStepik, config, streams=["projects"])
    assert result.count("projects") == 7
    pages = standin.requests_to(r"^/api/projects$")
    assert [(r.arg("page"), r.arg("page_size")) for r in pages] == [
        ("1", "3"),
        ("2", "3"),
        ("3", "3"),
    ]


def test_stepik_submissions_per_step_with_step_filled_in(stepik):
    standin, config = stepik
    result = run_sync(TapStepik, config, streams=["submissions"])
    rows = result.records["submissions"]
    assert {r["id"]: r["step"] for r in rows} == standin.submission_steps
    step_requests = standin.requests_to(r"^/api/submissions$")
    assert {r.arg("step") for r in step_requests} == {str(s["id"]) for s in standin.data["steps"]}


def test_hyperskill_steps_per_topic_skipping_topics_without_steps(hyperskill):
    standin, config = hyperskill
    result = run_sync(TapStepik, config, streams=["steps"])
    assert result.count("steps") == len(standin.data["steps"])
    asked = {r.arg("topic") for r in standin.requests_to(r"^/api/steps$")}
    with_steps = {str(t["id"]) for t in standin.data["topics"] if t["has_steps"]}
    assert asked == with_steps
    assert not standin.requests_to(r"^/api/topics/")
    assert all(row["topic"] for row in result.records["steps"])


def test_hyperskill_users_under_profiles_key(make_standin):
    standin, config = make_standin("hyperskill", users_key="profiles")
    result = run_sync(TapStepik, config, streams=["users"])
    assert result.count("users") == len(standin.data["users"])


def test_empty_objects_sent_as_lists_become_objects(make_standin):
    """``[]`` becomes ``{}`` where the schema declares an object (step and lesson ``actions``).

    A course's ``actions`` is any JSON (the notes list the course's keys only): it is emitted
    as sent, ``[]`` included.
    """
    standin, config = make_standin("stepik")
    for row in standin.data["steps"][::2] + standin.data["lessons"][::2]:
        row["actions"] = []
    raw = {c["id"]: c["actions"] for c in standin.data["courses"]}
    assert [] in raw.values()
    result = run_sync(TapStepik, config, streams=["courses", "lessons", "steps"])
    for stream in ("steps", "lessons"):
        rows = result.records[stream]
        assert all(isinstance(row["actions"], dict) for row in rows if "actions" in row)
        assert sum(row.get("actions") == {} for row in rows) >= len(rows) // 2
    assert {row["id"]: row["actions"] for row in result.records["courses"]} == raw


def test_object_feedback_is_split(hyperskill):
    _standin, config = hyperskill
    result = run_sync(TapStepik, config, streams=["submissions"])
    objects = [r for r in result.records["submissions"] if r.get("feedback_details")]
    assert objects
    assert all(r["feedback"] == r["feedback_details"]["message"] for r in objects)
    assert all(isinstance(r["feedback"], str) for r in result.records["submissions"])


def test_query_strings_on_the_wire(make_standin):
    """Stepik ids go as repeated ``ids%5B%5D``; Hyperskill as one comma list ``ids=1,3``."""
    stepik, stepik_config = make_standin("stepik")
    stepik_config["ids"] = {"users": [1000, 1001]}
    run_sync(TapStepik, stepik_config, streams=["users"])
    (request,) = stepik.requests_to(r"^/api/users$")
    assert request.args("ids[]") == ["1000", "1001"]
    stream = TapStepik(config=stepik_config).streams["users"]
    page = PageContext(stream_context={"_ids": [1000, 1001]}, next_page_token=1)
    query = stream.get_http_request(page=page).encode_params()
    assert query == "page=1&ids%5B%5D=1000&ids%5B%5D=1001"

    hyperskill, hs_config = make_standin("hyperskill")
    hs_config["ids"] = {"tracks": [1, 3]}
    run_sync(TapStepik, hs_config, streams=["tracks"])
    (request,) = hyperskill.requests_to(r"^/api/tracks$")
    assert request.args("ids") == ["1,3"]
    stream = TapStepik(config=hs_config).streams["tracks"]
    page = PageContext(stream_context={"_ids": [1, 3]}, next_page_token=2)
    assert stream.get_http_request(page=page).encode_params() == "page=2&page_size=100&ids=1,3"
