"""JSON schemas of the Stepik and Hyperskill records: narrow only where the API notes say so.

A field keeps a narrow type only where ``/work/shared/api-notes/stepik.md`` (or a real JSON
fixture quoted there) states it: a Stepik step's ``lesson`` is an integer and its ``status`` a
string, a lesson's ``owner`` and ``*_group`` are integers, a submission's ``reply`` is an object,
and so on. Every other field is any JSON (``AnyJSON``), or the nullable union of the shapes
the notes give (a Stepik ``score`` is a number, or a string as the Android app parses it):

* fields the notes list by name only (every course and Stepik user field, the step "scalars");
* fields whose type comes from the seed's dataclasses, which the notes show to be wrong in
  places (every Hyperskill track and project field, the seed's extra lesson and step fields);
* fields the notes do not mention (``last_login``, ``is_staff``).

Date fields of objects whose notes give the platform's date format stay ``date-time``; the
primary key ``id`` and the replication keys (``update_date``, ``updated_at``, ``time``) stay
strictly typed. Every field but ``id`` is nullable: the APIs omit fields by object kind and by
permission. A value that still does not fit goes through the shared schema guard
(``tap_common.schema_guard``), which keeps it in a ``<field>__v_json`` column.
"""

from __future__ import annotations

from typing import Any

from singer_sdk import typing as th

from tap_common.jsontypes import AnyJSON, union

S = th.StringType
DT = th.DateTimeType
INT = th.IntegerType
NUM = th.NumberType
OBJ = th.ObjectType(additional_properties=True)
INTS = th.ArrayType(th.IntegerType)
STRS = th.ArrayType(th.StringType)
#: An array whose items the notes do not type (``tags[]``, ``languages[]``).
ARRAY = th.ArrayType(AnyJSON())
#: An array of objects (``likes_statistics[{subject,value,total_count}]``).
OBJECTS = th.ArrayType(OBJ)


def props(kind: th.JSONTypeHelper, *names: str) -> list[th.Property]:
    """Nullable properties of one type."""
    return [th.Property(name, kind) for name in names]


def any_json(*names: str) -> list[th.Property]:
    """Nullable properties that take any JSON value (a fresh type for each)."""
    return [th.Property(name, AnyJSON()) for name in names]


def one_of(*types: str) -> th.CustomType:
    """The nullable union of the JSON types the notes give for a field."""
    return th.CustomType(union(*types))


def schema(*properties: th.Property) -> dict[str, Any]:
    """A stream schema with an integer ``id`` primary key first."""
    return th.PropertiesList(
        th.Property("id", INT, required=True, description="The object's id"), *properties
    ).to_dict()


# --- Stepik ----------------------------------------------------------------------------------

#: Notes §1.4 "course": the fixture's keys only, no types; dates are ``...Z`` (§1.4, "Dates").
STEPIK_COURSE = schema(
    *any_json("title", "slug", "summary", "description", "intro", "intro_video", "workload"),
    *any_json("language", "course_format", "target_audience", "requirements", "cover"),
    *any_json("certificate", "progress", "schedule_link", "course_type", "grading_policy"),
    *any_json("owner", "total_units", "learners_count", "lessons_count", "quizzes_count"),
    *any_json("challenges_count", "certificates_count", "videos_duration", "last_step"),
    *any_json("learners_group", "testers_group", "moderators_group", "teachers_group"),
    *any_json("admins_group", "review_summary", "enrollment", "time_to_complete"),
    *any_json("authors", "instructors", "tags"),
    *props(INTS, "sections"),
    *any_json("is_public", "is_active", "is_featured", "is_adaptive", "is_contest"),
    *any_json("is_enabled", "is_favorite", "is_idea_compatible", "is_certificate_auto_issued"),
    *props(DT, "begin_date", "end_date", "soft_deadline", "hard_deadline", "first_deadline"),
    *props(DT, "last_deadline", "create_date", "update_date"),
    *any_json("actions", "subscriptions"),
)

#: Notes §1.4 "lesson" and §3.8: ``owner``, ``*_group`` integers, ``language`` a string.
STEPIK_LESSON = schema(
    *props(S, "language"),
    *any_json("title", "slug", "progress", "cover_url", "lti_consumer_key"),
    *props(INT, "owner", "learners_group", "testers_group", "moderators_group"),
    *props(INT, "teachers_group", "admins_group"),
    *any_json("viewed_by", "passed_by", "time_to_complete", "vote", "vote_delta"),
    *any_json("discussions_count", "discussion_proxy", "epic_count", "abuse_count"),
    *any_json("assistants_group", "lti_private_profile"),
    *props(INTS, "steps"),
    *props(ARRAY, "tags", "required_tags", "subscriptions"),
    *any_json("courses", "units", "discussion_threads"),
    *any_json("is_public", "is_featured", "is_comments_enabled", "is_draft", "is_orphaned"),
    *any_json("is_blank", "is_exam_without_progress"),
    *props(DT, "create_date", "update_date"),
    *props(OBJ, "actions"),
)

