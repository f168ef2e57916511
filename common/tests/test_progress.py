"""Progress lines every ``interval`` seconds and the closing per-stream table (a fake clock)."""

from __future__ import annotations

import pytest

from tap_common.progress import RunProgress, format_duration, format_rate


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


def test_no_progress_line_before_the_interval(clock):
    lines: list[str] = []
    progress = RunProgress(interval=30, log=lines.append, clock=clock)

    for _ in range(500):
        progress.record("users")
        clock.advance(0.05)  # 25 s in all

    assert lines == []


def test_one_line_per_stream_that_moved_with_records_rate_and_requests(clock):
    lines: list[str] = []
    progress = RunProgress(interval=30, log=lines.append, clock=clock)
    progress.begin()
    progress.request("users")
    progress.request("users")
    for _ in range(200):
        clock.advance(0.1)
        progress.record("users")
    progress.request("meeting_participants")  # 20 s after the start: no line yet
    assert lines == []

    clock.advance(10)
    progress.record("meeting_participants")  # 30 s: the lines are due

    assert lines == [
        "Progress: meeting_participants          1 records so far,      0.1 records/s, "
        "1 request in 10.0 s",
        "Progress: users                       200 records so far,     10.0 records/s, "
        "2 requests in 20.0 s",
    ]


def test_a_stream_that_did_not_move_gets_no_new_line(clock):
    lines: list[str] = []
    progress = RunProgress(interval=10, log=lines.append, clock=clock)
    progress.record("users")
    progress.record("meetings")
    clock.advance(10)
    progress.record("users")
    assert [line.split()[1] for line in lines] == ["meetings", "users"]

    lines.clear()
    clock.advance(10)
    progress.record("users")

    assert [line.split()[1] for line in lines] == ["users"]
    assert "3 records so far" in lines[0]


def test_interval_zero_logs_no_progress_but_still_counts(clock):
    lines: list[str] = []
    progress = RunProgress(interval=0, log=lines.append, clock=clock)

    for _ in range(10):
        progress.record("users")
        progress.request("users")
        clock.advance(100)

    assert lines == []
    assert progress.streams["users"].records == 10
    assert progress.streams["users"].requests == 10


def table(progress: RunProgress, **kwargs) -> list[str]:
    options = {"skipped": {}, "drifted": [], "failures": {}} | kwargs
    streams = options.pop("streams")
    return progress.summary_lines(progress.rows(streams, **options))


def test_summary_table_has_a_row_per_stream_and_a_total(clock):
    progress = RunProgress(interval=0, clock=clock)
    progress.begin()
    progress.touch("users")
    for _ in range(4):
        progress.request("users")
        progress.record("users", 250)
        clock.advance(0.5)
    progress.touch("users")
    progress.request("meetings")
    progress.record("meetings", 3)
    clock.advance(0.5)
    progress.touch("meetings")

    lines = table(
        progress,
        streams=["users", "meetings", "webinars"],
        skipped={("meetings", "resource"): 2, ("meetings", "unlicensed"): 1},
        drifted=[("users", "created_at"), ("users", "settings.tz")],
    )

    assert lines == [
        "Stream summary: 3 stream(s), 1,003 records, 5 requests in 2.5 s.",
        "  stream    records  requests  skipped  drifted  duration  rec/s  status",
        "  meetings        3         1        3        0     0.5 s    6.0  ok",
        "  users       1,000         4        0        2     2.0 s  500.0  ok",
        "  webinars        0         0        0        0     0.0 s      -  not run",
        "  " + "-" * 71,  # as wide as the widest row
        "  total       1,003         5        3        2     2.5 s  401.2  ok",
    ]


def test_summary_statuses(clock):
    progress = RunProgress(interval=0, clock=clock)
    for name in ("users", "meetings", "recordings", "past_meetings"):
        progress.touch(name)
        progress.request(name)
    progress.stopped_in = "past_meetings"

    rows = progress.rows(
        ["users", "meetings", "recordings", "past_meetings"],
        skipped={("recordings", "stream unavailable"): 1, ("discovery", "export"): 2},
        drifted=[],
        failures={"meetings": "FatalAPIError: HTTP 400"},
        parents_only=["users"],
    )

    assert {row.name: row.status for row in rows} == {
        "discovery": "-",
        "meetings": "failed",
        "past_meetings": "stopped the run",
        "recordings": "unavailable",
        "users": "parent only",
    }
    assert progress.summary_lines(rows)[-1].endswith("2 failed, 1 unavailable")


def test_summary_names_the_error_that_stopped_the_run(clock):
    progress = RunProgress(interval=0, clock=clock)
    progress.record("users")

    lines = progress.summary_lines(
        progress.rows(["users"], skipped={}, drifted=[], failures={}), stopped="AuthFailure"
    )

    assert lines[-1].endswith("stopped early (AuthFailure)")


def test_columns_line_up_whatever_the_numbers(clock):
    progress = RunProgress(interval=0, clock=clock)
    progress.record("a", 7)
    progress.touch("b")
    progress.record("a_much_longer_stream_name", 1_234_567)
    clock.advance(4000)
    for _ in range(12_345):
        progress.request("a")

    header, *rows = table(progress, streams=["a", "b", "a_much_longer_stream_name"])[1:]
    rows = [row for row in rows if not row.strip().startswith("-")]

    assert len(rows) == 4
    for column in ("records", "requests", "skipped", "drifted", "duration", "rec/s"):
        end = header.index(column) + len(column)  # numbers are right-aligned under it
        for row in rows:
            assert row[end - 1] != " ", (column, row)
            assert row[end] == " ", (column, row)
    assert {row.index(row.split()[-1]) for row in [header, *rows[:-1]]} == {header.index("status")}


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0.0 s"), (12.34, "12.3 s"), (59.9, "59.9 s"), (125, "2m05s"), (3725, "1h02m")],
)
def test_durations_read_naturally(seconds, text):
    assert format_duration(seconds) == text


def test_rates_over_too_short_a_time_are_not_shown():
    assert format_rate(50, 0.01) == "-"
    assert format_rate(50, 0.5) == "100.0"
    assert format_rate(1_000_000, 2) == "500,000.0"


def test_streams_named_up_front_align_the_first_progress_lines(clock):
    lines: list[str] = []
    progress = RunProgress(interval=5, log=lines.append, clock=clock)
    progress.begin(["users", "dashboard_meeting_participants"])

    progress.record("users")
    clock.advance(5)
    progress.request("users")

    assert lines == [
        "Progress: users                                   1 records so far,      0.2 "
        "records/s, 1 request in 5.0 s"
    ]
