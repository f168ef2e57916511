"""tap-oktopost end to end: BI export CSVs and REST entities through meltano into PostgreSQL."""

from __future__ import annotations

from standins import oktopost
from standins.support import serve_in_background

STANDIN = oktopost.build()
CONFIG = oktopost.tap_config(serve_in_background(STANDIN))


def test_meltano_run_into_postgres_loads_every_row(run_meltano, settings_env, pg_counts):
    proc = run_meltano(
        "run",
        "--full-refresh",
        "tap-oktopost",
        "target-postgres",
        env=settings_env("TAP_OKTOPOST", CONFIG),
    )

    assert proc.returncode == 0, proc.stderr[-3000:]
    expected = {name: n for name, n in oktopost.expected_counts(STANDIN).items() if n}
    assert pg_counts() == expected
    assert any(name.startswith("bi_") for name in expected), "a table per CSV of the exports"