#: Notes §1.4 "step": ``lesson`` int, ``status`` string, ``correct_ratio`` float, ``block`` and
#: ``actions`` objects, ``progress`` ``"77-186010"``, ``subscriptions``/``discussion_threads``
#: string lists; the other "scalars" are untyped.
STEPIK_STEP = schema(
    *props(INT, "lesson"),
    *props(S, "status", "progress"),
    *props(NUM, "correct_ratio"),
    *any_json("position", "viewed_by", "passed_by", "worth", "variation", "variations_count"),
    *any_json("max_submissions_count", "discussions_count", "instruction", "session"),
    *any_json("instruction_type", "discussion_proxy", "solutions_unlocked_attempts"),
    *any_json("is_solutions_unlocked", "has_submissions_restrictions", "is_enabled"),
    *any_json("needs_plan"),
    *props(OBJ, "block", "actions"),
    *props(STRS, "subscriptions", "discussion_threads"),
    *props(DT, "create_date", "update_date"),
)

#: Notes §1.4 "user": the fixture's keys only, no types.
STEPIK_USER = schema(
    *any_json("first_name", "last_name", "full_name", "alias", "avatar", "cover"),
    *any_json("short_bio", "details", "city", "profile", "level", "level_title"),
    *any_json("knowledge", "knowledge_rank", "reputation", "reputation_rank"),
    *any_json("solved_steps_count", "created_courses_count", "created_lessons_count"),
    *any_json("issued_certificates_count", "followers_count"),
    *props(ARRAY, "tag_progresses", "social_profiles"),
    *any_json("is_private", "is_organization", "is_active", "is_guest"),
    *props(DT, "join_date"),
    *any_json("last_login"),
)

#: Both platforms: ``status`` and ``reply`` are typed in the notes, ``feedback`` is text or an
#: object there (the tap emits the text in ``feedback`` and the object in ``feedback_details``).
SUBMISSION_COMMON = (
    *props(S, "status"),
    *any_json("hint", "reply_url"),
    th.Property("feedback", S, description="Feedback text (the message of an object feedback)"),
    th.Property("feedback_details", OBJ, description="Feedback when the API sent an object"),
    *props(OBJ, "reply"),
    *props(DT, "time"),
)

#: Notes §1.4 "submission": ``attempt`` int, ``eta`` ``0``, ``score`` 0.0 or a string.
STEPIK_SUBMISSION = schema(
    th.Property("step", INT, description="The step (the parent's id: Stepik sends none)"),
    *props(INT, "attempt", "eta"),
    *SUBMISSION_COMMON,
    th.Property("score", one_of("number", "string")),
    *any_json("session"),
)

# --- Hyperskill ------------------------------------------------------------------------------

#: Notes §2.4 "topic": ``followers``, ``hierarchy``, ``prerequisites`` int lists,
#: ``progress_id`` ``"2-405"``; the rest untyped.
HYPERSKILL_TOPIC = schema(
    *props(S, "progress_id"),
    *any_json("title", "root_title", "root_subgroup_title"),
    *any_json("depth", "parent_id", "root_id", "theory", "topological_index"),
    *any_json("verification_step", "provider_id"),
    *props(INTS, "followers", "hierarchy", "prerequisites"),
    *props(ARRAY, "children"),
    *any_json("has_steps", "is_deprecated", "is_beta"),
)

#: Notes §2.4 "step": ``block`` an object, the statistics lists of objects, ``type`` a string,
#: ``updated_at`` and the other ``*_at`` dates; the rest untyped.
HYPERSKILL_STEP = schema(
    *props(S, "type"),
    *any_json("title", "popular_ide", "check_profile"),
    th.Property("topic", AnyJSON(), description="The topic (the parent's id when missing)"),
    *any_json("topic_theory", "position", "solved_by", "lesson_stepik_id"),
    *any_json("stepik_id", "stage", "project", "error_issues_count", "warning_issues_count"),
    *any_json("seconds_to_complete", "success_rate"),
    *any_json("is_recommended", "is_completed", "is_skipped", "is_abandoned", "can_skip"),
    *any_json("can_abandon", "is_cribbed", "is_next", "is_beta", "is_deprecated"),
    *any_json("is_ide_compatible", "is_remote_tested", "can_see_admin_toolbar"),
    *props(OBJ, "block"),
    *props(OBJECTS, "likes_statistics", "comments_statistics"),
    *props(ARRAY, "error_issues", "warning_issues"),
    *props(DT, "updated_at", "content_created_at", "content_updated_at", "last_completed_at"),
    *props(DT, "progress_updated_at"),
)

