"""The base stream for the MTS Link UserAPI v3, driven by a ``StreamSpec``."""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, ClassVar

from singer_sdk.pagination import JSONPathPaginator, OffsetPaginator, PageNumberPaginator

from tap_common import AuthFailure, ResilientRESTStream, SkippedResource, StreamUnavailable
from tap_common.dates import iso_duration_seconds, parse_datetime, to_rfc3339, utcnow
from tap_mtslink.specs import NOT_STARTED, NoChildId

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
#: Smallest number read as an epoch date (1973-03-03 in seconds): smaller ones are not dates.
EPOCH_FLOOR = 10**8


# --- records as the schema says ---

_JSON_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (Mapping, "object"),
    (list, "array"),
)


def _types(schema: Mapping[str, Any]) -> set[str]:
    kind = schema.get("type", [])
    return {kind} if isinstance(kind, str) else set(kind)


def _json_kind(value: Any) -> str:
    for python_type, name in _JSON_KINDS:
        if isinstance(value, python_type):
            return name
    return type(value).__name__


def _fits(value: Any, types: set[str]) -> bool:
    kind = _json_kind(value)
    return kind in types or (kind == "integer" and "number" in types)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def conform(value: Any, schema: Mapping[str, Any]) -> Any:  # noqa: PLR0911
    """Normalise one value to its schema: the API's date, flag, duration and ``[]`` quirks.

    * ``date-time`` fields: ``+0300`` offsets, naive Moscow times, epoch seconds or
      milliseconds become RFC 3339 UTC strings; blank and zero dates become null;
    * ``[]`` becomes ``null`` in every property declared an object (and not also a list), at
      any depth: the PHP backend sends an empty object as ``[]``;
    * integer or number fields given as strings: numbers, or ISO 8601 durations
      (``PT1H30M0S``) in seconds; blank strings become null;
    * boolean fields given as 0/1 (or ``"0"``/``"1"``) become booleans; numbers become
      strings in string fields.

    Never raises, and never drops a value: one of an unexpected type, or one it cannot read
    (``"garbage"`` in a date, ``{"a": 1}`` in an integer, JSON text in an object), is
    returned exactly as it came, for the schema guard to parse or set aside in its variant
    column. A value that already fits a declared type is left alone (any-JSON fields are
    never touched).
    """
    if value is None:
        return None
    types = _types(schema)
    if schema.get("format") == "date-time" and "string" in types:
        return _datetime(value)
    if isinstance(value, Mapping):
        if "object" not in types:
            return value
        props = schema.get("properties") or {}
        return {k: conform(v, props[k]) if k in props else v for k, v in value.items()}
    if isinstance(value, list):
        if "array" in types:
            items = schema.get("items")
            return [conform(v, items) for v in value] if isinstance(items, Mapping) else value
        if "object" in types and not value:
            return None  # PHP's empty associative array
        return value
    return _scalar(value, types)


