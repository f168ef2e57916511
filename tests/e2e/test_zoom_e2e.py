"""tap-zoom end to end: meltano into PostgreSQL, discovery, and a plain pipe into target-jsonl."""

from __future__ import annotations

import json
import subprocess

from standins import zoom as zoom_standin
from standins.expectations import zoom_expected_counts
from standins.support import serve_in_background, zoom_config

STANDIN = zoom_standin.build()
URL = serve_in_background(STANDIN)


def test_meltano_run_into_postgres_loads_every_row(run_meltano, settings_env, pg_counts):
    env = settings_env("TAP_ZOOM", zoom_config(URL))

    proc = run_meltano("run", "tap-zoom", "target-postgres", env=env)

    assert proc.returncode == 0, proc.stderr[-3000:]
    expected = {name: n for name, n in zoom_expected_counts(STANDIN).items() if n}
    assert pg_counts() == expected


def test_meltano_run_keeps_state_for_the_next_run(run_meltano, settings_env, pg_counts):
    env = settings_env("TAP_ZOOM", zoom_config(URL))
    env["MELTANO_RUN_STATE_ID_SUFFIX"] = "state-test"

    first = run_meltano("run", "tap-zoom", "target-postgres", env=env)
    assert first.returncode == 0, first.stderr[-3000:]
    state = run_meltano("state", "get", "dev:tap-zoom-to-target-postgres:state-test", env=env)

    bookmarks = json.loads(state.stdout)["singer_state"]["bookmarks"]
    assert bookmarks["past_meetings"]["replication_key_value"]
    assert bookmarks["dashboard_meetings"]["replication_key_value"]


def test_discover_lists_every_stream_with_its_keys(run_meltano, settings_env):
    env = settings_env("TAP_ZOOM", zoom_config(URL))

    proc = run_meltano("invoke", "tap-zoom", "--discover", env=env)

    assert proc.returncode == 0, proc.stderr[-3000:]
    catalog = {s["tap_stream_id"]: s for s in json.loads(proc.stdout)["streams"]}
    assert set(catalog) == set(zoom_expected_counts(STANDIN))
    assert catalog["meeting_participants"]["key_properties"] == [
        "meeting_uuid",
        "user_id",
        "join_time",
    ]
    assert catalog["past_meetings"]["replication_key"] == "start_time"


def test_standalone_pipe_into_target_jsonl(project_root, tmp_path):
    config = tmp_path / "config.json"
    config.write_text(json.dumps(zoom_config(URL)))
    target_config = tmp_path / "target.json"
    target_config.write_text(
        json.dumps({"destination_path": str(tmp_path), "do_timestamp_file": False})
    )
    tap = project_root / ".venv" / "bin" / "tap-zoom"
    target = (
        project_root / ".meltano" / "loaders" / "target-jsonl" / "venv" / "bin" / "target-jsonl"
    )

    pipeline = f"'{tap}' --config '{config}' | '{target}' --config '{target_config}'"
    proc = subprocess.run(
        ["bash", "-o", "pipefail", "-c", pipeline],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = {path.stem: sum(1 for _ in path.open()) for path in tmp_path.glob("*.jsonl")}
    expected = {name: n for name, n in zoom_expected_counts(STANDIN).items() if n}
    assert lines == expected
