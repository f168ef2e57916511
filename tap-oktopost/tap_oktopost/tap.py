"""The Oktopost tap: settings, the connection check, the export registry and the streams."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from singer_sdk import typing as th

from tap_common import RuntimeTap
from tap_common.governor import BudgetSpec
from tap_common.settings import runtime_properties
from tap_oktopost.bi.registry import ExportRegistry
from tap_oktopost.client import MeProbe
from tap_oktopost.streams import (
    STATIC_STREAM_NAMES,
    STATIC_STREAM_TYPES,
    BiFileStream,
    bi_file_schema,
    bi_file_stream_type,
)

REGION_URLS = {
    "us": "https://api.oktopost.com/v2",
    "eu": "https://eu-api.oktopost.com/v2",
}
PAGE_SIZES = [25, 50, 100]
#: 60 calls a minute and 120 per 5 s are the limits; crossing one blocks the account 15 min.
#: The governor keeps every window of a minute (and of 5 s) within them, never probing.
DEFAULT_REQUESTS_PER_SECOND = 1
BURST_LIMIT = (120, 5.0)
#: A 429 may mean the 15-minute block: wait up to an hour rather than fail.
DEFAULT_MAX_RETRY_AFTER = 3600


def _runtime_properties() -> list[th.Property]:
    props = runtime_properties(
        requests_per_second=DEFAULT_REQUESTS_PER_SECOND, max_concurrent_requests=2
    )
    for prop in props:
        if prop.name == "max_retry_after":
            prop.default = DEFAULT_MAX_RETRY_AFTER
        if prop.name == "requests_per_second":
            prop.description = (
                "The request budget per second across all threads (1 = Oktopost's documented "
                "60 calls a minute); the tap keeps every minute and every 5 seconds within "
                "Oktopost's limits and never probes them, since crossing one blocks the "
                "account for 15 minutes. 0 means no limit."
            )
    return props


def _id_in(value: Any) -> Any:
    """``value["Id"]`` when ``value`` is an object, else ``None``."""
    return value.get("Id") if isinstance(value, Mapping) else None


class TapOktopost(RuntimeTap):
    """Singer tap for the Oktopost API v2 (HTTP Basic: account id and API key)."""

    name = "tap-oktopost"
    dynamic_catalog = True

    config_jsonschema = th.PropertiesList(
        th.Property(
            "account_id",
            th.StringType(min_length=1),
            required=True,
            description="Oktopost account ID (the Basic auth user name).",
        ),
        th.Property(
            "api_key",
            th.StringType(min_length=1),
            required=True,
            secret=True,
            description="Oktopost API key (the Basic auth password).",
        ),
        th.Property(
            "region",
            th.StringType,
            default="us",
            allowed_values=list(REGION_URLS),
            description="Data center of the account: us (api.oktopost.com) or eu.",
        ),
        th.Property(
            "api_url",
            th.StringType,
            description="Base URL of the API; overrides region (e.g. a proxy or a test server).",
        ),
        th.Property(
            "start_date",
            th.DateTimeType,
            description=(
                "Earliest click (Created) and earliest BI-export run (LastRunDate) to sync. "
                "Default: everything."
            ),
        ),
        th.Property(
            "bi_export_ids",
            th.ArrayType(th.StringType(min_length=1)),
            description=(
                "Read only these BI exports (active or not). Default: every active export."
            ),
        ),
        th.Property(
            "page_size",
            th.IntegerType,
            default=100,
            allowed_values=PAGE_SIZES,
            description="Records per page: 25, 50 or 100 (clicks use 200 with 100).",
        ),
        th.Property(
            "requests_per_minute",
            th.IntegerType(minimum=0),
            description=(
                "The request cap per minute; overrides requests_per_second when set (an integer, "
                "which Meltano passes through environment variables intact). 0 means no cap."
            ),
        ),
        *_runtime_properties(),
    ).to_dict()

    @property
    def api_url(self) -> str:
        """``api_url`` if set, else the region's base URL."""
        url = self.config.get("api_url") or REGION_URLS[self.config.get("region") or "us"]
        return str(url).rstrip("/")

    @property
    def run_started(self) -> datetime:
        """When this run began (UTC, whole seconds).

        The ``before`` bound of every request that takes one: a run reads a closed window,
        and the next run starts at its bookmark.
        """
        return datetime.fromtimestamp(self.initialized_at // 1000, tz=timezone.utc)

    def requests_per_second(self) -> float:
        """``requests_per_minute`` / 60 when that is set, else ``requests_per_second``."""
        per_minute = self.config.get("requests_per_minute")
        return int(per_minute) / 60 if per_minute is not None else super().requests_per_second()

    def rate_budgets(self) -> tuple[list[BudgetSpec], list[tuple[str, str]]]:
        """One fixed budget: the configured calls a minute and Oktopost's 120 per 5 seconds."""
        per_minute = self.requests_per_second() * 60
        if per_minute <= 0:
            return [BudgetSpec("Oktopost")], []
        return [BudgetSpec("Oktopost", per_minute, per=60, also=(BURST_LIMIT,))], []

    @property
    def registry(self) -> ExportRegistry:
        """The run's BI exports, details and downloaded files."""
        if not hasattr(self, "_registry"):
            self._registry = ExportRegistry(self)
        return self._registry

    # --- streams -------------------------------------------------------------------------

    def discover_streams(self) -> list[Any]:
        """The fixed streams, and one ``bi_*`` stream per CSV file of the exports.

        With a catalog, the ``bi_*`` streams come from it (no download). Without one, the
        exports' last files are downloaded (streamed to disk) and read to find the CSVs
        and infer their column types.
        """
        streams: list[Any] = [stream_type(tap=self) for stream_type in STATIC_STREAM_TYPES]
        for name, schema in self._bi_schemas().items():
            streams.append(bi_file_stream_type(name)(tap=self, schema=schema))
        return streams

    def _bi_schemas(self) -> dict[str, dict]:
        catalog = self.input_catalog
        if catalog is not None:
            return {
                entry.tap_stream_id: entry.schema.to_dict()
                for entry in catalog.streams
                if entry.tap_stream_id.startswith("bi_")
                and entry.tap_stream_id not in STATIC_STREAM_NAMES
            }
        inferred = self.registry.discover()
        return {name: bi_file_schema(found.columns) for name, found in sorted(inferred.items())}

    # --- connection check ----------------------------------------------------------------

    def check_connection(self) -> dict[str, Any]:
        """``GET /me`` (throttled, retried): the API user and account; 401 stops the run."""
        records = list(MeProbe(tap=self).request_records(None))
        return dict(records[0]) if records and isinstance(records[0], Mapping) else {}

    def sync_all(self) -> None:
        """Check the credentials on ``/me``, sync, then remove downloaded files."""
        try:
            me = self.check_connection()
            self.logger.info(
                "Connected to Oktopost account %s as user %s.",
                _id_in(me.get("Account")),
                _id_in(me.get("User")),
            )
            super().sync_all()
        finally:
            self.registry.close()


__all__ = ["BiFileStream", "TapOktopost"]

if __name__ == "__main__":
    TapOktopost.cli()
