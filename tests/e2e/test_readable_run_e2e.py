"""A readable run: `meltano run tap-zoom target-jsonl` as the demo runs it, through the meltano CLI.

By default the SDK's per-request METRIC lines are not in the log at INFO, and the tap's log
ends with its per-stream table, whose counts match what the target wrote and what the API
served. ``metrics_log_level`` brings the METRIC lines back; ``metrics_log_file`` sends them to
a file instead.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from standins import zoom as zoom_standin
from standins.expectations import zoom_expected_counts
from standins.support import serve_in_background, zoom_config

STANDIN = zoom_standin.build()
URL = serve_in_background(STANDIN)

#: One console line of `meltano run`: time, [level], plugin, message.
LINE = re.compile(r"^\S+ \[(?P<level>[a-z]+)\s*\] (?P<plugin>\S+) +(?P<message>.*)$")


@dataclass
class LogLine:
    level: str
    plugin: str
    message: str


@dataclass
class Run:
    returncode: int
    stderr: str
    lines: list[LogLine]
    output: dict[str, int]

    def of(self, plugin: str) -> list[LogLine]:
        return [line for line in self.lines if line.plugin == plugin]

    def stream_table(self) -> dict[str, list[str]]:
        """The tap's closing table, by stream: the cells of each row."""
        tap = [line.message for line in self.of("tap-zoom")]
        starts = [i for i, text in enumerate(tap) if text.startswith("Stream summary:")]
        assert starts, "no 'Stream summary' in the tap's log"
        header, *rows = tap[starts[-1] + 1 :]
        assert header.split()[:3] == ["stream", "records", "requests"]
        return {row.split()[0]: row.split() for row in rows if not row.startswith("-")}


@pytest.fixture
def meltano_run(meltano_home, project_root, settings_env, tmp_path):
    """``meltano run --full-refresh tap-zoom target-jsonl`` on the stand-in, output in tmp."""

    def run(**settings: str) -> Run:
        out = tmp_path / "out"
        out.mkdir(exist_ok=True)
        env = {
            **{k: v for k, v in os.environ.items() if not re.match(r"^(TAP|TARGET)_", k)},
            "MELTANO_DATABASE_URI": f"sqlite:///{meltano_home}/meltano.db",
            "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
            "TARGET_JSONL_DESTINATION_PATH": str(out),
            **settings_env("TAP_ZOOM", {**zoom_config(URL), **settings}),
        }
        STANDIN.clear()
        proc = subprocess.run(
            [
                str(project_root / ".venv" / "bin" / "meltano"),
                *("run", "--full-refresh", "tap-zoom", "target-jsonl"),
            ],
            cwd=project_root,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        lines = [
            LogLine(**match.groupdict())
            for match in map(LINE.match, proc.stderr.splitlines())
            if match
        ]
        output = {p.stem: sum(1 for _ in p.open()) for p in out.glob("*.jsonl")}
        return Run(proc.returncode, proc.stderr, lines, output)

    return run


def api_requests() -> int:
    """Requests the stand-in answered, less OAuth token requests (not a stream's)."""
    return sum(1 for request in STANDIN.log if not request.path.startswith("/oauth"))


def test_default_run_has_no_metric_lines_at_info_and_ends_with_the_stream_table(meltano_run):
    run = meltano_run()

    assert run.returncode == 0, run.stderr[-3000:]
    assert run.of("tap-zoom"), run.stderr[-3000:]
    assert not [line for line in run.lines if "METRIC" in line.message]
    last_tap_line = run.of("tap-zoom")[-1]
    assert last_tap_line.message.split()[0] == "total"
    table = run.stream_table()
    expected = {name: n for name, n in zoom_expected_counts(STANDIN).items() if n}
    assert run.output == expected
    assert {name: int(row[1].replace(",", "")) for name, row in table.items()} == {
        **zoom_expected_counts(STANDIN),
        "total": sum(expected.values()),
    }
    assert int(table["total"][2].replace(",", "")) == api_requests()
    assert int(table["meeting_participants"][3]) == len(STANDIN.deleted_uuids)


def test_metrics_log_level_info_puts_every_request_back_in_the_log(meltano_run):
    run = meltano_run(metrics_log_level="info")

    assert run.returncode == 0, run.stderr[-3000:]
    metric_lines = [line for line in run.of("tap-zoom") if line.message.startswith("METRIC")]
    assert {line.level for line in metric_lines} == {"info"}
    durations = [line for line in metric_lines if "http_request_duration" in line.message]
    assert len(durations) == api_requests()
    assert run.of("tap-zoom")[-1].message.split()[0] == "total"


def test_metrics_log_file_gets_the_points_and_the_log_none(meltano_run, tmp_path: Path):
    path = tmp_path / "metrics.jsonl"

    run = meltano_run(metrics_log_level="off", metrics_log_file=str(path))

    assert run.returncode == 0, run.stderr[-3000:]
    assert not [line for line in run.lines if "METRIC" in line.message]
    points = [json.loads(line) for line in path.read_text().splitlines()]
    durations = [p for p in points if p["metric"] == "http_request_duration"]
    assert len(durations) == api_requests()
    assert zoom_standin.CLIENT_SECRET not in path.read_text()
