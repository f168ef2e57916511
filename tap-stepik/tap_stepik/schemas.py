"""JSON schemas of the Stepik and Hyperskill records, in the types the APIs really return.

Types follow the real JSON fixtures quoted in the API notes (not the seed's dataclasses, which
are wrong in places: a Stepik step's ``status`` is a string, its ``lesson`` an integer). Every
field but the primary key is nullable: the APIs omit fields by object kind and by permission.
"""

from __future__ import annotations

from typing import Any

from singer_sdk import typing as th

S = th.StringType
DT = th.DateTimeType
INT = th.IntegerType
BOOL = th.BooleanType
NUM = th.NumberType
OBJ = th.ObjectType(additional_properties=True)
INTS = th.ArrayType(th.IntegerType)
STRS = th.ArrayType(th.StringType)


def props(kind: th.JSONTypeHelper, *names: str) -> list[th.Property]:
    """Nullable properties of one type."""
    return [th.Property(name, kind) for name in names]


def schema(*properties: th.Property) -> dict[str, Any]:
    """A stream schema with an integer ``id`` primary key first."""
    return th.PropertiesList(
        th.Property("id", INT, required=True, description="The object's id"), *properties
    ).to_dict()


#: Permissive schema of a custom object: the id (when there is one) plus whatever the API sends.
CUSTOM_OBJECT: dict[str, Any] = {
    "type": "object",
    "properties": {"id": {"type": ["integer", "null"]}},
    "additionalProperties": True,
}

STEPIK_COURSE = schema(
    *props(S, "title", "slug", "summary", "description", "intro", "workload", "language"),
    *props(S, "course_format", "target_audience", "requirements", "cover", "certificate"),
    *props(S, "progress", "schedule_link", "course_type"),
    *props(INT, "owner", "total_units", "learners_count", "lessons_count", "quizzes_count"),
    *props(INT, "learners_group", "testers_group", "moderators_group", "teachers_group"),
    *props(INT, "admins_group", "review_summary", "enrollment", "time_to_complete"),
    *props(INTS, "authors", "instructors", "sections", "tags"),
    *props(BOOL, "is_public", "is_active", "is_featured", "is_adaptive", "is_contest"),
    *props(BOOL, "is_enabled", "is_favorite", "is_idea_compatible", "is_certificate_auto_issued"),
    *props(DT, "begin_date", "end_date", "soft_deadline", "hard_deadline", "create_date"),
    *props(DT, "update_date"),
    *props(OBJ, "actions"),
    *props(STRS, "subscriptions"),
)

STEPIK_LESSON = schema(
    *props(S, "title", "slug", "language", "progress", "cover_url", "lti_consumer_key"),
    *props(INT, "owner", "viewed_by", "passed_by", "time_to_complete", "vote", "vote_delta"),
    *props(INT, "learners_group", "testers_group", "moderators_group", "teachers_group"),
    *props(INT, "admins_group", "discussions_count", "epic_count", "abuse_count"),
    *props(INTS, "steps", "courses", "units", "tags", "required_tags"),
    *props(BOOL, "is_public", "is_featured", "is_comments_enabled", "is_draft", "is_orphaned"),
    *props(DT, "create_date", "update_date"),
    *props(OBJ, "actions"),
    *props(STRS, "subscriptions"),
)

STEPIK_STEP = schema(
    *props(INT, "lesson", "position", "viewed_by", "passed_by", "worth", "variation"),
    *props(INT, "variations_count", "max_submissions_count", "discussions_count"),
    *props(S, "status", "progress", "instruction_type", "discussion_proxy"),
    *props(NUM, "correct_ratio"),
    *props(BOOL, "is_solutions_unlocked", "has_submissions_restrictions", "is_enabled"),
    *props(BOOL, "needs_plan"),
    *props(OBJ, "block", "actions"),
    *props(STRS, "subscriptions", "discussion_threads"),
    *props(DT, "create_date", "update_date"),
)

