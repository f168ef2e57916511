"""The Zoom tap: settings, the shared OAuth token, and the streams."""

from __future__ import annotations

from functools import cached_property

from singer_sdk import typing as th

from tap_common import RuntimeTap
from tap_common.settings import runtime_properties
from tap_zoom.auth import ZoomS2SAuthenticator
from tap_zoom.client import ZoomStream
from tap_zoom.streams import STREAM_TYPES

MAX_PAGE_SIZE = 300


class TapZoom(RuntimeTap):
    """Singer tap for the Zoom API v2 (Server-to-Server OAuth)."""

    name = "tap-zoom"

    config_jsonschema = th.PropertiesList(
        th.Property(
            "account_id",
            th.StringType(min_length=1),
            required=True,
            description="Account ID of the Server-to-Server OAuth app.",
        ),
        th.Property(
            "client_id",
            th.StringType(min_length=1),
            required=True,
            description="Client ID of the Server-to-Server OAuth app.",
        ),
        th.Property(
            "client_secret",
            th.StringType(min_length=1),
            required=True,
            secret=True,
            description="Client secret of the Server-to-Server OAuth app.",
        ),
        th.Property(
            "start_date",
            th.DateTimeType,
            required=True,
            description=(
                "Earliest meeting start to sync (ISO 8601). Reports and dashboards reach back "
                "about six months; earlier dates are clamped with a warning."
            ),
        ),
        th.Property(
            "end_date",
            th.DateTimeType,
            description="Last day to sync (ISO 8601). Default: now.",
        ),
        th.Property(
            "api_url",
            th.StringType,
            default="https://api.zoom.us/v2",
            description="Base URL of the Zoom API.",
        ),
        th.Property(
            "oauth_url",
            th.StringType,
            default="https://zoom.us/oauth/token",
            description="Zoom OAuth token endpoint.",
        ),
        th.Property(
            "user_statuses",
            th.ArrayType(th.StringType(allowed_values=["active", "inactive", "pending"])),
            default=["active", "inactive"],
            description=(
                "Which users to read (and whose meetings, webinars and recordings): Zoom's "
                "statuses active, inactive (deactivated) and pending."
            ),
        ),
        th.Property(
            "page_size",
            th.IntegerType(minimum=1, maximum=MAX_PAGE_SIZE),
            default=MAX_PAGE_SIZE,
            description="Records per page; Zoom allows at most 300.",
        ),
        *runtime_properties(requests_per_second=30),
    ).to_dict()

    @cached_property
    def authenticator(self) -> ZoomS2SAuthenticator:
        """One token for every stream of this tap."""
        return ZoomS2SAuthenticator(
            account_id=self.config["account_id"],
            client_id=self.config["client_id"],
            client_secret=self.config["client_secret"],
            oauth_url=self.config["oauth_url"],
            on_secret=self.redactor.add,
        )

    def discover_streams(self) -> list[ZoomStream]:
        """Every stream; discovery needs no request."""
        return [stream_type(tap=self) for stream_type in STREAM_TYPES]


if __name__ == "__main__":
    TapZoom.cli()
