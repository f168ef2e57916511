"""Settings every tap of this repository accepts, and checks of config values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from singer_sdk import typing as th

from tap_common.dates import parse_datetime

DEFAULT_MAX_CONCURRENT_REQUESTS = 8
DEFAULT_REQUESTS_PER_SECOND = 20.0
#: Default ceiling of an adaptive request rate (APIs that publish no limit).
ADAPTIVE_CEILING = 50
DEFAULT_MAX_RETRIES = 6
DEFAULT_REQUEST_TIMEOUT = 120
DEFAULT_MAX_RETRY_AFTER = 1800
DEFAULT_SCHEMA_DRIFT = "adapt"
#: Where the SDK's METRIC lines go in the run's log (``metrics_log_level``).
METRICS_LOG_LEVELS = ("debug", "info", "off")
DEFAULT_METRICS_LOG_LEVEL = "debug"
#: Seconds between progress lines (``progress_interval``).
DEFAULT_PROGRESS_INTERVAL = 30


def runtime_properties(
    *,
    requests_per_second: float | None = DEFAULT_REQUESTS_PER_SECOND,
    max_concurrent_requests: int = DEFAULT_MAX_CONCURRENT_REQUESTS,
) -> list[th.Property]:
    """Concurrency, rate and retry settings, with per-tap defaults.

    ``requests_per_second=None`` leaves that setting out (a tap with documented limits
    declares its own rate settings).
    """
    properties = [
        th.Property(
            "max_concurrent_requests",
            th.IntegerType(minimum=1, maximum=64),
            default=max_concurrent_requests,
            description=(
                "How many child requests (e.g. participants of many meetings) may be in flight "
                "at once. 1 fetches one request at a time. Output order is the same either way."
            ),
        ),
        th.Property(
            "requests_per_second",
            th.NumberType(minimum=0),
            default=requests_per_second,
            description=(
                "Ceiling of the request rate across all threads. The API publishes no limit, so "
                "the tap finds it: it starts at 4 requests a second, speeds up while answers "
                "are fast and clean, and slows down on 429 or 503 (waiting out Retry-After); "
                "the log ends with the rate it settled at. 0 means no limit and no adaptation."
            ),
        ),
        th.Property(
            "max_retries",
            th.IntegerType(minimum=0, maximum=20),
            default=DEFAULT_MAX_RETRIES,
            description=(
                "Retries of one request after a 429, a 5xx, a timeout or a dropped connection, "
                "with exponential backoff or the server's Retry-After."
            ),
        ),
        th.Property(
            "request_timeout",
            th.IntegerType(minimum=1),
            default=DEFAULT_REQUEST_TIMEOUT,
            description="Seconds to wait for one HTTP response before retrying.",
        ),
        th.Property(
            "schema_drift",
            th.StringType(allowed_values=["adapt", "fail"]),
            default=DEFAULT_SCHEMA_DRIFT,
            description=(
                "What to do with a value whose shape differs from the stream's schema. 'adapt': "
                "coerce it where the meaning is unambiguous, else keep it in a JSON variant "
                "column '<field>__v_json' (top level) or widen the nested field to JSON, send "
                "the new schema first, and log the field once. 'fail': stop at the first such "
                "value, naming the stream and field."
            ),
        ),
        th.Property(
            "fail_fast",
            th.BooleanType,
            default=False,
            description=(
                "Stop the whole run at the first stream that fails. By default a failing stream "
                "(an unexpected 4xx, a body that does not parse, a record without its key) "
                "stops alone with its child streams, the others complete and write their "
                "state, and the run exits non-zero naming each failed stream."
            ),
        ),
        th.Property(
            "max_retry_after",
            th.IntegerType(minimum=0),
            default=DEFAULT_MAX_RETRY_AFTER,
            description=(
                "Longest Retry-After (seconds) the tap will wait out; a longer one (a daily "
                "limit) fails the run with the time the limit resets."
            ),
        ),
        *logging_properties(),
    ]
    if requests_per_second is None:
        return [prop for prop in properties if prop.name != "requests_per_second"]
    return properties


def logging_properties() -> list[th.Property]:
    """What the run's log shows: progress lines and the SDK's METRIC lines."""
    return [
        th.Property(
            "progress_interval",
            th.IntegerType(minimum=0),
            default=DEFAULT_PROGRESS_INTERVAL,
            description=(
                "Seconds between progress lines: for each stream that moved, its records so "
                "far, records per second and requests. 0 turns them off. The per-stream "
                "summary at the end of the run (records, requests, skipped, drifted, "
                "duration, status) is always logged."
            ),
        ),
        th.Property(
            "metrics_log_level",
            th.StringType(allowed_values=list(METRICS_LOG_LEVELS)),
            default=DEFAULT_METRICS_LOG_LEVEL,
            description=(
                "Level of the SDK's METRIC lines (one per HTTP request, plus record counts and "
                "timings per stream and context) in the run's log. 'debug': shown only when "
                "the run logs debug (meltano --log-level=debug). 'info': shown, as the SDK "
                "does by default. 'off': never in the log."
            ),
        ),
        th.Property(
            "metrics_log_file",
            th.StringType,
            description=(
                "File to append every METRIC point to, one JSON object per line (time, "
                "type, metric, value, tags), whatever metrics_log_level says."
            ),
        ),
    ]


def check_date_setting(config: Mapping[str, Any], name: str) -> str | None:
    """An error line if setting ``name`` is present but not a readable date."""
    value = config.get(name)
    if value in (None, ""):
        return None
    try:
        parse_datetime(value)
    except (TypeError, ValueError):
        return f"Setting '{name}' is not an ISO 8601 date or date-time."
    return None


def check_url_setting(config: Mapping[str, Any], name: str) -> str | None:
    """An error line if setting ``name`` is present but not an http(s) URL."""
    value = config.get(name)
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return f"Setting '{name}' must be an http:// or https:// URL."
    return None
