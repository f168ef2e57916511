"""Top-level streams read ahead: the next streams' records are fetched while one is written.

The SDK syncs top-level streams one after another. For a tap whose streams opt in
(``ResilientRESTStream.read_ahead``), the run starts reading the records of the next few
top-level streams on their own threads while the current one is written; each stream's records
wait in a bounded queue until its turn, so the Singer output, the state and the point where an
error surfaces are those of a sequential run, and memory stays bounded however large a stream
is (a large stream only gets a head start).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tap_common.stream import ResilientRESTStream

#: Records of one stream held while it waits for its turn.
QUEUE_RECORDS = 1000
#: Name prefix of the read-ahead threads.
READ_AHEAD_THREAD_PREFIX = "tap-read-ahead"
_RECORD, _ERROR, _END = "record", "error", "end"


class ReadAhead:
    """One top-level stream's records, read on a daemon thread into a bounded queue."""

    def __init__(self, stream: ResilientRESTStream, limit: int = QUEUE_RECORDS) -> None:
        self.stream = stream
        self._queue: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=max(1, limit))
        self._cancelled = threading.Event()
        self._thread = threading.Thread(
            target=self._read,
            name=f"{READ_AHEAD_THREAD_PREFIX}-{stream.name}",
            daemon=True,
        )

    def start(self) -> None:
        self._thread.start()

    def _read(self) -> None:
        try:
            for record in self.stream.fetch_records(None):
                if not self._put((_RECORD, record)):
                    return
        except BaseException as exc:
            self._put((_ERROR, exc))
            return
        self._put((_END, None))

    def _put(self, item: tuple[str, Any]) -> bool:
        while not self._cancelled.is_set():
            try:
                self._queue.put(item, timeout=0.1)
            except queue.Full:
                continue
            return True
        return False

    def records(self) -> Iterator[dict[str, Any]]:
        """The records in the order they were read; an error where it happened."""
        while True:
            kind, value = self._queue.get()
            if kind == _RECORD:
                yield value
            elif kind == _ERROR:
                raise value
            else:
                return

    def cancel(self) -> None:
        """Stop reading (the run ended or stopped before this stream's turn)."""
        self._cancelled.set()


class ReadAheadPlan:
    """Which top-level streams of a run are read ahead, and how many at a time."""

    def __init__(self, streams: list[ResilientRESTStream], depth: int) -> None:
        self.streams = streams
        self.depth = depth
        self.started: dict[str, ReadAhead] = {}

    def advance(self, index: int, *, credentials_work: bool) -> None:
        """Stream ``index`` starts: make sure the next ``depth`` streams are being read.

        Not before the API has accepted a request: a bad key is refused once, not once per
        stream read ahead.
        """
        if not credentials_work:
            return
        for stream in self.streams[index + 1 : index + 1 + self.depth]:
            if stream.name in self.started or not stream.can_read_ahead():
                continue
            # What the SDK does when the stream's sync begins, so a bookmark is read the same.
            stream._write_starting_replication_value(None)
            reader = ReadAhead(stream)
            self.started[stream.name] = reader
            stream.read_ahead_source = reader
            reader.start()

    def cancel(self) -> None:
        for reader in self.started.values():
            reader.cancel()
            reader.stream.read_ahead_source = None
