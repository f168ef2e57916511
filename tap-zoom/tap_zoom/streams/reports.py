"""Report endpoints: active hosts, past meeting instances and their participant sessions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qsl, urlsplit

from tap_common.dates import add_months
from tap_zoom import schemas
from tap_zoom.client import WindowedZoomStream, ZoomStream
from tap_zoom.records import day_of, key_value, normalise_timestamp, timestamp_or_none
from tap_zoom.streams.dashboards import DashboardWebinarsStream
from tap_zoom.streams.users import UsersStream

if TYPE_CHECKING:
    from collections.abc import Iterable

    from singer_sdk.helpers.types import Context


def calendar_months(start: date, end: date) -> Iterator[tuple[date, date]]:
    """Windows aligned on calendar months (the first one starts at ``start``)."""
    current = start
    while current <= end:
        month_end = add_months(current.replace(day=1), 1) - timedelta(days=1)
        yield current, min(month_end, end)
        current = month_end + timedelta(days=1)


def window_edge(echoed: Any, asked: str | None) -> Any:
    """A window bound in RFC 3339: Zoom's echo when it is a date, else the one asked for."""
    for candidate in (echoed, asked):
        if timestamp_or_none(candidate) is not None:
            return normalise_timestamp(candidate)
    return echoed


class ActiveHostsStream(WindowedZoomStream):
    """``GET /report/users?type=active``: hosts with meetings, per calendar-month window.

    Windows follow calendar months, so a rerun refreshes the current month's row in place
    (same ``id`` and ``window_from``).
    """

    name = "active_hosts"
    path = "/report/users"
    primary_keys = ("id", "window_from")
    records_jsonpath = "$.users[*]"
    replication_key = "window_from"
    schema = schemas.ACTIVE_HOST
    extra_params: ClassVar[dict[str, str]] = {"type": "active"}
    datetime_fields = ("last_login_time", "create_time")

    def windows(self, context: Context | None) -> Iterator[tuple[date, date]]:
        """Calendar months from the bookmark's month (or start) to the end."""
        start, end = self.window_bounds(context)
        return calendar_months(start, end)

    def parse_response(self, response: Any) -> Iterable[dict]:
        """Each host row carries its window: the one Zoom echoes, else the one asked for."""
        body = response.json()
        asked = dict(parse_qsl(urlsplit(response.request.url or "").query))
        window = {
            "window_from": window_edge(body.get("from"), asked.get("from")),
            "window_to": window_edge(body.get("to"), asked.get("to")),
        }
        for row in body.get("users") or []:
            yield {**row, **window}


class PastMeetingsStream(WindowedZoomStream):
    """``GET /report/users/{userId}/meetings?type=past``: one record per instance (``uuid``).

    Incremental on the instance start: a second run asks only for windows from the bookmark
    on, and emits only instances that started at or after it.
    """

    name = "past_meetings"
    path = "/report/users/{user_id}/meetings"
    parent_stream_type = UsersStream
    state_partitioning_keys: ClassVar[list[str]] = []
    primary_keys = ("uuid",)
    records_jsonpath = "$.meetings[*]"
    replication_key = "start_time"
    schema = schemas.PAST_MEETING
    extra_params: ClassVar[dict[str, str]] = {"type": "past"}
    parent_keys = ("user_id",)
    datetime_fields = ("start_time", "end_time", "schedule_time", "join_waiting_room_time")

    def get_child_context(self, record: dict, context: Context | None) -> dict | None:  # noqa: ARG002
        """Participants are per instance UUID; the series id rides along."""
        uuid = key_value(record.get("uuid"))
        if uuid is None:
            return None
        return {"meeting_uuid": uuid, "meeting_id": record.get("id")}


class MeetingParticipantsStream(ZoomStream):
    """``GET /report/meetings/{meetingUUID}/participants``: one record per session.

    A participant who leaves and rejoins has one record per session: the key is the instance
    UUID, the participant id within it and the join time.
    """

    name = "meeting_participants"
    path = "/report/meetings/{meeting_uuid}/participants"
    parent_stream_type = PastMeetingsStream
    state_partitioning_keys: ClassVar[list[str]] = []
    primary_keys = ("meeting_uuid", "user_id", "join_time")
    records_jsonpath = "$.participants[*]"
    schema = schemas.PARTICIPANT_SESSION
    parent_keys = ("meeting_uuid", "meeting_id")
    datetime_fields = ("join_time", "leave_time")
    skip_http_404 = True


class WebinarParticipantsStream(ZoomStream):
    """``GET /report/webinars/{webinarUUID}/participants``: sessions of past webinars."""

    name = "webinar_participants"
    path = "/report/webinars/{webinar_uuid}/participants"
    parent_stream_type = DashboardWebinarsStream
    state_partitioning_keys: ClassVar[list[str]] = []
    primary_keys = ("webinar_uuid", "user_id", "join_time")
    records_jsonpath = "$.participants[*]"
    schema = schemas.WEBINAR_PARTICIPANT_SESSION
    parent_keys = ("webinar_uuid", "webinar_id")
    datetime_fields = ("join_time", "leave_time")
    skip_http_404 = True


class DailyUsageStream(WindowedZoomStream):
    """``GET /report/daily?year&month``: the account's daily usage, one row per day.

    Incremental on ``date``: a rerun asks for the bookmark's month onwards (one request when
    the bookmark is in the current month) and emits the days from the bookmark on, so the
    last day read, which may still have been in progress, is read again.
    """

    name = "daily_usage"
    path = "/report/daily"
    primary_keys = ("date",)
    replication_key = "date"
    records_jsonpath = "$.dates[*]"
    schema = schemas.DAILY_USAGE

    def fetch_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """One request per calendar month of the run (no pages), the next months fetched ahead."""
        yield from self.fetch_in_order(
            {"_year": month_start.year, "_month": month_start.month}
            for month_start, _ in calendar_months(*self.window_bounds(context))
        )

    def get_new_paginator(self) -> None:  # type: ignore[override]
        """A month is one response."""
        return

    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        """Only the days of the run's range (a month's answer covers the whole month).

        A row whose ``date`` is not a ``yyyy-mm-dd`` string is kept, as it came.
        """
        day = day_of(row.get("date"))
        if day is None:
            return row
        first, last = self.window_bounds(context)
        return row if first.isoformat() <= day <= last.isoformat() else None

    def get_url_params(self, context: Context | None, next_page_token: Any) -> dict[str, Any]:  # noqa: ARG002
        """The month asked for."""
        return {"year": (context or {})["_year"], "month": (context or {})["_month"]}
