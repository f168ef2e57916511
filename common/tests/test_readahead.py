"""Top-level streams read ahead: bounded, ordered, errors where they happened, cancellable."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from tap_common.readahead import ReadAhead


class FakeStream:
    """What ``ReadAhead`` needs of a stream: a name and its records."""

    name = "fake"

    def __init__(self, n: int, fail_after: int | None = None) -> None:
        self.n = n
        self.fail_after = fail_after
        self.read = 0
        self.done = threading.Event()

    def fetch_records(self, context: object) -> Iterator[dict]:
        assert context is None
        try:
            for i in range(self.n):
                if self.fail_after is not None and i == self.fail_after:
                    msg = "HTTP 500 on page 3"
                    raise RuntimeError(msg)
                self.read = i + 1
                yield {"id": i}
        finally:
            self.done.set()


def _settle(stream: FakeStream) -> int:
    """The records read once the reader has stopped moving."""
    before = -1
    while stream.read != before:
        before = stream.read
        time.sleep(0.05)
    return stream.read


def test_records_wait_in_a_bounded_queue_and_come_out_in_order():
    stream = FakeStream(5000)
    reader = ReadAhead(stream, limit=10)  # type: ignore[arg-type]
    reader.start()

    assert _settle(stream) <= 11, "the reader stops when its queue is full"
    assert [r["id"] for r in reader.records()] == list(range(5000))


def test_an_error_comes_out_after_the_records_before_it():
    reader = ReadAhead(FakeStream(10, fail_after=3), limit=100)  # type: ignore[arg-type]
    reader.start()
    got = []

    with pytest.raises(RuntimeError, match="page 3"):
        got.extend(r["id"] for r in reader.records())
    assert got == [0, 1, 2]


def test_a_cancelled_reader_stops_even_with_a_full_queue():
    stream = FakeStream(5000)
    reader = ReadAhead(stream, limit=5)  # type: ignore[arg-type]
    reader.start()
    _settle(stream)

    reader.cancel()

    assert stream.done.wait(2), "the reader thread ended"
    assert stream.read < 5000
