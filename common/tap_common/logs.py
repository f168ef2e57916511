"""What the run's log shows: the SDK's METRIC lines where the settings say, per-context lines once.

The SDK logs a METRIC line at INFO for every HTTP request, and a record count and a timer for
every stream context (every meeting's participants...), on the ``singer_sdk.metrics`` logger.
``route_metrics`` puts a filter on that logger that, per ``metrics_log_level``, relabels them
DEBUG (shown when the run logs debug), keeps them at INFO, or drops them, and with
``metrics_log_file`` appends each point to a file as one JSON object per line.

The SDK also says "Beginning sync of ... with context keys", "Starting incremental sync of ..."
and "Pagination stopped after ..." at INFO for every context of a child stream.
``quiet_repeats`` lets the first of each through per stream and relabels the rest DEBUG.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime, timezone

from singer_sdk import metrics

from tap_common.settings import DEFAULT_METRICS_LOG_LEVEL, METRICS_LOG_LEVELS

#: SDK messages (templates) logged once per context of a stream.
PER_CONTEXT_MESSAGES = frozenset(
    {
        "Beginning sync of '%s' in %s mode with context keys: %s",
        "Starting incremental sync of '%s' with bookmark value: %s",
        "Pagination stopped after %d pages because no records were found in the last response",
    }
)


def _demote(record: logging.LogRecord, level: int) -> None:
    record.levelno = level
    record.levelname = logging.getLevelName(level)


class MetricsFileFormatter(logging.Formatter):
    """One JSON object per METRIC point: ``time``, ``type``, ``metric``, ``value``, ``tags``."""

    def __init__(self, redact: Callable[[str], str] | None = None) -> None:
        super().__init__()
        self.redact = redact or (lambda text: text)

    def format(self, record: logging.LogRecord) -> str:
        """The point as JSON (secrets masked), or the message when it carries no point."""
        point = record.args[0] if isinstance(record.args, tuple) and record.args else None
        when = datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat()
        if isinstance(point, metrics.Point):
            body = {"time": when, **point.to_dict()}
        else:
            body = {"time": when, "message": record.getMessage()}
        return self.redact(json.dumps(body, default=str, separators=(",", ":")))


class MetricsRoute(logging.Filter):
    """On the SDK's metrics logger: each METRIC record to the file, and to the log or not."""

    def __init__(
        self,
        level: str = DEFAULT_METRICS_LOG_LEVEL,
        file: str | None = None,
        redact: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__()
        if level not in METRICS_LOG_LEVELS:
            msg = f"metrics_log_level must be one of {', '.join(METRICS_LOG_LEVELS)}"
            raise ValueError(msg)
        self.level = level
        self.file = file
        self.file_handler: logging.Handler | None = None
        if file:
            handler = logging.FileHandler(file, encoding="utf-8", delay=True)
            handler.setFormatter(MetricsFileFormatter(redact))
            self.file_handler = handler

    def filter(self, record: logging.LogRecord) -> bool:
        """Write the point to the file; pass the record on at the chosen level, or drop it."""
        if self.file_handler is not None:
            self.file_handler.handle(record)
        if self.level == "off":
            return False
        level = logging.DEBUG if self.level == "debug" else logging.INFO
        if record.levelno > level:
            _demote(record, level)
        # The metrics logger's own level let the record through; the run's level decides.
        return logging.getLogger().isEnabledFor(record.levelno)

    def close(self) -> None:
        """Close the file (it is opened again on the next point)."""
        if self.file_handler is not None:
            self.file_handler.close()


def route_metrics(
    level: str = DEFAULT_METRICS_LOG_LEVEL,
    file: str | None = None,
    redact: Callable[[str], str] | None = None,
) -> MetricsRoute:
    """Route the SDK's METRIC lines per the settings (replacing an earlier route)."""
    logger = metrics.get_metrics_logger()
    unroute_metrics()
    route = MetricsRoute(level, file, redact)
    logger.addFilter(route)
    if file and not logger.isEnabledFor(logging.INFO):
        logger.setLevel(logging.INFO)  # the file gets every point whatever the run's level
    return route


def unroute_metrics() -> None:
    """Remove the route: METRIC lines go where the SDK sends them."""
    logger = metrics.get_metrics_logger()
    for old in [f for f in logger.filters if isinstance(f, MetricsRoute)]:
        logger.removeFilter(old)
        old.close()


class RepeatsAtDebug(logging.Filter):
    """On a stream's logger: the first of each per-context SDK message at INFO, the rest DEBUG."""

    def __init__(self, logger: logging.Logger) -> None:
        super().__init__()
        self.logger = logger
        self.seen: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        """Let a message through the first time; relabel it DEBUG after that."""
        message = record.msg
        if record.levelno != logging.INFO or not isinstance(message, str):
            return True
        if message not in PER_CONTEXT_MESSAGES:
            return True
        if message not in self.seen:
            self.seen.add(message)
            return True
        _demote(record, logging.DEBUG)
        return self.logger.isEnabledFor(logging.DEBUG)


def quiet_repeats(logger: logging.Logger) -> None:
    """Install a fresh ``RepeatsAtDebug`` on ``logger`` (one per run)."""
    for old in [f for f in logger.filters if isinstance(f, RepeatsAtDebug)]:
        logger.removeFilter(old)
    logger.addFilter(RepeatsAtDebug(logger))
