"""tap-mtslink end to end: meltano run into PostgreSQL, every table's row count checked."""

from __future__ import annotations

from standins import mtslink
from standins.support import serve_in_background

STANDIN = mtslink.build()
URL = serve_in_background(STANDIN)
CONFIG = {
    "api_token": mtslink.API_TOKEN,
    "api_url": f"{URL}/v3",
    "start_date": "2015-01-01T00:00:00Z",
    "requests_per_second": 0,
}


def test_meltano_run_into_postgres_loads_every_row(run_meltano, settings_env, pg_counts):
    proc = run_meltano(
        "run",
        "--full-refresh",
        "tap-mtslink",
        "target-postgres",
        env=settings_env("TAP_MTSLINK", CONFIG),
    )

    assert proc.returncode == 0, proc.stderr[-3000:]
    expected = {name: n for name, n in mtslink.expected_counts(STANDIN).items() if n}
    assert pg_counts() == expected
