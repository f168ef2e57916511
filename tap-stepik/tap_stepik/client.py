"""The base stream for both platforms: one class, configured by a ``StreamSpec``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import requests
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError
from singer_sdk.pagination import PageNumberPaginator

from tap_common import ResilientRESTStream, SkippedResource, StreamUnavailable
from tap_common.dates import parse_datetime, to_rfc3339

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context
    from singer_sdk.streams.rest import HTTPRequest, PageContext

    from tap_stepik.auth import PlatformAuthenticator
    from tap_stepik.platforms import Platform, StreamSpec
    from tap_stepik.tap import TapStepik

#: Context key carrying one batch of configured ids (not a path value).
IDS_KEY = "_ids"
INVALID_PAGE = "Invalid page."


class HasNextPaginator(PageNumberPaginator):
    """Pages 1, 2, ... while ``meta.has_next`` is true."""

    def has_more(self, response: requests.Response) -> bool:
        """Whether the answer says another page follows (``has_next`` true, ``1`` or "true")."""
        try:
            body = json_body(response)
        except ValueError:
            return False
        meta = body.get("meta") if isinstance(body, Mapping) else None
        if not isinstance(meta, Mapping):
            return False
        has_next = meta.get("has_next")
        return has_next is True or has_next == 1 or str(has_next).strip().lower() == "true"


def json_body(response: requests.Response) -> Any:
    """The response's JSON, parsed once (the records and the paginator both read it)."""
    body = getattr(response, "_parsed_body", None)
    if body is None:
        body = response.json()
        response._parsed_body = body  # type: ignore[attr-defined]
    return body


