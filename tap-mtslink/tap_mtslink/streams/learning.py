"""Courses with their groups, and tests with their results."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tap_mtslink import schemas
from tap_mtslink.specs import StreamSpec, by_field

COURSE_GROUP = "/courses/{courseId}/groups/{groupId}"
TEST = "/tests/{testId}"


def course_groups(
    record: Mapping[str, Any], context: Mapping[str, Any] | None
) -> Iterable[dict[str, Any]]:
    """One context per group listed in a course's detail."""
    for group in record.get("groups") or []:
        if isinstance(group, Mapping) and group.get("id") is not None:
            yield {**(context or {}), "groupId": group["id"]}


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
