"""The base stream for the Zoom API v2."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from singer_sdk.pagination import JSONPathPaginator

from tap_common import AuthFailure, ResilientRESTStream, SkippedResource, StreamUnavailable
from tap_common.dates import add_months, date_windows, parse_datetime, utcnow
from tap_zoom.records import normalise_timestamp, timestamp_or_none

if TYPE_CHECKING:
    import requests
    from singer_sdk.helpers.types import Context

    from tap_zoom.auth import ZoomS2SAuthenticator

#: Zoom keeps report and dashboard data for six calendar months.
REPORT_HISTORY_MONTHS = 6
#: Zoom error codes that mean "this one resource is gone or not allowed": skip it.
SKIP_CODES = {
    3001: "meeting does not exist or has expired",
    3161: "user is not licensed to host meetings or webinars",
    1001: "user does not exist",
}
#: Zoom error codes for a token without the needed scopes: stop the run.
SCOPE_CODES = {4700, 4711}
#: Zoom answers code 200 when the account's plan lacks a feature (e.g. the Dashboard).
PLAN_CODE = 200


def zoom_path_segment(value: object) -> str:
    """Percent-encode a path value; UUIDs starting with ``/`` or holding ``//`` twice."""
    text = str(value)
    once = quote(text, safe="")
    if text.startswith("/") or "//" in text:
        return quote(once, safe="")
    return once


class ZoomStream(ResilientRESTStream):
    """Base for every Zoom stream: bearer auth, ``next_page_token`` pages of up to 300."""

    records_jsonpath = "$.items[*]"
    #: Error codes that skip the resource for this stream, beyond ``SKIP_CODES``' defaults.
    skip_http_404: ClassVar[bool] = False
    #: Whether the account's plan lacking this endpoint (code 200) skips the stream.
    plan_gated: ClassVar[bool] = False
    #: A plan without the feature skips the stream; a missing scope stops the run (below).
    unavailable_is_fatal: ClassVar[bool] = False

    @property
    def url_base(self) -> str:
        """The API root from the ``api_url`` setting."""
        return str(self.config["api_url"]).rstrip("/")

    @property
    def authenticator(self) -> ZoomS2SAuthenticator:
        """The tap's one token holder."""
        return self.tap.authenticator  # type: ignore[attr-defined]

    def get_url(self, context: Context | None) -> str:
        """The URL with context values percent-encoded the way Zoom requires."""
        url = self.url_base + self.path
        for key, value in (context or {}).items():
            url = url.replace(f"{{{key}}}", zoom_path_segment(value))
        return url

    def get_new_paginator(self) -> JSONPathPaginator:
        """Zoom pages with an opaque ``next_page_token`` ("" on the last page)."""
        return JSONPathPaginator("$.next_page_token")

    def get_url_params(self, context: Context | None, next_page_token: Any) -> dict[str, Any]:  # noqa: ARG002
        """Largest page size, and the token of the next page."""
        params: dict[str, Any] = {"page_size": self.config["page_size"]}
        if next_page_token:
            params["next_page_token"] = next_page_token
        return params

    # --- errors --------------------------------------------------------------------------

    def classify_error(self, response: requests.Response) -> None:
        """Zoom's rules: skip gone resources, stop on scopes and credentials, retry the rest."""
        status = response.status_code
        if status < 400:
            return
        code, message = self.error_details(response)
        if code in SCOPE_CODES:
            msg = (
                f"Stream '{self.name}': the Zoom app lacks a scope for {self.path} "
                f"(code {code}: {message}). Add the scope to the Server-to-Server OAuth app, "
                "or deselect the stream."
            )
            raise AuthFailure(self.tap.redactor(msg))
        if code == PLAN_CODE and self.plan_gated:
            raise StreamUnavailable(f"the Zoom plan does not include {self.path}: {message}")
        if code in SKIP_CODES and status in {400, 404}:
            raise SkippedResource(f"Zoom code {code} ({SKIP_CODES[code]}): {message}")
        if status == 404 and self.skip_http_404:
            raise SkippedResource(f"HTTP 404: {message}")
        super().classify_error(response)

    # --- records -------------------------------------------------------------------------

    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        """Dates to RFC 3339 UTC; parent keys from the context.

        A date that does not parse stays as it came (the schema guard places it). A parent
        key fills a field the API left out or null, never one the API filled.
        """
        for key in self.datetime_fields:
            if key in row:
                row[key] = normalise_timestamp(row[key])
        for key, value in (context or {}).items():
            if key in self.parent_keys and row.get(key) is None:
                row[key] = value
        return row

    #: Fields converted to RFC 3339.
    datetime_fields: ClassVar[tuple[str, ...]] = ()
    #: Context keys copied into each record.
    parent_keys: ClassVar[tuple[str, ...]] = ()