STEPIK_USER = schema(
    *props(S, "first_name", "last_name", "full_name", "avatar", "short_bio", "details"),
    *props(S, "city", "profile"),
    *props(INT, "knowledge", "knowledge_rank", "reputation", "reputation_rank"),
    *props(INT, "solved_steps_count", "created_courses_count", "issued_certificates_count"),
    *props(BOOL, "is_private", "is_organization", "is_active", "is_guest"),
    *props(DT, "join_date", "last_login"),
)

SUBMISSION_COMMON = (
    th.Property("step", INT, description="The step (from the parent on Stepik)"),
    *props(INT, "attempt", "eta"),
    *props(S, "status", "hint", "reply_url"),
    th.Property("feedback", S, description="Feedback text (the message of an object feedback)"),
    th.Property("feedback_details", OBJ, description="Feedback when the API sent an object"),
    *props(OBJ, "reply"),
    *props(DT, "time"),
)

STEPIK_SUBMISSION = schema(
    *SUBMISSION_COMMON,
    *props(NUM, "score"),
    *props(INT, "session"),
)

HYPERSKILL_TOPIC = schema(
    *props(S, "title", "progress_id", "root_title", "root_subgroup_title"),
    *props(INT, "depth", "parent_id", "root_id", "theory", "topological_index"),
    *props(INT, "verification_step", "provider_id"),
    *props(INTS, "children", "followers", "hierarchy", "prerequisites"),
    *props(BOOL, "has_steps", "is_deprecated", "is_beta"),
)

HYPERSKILL_STEP = schema(
    *props(S, "title", "type", "popular_ide", "check_profile"),
    *props(INT, "topic", "topic_theory", "position", "solved_by", "lesson_stepik_id"),
    *props(INT, "stepik_id", "stage", "project", "error_issues_count", "warning_issues_count"),
    *props(NUM, "seconds_to_complete", "success_rate"),
    *props(BOOL, "is_recommended", "is_completed", "is_skipped", "is_abandoned", "can_skip"),
    *props(BOOL, "can_abandon", "is_cribbed", "is_next", "is_beta", "is_deprecated"),
    *props(BOOL, "is_ide_compatible", "is_remote_tested"),
    *props(OBJ, "block"),
    *props(th.ArrayType(OBJ), "likes_statistics", "comments_statistics"),
    *props(DT, "updated_at", "content_created_at", "content_updated_at", "last_completed_at"),
    *props(DT, "progress_updated_at"),
)

HYPERSKILL_TRACK = schema(
    *props(S, "title", "description", "progress_id", "type"),
    *props(INT, "topics_count", "root_topic_id", "best_rated_project"),
    *props(INT, "fastest_to_complete_project"),
    *props(NUM, "seconds_to_complete"),
    *props(INTS, "projects"),
    *props(OBJ, "projects_by_level", "results"),
    *props(BOOL, "is_beta", "is_free", "is_on_onboarding"),
)

HYPERSKILL_PROJECT = schema(
    *props(S, "title", "environment", "description", "language", "progress_id"),
    *props(INT, "stages_count", "readiness", "lesson_stepik_id", "preview_step"),
    *props(INT, "n_first_prerequisites", "n_last_prerequisites"),
    *props(BOOL, "use_ide", "is_beta", "is_template_based", "is_deprecated"),
    *props(INTS, "stages_ids"),
    *props(OBJ, "tracks", "results"),
)

HYPERSKILL_USER = schema(
    *props(S, "fullname", "username", "avatar", "bio", "badge_title", "country"),
    *props(S, "experience", "invitation_code", "discord_id"),
    *props(INTS, "selected_tracks", "completed_tracks"),
    *props(STRS, "languages"),
    *props(OBJ, "gamification", "comments_posted"),
    *props(BOOL, "is_guest", "is_staff"),
    *props(DT, "date_registered"),
)

HYPERSKILL_SUBMISSION = schema(
    *SUBMISSION_COMMON,
    *props(INT, "user_id", "failed_test_number"),
    *props(S, "initial_status", "client"),
    *props(BOOL, "is_published", "can_download_test_set", "is_downloaded_test"),
    *props(BOOL, "is_free_test", "is_samples_test"),
    *props(DT, "next_free_test_available_at"),
    *props(OBJ, "solving_context"),
)