def _chunks(values: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def object_id(value: Any) -> int | None:
    """An API id as an integer (``7``, ``"7"``, ``7.0``), or None when it is not one.

    Used to fill child filters and to match chosen ids; the record keeps its value as sent.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def rfc3339_or_none(value: Any) -> str | None:
    """An ISO 8601 date string as RFC 3339 UTC; None for anything else (the caller keeps it).

    Only text dates are rewritten: the APIs send dates as ISO strings, so a number, an object,
    ``""`` or unparseable text is not a date the tap may reinterpret.
    """
    if not isinstance(value, str) or not value.strip() or value.strip().isdigit():
        return None
    try:
        return to_rfc3339(value)
    except (ValueError, TypeError, OverflowError):
        return None


class PlatformStream(ResilientRESTStream):
    """A Stepik or Hyperskill list endpoint, as described by ``spec``.

    Pages are ``{"meta": {"page", "has_next"}, "<endpoint>": [...]}``; only the list named after
    the endpoint is read (Stepik side-loads others, e.g. ``enrollments`` with courses).
    """

    spec: ClassVar[StreamSpec]
    #: Top-level lists are independent: the next ones are read while one is written.
    read_ahead: ClassVar[bool] = True

    # --- wiring --------------------------------------------------------------------------

    @property
    def tap(self) -> TapStepik:  # type: ignore[override]
        """The tap running this stream."""
        return self._tap  # type: ignore[return-value]

    @property
    def platform(self) -> Platform:
        """The platform the tap reads."""
        return self.tap.platform

    @property
    def url_base(self) -> str:
        """The API root (``api_url``, or the platform's default)."""
        return self.tap.api_url

    @property
    def authenticator(self) -> PlatformAuthenticator:
        """The tap's one token holder."""
        return self.tap.authenticator

    @cached_property
    def configured_ids(self) -> list[int] | None:
        """Ids chosen for this stream in ``ids`` or the ``ids_file``, if any."""
        return self.tap.ids_for(self.name)

    @cached_property
    def max_records(self) -> int | None:
        """The ``max_records`` cap of this stream (its own entry, else ``*``)."""
        caps = self.tap.config.get("max_records") or {}
        value = caps.get(self.name, caps.get("*"))
        return int(value) if value else None

    @cached_property
    def datetime_fields(self) -> tuple[str, ...]:
        """Top-level fields emitted as RFC 3339 strings."""
        return tuple(
            name
            for name, prop in self.schema.get("properties", {}).items()
            if prop.get("format") == "date-time"
        )

    @cached_property
    def object_fields(self) -> tuple[str, ...]:
        """Top-level fields declared as objects only (the APIs send ``[]`` for an empty one).

        Any-JSON fields are not among them: there ``[]`` may be a real empty list.
        """
        fields = []
        for name, prop in self.schema.get("properties", {}).items():
            kind = prop.get("type") or []
            kinds = {kind} if isinstance(kind, str) else set(kind)
            if "object" in kinds and kinds <= {"object", "null"}:
                fields.append(name)
        return tuple(fields)

    # --- requests ------------------------------------------------------------------------

    def get_new_paginator(self) -> HasNextPaginator:
        """Page numbers from 1 while ``has_next``."""
        return HasNextPaginator(1)

    def get_url(self, context: Context | None) -> str:  # noqa: ARG002
        """The endpoint URL; context values are query parameters, never path parts."""
        return f"{self.url_base}/{self.spec.resource}"

    def get_url_params(self, context: Context | None, next_page_token: Any) -> dict[str, Any]:
        """Page, page size, the id batch, and the parent's id as the endpoint's filter."""
        params: dict[str, Any] = {"page": next_page_token or 1}
        if self.platform.honours_page_size:
            params["page_size"] = self.tap.config["page_size"]
        context = context or {}
        ids = context.get(IDS_KEY)
        if ids:
            if self.platform.repeated_ids:
                params["ids[]"] = list(ids)
            else:
                params["ids"] = ",".join(map(str, ids))
        if self.spec.parent_param and self.spec.parent_param in context:
            params[self.spec.parent_param] = context[self.spec.parent_param]
        return params

    def get_http_request(self, *, page: PageContext) -> HTTPRequest:
        """Keep Hyperskill's comma lists readable (``ids=1,2,3``)."""
        request = super().get_http_request(page=page)
        request.safe_query_chars = ","
        return request

    def fetch_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """All pages; with configured ids, all pages of each batch of ids."""
        if self.configured_ids is None or (context and self.spec.parent_param in context):
            yield from self.request_records(context)
            return
        batches = [
            {**(context or {}), IDS_KEY: batch}
            for batch in _chunks(self.configured_ids, self.platform.ids_batch_size)
        ]
        found: set[Any] = set()
        # The batches are independent: the next ones are fetched ahead, output in order.
        for record in self.fetch_in_order(batches):
            found.add(object_id(record.get("id")))
            yield record
        missing = [i for i in self.configured_ids if i not in found]
        if missing:
            self.logger.warning(
                "Stream '%s': %d of %d chosen ids were not found (deleted, private or "
                "mistyped), e.g. %s",
                self.name,
                len(missing),
                len(self.configured_ids),
                ", ".join(map(str, missing[:5])),
            )
            for missing_id in missing:
                self.runtime.ledger.add(self.name, "id not found", f"id {missing_id}")

    def parse_response(self, response: requests.Response) -> Iterable[dict[str, Any]]:
        """The list named after the endpoint (or an alternate key); nothing past the end.

        Side-loaded lists under other keys are never read. An object where the list belongs is
        read as a one-record list, and null as an empty page; an item of the list that is not
        an object cannot be a record: it is logged and counted in the run summary.
        """
        if response.status_code == 404:
            return
        try:
            body = json_body(response)
        except ValueError:
            msg = f"Stream '{self.name}': the answer from /{self.spec.resource} is not JSON."
            raise FatalAPIError(msg) from None
        if not isinstance(body, Mapping):
            msg = f"Stream '{self.name}': the answer is not a JSON object."
            raise FatalAPIError(msg)
        keys = [key for key in (self.spec.resource, *self.spec.alternate_keys) if key in body]
        rows = next((body[k] for k in keys if isinstance(body[k], list)), None)
        if rows is None:
            rows = next(([body[k]] for k in keys if isinstance(body[k], Mapping)), None)
        if rows is None and keys and all(body[k] is None for k in keys):
            rows = []
        if rows is None:
            msg = (
                f"Stream '{self.name}': the answer has no '{self.spec.resource}' list "
                f"(keys: {', '.join(sorted(map(str, body)))})."
            )
            raise FatalAPIError(msg)
        for row in rows:
            if isinstance(row, Mapping):
                yield dict(row)
                continue
            self.logger.warning(
                "Stream '%s': /%s listed a %s, not an object; it cannot be a record: %.80r",
                self.name,
                self.spec.resource,
                type(row).__name__,
                row,
            )
            self.runtime.ledger.add(self.name, "not an object", f"{row!r:.80}")

    def request_decorator(self, func: Any) -> Any:
        """Retries as usual; a page that keeps failing stops the run with a clear message."""
        decorated = super().request_decorator(func)

        def call(prepared_request: requests.PreparedRequest, context: Context | None) -> Any:
            try:
                return decorated(prepared_request, context)
            except (RetriableAPIError, requests.RequestException) as exc:
                query = parse_qs(urlsplit(prepared_request.url or "").query)
                page = (query.get("page") or ["1"])[0]
                reason = str(exc) if isinstance(exc, RetriableAPIError) else type(exc).__name__
                msg = (
                    f"Stream '{self.name}': page {page} of /{self.spec.resource} still failed "
                    f"after {self.backoff_max_tries()} tries ({reason}). Giving up; run the "
                    "tap again later (state keeps what was already emitted)."
                )
                raise FatalAPIError(self.tap.redactor(msg)) from None

        return call

    # --- errors --------------------------------------------------------------------------

    def _is_child_request(self, response: requests.Response) -> bool:
        query = parse_qs(urlsplit(response.request.url or "").query) if response.request else {}
        return bool(self.spec.parent_param and self.spec.parent_param in query)

    def classify_error(self, response: requests.Response) -> None:
        """The APIs' rules: end of list, gone parents skipped, renew once on 401, retry 429/5xx."""
        status = response.status_code
        if status < 400:
            return
        _, message = self.error_details(response)
        if status == 404 and message == INVALID_PAGE:
            return  # the list shrank while we paged: it ends here
        if status in {403, 404} and self._is_child_request(response):
            what = "no permission" if status == 403 else "not found"
            raise SkippedResource(f"HTTP {status} ({what}): {message}")
        if status == 404:
            msg = (
                f"Stream '{self.name}': /{self.spec.resource} does not exist on "
                f"{self.platform.name} (HTTP 404: {message})."
            )
            if self.spec.custom:
                msg += " Check the name in 'custom_objects'."
            raise FatalAPIError(self.tap.redactor(msg))
        if status == 403:
            raise StreamUnavailable(
                f"the credentials may not read /{self.spec.resource} (HTTP 403: {message}). "
                "Deselect the stream or use an account with access."
            )
        super().classify_error(response)

    # --- records -------------------------------------------------------------------------

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """Records, stopping at ``max_records`` (counted over every context)."""
        if self._limit_reached():
            return  # no request for the remaining parents of a capped child stream
        for record in super().get_records(context):
            if self._limit_reached():
                self.logger.info(
                    "Stream '%s' reached max_records=%s; stopping.", self.name, self.max_records
                )
                return
            yield record

    def can_read_ahead(self) -> bool:
        """Not with ``max_records``: reading ahead would ask for pages past the cap."""
        return self.max_records is None and super().can_read_ahead()

    def _limit_reached(self) -> bool:
        return self.max_records is not None and getattr(self, "_emitted", 0) >= self.max_records

    def get_child_context(self, record: dict, context: Context | None) -> dict:  # noqa: ARG002
        """The parent's id under each child's filter parameter (works on raw records).

        Empty when the record has no usable id (missing, null, not an integer).
        """
        parent_id = object_id(record.get("id"))
        if parent_id is None:
            return {}
        return {
            child.spec.parent_param: parent_id
            for child in self.child_streams
            if isinstance(child, PlatformStream) and child.spec.parent_param
        }

    def generate_child_contexts(
        self, record: dict, context: Context | None
    ) -> Iterable[dict | None]:
        """Child contexts, except where no child request is needed.

        None for a record that says it has no children (``has_steps`` false), for one without
        a usable id, nor once every child stream has reached its ``max_records``.
        """
        if self.spec.child_flag and record.get(self.spec.child_flag) is False:
            return
        if object_id(record.get("id")) is None:
            return
        children = [c for c in self.child_streams if isinstance(c, PlatformStream)]
        if children and all(child._limit_reached() for child in children):
            return
        yield self.get_child_context(record, context)

    def normalize(self, row: dict, context: Context | None) -> dict:
        """RFC 3339 dates, ``{}`` for empty objects sent as ``[]``, feedback, parent keys.

        Never raises on an odd value and never drops one: a date that is not an ISO string,
        or anything else of an unexpected type, is left as it came (the schema guard keeps it).
        """
        for key in self.datetime_fields:
            converted = rfc3339_or_none(row.get(key))
            if converted is not None:
                row[key] = converted
        for key in self.object_fields:
            if row.get(key) == []:
                row[key] = {}
        if "feedback_details" in self.schema["properties"]:
            self._split_feedback(row)
        param = self.spec.parent_param
        if param and context and context.get(param) is not None and row.get(param) is None:
            row[param] = context[param]
        if self.replication_key:
            row.setdefault(self.replication_key, None)  # the SDK's bookmark reads the key
        return row

    @staticmethod
    def _split_feedback(row: dict) -> None:
        """An object ``feedback`` goes to ``feedback_details``; ``feedback`` is its message.

        A message that is not text (missing, an object) gives a null ``feedback``; the object
        is kept whole in ``feedback_details``. Text, null or any other value stays as it came.
        """
        feedback = row.get("feedback")
        if not isinstance(feedback, Mapping):
            return
        row["feedback_details"] = feedback
        message = feedback.get("message")
        if isinstance(message, str):
            row["feedback"] = message
        elif isinstance(message, (int, float)) and not isinstance(message, bool):
            row["feedback"] = str(message)
        else:
            row["feedback"] = None

    def _check_parent_id(self, row: dict) -> None:
        """Say so when a parent record's children cannot be asked for (no usable id)."""
        if object_id(row.get("id")) is not None:
            return
        children = [
            child.name
            for child in self.child_streams
            if isinstance(child, PlatformStream)
            and child.spec.parent_param
            and (child.selected or child.has_selected_descendents)
        ]
        if children:
            self.logger.warning(
                "Stream '%s': a record's id %.40r is not an integer; its %s are not read.",
                self.name,
                row.get("id"),
                ", ".join(children),
            )
            self.runtime.ledger.add(self.name, "no usable id", f"id {row.get('id')!r:.40}")

    def older_than_bookmark(self, row: dict, context: Context | None) -> bool:
        """Whether an incremental record's update time is before the bookmark (or start).

        A record whose update time is missing or not a date is never older: it is emitted.
        """
        if not self.replication_key:
            return False
        starting = self.get_starting_timestamp(context)
        value = rfc3339_or_none(row.get(self.replication_key))
        moment = parse_datetime(value) if value is not None else None
        return starting is not None and moment is not None and moment < starting

    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        """Normalize; drop records older than the bookmark (their children still sync)."""
        row = self.normalize(row, context)
        self._check_parent_id(row)
        if self.older_than_bookmark(row, context):
            # The APIs cannot filter by time, so the record was fetched anyway; children of an
            # unchanged parent (new submissions of an old step) may still be new.
            for child_context in self.generate_child_contexts(row, context):
                if child_context and self.child_streams:
                    self._sync_children(child_context)
            return None
        if self._limit_reached():
            return None
        self._emitted = getattr(self, "_emitted", 0) + 1
        return row
