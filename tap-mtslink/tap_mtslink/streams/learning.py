"""Courses with their groups, and tests with their results."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tap_mtslink import schemas
from tap_mtslink.client import parsed_json_text, php_list
from tap_mtslink.specs import NoChildId, StreamSpec, by_field, child_id

COURSE_GROUP = "/courses/{courseId}/groups/{groupId}"
TEST = "/tests/{testId}"


def course_groups(
    record: Mapping[str, Any], context: Mapping[str, Any] | None
) -> Iterable[dict[str, Any] | NoChildId]:
    """One context per group listed in a course's detail.

    ``groups`` may be a list, PHP's object of an array (``{"0": {...}}``), JSON text of either,
    or ids instead of objects. A group without a usable id, or ``groups`` of another shape,
    yields a ``NoChildId`` (logged and counted by the stream).
    """
    raw = record.get("groups")
    groups = php_list(parsed_json_text(raw))
    if groups is None:
        if raw not in (None, "", {}):
            yield NoChildId("groups", raw)
        return
    seen: set[int | str] = set()
    for group in groups:
        group_id = child_id(group.get("id") if isinstance(group, Mapping) else group)
        if group_id is None:
            yield NoChildId("groups[].id", group)
        elif group_id not in seen:
            seen.add(group_id)
            yield {**(context or {}), "groupId": group_id}


def same_context(
    record: Mapping[str, Any],  # noqa: ARG001
    context: Mapping[str, Any] | None,
) -> Iterable[dict[str, Any]]:
    """The child reads the same course and group."""
    return [dict(context or {})]


SPECS = [
    StreamSpec(
        name="courses",
        path="/organization/courses",
        schema=schemas.COURSE,
        scope="courses",
        envelope="data",
        narrow=(("course_ids", "id"),),
        child_contexts=by_field("courseId"),
    ),
    StreamSpec(
        name="course_details",
        path="/courses/{courseId}",
        parent="courses",
        schema=schemas.COURSE_DETAIL,
        scope="courses",
        envelope="object",
        child_contexts=course_groups,
    ),
    StreamSpec(
        name="course_groups",
        path=COURSE_GROUP,
        parent="course_details",
        schema=schemas.COURSE_GROUP,
        scope="courses",
        primary_keys=("courseId", "id"),
        envelope="object",
        child_contexts=same_context,
    ),
    StreamSpec(
        name="course_group_stats",
        path=COURSE_GROUP + "/statistics",
        parent="course_groups",
        schema=schemas.COURSE_GROUP_STATS,
        scope="courses",
        primary_keys=("courseId", "groupId"),
        envelope="data.object",
    ),
    StreamSpec(
        name="organization_course_groups",
        path="/organization/courses/groups",
        schema=schemas.COURSE_GROUP,
        scope="courses",
        primary_keys=("courseId", "id"),
        envelope="data",
    ),
    StreamSpec(
        name="tests",
        path="/tests/list",
        schema=schemas.TEST,
        scope="tests",
        narrow=(("test_ids", "id"),),
        child_contexts=by_field("testId"),
    ),
    StreamSpec(
        name="test_details",
        path=TEST,
        parent="tests",
        schema=schemas.TEST_DETAIL,
        scope="tests",
        envelope="object",
    ),
    StreamSpec(
        name="test_results",
        path=TEST + "/results",
        parent="tests",
        schema=schemas.TEST_RESULT,
        scope="tests",
        primary_keys=("testId", "id"),
    ),
    StreamSpec(
        name="test_custom_answers",
        path=TEST + "/customanswers",
        parent="tests",
        schema=schemas.TEST_CUSTOM_ANSWER,
        scope="tests",
        primary_keys=("testId", "id"),
    ),
]
