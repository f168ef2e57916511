"""Dashboard (metrics) endpoints: past meetings and webinars with quality details.

They need a Business plan or higher with the Dashboard feature; on other plans Zoom answers
code 200 and these streams are skipped with a warning (counted in the run summary).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from tap_zoom import schemas
from tap_zoom.client import WindowedZoomStream, ZoomStream
from tap_zoom.records import clock_seconds, key_value

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


class DashboardMeetingsStream(WindowedZoomStream):
    """``GET /metrics/meetings?type=past``: every past instance, incremental on its start."""

    name = "dashboard_meetings"
    path = "/metrics/meetings"
    primary_keys = ("uuid",)
    records_jsonpath = "$.meetings[*]"
    replication_key = "start_time"
    schema = schemas.DASHBOARD_MEETING
    extra_params: ClassVar[dict[str, str]] = {"type": "past"}
    datetime_fields = ("start_time", "end_time")
    plan_gated = True

    def get_child_context(self, record: dict, context: Context | None) -> dict | None:  # noqa: ARG002
        """Participants are per instance UUID; the series id rides along.

        Without a usable UUID there is nothing to ask for: no child sync (the SDK logs it).
        """
        uuid = key_value(record.get("uuid"))
        if uuid is None:
            return None
        return {"meeting_uuid": uuid, "meeting_id": record.get("id")}

    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        """``duration`` stays as Zoom sends it ("05:27"); ``duration_seconds`` is the number.

        ``duration_seconds`` is null when ``duration`` is not such a string (a bare number's
        unit is unknown); ``duration`` itself is never changed.
        """
        row = super().post_process(row, context)
        if row is not None:
            row["duration_seconds"] = clock_seconds(row.get("duration"))
        return row


class DashboardMeetingParticipantsStream(ZoomStream):
    """``GET /metrics/meetings/{meetingUUID}/participants?type=past``: sessions with devices."""

    name = "dashboard_meeting_participants"
    path = "/metrics/meetings/{meeting_uuid}/participants"
    parent_stream_type = DashboardMeetingsStream
    state_partitioning_keys: ClassVar[list[str]] = []
    primary_keys = ("meeting_uuid", "user_id", "join_time")
    records_jsonpath = "$.participants[*]"
    schema = schemas.DASHBOARD_PARTICIPANT
    parent_keys = ("meeting_uuid", "meeting_id")
    datetime_fields = ("join_time", "leave_time")
    plan_gated = True
    skip_http_404 = True

    def get_url_params(self, context: Context | None, next_page_token: object) -> dict:
        """Past meetings, not live ones."""
        return {**super().get_url_params(context, next_page_token), "type": "past"}


class DashboardWebinarsStream(DashboardMeetingsStream):
    """``GET /metrics/webinars?type=past``: every past webinar instance."""

    name = "dashboard_webinars"
    path = "/metrics/webinars"
    records_jsonpath = "$.webinars[*]"

    schema = schemas.DASHBOARD_WEBINAR

    def get_child_context(self, record: dict, context: Context | None) -> dict | None:  # noqa: ARG002
        """Webinar participants are per instance UUID; the webinar id rides along."""
        uuid = key_value(record.get("uuid"))
        if uuid is None:
            return None
        return {"webinar_uuid": uuid, "webinar_id": record.get("id")}
