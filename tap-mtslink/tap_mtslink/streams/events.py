"""Events (the schedule), their sessions, and what each event holds."""

from __future__ import annotations

from tap_mtslink import schemas
from tap_mtslink.specs import StreamSpec, by_field, session_not_started

SCHEDULE = "/organization/events/schedule"
#: Largest ``perPage`` the schedule accepts (10, 50, 100, 250).
SCHEDULE_PAGE = 250
#: Largest ``perPage`` of participations and members (10, 50, 100, 250, 500).
PEOPLE_PAGE = 500

SPECS = [
    StreamSpec(
        name="events",
        path=SCHEDULE,
        schema=schemas.EVENT,
        scope="events",
        pagination="page",
        page_size=SCHEDULE_PAGE,
        window="schedule",
        all_statuses=True,
        replication_key="startsAt",
        narrow=(("event_ids", "id"),),
        child_contexts=by_field("eventId"),
        notes="events (series) with their sessions in the window, every status",
    ),
    StreamSpec(
        name="event_details",
        path="/organization/events/{eventId}",
        parent="events",
        schema=schemas.EVENT,
        scope="events",
        envelope="object",
    ),
    StreamSpec(
        name="event_participations",
        path="/events/{eventId}/participations",
        parent="events",
        schema=schemas.PARTICIPATION,
        scope="events",
        pagination="page",
        page_size=PEOPLE_PAGE,
        notes="registrations to a whole series",
    ),
    StreamSpec(
        name="event_files",
        path="/events/{eventId}/files",
        parent="events",
        schema=schemas.EVENT_FILE,
        scope="files",
        primary_keys=("eventId", "id"),
        envelope="file-wrappers",
    ),
    StreamSpec(
        name="event_sessions",
        path=SCHEDULE,
        schema=schemas.EVENT_SESSION,
        scope="events",
        pagination="page",
        page_size=SCHEDULE_PAGE,
        window="schedule",
        all_statuses=True,
        replication_key="startsAt",
        explode="eventSessions",
        narrow=(("event_ids", "eventId"), ("event_session_ids", "id")),
        child_contexts=by_field("eventSessionId"),
        not_started=session_not_started,
        notes="one row per session of the schedule: the event's fields overlaid with the session's",
    ),
    StreamSpec(
        name="endless_meetings",
        path="/eventsessions/endless",
        schema=schemas.ENDLESS_MEETING,
        scope="events",
        pagination="page",
        page_size=SCHEDULE_PAGE,
    ),
    StreamSpec(
        name="endless_activities",
        path="/eventsessions/endless/activities",
        schema=schemas.ENDLESS_ACTIVITY,
        scope="events",
        pagination="page",
        page_size=SCHEDULE_PAGE,
        window="past",
        replication_key="startedAt",
    ),
    StreamSpec(
        name="stream_files_urls",
        path="/organization/eventsessions/streamFilesUrls",
        schema=schemas.STREAM_FILE_URL,
        scope="events",
        primary_keys=("eventSessionId", "url"),
    ),
]
