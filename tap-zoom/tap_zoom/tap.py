"""The Zoom tap: settings, the shared OAuth token, and the streams."""

from __future__ import annotations

from functools import cached_property

from singer_sdk import typing as th

from tap_common import RuntimeTap
from tap_common.governor import BudgetSpec
from tap_common.settings import runtime_properties
from tap_zoom import rate_limits
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
        th.Property(
            "rate_plan",
            th.StringType(allowed_values=list(rate_limits.PLAN_NAMES)),
            default="pro",
            description=(
                "The account's Zoom plan, which sets the rate limit of each endpoint category "
                "(Light, Medium, Heavy, Resource-intensive): free, pro (30, 20, 10 a second, 10 "
                "a minute), business, business_plus, enterprise, education (80, 60, 40 a second, "
                "20 a minute). The limits are per account and shared by every app of it."
            ),
        ),
        th.Property(
            "rate_limits",
            th.ObjectType(
                *(th.Property(c, th.NumberType(minimum=0)) for c in rate_limits.CATEGORIES),
                additional_properties=False,
            ),
            description=(
                'Override single category limits of the plan, e.g. {"Heavy": 5} to leave '
                "room for other apps of the account: requests a second (Resource-intensive: a "
                "minute); 0 lifts a category's limit."
            ),
        ),
        *runtime_properties(requests_per_second=None),
    ).to_dict()

    def rate_budgets(self) -> tuple[list[BudgetSpec], list[tuple[str, str]]]:
        """One budget per Zoom rate-limit category, at the plan's rates; rules by endpoint."""
        plan = str(self.config.get("rate_plan") or "pro")
        return (
            rate_limits.budgets(plan, self.config.get("rate_limits")),
            list(rate_limits.ENDPOINT_CATEGORIES),
        )

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
