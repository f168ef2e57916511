"""Users and what each user owns: meeting series, webinars, cloud recordings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from tap_zoom import schemas
from tap_zoom.client import WindowedZoomStream, ZoomStream
from tap_zoom.records import key_value, normalise_timestamp

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


class UsersStream(ZoomStream):
    """``GET /users?status=...``: the account's users of each status in ``user_statuses``.

    Deactivated users are read by default too: their past meetings and recordings are history.
    """

    name = "users"
    path = "/users"
    primary_keys = ("id",)
    records_jsonpath = "$.users[*]"
    schema = schemas.USER
    datetime_fields = ("created_at", "user_created_at", "last_login_time")

    @property
    def partitions(self) -> list[dict]:
        """One partition per user status asked for."""
        return [{"status": status} for status in self.config["user_statuses"]]

    def get_url_params(self, context: Context | None, next_page_token: Any) -> dict[str, Any]:
        """The partition's status."""
        params = super().get_url_params(context, next_page_token)
        if context and context.get("status"):
            params["status"] = context["status"]
        return params

    def get_child_context(self, record: dict, context: Context | None) -> dict | None:  # noqa: ARG002
        """Children (series, webinars, recordings, past instances) are per user."""
        user_id = key_value(record.get("id"))
        return None if user_id is None else {"user_id": user_id}


class _PerUserStream(ZoomStream):
    parent_stream_type = UsersStream
    state_partitioning_keys: ClassVar[list[str]] = []
    parent_keys = ("user_id",)


class MeetingsStream(_PerUserStream):
    """``GET /users/{userId}/meetings``: the scheduled meeting series; ``id`` is the series."""

    name = "meetings"
    path = "/users/{user_id}/meetings"
    primary_keys = ("id",)
    records_jsonpath = "$.meetings[*]"
    schema = schemas.MEETING_SERIES
    datetime_fields = ("start_time", "created_at")

    def get_url_params(self, context: Context | None, next_page_token: Any) -> dict[str, Any]:
        """Scheduled series (Zoom's default type, stated)."""
        return {**super().get_url_params(context, next_page_token), "type": "scheduled"}

    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        """``pmi`` arrives as an integer or a string: keep a string (other shapes as sent)."""
        row = super().post_process(row, context)
        if row is not None and isinstance(row.get("pmi"), int) and not isinstance(row["pmi"], bool):
            row["pmi"] = str(row["pmi"])
        return row


class WebinarsStream(_PerUserStream):
    """``GET /users/{userId}/webinars``: the webinar series each user hosts."""

    name = "webinars"
    path = "/users/{user_id}/webinars"
    primary_keys = ("id",)
    records_jsonpath = "$.webinars[*]"
    schema = schemas.WEBINAR_SERIES
    datetime_fields = ("start_time", "created_at")


class RecordingsStream(_PerUserStream, WindowedZoomStream):
    """``GET /users/{userId}/recordings?from&to``: cloud recordings in month windows.

    Records carry the metadata and download URLs of each file; no file content is read.
    """

    name = "recordings"
    path = "/users/{user_id}/recordings"
    primary_keys = ("uuid",)
    records_jsonpath = "$.meetings[*]"
    replication_key = "start_time"
    schema = schemas.RECORDING
    datetime_fields = ("start_time",)
    six_month_history = False

    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        """Dates of each file too (files that are not objects, or no list, stay as sent)."""
        row = super().post_process(row, context)
        if row is None:
            return None
        files = row.get("recording_files")
        for item in files if isinstance(files, list) else ():
            if not isinstance(item, dict):
                continue
            for key in ("recording_start", "recording_end"):
                if key in item:
                    item[key] = normalise_timestamp(item[key])
        return row