def _scalar(value: Any, types: set[str]) -> Any:  # noqa: PLR0911 - one rule per case
    """A string, number or boolean conformed to ``types``, or as it came."""
    if _fits(value, types):
        if isinstance(value, float) and "integer" in types and "number" not in types:
            return int(value) if value.is_integer() else value
        return value
    if _blank(value) and not types & {"string", "object", "array"}:
        return None  # an empty string where a flag or a number belongs: no value
    if "boolean" in types and value in (0, 1, "0", "1"):
        return value in (1, "1")
    if types & {"integer", "number"} and isinstance(value, str):
        return _number(value, integer="number" not in types)
    if "integer" in types and isinstance(value, float) and value.is_integer():
        return int(value)
    if "string" in types and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def _datetime(value: Any) -> Any:
    """RFC 3339 UTC, null for a blank or zero date, else the value as it came.

    A number (or digits) is read as epoch seconds or milliseconds only from 1973 on: ``2025``
    or ``20250603`` is not a 1970 timestamp.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return value
    digits = isinstance(value, str) and value.strip().isascii() and value.strip().isdigit()
    if (digits or not isinstance(value, str)) and 0 < abs(float(value)) < EPOCH_FLOOR:
        return value
    try:
        return to_rfc3339(value, naive_tz=MOSCOW)
    except (TypeError, ValueError, OverflowError, OSError):
        return value


def _number(text: str, *, integer: bool) -> Any:
    """A number or ISO 8601 duration in seconds; null if blank; else ``text`` as it came."""
    stripped = text.strip()
    if not stripped:
        return None
    try:
        number = float(stripped)
    except ValueError:
        try:
            number = iso_duration_seconds(stripped)
        except ValueError:
            return text
        if number is None:
            return text
    if not math.isfinite(number):
        return text
    if integer:
        return int(number) if number.is_integer() else text
    return int(number) if number.is_integer() and "." not in stripped else number


def php_list(value: Any) -> list[Any] | None:
    """``value`` as a list if it is one, else None.

    A JSON list, or the object PHP makes of an array whose keys are not 0..n-1
    (``{"0": {...}, "3": {...}}``).
    """
    if isinstance(value, list):
        return value
    if isinstance(value, Mapping) and value and all(str(k).isdigit() for k in value):
        return list(value.values())
    return None


def unwrap_items(body: Any) -> list[Any]:
    """Items from any list envelope: ``[...]``, ``{data: [...]}``, ``{data: {items}}``...

    The items are returned as they came (the caller sets aside those that are not objects).
    """
    items = php_list(body)
    if items is not None:
        return items
    if isinstance(body, Mapping):
        for key in ("data", "items"):
            inner = body.get(key)
            items = php_list(inner)
            if items is not None:
                return items
            if isinstance(inner, Mapping):
                return unwrap_items(inner)
    return []


def unwrap_object(body: Any) -> list[Any]:
    """The one record of an object endpoint (bare, or wrapped in ``{data: {...}}``).

    ``[]`` (PHP's empty object) is no record; a list of objects is taken as it is.
    """
    if isinstance(body, Mapping):
        if set(body) == {"data"}:
            inner = body["data"]
            if isinstance(inner, Mapping):
                return [dict(inner)]
            return list(inner) if isinstance(inner, list) else []
        return [dict(body)]
    if isinstance(body, list):
        return body
    return []


def id_text(value: Any) -> str:
    """An id as text: ``123``, ``"123"`` and ``123.0`` compare equal; objects do not raise."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        return str(value).strip()
    return json.dumps(value, sort_keys=True, default=str)


def parsed_json_text(value: Any) -> Any:
    """``value``, or what it holds if it is JSON text of an object or a list."""
    if isinstance(value, str) and value.strip()[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


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
    #: Top-level lists are independent: the next ones are read while one is written.
    read_ahead: ClassVar[bool] = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._seen_lock = threading.Lock()
        self._seen: set[str] = set()
        self._no_child_id: set[str] = set()
        #: Parents whose list this stream did not request: they had not started.
        self.not_started_parents = 0
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

    def extract(self, response: requests.Response) -> list[Any]:
        """The raw items of one response, before flattening and narrowing."""
        if not response.content.strip():
            return []  # an empty body: nothing (PHP answers some empty results so)
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

    def set_aside(self, what: str, value: Any) -> None:
        """Log and count an item that cannot be a record (not an object): never silently."""
        shown = json.dumps(value, default=str, ensure_ascii=False)[:200]
        detail = f"{what} is {type(value).__name__}, not an object: {shown}"
        self.logger.warning("Stream '%s': %s; set aside", self.name, detail)
        self.runtime.ledger.add(self.name, "item that is not an object", detail)

    def _first_time(self, row: Mapping[str, Any]) -> bool:
        if not self.spec.dedupe:
            return True
        key = json.dumps([row.get(k) for k in self.primary_keys or ()], default=str)
        with self._seen_lock:
            if key in self._seen:
                return False
            self._seen.add(key)
        return True

    def _flatten(self, item: Any) -> Iterator[dict[str, Any]]:
        if not isinstance(item, Mapping):
            self.set_aside("an item of the response", item)
            return
        item = dict(item)
        spec = self.spec
        if spec.envelope == "file-wrappers" and "file" in item:
            inner = parsed_json_text(item["file"])
            if isinstance(inner, Mapping):
                wrapper = {k: v for k, v in item.items() if k != "file"}
                yield {**inner, **wrapper}
                return
            if _blank(item.get("id")):
                self.set_aside("the 'file' of a file wrapper", item["file"])
                return
        if spec.explode:
            parent = {k: v for k, v in item.items() if k != spec.explode}
            children = parsed_json_text(item.get(spec.explode))
            if isinstance(children, Mapping) and "id" in children:
                children = [children]  # one session where a list was expected
            for child in php_list(children) or []:
                if not isinstance(child, Mapping):
                    self.set_aside(f"an item of '{spec.explode}'", child)
                    continue
                event_id = child.get("eventId")
                yield {
                    **parent,
                    **child,
                    "eventId": item.get("id") if _blank(event_id) else event_id,
                }
            return
        yield item

    def _wanted(self, row: Mapping[str, Any]) -> bool:
        for setting, field_name in self.spec.narrow:
            wanted = self.config.get(setting)
            if wanted and id_text(row.get(field_name)) not in {id_text(w) for w in wanted}:
                return False
        return True

    def generate_child_contexts(
        self, record: dict, context: Context | None
    ) -> Iterable[dict[str, Any] | None]:
        """The spec's contexts for the children, computed from the raw record.

        An id that cannot address a child (blank, an object...) is logged and counted once per
        record; the record itself is still written.
        """
        if self.spec.child_contexts is None:
            return []
        not_started = self.spec.not_started is not None and self.spec.not_started(
            record, self._run_started
        )
        contexts: list[dict[str, Any] | None] = []
        for found in self.spec.child_contexts(record, context):
            if isinstance(found, NoChildId):
                self._no_child_id_found(record, found)
            else:
                contexts.append({**found, NOT_STARTED: True} if not_started else found)
        return contexts

    def fetch_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """No request for a list that fills only once its parent has started, before it has."""
        if self.spec.once_started and (context or {}).get(NOT_STARTED):
            with self._seen_lock:
                self.not_started_parents += 1
                first = self.not_started_parents == 1
            if first:
                self.logger.info(
                    "Stream '%s': not requested for sessions that have not started; a later "
                    "run reads them once the session has started.",
                    self.name,
                )
            return []
        return super().fetch_records(context)

    def _no_child_id_found(self, record: Mapping[str, Any], found: NoChildId) -> None:
        if not any(c.selected or c.has_selected_descendents for c in self.child_streams):
            return
        keys = json.dumps([record.get(k) for k in self.primary_keys or ()], default=str)
        value = json.dumps(found.value, default=str, ensure_ascii=False)
        detail = f"record {keys[:100]}: '{found.field}' is {value[:100]}"
        with self._seen_lock:  # the prefetcher asks too: once per record and value
            first = detail not in self._no_child_id
            self._no_child_id.add(detail)
        if first:
            self.logger.warning(
                "Stream '%s': %s, which cannot address a child request; the record is "
                "written, these children are not read",
                self.name,
                detail,
            )
            self.runtime.ledger.add(self.name, "unusable child id", detail)

    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        """Conform to the schema (dates, flags, ``[]``); parent keys from the context.

        A parent key the item lacks (or sends blank) is the id the tap asked with; one the item
        carries is kept as it came.
        """
        properties = self.schema["properties"]
        for key, value in (context or {}).items():
            if key in properties and _blank(row.get(key)):
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
