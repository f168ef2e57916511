"""What one tap run shares between its streams and threads."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from tap_common.errors import SkipLedger
from tap_common.governor import Governor
from tap_common.http import SessionPool
from tap_common.progress import RunProgress
from tap_common.redaction import Redactor
from tap_common.schema_guard import DriftLedger

#: Name prefix of the run's worker threads.
WORKER_THREAD_PREFIX = "tap-fetch"


@dataclass
class TapRuntime:
    """Rate governor, per-thread sessions, worker pool, ledgers, progress and secret redactor."""

    max_workers: int
    governor: Governor
    redactor: Redactor
    ledger: SkipLedger = field(default_factory=SkipLedger)
    drift: DriftLedger = field(default_factory=DriftLedger)
    #: Streams that failed alone during the run, with the reason (in the order they failed).
    failures: dict[str, str] = field(default_factory=dict)
    #: Records and requests per stream: progress lines and the closing per-stream table.
    progress: RunProgress = field(default_factory=RunProgress)
    _executor: ThreadPoolExecutor | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.sessions = SessionPool(self.governor)

    @property
    def concurrent(self) -> bool:
        """Whether child requests are fetched ahead on worker threads."""
        return self.max_workers > 1

    @property
    def executor(self) -> ThreadPoolExecutor:
        """The worker pool, created on first use."""
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=self.max_workers, thread_name_prefix=WORKER_THREAD_PREFIX
                )
            return self._executor

    def shutdown(self) -> None:
        """Stop the worker pool, dropping work nobody will read (waits for a budget end)."""
        self.governor.close()
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=True, cancel_futures=True)
                self._executor = None
        self.governor.reopen()
