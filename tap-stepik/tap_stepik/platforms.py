"""The two platforms as data: default URLs, id syntax, and a table of stream specs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tap_stepik import schemas

STEPIK = "stepik"
HYPERSKILL = "hyperskill"


@dataclass(frozen=True)
class Platform:
    """What differs between Stepik and Hyperskill."""

    name: str
    api_url: str
    oauth_url: str
    #: Stepik takes ``ids[]=1&ids[]=2`` (repeated); Hyperskill ``ids=1,2`` (one comma list).
    repeated_ids: bool
    #: Ids per request; the notes cite 100 as Stepik's limit for ``ids[]``.
    ids_batch_size: int
    #: Whether the API honours ``page_size`` (Stepik ignores it: pages of about 20).
    honours_page_size: bool


PLATFORMS = {
    STEPIK: Platform(
        name=STEPIK,
        api_url="https://stepik.org/api",
        oauth_url="https://stepik.org/oauth2",
        repeated_ids=True,
        ids_batch_size=100,
        honours_page_size=False,
    ),
    HYPERSKILL: Platform(
        name=HYPERSKILL,
        api_url="https://hyperskill.org/api",
        oauth_url="https://hyperskill.org/oauth2",
        repeated_ids=False,
        ids_batch_size=100,
        honours_page_size=True,
    ),
}


@dataclass(frozen=True)
class StreamSpec:
    """One stream: the endpoint it reads, its schema and how a parent feeds it."""

    name: str
    #: Endpoint name: the path segment after ``/api/`` and the key of the list in the answer.
    resource: str
    schema: dict[str, Any]
    replication_key: str | None = None
    #: Stream whose records feed this one's filter (``None``: a plain list).
    parent: str | None = None
    #: Query parameter the parent's id goes to, and the field it fills in each record.
    parent_param: str | None = None
    #: Other keys the answer may use for the list (Hyperskill users come as ``profiles``).
    alternate_keys: tuple[str, ...] = ()
    #: A parent record field that, when false, means "no children": skip the request.
    child_flag: str | None = None
    primary_keys: tuple[str, ...] = ("id",)
    custom: bool = False


STREAM_SPECS: dict[str, tuple[StreamSpec, ...]] = {
    STEPIK: (
        StreamSpec("courses", "courses", schemas.STEPIK_COURSE, "update_date"),
        StreamSpec("lessons", "lessons", schemas.STEPIK_LESSON, "update_date"),
        StreamSpec("steps", "steps", schemas.STEPIK_STEP, "update_date"),
        StreamSpec(
            "submissions",
            "submissions",
            schemas.STEPIK_SUBMISSION,
            "time",
            parent="steps",
            parent_param="step",
        ),
        StreamSpec("users", "users", schemas.STEPIK_USER),
    ),
    HYPERSKILL: (
        StreamSpec("topics", "topics", schemas.HYPERSKILL_TOPIC, child_flag="has_steps"),
        StreamSpec(
            "steps",
            "steps",
            schemas.HYPERSKILL_STEP,
            "updated_at",
            parent="topics",
            parent_param="topic",
        ),
        StreamSpec(
            "submissions",
            "submissions",
            schemas.HYPERSKILL_SUBMISSION,
            "time",
            parent="steps",
            parent_param="step",
        ),
        StreamSpec("tracks", "tracks", schemas.HYPERSKILL_TRACK),
        StreamSpec("projects", "projects", schemas.HYPERSKILL_PROJECT),
        StreamSpec("users", "users", schemas.HYPERSKILL_USER, alternate_keys=("profiles",)),
    ),
}


def stream_name_for(resource: str) -> str:
    """The stream name of a custom object: ``course-grades`` becomes ``course_grades``."""
    return resource.strip().strip("/").replace("-", "_")


def custom_spec(resource: str) -> StreamSpec:
    """A stream with a permissive schema for any other API object."""
    return StreamSpec(
        stream_name_for(resource),
        resource.strip().strip("/"),
        schemas.custom_object(resource.strip().strip("/")),
        custom=True,
    )
