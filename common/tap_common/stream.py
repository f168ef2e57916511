"""The base REST stream shared by every tap.

Retries that honour Retry-After, skip rules, redacted errors, a shared rate cap, and child
requests fetched ahead on worker threads.
"""

from __future__ import annotations

import json
import logging
import random
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from concurrent.futures import Future
from datetime import datetime, timedelta, timezone
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlparse

import requests
from singer_sdk import RESTStream
from singer_sdk.exceptions import (
    AbortedSyncFailedException,
    AbortedSyncPausedException,
    FatalAPIError,
    RetriableAPIError,
)
from singer_sdk.helpers.conform import TypeConformanceLevel

from tap_common.errors import AuthFailure, SkippedResource, StreamUnavailable
from tap_common.governor import DailyLimitReached
from tap_common.http import parse_retry_after
from tap_common.runtime import WORKER_THREAD_PREFIX
from tap_common.schema_guard import Drift, SchemaGuard
from tap_common.settings import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_MAX_RETRY_AFTER,
    DEFAULT_REQUEST_TIMEOUT,
    DEFAULT_SCHEMA_DRIFT,
)

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_common.readahead import ReadAhead
    from tap_common.runtime import TapRuntime
    from tap_common.tap import RuntimeTap

_BACKOFF_BASE_SECONDS = 1.0
_BACKOFF_MAX_SECONDS = 60.0
_ERROR_TEXT_LIMIT = 300
#: Resends of one request with a renewed token (each renewal is checked by the authenticator:
#: a fresh token rejected before any success stops the run).
MAX_TOKEN_RENEWALS = 3


class RetryAfterTooLong(FatalAPIError):
    """The server asked for a wait longer than ``max_retry_after`` allows."""


class TokenRejected(FatalAPIError):
    """The API refused the access token; it was dropped and the request may go again."""


def bearer_token(response: requests.Response) -> str | None:
    """The bearer token a response's request carried."""
    header = response.request.headers.get("Authorization", "") if response.request else ""
    return header.removeprefix("Bearer ") or None


def _resending_with_new_token(func: Any) -> Any:
    """Send again with a new token after the API refused the old one (no retry is spent)."""

    def send(prepared_request: requests.PreparedRequest, context: Any) -> Any:
        for _ in range(MAX_TOKEN_RENEWALS):
            try:
                return func(prepared_request, context)  # ``_request`` authenticates afresh
            except TokenRejected:
                continue
        msg = f"The API rejected {MAX_TOKEN_RENEWALS} access tokens in a row for one request."
        raise AuthFailure(msg)

    return send


def daily_limit_reached(response: requests.Response) -> None:
    """Raise ``DailyLimitReached`` for a 429 that says a daily limit is used up.

    Zoom marks it ``X-RateLimit-Type: Daily-limit`` with ``Retry-After`` at the reset; waiting
    hours inside a run helps nobody, so the stream stops and the others go on.
    """
    kind = response.headers.get("X-RateLimit-Type") or ""
    if "daily" not in kind.lower():
        return
    wait = parse_retry_after(response.headers.get("Retry-After"))
    resets_at = (
        datetime.now(tz=timezone.utc) + timedelta(seconds=wait) if wait is not None else None
    )
    category = response.headers.get("X-RateLimit-Category") or "these"
    raise DailyLimitReached(category, resets_at, response.headers.get("X-RateLimit-Limit"))


def context_key(context: Mapping[str, Any] | None) -> str:
    """A stable key for a child context."""
    return json.dumps(dict(context or {}), sort_keys=True, default=str)


