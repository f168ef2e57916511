"""Error kinds the taps tell apart, and the ledger of what a run skipped."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

from singer_sdk.exceptions import FatalAPIError


class SkippedResource(Exception):
    """One resource (a deleted meeting, an unlicensed user...) is gone: skip it.

    Raised while fetching one child context or one page; the stream logs a warning,
    counts it in the run's ledger and goes on with the next resource.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StreamUnavailable(Exception):
    """The credentials cannot read this whole endpoint family (e.g. a missing scope).

    Taps that choose to go on without the stream catch it; otherwise it is fatal.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AuthFailure(FatalAPIError):
    """Credentials are missing, wrong or lack a permission: the run must stop."""


@dataclass
class SkipLedger:
    """Thread-safe count of what a run skipped, for the closing summary."""

    _lock: threading.Lock = field(default_factory=threading.Lock)
    counts: Counter = field(default_factory=Counter)
    examples: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, stream: str, kind: str, detail: str) -> None:
        """Count one skipped resource of ``kind`` in ``stream``."""
        with self._lock:
            self.counts[(stream, kind)] += 1
            self.examples.setdefault((stream, kind), detail)

    @property
    def total(self) -> int:
        """How many resources were skipped in all."""
        return sum(self.counts.values())

    def summary_lines(self) -> list[str]:
        """One line per (stream, kind), sorted, with a count and a first example."""
        return [
            f"{stream}: {count} skipped ({kind}), e.g. {self.examples[(stream, kind)]}"
            for (stream, kind), count in sorted(self.counts.items())
        ]
