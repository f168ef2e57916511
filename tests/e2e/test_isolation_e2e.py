"""A failing stream through ``meltano run``: the others load with their state, the run says why.

The Zoom stand-in serves ``/report/daily`` without its key field (``keyless``), so the
``daily_usage`` stream fails. Every other stream must reach PostgreSQL in full with its
bookmark, the run must exit non-zero naming the stream, and the next run, once the API is
healthy again, completes from the state the failing run kept.
"""

from __future__ import annotations

import json

from standins import zoom as zoom_standin
from standins.expectations import zoom_expected_counts
from standins.support import serve_in_background, zoom_config

STATE_ID = "dev:tap-zoom-to-target-postgres:isolation"


def test_one_failing_stream_leaves_the_others_loaded_and_resumable(
    run_meltano, settings_env, pg_counts
):
    broken = zoom_standin.build(keyless=r"/report/daily")
    env = settings_env("TAP_ZOOM", zoom_config(serve_in_background(broken)))
    env["MELTANO_RUN_STATE_ID_SUFFIX"] = "isolation"

    first = run_meltano("run", "tap-zoom", "target-postgres", env=env)

    assert first.returncode != 0
    assert "daily_usage" in first.stderr
    assert "failed" in first.stderr
    expected = {name: n for name, n in zoom_expected_counts(broken).items() if n}
    counts = pg_counts()
    assert not counts.pop("daily_usage", 0)
    assert counts == {name: n for name, n in expected.items() if name != "daily_usage"}
    state = run_meltano("state", "get", STATE_ID, env=env)
    bookmarks = json.loads(state.stdout)["singer_state"]["bookmarks"]
    assert bookmarks["past_meetings"]["replication_key_value"]
    assert "daily_usage" not in bookmarks or not bookmarks["daily_usage"].get(
        "replication_key_value"
    )

    healthy = zoom_standin.build()
    env = settings_env("TAP_ZOOM", zoom_config(serve_in_background(healthy)))
    env["MELTANO_RUN_STATE_ID_SUFFIX"] = "isolation"
    second = run_meltano("run", "tap-zoom", "target-postgres", env=env)

    assert second.returncode == 0, second.stderr[-3000:]
    assert pg_counts()["daily_usage"] == expected["daily_usage"]
