"""What the schema guard costs: records per second with no network, guard on and off.

One in-process tap with one stream yields synthetic participant-like records (22 fields: ids,
strings, integers, a date-time, a boolean, a nested object, an array of objects) and writes
every Singer message to /dev/null, as the SDK would to a target.

* ``guard on``: the project's stream (``ResilientRESTStream``): every record is validated by
  the compiled guard, and the SDK's own type conformance is off (the guard does that job).
* ``guard off``: the same stream with the guard bypassed and the SDK's default conformance
  (``RECURSIVE``) back, i.e. what a plain singer-sdk tap does.
* ``guard on, 1% drifted``: one record in a hundred has a shape to repair.

Run: ``.venv/bin/python bench/schema_guard.py [records] [repeats]``. Prints a Markdown table and
writes ``bench/results/schema_guard.json``.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from singer_sdk import typing as th
from singer_sdk.helpers.conform import TypeConformanceLevel
from singer_sdk.streams.core import Stream

from tap_common import ResilientRESTStream, RuntimeTap
from tap_common.settings import runtime_properties

RESULTS = Path(__file__).resolve().parent / "results"

SCHEMA = th.PropertiesList(
    th.Property("id", th.StringType, required=True),
    th.Property("meeting_uuid", th.StringType, required=True),
    th.Property("user_id", th.StringType),
    th.Property("name", th.StringType),
    th.Property("user_email", th.StringType),
    th.Property("join_time", th.DateTimeType),
    th.Property("leave_time", th.DateTimeType),
    th.Property("duration", th.IntegerType),
    th.Property("attentiveness_score", th.StringType),
    th.Property("failover", th.BooleanType),
    th.Property("status", th.StringType),
    th.Property("customer_key", th.StringType),
    th.Property("registrant_id", th.StringType),
    th.Property("participant_user_id", th.StringType),
    th.Property("bo_mtg_id", th.StringType),
    th.Property("internal_user", th.BooleanType),
    th.Property("device", th.StringType),
    th.Property("ip_address", th.StringType),
    th.Property("location", th.StringType),
    th.Property("network_type", th.StringType),
    th.Property(
        "audio",
        th.ObjectType(th.Property("codec", th.StringType), th.Property("bitrate", th.IntegerType)),
    ),
    th.Property(
        "sharing",
        th.ArrayType(
            th.ObjectType(
                th.Property("kind", th.StringType), th.Property("seconds", th.IntegerType)
            )
        ),
    ),
).to_dict()


def make_record(index: int, *, drifted: bool = False) -> dict[str, Any]:
    """One synthetic record; a drifted one has a numeric string and an object as ``[]``."""
    record: dict[str, Any] = {
        "id": f"p{index}",
        "meeting_uuid": f"m{index // 20}==",
        "user_id": str(16778240 + index),
        "name": f"Participant {index}",
        "user_email": f"user{index}@example.com",
        "join_time": "2026-11-02T10:00:00Z",
        "leave_time": "2026-11-02T10:45:00Z",
        "duration": 2700,
        "attentiveness_score": "",
        "failover": False,
        "status": "in_meeting",
        "customer_key": "",
        "registrant_id": "",
        "participant_user_id": f"u{index}",
        "bo_mtg_id": "",
        "internal_user": True,
        "device": "Mac",
        "ip_address": "10.0.0.1",
        "location": "Amsterdam (NL)",
        "network_type": "Wifi",
        "audio": {"codec": "opus", "bitrate": 64000},
        "sharing": [{"kind": "screen", "seconds": 120}],
    }
    if drifted:
        record["duration"] = "2700"
        record["audio"] = []
    return record


class GuardedStream(ResilientRESTStream):
    """The project's stream, records from memory instead of HTTP."""

    name = "participants"
    path = "/participants"
    url_base = "http://127.0.0.1"
    primary_keys = ("meeting_uuid", "id")
    schema = SCHEMA
    total = 0
    drift_every = 0

    def get_records(self, context: Any) -> Iterable[dict[str, Any]]:  # noqa: ARG002
        """Synthetic records; every ``drift_every``-th one drifted."""
        every = self.drift_every
        for index in range(self.total):
            yield make_record(index, drifted=bool(every) and index % every == 0)


class UnguardedStream(GuardedStream):
    """The same stream as a plain singer-sdk tap runs it: no guard, SDK conformance."""

    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.RECURSIVE

    def _write_record_message(self, record: dict) -> None:
        Stream._write_record_message(self, record)  # the SDK's own, without the guard


class BenchTap(RuntimeTap):
    """A tap around one benchmark stream."""

    name = "tap-bench"
    config_jsonschema = th.PropertiesList(*runtime_properties()).to_dict()
    stream_class: type[GuardedStream] = GuardedStream

    def discover_streams(self) -> list[GuardedStream]:
        """The one stream."""
        return [self.stream_class(tap=self)]


def run(stream_class: type[GuardedStream], records: int, drift_every: int = 0) -> float:
    """Records per second for one sync into /dev/null."""
    stream_class.total = records
    stream_class.drift_every = drift_every
    tap_class = type("Tap", (BenchTap,), {"stream_class": stream_class})
    tap = tap_class(config={}, parse_env_config=False)
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        start = time.perf_counter()
        tap.sync_all()
        elapsed = time.perf_counter() - start
    return records / elapsed


def main() -> None:
    """Alternate the cases ``repeats`` times and report the median of each."""
    records = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    import logging  # noqa: PLC0415

    logging.disable(logging.WARNING)  # drift warnings would time the logger, not the guard
    cases = {
        "guard off (SDK conformance)": (UnguardedStream, 0),
        "guard on": (GuardedStream, 0),
        "guard on, 1% drifted": (GuardedStream, 100),
    }
    run(GuardedStream, 2_000)  # warm-up: imports, compiled validators
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeats):
        for name, (stream_class, every) in cases.items():
            samples[name].append(run(stream_class, records, every))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    base = medians["guard off (SDK conformance)"]
    print(f"{records:,} records, median of {repeats} runs, stdout to /dev/null\n")
    print("| case | records/s | vs guard off |")
    print("|---|---|---|")
    for name, value in medians.items():
        print(f"| {name} | {value:,.0f} | {value / base - 1:+.1%} |")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "schema_guard.json").write_text(
        json.dumps(
            {"records": records, "repeats": repeats, "samples": samples, "median": medians},
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
