"""tap-hyperskill and tap-stepik end to end: meltano run into PostgreSQL, row counts checked."""

from __future__ import annotations

import pytest

from standins import stepik
from standins.support import serve_in_background


@pytest.mark.parametrize(
    ("plugin", "platform"), [("tap-hyperskill", "hyperskill"), ("tap-stepik", "stepik")]
)
def test_meltano_run_into_postgres_loads_every_row(
    run_meltano, settings_env, pg_counts, plugin, platform
):
    standin = stepik.build(platform=platform)
    config = stepik.tap_config(standin, serve_in_background(standin), requests_per_second=0)
    env_prefix = plugin.upper().replace("-", "_")

    proc = run_meltano(
        "run", "--full-refresh", plugin, "target-postgres", env=settings_env(env_prefix, config)
    )

    assert proc.returncode == 0, proc.stderr[-3000:]
    expected = {name: n for name, n in stepik.expected_counts(standin).items() if n}
    assert pg_counts() == expected