#: Notes §2.4 "track (SEED)": the seed's dataclass fields; §3.8: its types are unreliable.
HYPERSKILL_TRACK = schema(
    *any_json("title", "description", "progress_id", "type", "careers"),
    *any_json("topics_count", "root_topic_id", "best_rated_project"),
    *any_json("fastest_to_complete_project", "seconds_to_complete", "projects"),
    *any_json("projects_by_level", "results"),
    *any_json("is_beta", "is_free", "is_on_onboarding"),
)

#: Notes §2.4 "project (SEED)": as for tracks.
HYPERSKILL_PROJECT = schema(
    *any_json("title", "environment", "description", "language", "progress_id"),
    *any_json("stages_count", "readiness", "lesson_stepik_id", "preview_step"),
    *any_json("n_first_prerequisites", "n_last_prerequisites", "ide_files"),
    *any_json("use_ide", "is_beta", "is_template_based", "is_deprecated"),
    *any_json("stages_ids", "tracks", "results"),
)

#: Notes §2.4 "user/profile" (a real PROD README example): ``gamification`` and
#: ``comments_posted`` objects, the track and language lists; the rest untyped.
HYPERSKILL_USER = schema(
    *any_json("fullname", "username", "avatar", "bio", "badge_title", "country"),
    *any_json("experience", "invitation_code", "discord_id"),
    *props(ARRAY, "selected_tracks", "completed_tracks", "languages"),
    *props(OBJ, "gamification", "comments_posted"),
    *any_json("is_guest", "is_staff"),
    *props(DT, "date_registered"),
)

#: Notes §2.4 "submission": ``status`` ``"wrong"|"correct"``, ``client`` ``"web"``|IDE,
#: ``next_free_test_available_at`` ``"...+00:00"``; the rest untyped.
HYPERSKILL_SUBMISSION = schema(
    th.Property("step", AnyJSON(), description="The step (the parent's id when missing)"),
    *any_json("attempt", "eta"),
    *SUBMISSION_COMMON,
    *props(S, "client"),
    *any_json("user_id", "failed_test_number", "initial_status", "solving_context"),
    *any_json("is_published", "can_download_test_set", "is_downloaded_test"),
    *any_json("is_free_test", "is_samples_test"),
    *props(DT, "next_free_test_available_at"),
)

# --- custom objects --------------------------------------------------------------------------

#: Fields the notes list for objects a user may add as custom objects (§1.4 section, unit,
#: attempt; §2.3 topic-relations; §2.4 stage). All any JSON: only the names are known.
CUSTOM_FIELDS: dict[str, tuple[str, ...]] = {
    "sections": (
        "course",
        "units",
        "position",
        "title",
        "slug",
        "progress",
        "actions",
        "required_section",
        "required_percent",
        "is_exam",
        "exam_duration_minutes",
        "grading_policy",
        "begin_date",
        "end_date",
        "soft_deadline",
        "hard_deadline",
        "is_active",
        "create_date",
        "update_date",
    ),
    "units": (
        "section",
        "lesson",
        "assignments",
        "position",
        "progress",
        "begin_date",
        "end_date",
        "soft_deadline",
        "hard_deadline",
        "grading_policy",
        "is_active",
        "create_date",
        "update_date",
    ),
    "attempts": ("dataset", "dataset_url", "time", "status", "time_left", "step", "user"),
    "topic-relations": ("parent_id", "descendants"),
    "stages": (
        "project",
        "step",
        "step_index",
        "title",
        "description",
        "goal",
        "language",
        "is_completed",
        "prerequisites",
        "all_prerequisites",
        "project_stages_count",
        "seconds_to_complete",
    ),
}


def custom_object(resource: str) -> dict[str, Any]:
    """Permissive schema of a custom object: ``id``, any JSON for every field the API sends.

    Fields the notes name for this object are declared (as any JSON); the object admits any
    other field too.
    """
    result = schema(*any_json(*CUSTOM_FIELDS.get(resource, ())))
    result["additionalProperties"] = True
    return result


#: The schema of a custom object the notes do not describe.
CUSTOM_OBJECT: dict[str, Any] = custom_object("")