class WindowedZoomStream(ZoomStream):
    """A stream whose endpoint takes ``from``/``to`` dates spanning at most one month.

    The run walks consecutive windows from the later of ``start_date`` and the bookmark to
    ``end_date`` (default today). Incremental streams drop records that start before the
    bookmark, so a second run emits only what is new.
    """

    #: Whether Zoom limits the endpoint to the last six months (reports and dashboards).
    six_month_history: ClassVar[bool] = True
    #: Extra query parameters (``type=past``...).
    extra_params: ClassVar[dict[str, str]] = {}

    def window_bounds(self, context: Context | None) -> tuple[date, date]:  # noqa: ARG002
        """First and last day to request for this run."""
        end_setting = self.config.get("end_date")
        end = parse_datetime(end_setting) if end_setting else utcnow()
        start = self.run_lower_bound
        if self.six_month_history:
            today = utcnow().date()
            earliest = parse_datetime(add_months(today, -REPORT_HISTORY_MONTHS) + timedelta(days=1))
            assert earliest is not None  # noqa: S101
            if start < earliest:
                self.logger.warning(
                    "Stream '%s': Zoom keeps about six months of data; starting at %s instead "
                    "of %s.",
                    self.name,
                    earliest.date(),
                    start.date(),
                )
                start = earliest
        return start.date(), end.date()

    @cached_property
    def run_lower_bound(self) -> datetime:
        """The later of ``start_date`` and the bookmark the run started with.

        Read from the state as it was loaded, not from the SDK's per-context starting value:
        child contexts are prefetched before the SDK starts their sync, and the bookmark does
        not move until the run ends (these streams are not sorted).
        """
        start = parse_datetime(self.config["start_date"])
        assert start is not None  # noqa: S101 - start_date is required and checked
        if not self.replication_key:
            return start
        bookmark = self.tap.state.get("bookmarks", {}).get(self.name, {})
        value = parse_datetime(bookmark.get("replication_key_value"))
        return max(start, value) if value else start

    def windows(self, context: Context | None) -> Iterator[tuple[date, date]]:
        """The month (or shorter) windows of this run."""
        start, end = self.window_bounds(context)
        return date_windows(start, end, months=1)

    def fetch_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """Every page of every window, the next windows fetched ahead (output in order)."""
        yield from self.fetch_in_order(
            {**(context or {}), "_from": window_from.isoformat(), "_to": window_to.isoformat()}
            for window_from, window_to in self.windows(context)
        )

    def get_url_params(self, context: Context | None, next_page_token: Any) -> dict[str, Any]:
        """Page params plus the window's ``from``/``to`` as ``yyyy-mm-dd``."""
        params = super().get_url_params(context, next_page_token)
        params.update(self.extra_params)
        if context and "_from" in context:
            params["from"] = context["_from"]
            params["to"] = context["_to"]
        return params

    def get_url(self, context: Context | None) -> str:
        """Window keys are query parameters, not path values."""
        path_context = {k: v for k, v in (context or {}).items() if not k.startswith("_")}
        return super().get_url(path_context)

    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        """Drop records that started before the bookmark (re-sent by a window's first day).

        A record whose start does not parse is kept, as it came.
        """
        row = super().post_process(row, context)
        if row is None or not self.replication_key:
            return row
        value = timestamp_or_none(row.get(self.replication_key))
        if value is not None and value < self.run_lower_bound:
            return None
        return row
