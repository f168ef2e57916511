"""The base stream for the MTS Link UserAPI v3, driven by a ``StreamSpec``."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, ClassVar

from singer_sdk.pagination import JSONPathPaginator, OffsetPaginator, PageNumberPaginator

from tap_common import AuthFailure, ResilientRESTStream, SkippedResource, StreamUnavailable
from tap_common.dates import iso_duration_seconds, parse_datetime, to_rfc3339, utcnow

if TYPE_CHECKING:
    import requests
    from singer_sdk.helpers.types import Context
    from singer_sdk.pagination import BaseAPIPaginator

    from tap_mtslink.specs import StreamSpec

#: The platform's time zone: naive dates in responses, and ``from``/``to`` we send, are Moscow time.
MOSCOW = timezone(timedelta(hours=3))
#: Schedules list planned sessions: without ``end_date`` they are read up to a year ahead.
SCHEDULE_HORIZON = timedelta(days=365)
STATUSES = ("ACTIVE", "START", "STOP")
#: ``chat`` returns the last 100 messages unless asked for more (no documented maximum).
CHAT_LIMIT = 10000


# --- records as the schema says ---


def _types(schema: Mapping[str, Any]) -> set[str]:
    kind = schema.get("type", [])
    return {kind} if isinstance(kind, str) else set(kind)


def conform(value: Any, schema: Mapping[str, Any]) -> Any:  # noqa: PLR0911 - one rule per case
    """Normalise one value to its schema: the API's date, flag, duration and ``[]`` quirks.

    * ``date-time`` fields: ``+0300`` offsets, naive Moscow times, epoch seconds or
      milliseconds become RFC 3339 UTC strings;
    * objects the PHP backend sends as ``[]`` when empty become ``null``;
    * integer or number fields given as strings: digits, or ISO 8601 durations (``PT1H30M0S``)
      in seconds;
    * boolean fields given as 0/1 become booleans.
    """
    if value is None:
        return None
    types = _types(schema)
    if schema.get("format") == "date-time":
        try:
            return to_rfc3339(value, naive_tz=MOSCOW)
        except (TypeError, ValueError, OverflowError):
            return None
    if "object" in types and isinstance(value, list):
        return value if value else None
    if isinstance(value, Mapping):
        props = schema.get("properties", {})
        return {k: conform(v, props[k]) if k in props else v for k, v in value.items()}
    if isinstance(value, list):
        items = schema.get("items")
        return [conform(v, items) for v in value] if items else value
    if "boolean" in types and isinstance(value, int) and not isinstance(value, bool):
        return bool(value)
    if types & {"integer", "number"} and isinstance(value, str):
        return _number(value, integer="integer" in types)
    if "string" in types and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def _number(text: str, *, integer: bool) -> int | float | None:
    stripped = text.strip()
    if not stripped:
        return None
    try:
        number = float(stripped)
    except ValueError:
        try:
            number = iso_duration_seconds(stripped) or 0.0
        except ValueError:
            return None
    return int(number) if integer else number


def unwrap_items(body: Any) -> list[dict[str, Any]]:
    """Records from any list envelope: ``[...]``, ``{data: [...]}``, ``{data: {items}}``..."""
    if isinstance(body, list):
        return body
    if isinstance(body, Mapping):
        for key in ("data", "items"):
            inner = body.get(key)
            if isinstance(inner, list):
                return inner
            if isinstance(inner, Mapping):
                return unwrap_items(inner)
    return []


def unwrap_object(body: Any) -> list[dict[str, Any]]:
    """The one record of an object endpoint (bare, or wrapped in ``{data: {...}}``)."""
    if isinstance(body, Mapping):
        inner = body.get("data")
        if isinstance(inner, Mapping) and len(body) == 1:
            return [dict(inner)]
        return [dict(body)]
    return []


# --- paginators ---


class _Counted:
    """A paginator mixin: more pages while the last one was full."""

    def __init__(self, stream: MtsLinkStream, page_size: int, *args: Any) -> None:
        super().__init__(*args)  # type: ignore[call-arg]
        self._stream = stream
        self._page_size = page_size

    def has_more(self, response: requests.Response) -> bool:
        """There is no total: a short page is the last one."""
        return len(self._stream.extract(response)) >= self._page_size


class ShortPagePaginator(_Counted, PageNumberPaginator):
    """``page`` = 1, 2, ... until a page holds fewer than ``perPage`` items."""


class ShortOffsetPaginator(_Counted, OffsetPaginator):
    """``offset`` += ``limit`` until a page holds fewer than ``limit`` items."""


# --- the base stream ---


class MtsLinkStream(ResilientRESTStream):
    """One MTS Link endpoint, described by ``spec``; the factory sets the SDK attributes."""

    spec: ClassVar[StreamSpec]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._seen_lock = threading.Lock()
        self._seen: set[tuple[Any, ...]] = set()
        #: "Now" for the whole run, so every page of a window asks the same ``to``.
        self._run_started = utcnow()

    @property
    def url_base(self) -> str:
        """The API root from the ``api_url`` setting."""
        return str(self.config["api_url"]).rstrip("/")

    @property
    def http_headers(self) -> dict[str, str]:
        """The key travels as ``x-auth-token`` on every request."""
        return {
            **super().http_headers,
            "x-auth-token": str(self.config["api_token"]),
            "Accept": "application/json",
        }

    @property
    def unavailable_is_fatal(self) -> bool:  # type: ignore[override]
        """A 403 fails the run only with ``strict_mode``."""
        return bool(self.config.get("strict_mode", False))

    # --- requests --------------------------------------------------------------------------

    def get_new_paginator(self) -> BaseAPIPaginator | None:
        """The spec's pagination style."""
        style, size = self.spec.pagination, self.spec.page_size
        if style == "page":
            return ShortPagePaginator(self, size, 1)
        if style == "offset":
            return ShortOffsetPaginator(self, size, 0, size)
        if style == "cursor":
            return JSONPathPaginator("$.data.nextPageCursor")
        return None

    def get_url_params(self, context: Context | None, next_page_token: Any) -> dict[str, Any]:
        """Paging, the date window, status filters and the spec's fixed parameters."""
        spec = self.spec
        params: dict[str, Any] = dict(spec.params)
        if spec.pagination == "page":
            params.update(page=next_page_token or 1, perPage=spec.page_size)
        elif spec.pagination == "offset":
            params.update(offset=next_page_token or 0, limit=spec.page_size)
        elif spec.pagination == "cursor":
            params["perPage"] = spec.page_size
            if next_page_token:
                params["cursor"] = next_page_token
        if spec.all_statuses:
            params.update({f"status[{i}]": status for i, status in enumerate(STATUSES)})
        if spec.window != "none":
            start, end = self.window_bounds(context)
            params["from"] = start.astimezone(MOSCOW).strftime("%Y-%m-%d %H:%M:%S")
            params["to"] = end.astimezone(MOSCOW).strftime("%Y-%m-%d %H:%M:%S")
        return params

    def window_bounds(self, context: Context | None) -> tuple[datetime, datetime]:
        """``from``/``to`` for this run.

        ``from``: ``start_date``, or for incremental streams the bookmark minus
        ``lookback_days`` (sessions gain participants, chat and records after they start).
        ``to``: ``end_date``, else a year ahead for schedules (planned sessions), else now.
        """
        configured = parse_datetime(self.config["start_date"])
        assert configured is not None  # noqa: S101 - start_date is required and checked
        start = configured
        if self.replication_key:
            bookmark = self.get_starting_timestamp(context)
            if bookmark is not None and bookmark > configured:
                lookback = timedelta(days=float(self.config.get("lookback_days", 0)))
                start = max(configured, bookmark - lookback)
        end_setting = self.config.get("end_date")
        if end_setting:
            end = parse_datetime(end_setting)
        elif self.spec.window == "schedule":
            end = self._run_started + SCHEDULE_HORIZON
        else:
            end = self._run_started
        assert end is not None  # noqa: S101
        return start, end

    # --- responses -------------------------------------------------------------------------

    def extract(self, response: requests.Response) -> list[dict[str, Any]]:
        """The raw items of one response, before flattening and narrowing."""
        body = response.json()
        if self.spec.envelope in {"object", "data.object"}:
            return unwrap_object(body)
        return unwrap_items(body)

    def parse_response(self, response: requests.Response) -> Iterable[dict[str, Any]]:
        """Unwrap, flatten (``file`` wrappers, sessions of a schedule row), narrow by ids."""
        for item in self.extract(response):
            for row in self._flatten(item):
                if self._wanted(row) and self._first_time(row):
                    yield row

    def _first_time(self, row: Mapping[str, Any]) -> bool:
        if not self.spec.dedupe:
            return True
        key = tuple(row.get(k) for k in self.primary_keys or ())
        with self._seen_lock:
            if key in self._seen:
                return False
            self._seen.add(key)
        return True

    def _flatten(self, item: dict[str, Any]) -> Iterator[dict[str, Any]]:
        if self.spec.envelope == "file-wrappers" and isinstance(item.get("file"), Mapping):
            wrapper = {k: v for k, v in item.items() if k != "file"}
            yield {**item["file"], **wrapper}
        elif self.spec.explode:
            parent = {k: v for k, v in item.items() if k != self.spec.explode}
            for child in item.get(self.spec.explode) or []:
                yield {**parent, **child, "eventId": child.get("eventId") or item.get("id")}
        else:
            yield item

    def _wanted(self, row: Mapping[str, Any]) -> bool:
        for setting, field_name in self.spec.narrow:
            wanted = self.config.get(setting)
            if wanted and row.get(field_name) not in set(wanted):
                return False
        return True

    def generate_child_contexts(
        self, record: dict, context: Context | None
    ) -> Iterable[dict[str, Any] | None]:
        """The spec's contexts for the children, computed from the raw record."""
        if self.spec.child_contexts is None:
            return []
        return list(self.spec.child_contexts(record, context))

    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        """Conform to the schema (dates, flags, ``[]``); parent keys from the context."""
        properties = self.schema["properties"]
        for key, value in (context or {}).items():
            if key in properties and row.get(key) is None:
                row[key] = value
        if self.replication_key:
            # An item without its date must not stop the run (the SDK indexes the key).
            row.setdefault(self.replication_key, None)
        return conform(row, self.schema)

    # --- errors ----------------------------------------------------------------------------

    def classify_error(self, response: requests.Response) -> None:
        """401 stops, 403 makes the stream unavailable, 404 on a child skips the resource."""
        status = response.status_code
        if status < 400:
            return
        _code, message = self.error_details(response)
        message = self.tap.redactor(message)
        if status == 401:
            msg = (
                f"MTS Link rejected the API key (HTTP 401: {message}) on stream '{self.name}'. "
                "Check the 'api_token' setting (a key from Business -> API/Webhooks)."
            )
            raise AuthFailure(msg)
        if status == 403:
            reason = (
                f"stream '{self.name}' is not available to this API key: HTTP 403 on "
                f"{self.spec.path} ({message}). The key lacks the '{self.spec.scope}' access "
                "scope (or the endpoint needs OAuth); grant it or deselect the stream."
            )
            raise StreamUnavailable(reason)
        if status in self.spec.empty_statuses:
            raise SkippedResource(f"HTTP {status} (no data): {message}")
        if status == 404 and self.parent_stream_type is not None:
            raise SkippedResource(f"HTTP 404: {message}")
        super().classify_error(response)
