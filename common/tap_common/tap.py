"""The tap base: settings checks that name the setting, run summary, secret redaction, logging."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

from singer_sdk import Tap
from singer_sdk.exceptions import (
    AbortedSyncFailedException,
    AbortedSyncPausedException,
    ConfigValidationError,
    FatalAPIError,
)
from singer_sdk.helpers.capabilities import (
    CapabilitiesEnum,
    PluginCapabilities,
    TapCapabilities,
)
from singer_sdk.typing import DEFAULT_JSONSCHEMA_VALIDATOR, extend_validator_with_defaults

from tap_common.dates import parse_datetime
from tap_common.errors import AuthFailure
from tap_common.governor import Adaptation, BudgetSpec, Governor
from tap_common.logs import quiet_repeats, route_metrics
from tap_common.progress import RunProgress
from tap_common.readahead import ReadAheadPlan
from tap_common.redaction import Redactor, install_log_redaction, secret_setting_names
from tap_common.runtime import TapRuntime
from tap_common.schema_guard import SchemaDriftError
from tap_common.settings import (
    DEFAULT_MAX_CONCURRENT_REQUESTS,
    DEFAULT_METRICS_LOG_LEVEL,
    DEFAULT_PROGRESS_INTERVAL,
    DEFAULT_REQUESTS_PER_SECOND,
    METRICS_LOG_LEVELS,
    check_date_setting,
    check_url_setting,
)
from tap_common.stream import ResilientRESTStream, RetryAfterTooLong

if TYPE_CHECKING:
    from singer_sdk.streams import Stream

#: Errors that stop the whole run wherever they happen: bad credentials or scopes, a rate
#: limit that outlasts ``max_retry_after``, drift under ``schema_drift: fail``.
RUN_STOPPING_ERRORS = (AuthFailure, RetryAfterTooLong, SchemaDriftError)
#: Requests per second an adaptive budget starts at (then it grows while answers are clean).
ADAPTIVE_START_RATE = 4.0


class StreamsFailed(FatalAPIError):
    """One or more streams failed alone; the others completed. The run exits non-zero."""


_VALIDATOR = extend_validator_with_defaults(DEFAULT_JSONSCHEMA_VALIDATOR)
_MESSAGES = {
    "required": "is required but missing",
    "type": "has the wrong type (expected {expected})",
    "format": "is not a valid {expected}",
    "enum": "must be one of {expected}",
    "minimum": "must be at least {expected}",
    "maximum": "must be at most {expected}",
    "exclusiveMinimum": "must be more than {expected}",
    "minLength": "must not be empty",
    "pattern": "does not have the expected form",
    "minItems": "must not be empty",
}


def _setting_name(error: Any) -> str:
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        return ".".join([*map(str, error.absolute_path), missing])
    return ".".join(map(str, error.absolute_path)) or "(config)"


def describe_config_error(error: Any) -> str:
    """One line naming the setting, without echoing its value (it may be a secret)."""
    template = _MESSAGES.get(error.validator, "is invalid ({validator})")
    expected = error.validator_value
    if isinstance(expected, list):
        expected = ", ".join(map(str, expected))
    text = template.format(expected=expected, validator=error.validator)
    return f"Setting '{_setting_name(error)}' {text}."


class RuntimeTap(Tap):
    """A tap with one-line config errors, a run summary, redaction and a shared runtime."""

    #: The SDK's capabilities less two these taps do not stand behind: BATCH writes raw records
    #: past the schema guard (drift is neither adapted nor reported), and ACTIVATE_VERSION (with
    #: ``emit_activate_version_messages``) goes out at the start of a full-table sync, so a
    #: stream that fails alone would leave its table holding only the rows read before the
    #: failure. Without BATCH, ``batch_config`` leaves the settings. meltano.yml and the Hub
    #: definitions in hub/ declare this same list (tests/test_hub_definitions.py).
    capabilities: ClassVar[list[CapabilitiesEnum]] = [
        capability
        for capability in Tap.capabilities
        if capability not in {TapCapabilities.ACTIVATE_VERSION, PluginCapabilities.BATCH}
    ]

    #: Names of settings that hold secrets beyond those marked ``secret`` in the schema.
    extra_secret_settings: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.route_metrics()

    def route_metrics(self) -> None:
        """Send the SDK's METRIC lines where ``metrics_log_level``/``metrics_log_file`` say."""
        level = self.config.get("metrics_log_level", DEFAULT_METRICS_LOG_LEVEL)
        if level not in METRICS_LOG_LEVELS:  # only when built with validate_config=False
            level = DEFAULT_METRICS_LOG_LEVEL
        route_metrics(
            level,
            self.config.get("metrics_log_file") or None,
            # Looked up at the first point written: the redactor is built on first use.
            redact=lambda text: self.redactor(text),  # noqa: PLW0108
        )

    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        self._read_json_strings()
        schema = self.config_jsonschema
        self.append_builtin_config(schema)
        validator = _VALIDATOR(schema, format_checker=_VALIDATOR.FORMAT_CHECKER)
        # Validating also fills in the defaults, as the SDK's own validation does.
        errors = [describe_config_error(e) for e in validator.iter_errors(self._config)]
        if not errors:
            errors = self.check_settings()
        if errors and raise_errors:
            raise ConfigValidationError(errors[0], errors=errors, schema=schema)
        for error in errors:
            self.logger.warning(error)
        return errors

    def _read_json_strings(self) -> None:
        """Read JSON from string values of number, object and array settings.

        The SDK turns ``TAP_X_*`` variables (``--config ENV``) only into integers, booleans and
        string lists, so ``TAP_X_REQUESTS_PER_SECOND=2.5`` or ``TAP_X_IDS='{"steps": [1]}'``
        would fail validation. A value that is not JSON is left for validation to name.
        """
        properties = self.config_jsonschema.get("properties", {})
        for name, value in list(self._config.items()):
            declared = properties.get(name, {}).get("type", [])
            kinds = set(declared if isinstance(declared, list) else [declared])
            if isinstance(value, str) and kinds & {"number", "object", "array"}:
                if "string" in kinds:
                    continue
                try:
                    self._config[name] = json.loads(value)
                except ValueError:
                    continue

    def check_settings(self) -> list[str]:
        """Checks beyond the JSON schema, derived from it.

        Every ``date-time`` setting must parse, every ``*_url`` setting must be an http(s)
        URL, and ``end_date`` must not come before ``start_date``. Taps add their own checks
        by extending this list.
        """
        properties = self.config_jsonschema.get("properties", {})
        errors = [
            error
            for name, spec in properties.items()
            for error in (
                check_date_setting(self.config, name)
                if spec.get("format") == "date-time"
                else None,
                check_url_setting(self.config, name) if name.endswith("_url") else None,
            )
            if error
        ]
        if not errors and self.config.get("start_date") and self.config.get("end_date"):
            start = parse_datetime(self.config["start_date"])
            end = parse_datetime(self.config["end_date"])
            if start and end and end < start:
                errors.append("Setting 'end_date' is before 'start_date'.")
        return errors

    @property
    def redactor(self) -> Redactor:
        """The run's redactor, knowing every secret setting's value."""
        if not hasattr(self, "_redactor"):
            names = secret_setting_names(self.config_jsonschema) | set(self.extra_secret_settings)
            self._redactor = Redactor(str(self.config[n]) for n in names if self.config.get(n))
            install_log_redaction(self._redactor)
        return self._redactor

    @property
    def runtime(self) -> TapRuntime:
        """The shared runtime (rate governor, worker pool, skip ledger)."""
        if not hasattr(self, "_runtime"):
            workers = int(
                self.config.get("max_concurrent_requests", DEFAULT_MAX_CONCURRENT_REQUESTS)
            )
            budgets, rules = self.rate_budgets()
            self._runtime = TapRuntime(
                max_workers=workers,
                governor=Governor(budgets, rules, max_in_flight=workers),
                redactor=self.redactor,
                progress=RunProgress(
                    interval=float(self.config.get("progress_interval", DEFAULT_PROGRESS_INTERVAL)),
                    log=self.logger.info,
                ),
            )
        return self._runtime

    def requests_per_second(self) -> float:
        """The ceiling of the request rate (0: none); taps with another way to say it override."""
        return float(self.config.get("requests_per_second", DEFAULT_REQUESTS_PER_SECOND))

    def rate_budgets(self) -> tuple[list[BudgetSpec], list[tuple[str, str]]]:
        """The run's request budgets and the rules (path pattern -> budget) that assign them.

        By default one adaptive budget for the whole API, for vendors that publish no limit:
        it starts low, grows while answers are fast and clean, backs off on 429 or 503, and
        never passes ``requests_per_second`` (0: no limit and no adaptation). Taps whose
        vendor documents its limits override this with fixed budgets.
        """
        ceiling = self.requests_per_second()
        if ceiling <= 0:
            return [BudgetSpec("API")], []
        start = min(ADAPTIVE_START_RATE, ceiling)
        return [BudgetSpec("API", adaptive=Adaptation(start=start, ceiling=ceiling))], []

    def sync_all(self) -> None:
        """Sync every selected stream, each isolated from the others' failures.

        A stream that fails stops with its children; the other streams complete and write
        their state. The run then logs its summary and fails naming each failed stream.
        With ``fail_fast`` the first failure stops the run, as do credential errors,
        long rate-limit waits and drift under ``schema_drift: fail`` in any case.
        """
        _ = self.redactor  # secrets are masked in logs before the first request
        self.runtime.progress.begin(self.streams)
        for stream in self.streams.values():
            quiet_repeats(stream.logger)
        stopped: BaseException | None = None
        try:
            self._sync_streams()
        except BaseException as exc:
            stopped = exc
            raise
        finally:
            self.runtime.shutdown()
            self.log_run_summary(stopped=stopped)
        failures = self.runtime.failures
        if failures:
            named = "; ".join(f"'{name}': {reason}" for name, reason in failures.items())
            msg = f"{len(failures)} stream(s) failed, the others completed. {named}"
            raise StreamsFailed(msg)

    def _sync_streams(self) -> None:
        """The SDK's ``sync_all`` loop with a failure boundary around each top-level stream."""
        self._reset_state_progress_markers()
        self._set_compatible_replication_methods()
        if self.state:
            self._state_writer.write_state(self.state)
        top_level = [
            stream
            for stream in self.streams.values()
            if (stream.selected or stream.has_selected_descendents)
            and not stream.parent_stream_type
            and isinstance(stream, ResilientRESTStream)
        ]
        ahead = ReadAheadPlan(top_level, depth=self.runtime.max_workers // 2)
        try:
            for stream in self.streams.values():
                if not stream.selected and not stream.has_selected_descendents:
                    self.logger.info("Skipping deselected stream '%s'.", stream.name)
                    continue
                if stream.parent_stream_type:
                    continue  # synced by its parent
                if stream in top_level:
                    ahead.advance(
                        top_level.index(stream),
                        credentials_work=self.runtime.governor.answered.is_set(),
                    )
                try:
                    stream.sync()
                except (AbortedSyncFailedException, AbortedSyncPausedException):
                    raise
                except Exception as exc:  # isolate_failure re-raises what must stop the run
                    self.isolate_failure(stream, exc)
                    continue
                stream.finalize_state_progress_markers()
        finally:
            ahead.cancel()
        if self.runtime.failures:
            # The streams that completed have written their state; say it once more last.
            self._state_writer.write_state(self.state)
        for stream in self.streams.values():
            stream.log_sync_costs()

    def isolate_failure(self, stream: Stream, exc: Exception) -> None:
        """Stop ``stream`` (and its children) for the rest of the run, or re-raise.

        Re-raises with ``fail_fast`` or for errors that stop every stream
        (``RUN_STOPPING_ERRORS``).
        """
        if self.config.get("fail_fast") or isinstance(exc, RUN_STOPPING_ERRORS):
            self.runtime.progress.stopped_in = self.runtime.progress.stopped_in or stream.name
            raise exc
        reason = self.redactor(f"{type(exc).__name__}: {exc}")
        children = sorted(_descendants(stream))
        if children:
            reason += f" (child streams not synced: {', '.join(children)})"
        stream.failure_reason = reason  # type: ignore[attr-defined]
        self.runtime.failures[stream.name] = reason
        self.logger.error("Stream '%s' failed and stops here: %s", stream.name, reason)

    def log_run_summary(self, stopped: BaseException | None = None) -> None:
        """Log the closing summary.

        First what needs attention: skipped resources, drifted fields and failed streams,
        each with its details. Then, last, one table row per stream: records, requests,
        skipped resources, drifted fields, duration, records per second and status.
        """
        ledger, drift, failures = self.runtime.ledger, self.runtime.drift, self.runtime.failures
        if not (ledger.total or drift.fields or failures):
            self.logger.info("Run summary: nothing was skipped, no field drifted.")
        if ledger.total:
            self.logger.warning("Run summary: %d resource(s) skipped.", ledger.total)
            for line in ledger.summary_lines():
                self.logger.warning("  %s", line)
        if drift.fields:
            self.logger.warning("Run summary: %d field(s) drifted from the schema.", drift.fields)
            for line in drift.summary_lines():
                self.logger.warning("  %s", line)
        if failures:
            self.logger.error("Run summary: %d stream(s) failed.", len(failures))
            for name, reason in failures.items():
                self.logger.error("  %s: %s", name, reason)
        budgets = self.runtime.governor.summary_lines()
        if budgets:
            self.logger.info("Request budgets:")
            for line in budgets:
                self.logger.info("  %s", line)
        for line in self.stream_summary_lines(stopped):
            self.logger.info(line)

    def stream_summary_lines(self, stopped: BaseException | None = None) -> list[str]:
        """The per-stream table of this run, as aligned lines."""
        synced = [
            stream
            for stream in self.streams.values()
            if stream.selected or stream.has_selected_descendents
        ]
        progress = self.runtime.progress
        rows = progress.rows(
            [s.name for s in synced],
            skipped=dict(self.runtime.ledger.counts),
            drifted=list(self.runtime.drift.counts),
            failures=self.runtime.failures,
            parents_only=[s.name for s in synced if not s.selected],
        )
        return progress.summary_lines(
            rows, stopped=type(stopped).__name__ if stopped is not None else None
        )


def _descendants(stream: Stream) -> set[str]:
    names: set[str] = set()
    for child in stream.child_streams:
        names.add(child.name)
        names |= _descendants(child)
    return names