class ResilientRESTStream(RESTStream):
    """A REST stream built for long unattended runs.

    * Transient failures (429, 5xx, timeouts, dropped connections) are retried up to
      ``max_retries`` times, waiting what ``Retry-After`` says (seconds or a date) or with
      exponential backoff and jitter.
    * ``classify_error`` turns API error bodies into: skip this resource (counted), the stream
      is unavailable to these credentials, or stop the run with a clear message.
    * Error messages carry the status, path and the API's own code and message, never the
      whole body or headers, and pass through the run's secret redactor.
    * Requests go through per-thread sessions capped by the run's requests-per-second limit.
    * A parent stream fetches the pages of its selected children for the next records on
      worker threads while the SDK writes records, state and children in order on the main
      thread.
    * Every record passes the stream's ``SchemaGuard`` before it is written, so none fails the
      SCHEMA last sent and no value is dropped. The guard validates and conforms, so the SDK's
      own type conformance (which drops unknown fields) is off.
    * A child stream that fails stops alone for the rest of the run (unless ``fail_fast``);
      its parent and siblings go on.
    """

    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.NONE

    #: Whether this stream's requests may be fetched ahead on worker threads when it is a child.
    prefetch: ClassVar[bool] = True
    #: Whether a ``StreamUnavailable`` (e.g. 403 for a missing scope) ends the run.
    unavailable_is_fatal: ClassVar[bool] = True
    #: Whether this stream, when top-level, may be read while an earlier stream is written
    #: (``tap_common.readahead``): its requests must not depend on what earlier streams did.
    read_ahead: ClassVar[bool] = False
    #: The reader of this run's records when they are being read ahead.
    read_ahead_source: ReadAhead | None = None

    # --- runtime -------------------------------------------------------------------------

    @property
    def tap(self) -> RuntimeTap:
        """The tap running this stream."""
        return self._tap  # type: ignore[return-value]

    @property
    def runtime(self) -> TapRuntime:
        """The run's shared runtime."""
        return self.tap.runtime

    @property
    def requests_session(self) -> requests.Session:
        """This thread's session, behind the run's rate limiter."""
        return self.runtime.sessions.session()

    @property
    def timeout(self) -> int:
        """Seconds to wait for a response."""
        return int(self.config.get("request_timeout", DEFAULT_REQUEST_TIMEOUT))

    # --- errors and retries --------------------------------------------------------------

    def error_details(self, response: requests.Response) -> tuple[Any, str]:
        """The API's own error code and message from a response body, if any."""
        try:
            body = response.json()
        except ValueError:
            return None, response.reason or ""
        if isinstance(body, Mapping) and isinstance(body.get("error"), Mapping):
            body = body["error"]  # {"error": {"code": ..., "message": ...}}
        if isinstance(body, Mapping):
            code = body.get("code", body.get("error"))
            message = (
                body.get("message")
                or body.get("detail")  # Django REST framework
                or body.get("error_description")  # OAuth
                or body.get("reason")
            )
            return code, str(message or response.reason or "")
        return None, response.reason or ""

    def response_error_message(self, response: requests.Response) -> str:
        """Status, path and the API's error code and message; no body dump, no headers."""
        code, message = self.error_details(response)
        path = urlparse(response.url).path or self.path
        text = f"HTTP {response.status_code} on {path}"
        if code is not None:
            text += f" (code {code})"
        if message:
            text += f": {message[:_ERROR_TEXT_LIMIT]}"
        return self.tap.redactor(text)

    def classify_error(self, response: requests.Response) -> None:
        """Raise the right exception for an error response; return for a good one.

        Subclasses add their API's rules (raise ``SkippedResource`` for a deleted item,
        ``StreamUnavailable`` for a missing scope) and then call this for the rest.
        """
        status = response.status_code
        if status == HTTPStatus.TOO_MANY_REQUESTS:
            daily_limit_reached(response)  # raises for a daily limit: never retried
        if status == HTTPStatus.TOO_MANY_REQUESTS or status >= HTTPStatus.INTERNAL_SERVER_ERROR:
            raise RetriableAPIError(self.response_error_message(response), response)
        if status == HTTPStatus.UNAUTHORIZED:
            renewable = self._renew_token_once(response)  # raises to retry if it renewed
            hint = (
                "a freshly issued access token was rejected too: check the credentials and "
                "that the app is active"
                if renewable
                else "check the credentials"
            )
            msg = (
                f"Authentication failed for stream '{self.name}': "
                f"{self.response_error_message(response)}; {hint}."
            )
            raise AuthFailure(msg)
        if status == HTTPStatus.FORBIDDEN:
            msg = (
                f"Permission denied for stream '{self.name}': "
                f"{self.response_error_message(response)}"
            )
            raise StreamUnavailable(msg)
        if status >= HTTPStatus.BAD_REQUEST:
            raise FatalAPIError(self.response_error_message(response))

    def _renew_token_once(self, response: requests.Response) -> bool:
        """Resend with a new token when the authenticator can renew a rejected one.

        Returns whether the authenticator renews tokens at all (it did not renew this one).
        """
        renew = getattr(self.authenticator, "renew_after_401", None)
        if renew is None:
            return False
        if renew(bearer_token(response)):
            self.logger.warning("The API rejected the access token; renewing it.")
            msg = "access token rejected; sending again with a new one"
            raise TokenRejected(msg)
        return True

    def _request(
        self, prepared_request: requests.PreparedRequest, context: Context | None
    ) -> requests.Response:
        """Send one request (one try), counted for the run's progress and summary."""
        self.runtime.progress.request(self.name)
        return super()._request(prepared_request, context)

    def request_decorator(self, func: Any) -> Any:
        """The SDK's retries around a send that renews a rejected token at once."""
        return super().request_decorator(_resending_with_new_token(func))

    def validate_response(self, response: requests.Response) -> None:
        """Delegate errors to ``classify_error``; tell the authenticator its token works."""
        if response.status_code < HTTPStatus.BAD_REQUEST:
            confirm = getattr(self.authenticator, "confirm", None)
            if confirm is not None:
                confirm(bearer_token(response))
        self.classify_error(response)

    def backoff_max_tries(self) -> int:
        """Tries in all: the first one plus ``max_retries``."""
        return int(self.config.get("max_retries", DEFAULT_MAX_RETRIES)) + 1

    def backoff_jitter(self, value: float) -> float:
        """No extra jitter: ``retry_wait`` adds its own, and Retry-After is exact."""
        return value

    def retry_wait(self, exception: BaseException, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` after ``exception``."""
        response = getattr(exception, "response", None)
        if response is not None:
            wait = parse_retry_after(response.headers.get("Retry-After"))
            if wait is not None:
                limit = float(self.config.get("max_retry_after", DEFAULT_MAX_RETRY_AFTER))
                if wait > limit:
                    resume = datetime.now(tz=timezone.utc) + timedelta(seconds=wait)
                    msg = (
                        f"Stream '{self.name}': the API asks to wait {wait:.0f} s before the "
                        f"next request (rate limit), more than max_retry_after={limit:.0f} s. "
                        f"Run again after {resume:%Y-%m-%d %H:%M} UTC."
                    )
                    raise RetryAfterTooLong(msg)
                return wait
        base = min(_BACKOFF_MAX_SECONDS, _BACKOFF_BASE_SECONDS * 2 ** (attempt - 1))
        return base + random.uniform(0, base / 2)  # noqa: S311 - jitter, not crypto

    def backoff_wait_generator(self) -> Generator[float, Any, None]:  # type: ignore[override]
        """Waits computed from each failure (Retry-After first, then exponential)."""
        attempt = 0
        exception = yield  # type: ignore[misc]
        while True:
            attempt += 1
            exception = yield self.retry_wait(exception, attempt)

    def backoff_handler(self, details: Mapping[str, Any]) -> None:  # type: ignore[override]
        """Log one line per retry, with no request arguments (they may carry secrets)."""
        exc = details.get("exception")
        reason = type(exc).__name__ if exc is not None else "error"
        if isinstance(exc, RetriableAPIError) and exc.response is not None:
            reason = f"HTTP {exc.response.status_code}"
        self.log(
            "Retrying %s in %.2f s after try %d failed (%s)",
            self.path,
            details.get("wait", 0.0),
            details.get("tries", 0),
            reason,
            level=logging.WARNING,
        )

    # --- records -------------------------------------------------------------------------

    @property
    def schema_guard(self) -> SchemaGuard:
        """This stream's guard, built on first use from the schema the run uses."""
        guard: SchemaGuard | None = getattr(self, "_schema_guard", None)
        if guard is None:
            guard = self._schema_guard = SchemaGuard(
                self.name,
                super().effective_schema,
                key_properties=tuple(self.primary_keys or ()),
                replication_key=self.replication_key,
                endpoint=self.path or self.name,
                mode=str(self.config.get("schema_drift", DEFAULT_SCHEMA_DRIFT)),
                ledger=self.runtime.drift,
                on_schema_change=self._send_changed_schema,
                on_drift=self._log_drift,
            )
        return guard

    @property
    def effective_schema(self) -> dict:
        """The guard's schema once it exists: what the last SCHEMA message said."""
        guard: SchemaGuard | None = getattr(self, "_schema_guard", None)
        return guard.schema if guard is not None else super().effective_schema

    def _register_schema(self, schema: dict) -> None:
        """Make the stream maps (which build SCHEMA messages) use ``schema``."""
        self._tap.mapper.register_raw_stream_schema(self.name, schema, list(self.primary_keys))
        self._stream_maps = None

    def _send_changed_schema(self, schema: dict) -> None:
        self._register_schema(schema)
        super()._write_schema_message()

    def _log_drift(self, drift: Drift) -> None:
        self.logger.warning(drift.message())

    def _write_schema_message(self) -> None:
        """Send a stream's SCHEMA once per run (and again when the guard changes it).

        The SDK writes it at the start of every child context; a thousand instances would send
        a thousand identical SCHEMA messages for their participants.
        """
        if getattr(self, "_schema_sent", False):
            return
        self._register_schema(self.schema_guard.schema)
        super()._write_schema_message()
        self._schema_sent = True

    def _write_record_message(self, record: dict) -> None:
        """Write a record the guard admitted (a changed schema goes out before it)."""
        super()._write_record_message(self.schema_guard.admit(record))
        self.runtime.progress.record(self.name)

    def skip(self, context: Context | None, exc: SkippedResource, kind: str = "resource") -> None:
        """Log and count one skipped resource."""
        where = ", ".join(f"{k}={v}" for k, v in (context or {}).items()) or "no context"
        self.logger.warning("Skipping %s of '%s' (%s): %s", kind, self.name, where, exc.reason)
        self.runtime.ledger.add(self.name, kind, f"{where}: {exc.reason}")

    def on_unavailable(self, exc: StreamUnavailable) -> None:
        """Stop the run, or skip the stream for the rest of the run, per ``unavailable_is_fatal``.

        Skipping is logged and counted once; the stream sends no further request.
        """
        if self.unavailable_is_fatal:
            raise AuthFailure(exc.reason) from None
        if self.unavailable_reason is not None:
            return
        self.unavailable_reason = exc.reason
        self.logger.warning("Stream '%s' skipped: %s", self.name, exc.reason)
        self.runtime.ledger.add(self.name, "stream unavailable", exc.reason)

    #: Why the API refused this stream for the rest of the run, once it did.
    unavailable_reason: str | None = None
    #: Why this stream failed and stopped for the rest of the run, once it did.
    failure_reason: str | None = None

    def _sync_children(self, child_context: Context | None) -> None:
        """Sync the children of one record; a child that fails stops alone (or the run)."""
        if child_context is None:
            super()._sync_children(child_context)
            return
        for child in self.child_streams:
            if not (child.selected or child.has_selected_descendents):
                continue
            if getattr(child, "failure_reason", None) is not None:
                continue
            try:
                child.sync(context=child_context)
            except (AbortedSyncFailedException, AbortedSyncPausedException):
                continue
            except Exception as exc:
                self.tap.isolate_failure(child, exc)

    def fetch_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """The raw records for one context (all pages). Override to change how."""
        return self.request_records(context)

    def _guarded(
        self, records: Iterable[dict[str, Any]], context: Context | None
    ) -> Iterator[dict]:
        try:
            yield from records
        except SkippedResource as exc:
            self.skip(context, exc)
        except StreamUnavailable as exc:
            self.on_unavailable(exc)

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """Records for one context, prefetched by the parent when it could."""
        progress = self.runtime.progress
        progress.touch(self.name)
        try:
            self._prefetch_next_partitions(context)
            prefetched = self._take_prefetched(context)
            if self.unavailable_reason is not None:
                return
            if prefetched is None and context is None and self.read_ahead_source is not None:
                prefetched, self.read_ahead_source = self.read_ahead_source.records(), None
            source = prefetched if prefetched is not None else self.fetch_records(context)
            records = self._guarded(source, context)
            children = self._prefetchable_children()
            if children and self.runtime.concurrent:
                yield from self._with_children_prefetched(records, context, children)
            else:
                yield from records
        finally:
            progress.touch(self.name)  # the context (and its records' children) is done

    def can_read_ahead(self) -> bool:
        """Whether this run may read this stream's records before its turn."""
        return (
            self.read_ahead
            and self.runtime.concurrent
            and self.parent_stream_type is None
            and self.partitions is None
            and self.unavailable_reason is None
            and self.failure_reason is None
        )

    # --- parents fetched ahead: partitions and windows ----------------------------------

    def _prefetch_next_partitions(self, context: Context | None) -> None:
        """Submit the partitions after ``context`` (user statuses, ...) to the worker pool.

        The SDK syncs partitions one after another; their requests are independent, so the
        next ones are fetched while this one is written. Records, state and messages keep the
        sequential order: each partition's records are replayed when the SDK reaches it.
        """
        if not self.runtime.concurrent or self.parent_stream_type or _on_worker_thread():
            return
        partitions = [dict(p) for p in (self.partitions or [])]
        key = context_key(context)
        keys = [context_key(p) for p in partitions]
        if key not in keys:
            return
        store = self._prefetch_store()
        later = partitions[keys.index(key) + 1 :][: self.runtime.max_workers]
        for partition in later:
            if context_key(partition) not in store:
                store[context_key(partition)] = self.runtime.executor.submit(
                    collect_records, self.fetch_records, partition
                )

    def fetch_in_order(self, contexts: Iterable[dict]) -> Iterator[dict]:
        """The records of each context in turn, the next ones fetched ahead on worker threads.

        For independent requests of one context (date windows, statuses): up to
        ``max_concurrent_requests`` contexts are in flight while the records of the first are
        yielded, in the order a sequential run yields them; an error surfaces at the same
        point, after the records before it. On a worker thread (a prefetched child) or with
        one request at a time it is a plain loop.
        """
        if not self.runtime.concurrent or _on_worker_thread():
            for sub in contexts:
                yield from self.request_records(sub)
            return
        executor, ahead = self.runtime.executor, self.runtime.max_workers
        upcoming = iter(contexts)
        pending: deque[Future] = deque()

        def fill() -> None:
            while len(pending) < ahead:
                sub = next(upcoming, None)
                if sub is None:
                    return
                pending.append(executor.submit(collect_records, self.request_records, sub))

        try:
            fill()
            while pending:
                records, error = pending.popleft().result()
                fill()
                yield from records
                if error is not None:
                    raise error
        finally:
            for future in pending:
                future.cancel()

    # --- child prefetch ------------------------------------------------------------------

    def _prefetch_store(self) -> dict[str, Future]:
        store = getattr(self, "_prefetched", None)
        if store is None:
            store = self._prefetched = {}
        return store

    def _take_prefetched(self, context: Context | None) -> Iterator[dict] | None:
        future = self._prefetch_store().pop(context_key(context), None)
        if future is None:
            return None

        def replay() -> Iterator[dict]:
            records, error = future.result()
            yield from records
            if error is not None:
                raise error

        return replay()

    def _prefetchable_children(self) -> list[ResilientRESTStream]:
        return [
            child
            for child in self.child_streams
            if isinstance(child, ResilientRESTStream)
            and child.prefetch
            and child.unavailable_reason is None
            and child.failure_reason is None
            and (child.selected or child.has_selected_descendents)
        ]

    def _child_contexts_for(self, record: dict, context: Context | None) -> list[dict]:
        try:
            return [dict(c) for c in self.generate_child_contexts(dict(record), context) if c]
        except (KeyError, TypeError, ValueError):
            return []  # the child will fetch on its own when the SDK asks

    def _with_children_prefetched(
        self,
        records: Iterable[dict],
        context: Context | None,
        children: list[ResilientRESTStream],
    ) -> Iterator[dict]:
        window = max(2, self.runtime.max_workers * 2)
        pending: deque[tuple[dict, list[tuple[ResilientRESTStream, str]]]] = deque()
        executor = self.runtime.executor

        def submit(record: dict) -> None:
            keys: list[tuple[ResilientRESTStream, str]] = []
            for child_context in self._child_contexts_for(record, context):
                for child in children:
                    key = context_key(child_context)
                    store = child._prefetch_store()
                    if key not in store:
                        store[key] = executor.submit(
                            collect_records, child.fetch_records, child_context
                        )
                        keys.append((child, key))
            pending.append((record, keys))

        def release(keys: list[tuple[ResilientRESTStream, str]]) -> None:
            # The SDK has synced this record's children; drop what they did not claim.
            for child, key in keys:
                future = child._prefetch_store().pop(key, None)
                if future is not None:
                    future.cancel()

        try:
            for record in records:
                submit(record)
                if len(pending) >= window:
                    head, keys = pending.popleft()
                    yield head
                    release(keys)
            while pending:
                head, keys = pending.popleft()
                yield head
                release(keys)
        finally:
            while pending:
                release(pending.popleft()[1])


def _on_worker_thread() -> bool:
    """Whether this is one of the run's worker threads (which must not wait on the pool)."""
    return threading.current_thread().name.startswith(WORKER_THREAD_PREFIX)


def collect_records(
    fetch: Callable[[dict], Iterable[dict]], context: dict
) -> tuple[list[dict], BaseException | None]:
    """Every record ``fetch(context)`` yields, read on a worker thread.

    Records read before an error are kept and the error is returned, to be raised again on
    the main thread when they are replayed, so work fetched ahead behaves exactly like work
    fetched in place.
    """
    records: list[dict] = []
    try:
        records.extend(fetch(context))
    except Exception as exc:
        return records, exc
    return records, None
