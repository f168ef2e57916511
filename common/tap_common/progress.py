"""Per-stream counts of one run: periodic progress lines and the closing per-stream table.

Streams report what they do (a record written, a request sent, a context started or done);
``RunProgress`` keeps the counts, and every ``interval`` seconds logs one line for each stream
that moved since the last such line. At the end of the run ``summary_lines`` gives one table
row per stream: records, requests, skipped resources, drifted fields, duration and status.

Every line is one log record, so tools that prefix each line (``meltano run``) keep the
table's columns aligned.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from tap_common.settings import DEFAULT_PROGRESS_INTERVAL

#: Skip-ledger kind that means the API refused the whole stream.
UNAVAILABLE_KIND = "stream unavailable"


@dataclass
class StreamCounts:
    """What one stream did so far."""

    records: int = 0
    requests: int = 0
    #: Clock readings of the stream's first and latest activity.
    first: float | None = None
    last: float | None = None
    #: ``(records, requests)`` when its last progress line was logged.
    reported: tuple[int, int] = (0, 0)

    def touch(self, now: float) -> None:
        """Note activity at ``now``."""
        if self.first is None:
            self.first = now
        self.last = now

    @property
    def seconds(self) -> float:
        """Time from the first to the latest activity."""
        if self.first is None or self.last is None:
            return 0.0
        return self.last - self.first


@dataclass
class StreamRow:
    """One row of the closing table."""

    name: str
    records: int
    requests: int
    skipped: int
    drifted: int
    seconds: float
    status: str


def format_duration(seconds: float) -> str:
    """``0.4 s``, ``2m05s``, ``1h02m``."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    whole = int(seconds)
    if whole < 3600:
        return f"{whole // 60}m{whole % 60:02d}s"
    return f"{whole // 3600}h{whole % 3600 // 60:02d}m"


#: Below this many seconds a rate says more about the clock than about the stream.
MIN_RATE_SECONDS = 0.1


def format_rate(records: int, seconds: float) -> str:
    """Records per second, or ``-`` over less than ``MIN_RATE_SECONDS``."""
    if seconds < MIN_RATE_SECONDS:
        return "-"
    return f"{records / seconds:,.1f}"


