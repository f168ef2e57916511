"""The base stream for the Oktopost API v2."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, ClassVar

from requests.auth import HTTPBasicAuth
from singer_sdk.exceptions import FatalAPIError
from singer_sdk.pagination import BaseAPIPaginator

from tap_common import AuthFailure, ResilientRESTStream, SkippedResource, StreamUnavailable
from tap_common.http import parse_retry_after
from tap_common.settings import DEFAULT_MAX_RETRY_AFTER
from tap_common.stream import RetryAfterTooLong
from tap_oktopost.coerce import coerce_record, is_blank

if TYPE_CHECKING:
    import requests
    from singer_sdk.helpers.types import Context

#: Crossing the burst limit blocks the account for 15 minutes (API notes §1.2).
BLOCK_SECONDS = 15 * 60


def oktopost_error(body: Any) -> str:
    """The message of an Oktopost error body, whichever of its shapes it has.

    ``{"Errors":{"API":{"Error":m}}}``, ``{"Errors":{"api":{"message":m}}}``,
    ``{"Errors":["m", ...]}`` and ``{"Errors":[]}``.
    """
    if not isinstance(body, Mapping):
        return ""
    errors = body.get("Errors", body.get("errors"))
    messages: list[str] = []

    def collect(node: Any) -> None:
        if isinstance(node, str):
            messages.append(node)
        elif isinstance(node, Mapping):
            for key in ("Error", "error", "message", "Message"):
                if isinstance(node.get(key), str):
                    messages.append(node[key])
                    return
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(errors)
    return "; ".join(messages) or "no error message"


class OktopostPaginator(BaseAPIPaginator):
    """``_page`` from 0; stop on ``Total``, on an empty page, or on a short page without one."""

    def __init__(self, records_key: str, page_size: int | None) -> None:
        super().__init__(0)
        self.records_key = records_key
        self.page_size = page_size
        self.seen = 0

    def get_next(self, response: requests.Response) -> int | None:  # noqa: ARG002
        """The next page number."""
        return self.current_value + 1

    def has_more(self, response: requests.Response) -> bool:
        """Whether another page may hold records (odd shapes end the paging, never crash it)."""
        try:
            body = response.json()
        except ValueError:
            return False
        if not isinstance(body, Mapping):
            return False
        count = len(records_in(body.get(self.records_key)))
        self.seen += count
        if not count:
            return False
        total = _as_count(body.get("Total"))
        if total is not None:
            return self.seen < total
        return self.page_size is not None and count >= self.page_size


def _as_count(value: Any) -> int | None:
    """``Total`` as an int (it may come as a string); ``None`` if it is not a count."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def child_id(record: Any) -> str | None:
    """The record's ``Id`` as a query parameter, or ``None`` if it has no usable one.

    The same record may come raw (prefetch) or processed (the SDK): an id sent as a number
    gives the same value either way.
    """
    value = record.get("Id") if isinstance(record, Mapping) else None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def api_datetime(moment: datetime) -> str:
    """``moment`` as Oktopost's ``after``/``before`` take it: ``2019-06-30T00:00:00`` (UTC).

    A naive ``moment`` is taken as UTC; fractions of a second are dropped (the API's
    timestamps have none).
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def records_in(value: Any) -> list[Any]:
    """The records under a list body key, whatever its shape.

    A list is the records; null, ``""`` and ``{}`` are none; an object keyed ``"0"``, ``"1"``...
    whose values are objects is a PHP array with gaps (its values are the records); any other
    object is one record, and any other value one odd item that ``post_process`` reports.
    """
    if isinstance(value, list):
        return value
    if value is None or value == "" or (isinstance(value, Mapping) and not value):
        return []
    if isinstance(value, Mapping):
        if all(isinstance(k, str) and k.isdigit() for k in value) and all(
            isinstance(v, Mapping) for v in value.values()
        ):
            return list(value.values())
        return [value]
    return [value]


class OktopostStream(ResilientRESTStream):
    """Base for every Oktopost stream: Basic auth, ``Result`` envelopes, ``_page`` paging."""

    #: The body key holding the records (``Items``, ``Exports``, ``Postlogs``...).
    records_key: ClassVar[str] = "Items"
    #: Whether the endpoint takes ``_count`` (``/bi-export`` does not).
    takes_count: ClassVar[bool] = True
    #: Largest ``_count`` the endpoint accepts.
    max_count: ClassVar[int] = 100
    #: Fixed query parameters.
    extra_params: ClassVar[dict[str, str]] = {}
    #: Context key -> query parameter (``campaign_id`` -> ``campaignId``).
    context_params: ClassVar[dict[str, str]] = {}
    #: Context key -> record field filled from it when the API leaves it out.
    parent_fields: ClassVar[dict[str, str]] = {}
    #: Whether a 404 for this stream's parent item skips that item (it was deleted).
    skip_not_found: ClassVar[bool] = False
    # A role without access to one module should not stop the other streams.
    unavailable_is_fatal: ClassVar[bool] = False

    @property
    def records_jsonpath(self) -> str:  # type: ignore[override]
        """Records sit in an array under ``records_key``."""
        return f"$.{self.records_key}[*]"

    def parse_response(self, response: requests.Response) -> Iterable[dict]:
        """The records under ``records_key``, whatever the shape of that key (``records_in``)."""
        if self.records_jsonpath != f"$.{self.records_key}[*]":
            yield from super().parse_response(response)
            return
        body = response.json()
        if isinstance(body, Mapping):
            yield from records_in(body.get(self.records_key))

    @property
    def url_base(self) -> str:
        """The API root: ``api_url`` if set, else the region's host."""
        return self.tap.api_url  # type: ignore[attr-defined]

    @property
    def authenticator(self) -> HTTPBasicAuth:
        """HTTP Basic: account id and API key."""
        return HTTPBasicAuth(self.config["account_id"], self.config["api_key"])

    @property
    def page_size(self) -> int:
        """``_count`` for this endpoint: the setting, or this endpoint's larger maximum."""
        size = int(self.config.get("page_size", 100))
        return self.max_count if size >= 100 else size

    def get_new_paginator(self) -> OktopostPaginator:
        """Page numbers from 0."""
        return OktopostPaginator(self.records_key, self.page_size if self.takes_count else None)

    def get_url_params(self, context: Context | None, next_page_token: Any) -> dict[str, Any]:
        """``_page``, ``_count``, fixed filters and the parent's id."""
        params: dict[str, Any] = {"_page": next_page_token or 0, **self.extra_params}
        if self.takes_count:
            params["_count"] = self.page_size
        for key, param in self.context_params.items():
            if context and key in context:
                params[param] = context[key]
        return params

    # --- errors --------------------------------------------------------------------------

    def error_details(self, response: requests.Response) -> tuple[Any, str]:
        """Oktopost's message from any of its error shapes."""
        try:
            body = response.json()
        except ValueError:
            return None, response.reason or ""
        if isinstance(body, Mapping) and ("Errors" in body or "errors" in body):
            return None, oktopost_error(body)
        return super().error_details(response)

    def classify_error(self, response: requests.Response) -> None:
        """``Result:false`` (even with HTTP 200) is an error; 401 stops the run."""
        status = response.status_code
        if status == HTTPStatus.UNAUTHORIZED:
            msg = (
                f"Oktopost rejected the credentials (HTTP 401) for stream '{self.name}': "
                f"{self.error_details(response)[1]}. Check the settings 'account_id' and "
                "'api_key' (Oktopost: My Profile > API Credentials) and the region."
            )
            raise AuthFailure(self.tap.redactor(msg))
        if status == HTTPStatus.NOT_FOUND and self.skip_not_found:
            raise SkippedResource(self.response_error_message(response))
        if status == HTTPStatus.FORBIDDEN:
            msg = (
                f"the Oktopost user may not read {self.path} (HTTP 403): "
                f"{self.error_details(response)[1]}"
            )
            raise StreamUnavailable(self.tap.redactor(msg))
        if status < HTTPStatus.BAD_REQUEST:
            self._check_result(response)
            return
        super().classify_error(response)

    def _check_result(self, response: requests.Response) -> None:
        try:
            body = response.json()
        except ValueError as exc:
            msg = self.tap.redactor(
                f"Oktopost answered {self.path} with a body that is not JSON (HTTP "
                f"{response.status_code})."
            )
            raise FatalAPIError(msg) from exc
        if isinstance(body, Mapping) and body.get("Result") is False:
            msg = self.tap.redactor(
                f"Oktopost refused {self.path} for stream '{self.name}' (Result: false, HTTP "
                f"{response.status_code}): {oktopost_error(body)}"
            )
            raise FatalAPIError(msg)

    def retry_wait(self, exception: BaseException, attempt: int) -> float:
        """A 429 without Retry-After means the 15-minute block: wait it out."""
        response = getattr(exception, "response", None)
        if (
            response is not None
            and response.status_code == HTTPStatus.TOO_MANY_REQUESTS
            and parse_retry_after(response.headers.get("Retry-After")) is None
        ):
            limit = float(self.config.get("max_retry_after", DEFAULT_MAX_RETRY_AFTER))
            if limit < BLOCK_SECONDS:
                msg = (
                    f"Stream '{self.name}': Oktopost answered 429 (the account is blocked for "
                    f"15 minutes), longer than max_retry_after={limit:.0f} s. Run again later."
                )
                raise RetryAfterTooLong(msg)
            self.logger.warning(
                "Oktopost rate limit hit on %s: waiting %d s for the block to end.",
                self.path,
                BLOCK_SECONDS,
            )
            return float(BLOCK_SECONDS)
        return super().retry_wait(exception, attempt)

    # --- records -------------------------------------------------------------------------

    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        """Values to the schema's types; the parent's id where the API left it out.

        A value of an unexpected type is kept as it came (see ``coerce``). The parent's id fills
        the field only when it is missing, null or blank: any other value stays.
        """
        if not isinstance(row, Mapping):
            self.report_odd_record(row, context)
            return None
        row = dict(row)
        for key, field in self.parent_fields.items():
            if context and key in context and is_blank(row.get(field)):
                row[field] = context[key]
        return coerce_record(row, self.schema)

    def report_odd_record(self, row: Any, context: Context | None) -> None:
        """An item of the records list that is not an object cannot be a record: say so."""
        where = ", ".join(f"{k}={v}" for k, v in (context or {}).items()) or "no context"
        text = self.tap.redactor(repr(row)[:200])
        self.logger.warning(
            "Stream '%s' (%s): %s sent an item that is not an object (%s); it is skipped.",
            self.name,
            where,
            self.path,
            text,
        )
        self.runtime.ledger.add(self.name, "item that is not an object", f"{where}: {text}")


class MeProbe(OktopostStream):
    """``GET /me``: the connection check (not a stream of the catalog)."""

    name = "me"
    path = "/me"
    schema: ClassVar[dict] = {"type": "object", "properties": {}}

    @property
    def records_jsonpath(self) -> str:  # type: ignore[override]
        """The whole body."""
        return "$"

    def get_new_paginator(self) -> None:  # type: ignore[override]
        """One request."""
        return

    def get_url_params(self, context: Context | None, next_page_token: Any) -> dict[str, Any]:  # noqa: ARG002
        """None."""
        return {}
