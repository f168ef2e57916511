"""Dagster: the Meltano jobs and schedules as Dagster definitions, one job run into PostgreSQL.

The job runs in-process (`execute_in_process`), its op runs `meltano run zoom-to-postgres` as a
subprocess against the Zoom stand-in served from this test process.
"""

from __future__ import annotations

import importlib
import shutil
import sys
import textwrap
from pathlib import Path

import dagster as dg
import yaml
from meltano.core.schedule import CRON_INTERVALS

from standins import zoom as zoom_standin
from standins.expectations import zoom_expected_counts
from standins.support import serve_in_background, zoom_config

from .conftest import target_postgres_env

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "orchestrate") not in sys.path:
    sys.path.insert(0, str(ROOT / "orchestrate"))  # as `dagster -d orchestrate` does
definitions = importlib.import_module("vendor_taps_dagster.definitions")

STANDIN = zoom_standin.build()
URL = serve_in_background(STANDIN)


def meltano_env(pg_dsn: str, schema: str, meltano_db: Path, zoom: dict[str, str]) -> dict:
    """Settings for one `meltano run`: the Zoom stand-in, the test database, its own state."""
    return {
        **zoom,
        "MELTANO_DATABASE_URI": f"sqlite:///{meltano_db}",
        "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
        **target_postgres_env(pg_dsn, schema),
    }


def op_config(job: dg.JobDefinition, env: dict) -> dict:
    (node,) = job.nodes
    return {"ops": {node.name: {"config": {"env": env}}}}


def test_definitions_have_a_job_and_schedule_per_meltano_job_and_schedule():
    project = yaml.safe_load((ROOT / "meltano.yml").read_text())
    meltano_jobs = {job["name"] for job in project["jobs"]}
    meltano_schedules = {
        s["name"]: {**s, "cron": CRON_INTERVALS.get(s["interval"], s["interval"])}
        for s in project["schedules"]
    }
    meltano_schedules = {name: s for name, s in meltano_schedules.items() if s["cron"]}
    assert "zoom-to-postgres" in meltano_jobs

    defs = definitions.defs
    jobs = {job.name: job for job in defs.resolve_all_job_defs()}
    assert set(jobs) == {name.replace("-", "_") for name in meltano_jobs}
    for name in meltano_jobs:
        job = jobs[name.replace("-", "_")]
        assert job.tags["meltano/job"] == name
        (node,) = job.nodes
        policy = node.definition.retry_policy
        assert policy.max_retries >= 1
        assert policy.delay > 0
    assert jobs["zoom_to_postgres"].tags["meltano/extractor"] == "tap-zoom"
    assert jobs["zoom_to_postgres"].tags["meltano/loader"] == "target-postgres"

    schedules = {s.name: s for s in defs.schedules}
    assert set(schedules) == {name.replace("-", "_") for name in meltano_schedules}
    for name, meltano_schedule in meltano_schedules.items():
        schedule = schedules[name.replace("-", "_")]
        assert schedule.cron_schedule == meltano_schedule["cron"]
        assert schedule.job_name == meltano_schedule["job"].replace("-", "_")
        assert schedule.execution_timezone == "UTC"


def test_project_reading_follows_meltano_rules(tmp_path):
    (tmp_path / "meltano.yml").write_text(
        textwrap.dedent("""
            include_paths: ["./extra/*.yml"]
            plugins:
              extractors: [{name: tap-a}, {name: tap-b, inherit_from: tap-a}]
              loaders: [{name: target-x}]
            jobs:
              - {name: a-to-x, tasks: ["tap-a target-x", "tap-b target-x"]}
            schedules:
              - {name: a-daily, interval: "@daily", job: a-to-x, env: {TAP_A_PAGE_SIZE: 50}}
              - {name: a-once, interval: "@once", job: a-to-x}
              - {name: legacy-elt, interval: "@hourly", extractor: tap-a, loader: target-x}
            """)
    )
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "more.yml").write_text(
        "jobs:\n  - {name: b-to-x, tasks: tap-b target-x}\n"
        "schedules:\n  - {name: b-hourly, interval: '@hourly', job: b-to-x}\n"
    )

    defs = definitions.build_definitions(tmp_path)

    jobs = {job.name: job for job in defs.resolve_all_job_defs()}
    assert set(jobs) == {"a_to_x", "b_to_x"}
    assert jobs["a_to_x"].tags["meltano/extractor"] == "tap-a.tap-b"
    schedules = {s.name: s for s in defs.schedules}
    assert set(schedules) == {"a_daily", "b_hourly"}
    assert schedules["a_daily"].cron_schedule == "0 0 * * *"
    assert schedules["b_hourly"].cron_schedule == "0 * * * *"
    evaluation = schedules["a_daily"].evaluate_tick(dg.build_schedule_context())
    (request,) = evaluation.run_requests
    assert request.run_config == {
        "ops": {"meltano_run_a_to_x": {"config": {"env": {"TAP_A_PAGE_SIZE": "50"}}}}
    }


def test_instance_config_queues_one_run_per_extractor(tmp_path):
    shutil.copy(ROOT / "orchestrate" / "dagster.yaml", tmp_path / "dagster.yaml")

    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        queue = instance.get_concurrency_config().run_queue_config
        assert queue.max_concurrent_runs > 1
        assert {
            "key": "meltano/extractor",
            "value": {"applyLimitPerUniqueValue": True},
            "limit": 1,
        } in queue.tag_concurrency_limits
        assert instance.run_retries_enabled


def test_zoom_job_runs_in_process_into_postgres(
    pg_dsn, schema_name, pg_counts, settings_env, tmp_path
):
    job = definitions.defs.resolve_job_def("zoom_to_postgres")
    zoom = settings_env("TAP_ZOOM", zoom_config(URL))
    env = meltano_env(pg_dsn, schema_name, tmp_path / "meltano.db", zoom)

    result = job.execute_in_process(run_config=op_config(job, env))

    assert result.success
    assert result.dagster_run.tags["meltano/extractor"] == "tap-zoom"
    expected = {name: n for name, n in zoom_expected_counts(STANDIN).items() if n}
    assert pg_counts() == expected


def test_a_failing_meltano_run_is_retried_then_fails_with_its_log(
    pg_dsn, schema_name, settings_env, tmp_path
):
    defs = definitions.build_definitions(retry_policy=dg.RetryPolicy(max_retries=1, delay=0))
    job = defs.resolve_job_def("zoom_to_postgres")
    zoom = settings_env("TAP_ZOOM", zoom_config(URL, client_secret="wrong-secret"))
    env = meltano_env(pg_dsn, schema_name, tmp_path / "meltano.db", zoom)

    result = job.execute_in_process(run_config=op_config(job, env), raise_on_error=False)

    assert not result.success
    events = result.all_node_events
    assert sum(e.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY for e in events) == 1
    (failure,) = [e for e in events if e.event_type == dg.DagsterEventType.STEP_FAILURE]
    metadata = failure.step_failure_data.user_failure_data.metadata
    assert metadata["exit_code"].value != 0
    assert "refused the credentials" in metadata["log_tail"].value