def plural(count: int, noun: str) -> str:
    """``1 request``, ``2 requests``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


class RunProgress:
    """Thread-safe per-stream counts, progress lines every ``interval`` s, the closing table.

    ``log`` receives each finished line; ``clock`` is ``time.monotonic`` unless a test passes
    its own. An ``interval`` of 0 logs no progress lines (the counts and table still work).
    """

    def __init__(
        self,
        *,
        interval: float = DEFAULT_PROGRESS_INTERVAL,
        log: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = interval
        self.log = log or (lambda _line: None)
        self.clock = clock
        self.streams: dict[str, StreamCounts] = {}
        #: The stream whose error stopped the whole run, if one did.
        self.stopped_in: str | None = None
        self.started = clock()
        self._next_report = self.started + interval
        self._lock = threading.Lock()

    def begin(self, streams: Iterable[str] = ()) -> None:
        """The run starts now: durations and the first progress line count from here.

        Naming the run's ``streams`` up front keeps progress lines aligned from the first.
        """
        with self._lock:
            self.started = self.clock()
            self._next_report = self.started + self.interval
            for name in streams:
                self._counts(name)

    # --- counting ------------------------------------------------------------------------

    def _counts(self, stream: str) -> StreamCounts:
        counts = self.streams.get(stream)
        if counts is None:
            counts = self.streams[stream] = StreamCounts()
        return counts

    def touch(self, stream: str) -> None:
        """Note that ``stream`` is active (a context starts or ends)."""
        with self._lock:
            self._counts(stream).touch(self.clock())

    def record(self, stream: str, count: int = 1) -> None:
        """Count ``count`` records written for ``stream``."""
        with self._lock:
            now = self.clock()
            counts = self._counts(stream)
            counts.records += count
            counts.touch(now)
            lines = self._due_lines(now)
        for line in lines:
            self.log(line)

    def request(self, stream: str) -> None:
        """Count one HTTP request (each try) sent for ``stream``."""
        with self._lock:
            now = self.clock()
            counts = self._counts(stream)
            counts.requests += 1
            counts.touch(now)
            lines = self._due_lines(now)
        for line in lines:
            self.log(line)

    # --- progress lines ------------------------------------------------------------------

    def _due_lines(self, now: float) -> list[str]:
        """The progress lines, if ``interval`` has passed since the last ones (lock held)."""
        if self.interval <= 0 or now < self._next_report:
            return []
        self._next_report = now + self.interval
        moved = {
            name: counts
            for name, counts in self.streams.items()
            if (counts.records, counts.requests) != counts.reported
        }
        width = max(map(len, self.streams), default=0)
        lines = []
        for name, counts in sorted(moved.items()):
            counts.reported = (counts.records, counts.requests)
            lines.append(
                f"Progress: {name:<{width}}  {counts.records:>9,} records so far, "
                f"{format_rate(counts.records, counts.seconds):>8} records/s, "
                f"{plural(counts.requests, 'request')} in {format_duration(counts.seconds)}"
            )
        return lines

    # --- the closing table ---------------------------------------------------------------

    def rows(
        self,
        streams: Iterable[str],
        *,
        skipped: Mapping[tuple[str, str], int],
        drifted: Iterable[tuple[str, str]],
        failures: Mapping[str, str],
        parents_only: Iterable[str] = (),
    ) -> list[StreamRow]:
        """One row per stream of ``streams`` and per other name the ledgers mention.

        ``skipped`` is the skip ledger's ``(stream, kind) -> count``, ``drifted`` its drift
        ledger's ``(stream, field)`` keys; ``parents_only`` names streams synced only for
        their selected children (their own records are not written).
        """
        skip_counts: dict[str, int] = {}
        unavailable: set[str] = set()
        for (name, kind), count in skipped.items():
            skip_counts[name] = skip_counts.get(name, 0) + count
            if kind == UNAVAILABLE_KIND:
                unavailable.add(name)
        drift_counts: dict[str, int] = {}
        for name, _path in drifted:
            drift_counts[name] = drift_counts.get(name, 0) + 1
        known = set(streams)
        parents = set(parents_only)
        names = sorted(known | set(skip_counts) | set(drift_counts) | set(failures))
        with self._lock:
            counts = {name: self.streams.get(name, StreamCounts()) for name in names}
        rows = []
        for name in names:
            stream = counts[name]
            if name in failures:
                status = "failed"
            elif name == self.stopped_in:
                status = "stopped the run"
            elif name in unavailable:
                status = "unavailable"
            elif name not in known:
                status = "-"  # not a stream: e.g. what discovery skipped
            elif stream.first is None:
                status = "not run"
            elif name in parents:
                status = "parent only"
            else:
                status = "ok"
            rows.append(
                StreamRow(
                    name=name,
                    records=stream.records,
                    requests=stream.requests,
                    skipped=skip_counts.get(name, 0),
                    drifted=drift_counts.get(name, 0),
                    seconds=stream.seconds,
                    status=status,
                )
            )
        return rows

    def summary_lines(self, rows: list[StreamRow], stopped: str | None = None) -> list[str]:
        """A heading, a header row, one row per stream and a total row: aligned text.

        ``stopped`` names the error that stopped the run early, if one did.
        """
        elapsed = self.clock() - self.started
        total = StreamRow(
            name="total",
            records=sum(r.records for r in rows),
            requests=sum(r.requests for r in rows),
            skipped=sum(r.skipped for r in rows),
            drifted=sum(r.drifted for r in rows),
            seconds=elapsed,
            status=f"stopped early ({stopped})" if stopped else _total_status(rows),
        )
        header = ("stream", "records", "requests", "skipped", "drifted", "duration", "rec/s")
        table = [
            header,
            *(
                (
                    row.name,
                    f"{row.records:,}",
                    f"{row.requests:,}",
                    f"{row.skipped:,}",
                    f"{row.drifted:,}",
                    format_duration(row.seconds),
                    format_rate(row.records, row.seconds),
                )
                for row in [*rows, total]
            ),
        ]
        statuses = ["status", *(row.status for row in rows), total.status]
        widths = [max(len(cells[i]) for cells in table) for i in range(len(header))]
        lines = [
            f"Stream summary: {len(rows)} stream(s), {total.records:,} records, "
            f"{total.requests:,} requests in {format_duration(elapsed)}."
        ]
        texts = [
            "  ".join(
                [
                    name.ljust(widths[0]),
                    *(c.rjust(w) for c, w in zip(numbers, widths[1:], strict=True)),
                    status,
                ]
            ).rstrip()
            for (name, *numbers), status in zip(table, statuses, strict=True)
        ]
        rule = "-" * max(map(len, texts))
        lines.extend(f"  {text}" for text in [*texts[:-1], rule, texts[-1]])
        return lines


def _total_status(rows: list[StreamRow]) -> str:
    failed = sum(1 for r in rows if r.status in {"failed", "stopped the run"})
    unavailable = sum(1 for r in rows if r.status == "unavailable")
    parts = []
    if failed:
        parts.append(f"{failed} failed")
    if unavailable:
        parts.append(f"{unavailable} unavailable")
    return ", ".join(parts) or "ok"
