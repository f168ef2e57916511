"""The MTS Link tap: settings and the streams."""

from __future__ import annotations

from singer_sdk import typing as th

from tap_common import RuntimeTap
from tap_common.settings import ADAPTIVE_CEILING, runtime_properties
from tap_mtslink.client import MtsLinkStream
from tap_mtslink.streams import STREAM_TYPES

#: Days re-read before an incremental bookmark by default.
DEFAULT_LOOKBACK_DAYS = 3
#: Settings that narrow a run to some ids, as the old scripts' command-line ids did.
ID_SETTINGS = {
    "event_ids": (
        "Only these events (series) and what they hold: sessions and their children. The "
        "events must have sessions within start_date..end_date."
    ),
    "event_session_ids": (
        "Only these event sessions and their children (sessions within start_date..end_date)."
    ),
    "user_ids": "Only these organisation members and their schedules and statistics.",
    "course_ids": "Only these courses and their groups.",
    "test_ids": "Only these tests and their results.",
}


def _id_list(name: str, description: str) -> th.Property:
    return th.Property(
        name,
        th.ArrayType(th.IntegerType(minimum=1)),
        description=(f"{description} Unset means all."),
    )


class TapMtsLink(RuntimeTap):
    """Singer tap for the MTS Link UserAPI v3 (API key in ``x-auth-token``)."""

    name = "tap-mtslink"

    config_jsonschema = th.PropertiesList(
        th.Property(
            "api_token",
            th.StringType(min_length=1),
            required=True,
            secret=True,
            description=(
                "UserAPI key (Business -> API/Webhooks), sent as the x-auth-token header. "
                "Its access scopes decide which streams it can read."
            ),
        ),
        th.Property(
            "api_url",
            th.StringType,
            default="https://userapi.mts-link.ru/v3",
            description=(
                "Base URL of the UserAPI (the legacy https://userapi.webinar.ru/v3 has the "
                "same paths)."
            ),
        ),
        th.Property(
            "start_date",
            th.DateTimeType,
            required=True,
            description=(
                "Earliest date to sync (ISO 8601): sent as 'from' to the schedule, records, "
                "statistics and endless-meeting activity; incremental streams go on from "
                "their bookmark."
            ),
        ),
        th.Property(
            "end_date",
            th.DateTimeType,
            description=(
                "Latest date to sync (ISO 8601). Default: a year ahead for schedules "
                "(planned sessions), now for everything else."
            ),
        ),
        *(_id_list(name, description) for name, description in ID_SETTINGS.items()),
        th.Property(
            "lookback_days",
            th.NumberType(minimum=0),
            default=DEFAULT_LOOKBACK_DAYS,
            description=(
                "Incremental streams start this many days before their bookmark, so sessions "
                "that were running or planned at the last run are read again (participants, "
                "chat and records arrive after a session starts)."
            ),
        ),
        th.Property(
            "strict_mode",
            th.BooleanType,
            default=False,
            description=(
                "Fail the run when the key may not read a selected stream (HTTP 403). "
                "Default: log it, skip the stream, go on, and list it in the run summary."
            ),
        ),
        *runtime_properties(requests_per_second=ADAPTIVE_CEILING),
    ).to_dict()

    def discover_streams(self) -> list[MtsLinkStream]:
        """Every stream; discovery needs no request."""
        return [stream_type(tap=self) for stream_type in STREAM_TYPES]


if __name__ == "__main__":
    TapMtsLink.cli()
