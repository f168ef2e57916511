"""Zoom streams, grouped by API domain."""

from __future__ import annotations

from tap_zoom.streams.dashboards import (
    DashboardMeetingParticipantsStream,
    DashboardMeetingsStream,
    DashboardWebinarsStream,
)
from tap_zoom.streams.reports import (
    ActiveHostsStream,
    DailyUsageStream,
    MeetingParticipantsStream,
    PastMeetingsStream,
    WebinarParticipantsStream,
)
from tap_zoom.streams.users import (
    MeetingsStream,
    RecordingsStream,
    UsersStream,
    WebinarsStream,
)

STREAM_TYPES = [
    UsersStream,
    MeetingsStream,
    WebinarsStream,
    RecordingsStream,
    ActiveHostsStream,
    PastMeetingsStream,
    MeetingParticipantsStream,
    DailyUsageStream,
    DashboardMeetingsStream,
    DashboardMeetingParticipantsStream,
    DashboardWebinarsStream,
    WebinarParticipantsStream,
]

__all__ = ["STREAM_TYPES"]
