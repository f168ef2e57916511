"""Meltano jobs and schedules, several accounts of one vendor, and state kept in PostgreSQL."""

from __future__ import annotations

import json
import re
import uuid

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import URL

from standins import zoom as zoom_standin
from standins.expectations import zoom_expected_counts
from standins.support import serve_in_background, zoom_config

from .conftest import table_counts

STANDIN = zoom_standin.build()
URL_ACME = serve_in_background(STANDIN)
# A second Zoom account: other users and meetings, served on a port of its own.
OTHER = zoom_standin.build(seed=11, hosts=3, instances=12)
URL_GLOBEX = serve_in_background(OTHER)

#: Job per tap; the Dagster orchestration and the README rely on these names.
TAP_JOBS = {
    "tap-zoom": "zoom-to-postgres",
    "tap-mtslink": "mtslink-to-postgres",
    "tap-oktopost": "oktopost-to-postgres",
    "tap-stepik": "stepik-to-postgres",
    "tap-hyperskill": "hyperskill-to-postgres",
}
ACCOUNT_JOBS = {
    "tap-zoom--acme": "zoom-acme-to-postgres",
    "tap-zoom--globex": "zoom-globex-to-postgres",
}
DAILY = re.compile(r"^(@daily|\d{1,2} \d{1,2} \* \* \*)$")


def _expected(standin) -> dict[str, int]:
    return {name: n for name, n in zoom_expected_counts(standin).items() if n}


def test_job_list_has_a_job_per_tap_and_per_example_account(run_meltano):
    proc = run_meltano("job", "list", "--format", "json")

    assert proc.returncode == 0, proc.stderr[-3000:]
    jobs = {job["job_name"]: job["tasks"] for job in json.loads(proc.stdout)["jobs"]}
    expected = {
        job: [f"{tap} target-postgres"] for tap, job in {**TAP_JOBS, **ACCOUNT_JOBS}.items()
    }
    assert jobs == expected


def test_every_tap_job_has_a_daily_schedule_at_its_own_time(run_meltano):
    proc = run_meltano("schedule", "list", "--format=json")

    assert proc.returncode == 0, proc.stderr[-3000:]
    schedules = json.loads(proc.stdout)["schedules"]
    assert not schedules["elt"], "schedules run jobs, not elt pipelines"
    crons = {s["job"]["name"]: s["cron_interval"] for s in schedules["job"]}
    assert set(crons) == set(TAP_JOBS.values())
    assert all(DAILY.match(cron) for cron in crons.values()), crons
    assert len(set(crons.values())) == len(crons), f"two jobs start together: {crons}"


def _url(dsn: str, scheme: str, database: str | None = None) -> str:
    """``dsn`` as a URL with ``scheme`` (a SQLAlchemy dialect+driver), for ``database``."""
    params = psycopg.conninfo.conninfo_to_dict(dsn)
    return URL.create(
        scheme,
        username=params.get("user"),
        password=params.get("password") or None,
        host=params.get("host", "127.0.0.1"),
        port=int(params.get("port", 5432)),
        database=database or params.get("dbname"),
    ).render_as_string(hide_password=False)


@pytest.fixture
def system_db(pg_dsn):
    """A fresh PostgreSQL database for Meltano's system database; its SQLAlchemy URL."""
    name = f"meltano_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    yield (
        _url(pg_dsn, "postgresql+psycopg", name),
        psycopg.conninfo.make_conninfo(pg_dsn, dbname=name),
    )
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database {} with (force)").format(sql.Identifier(name)))


def test_zoom_job_loads_every_row_and_keeps_its_state_in_postgresql(
    run_meltano, settings_env, pg_counts, system_db
):
    uri, state_dsn = system_db
    env = {**settings_env("TAP_ZOOM", zoom_config(URL_ACME)), "MELTANO_DATABASE_URI": uri}

    proc = run_meltano("run", "zoom-to-postgres", env=env)

    assert proc.returncode == 0, proc.stderr[-3000:]
    assert pg_counts() == _expected(STANDIN)
    # The state is a row of Meltano's own table in that PostgreSQL database ...
    with psycopg.connect(state_dsn) as conn:
        rows = dict(conn.execute("select state_id, completed_state from state").fetchall())
    assert set(rows) == {"dev:tap-zoom-to-target-postgres"}
    stored = rows["dev:tap-zoom-to-target-postgres"]
    if isinstance(stored, str):
        stored = json.loads(stored)
    # ... and meltano reads it back from there.
    got = run_meltano("state", "get", "dev:tap-zoom-to-target-postgres", env=env)
    assert got.returncode == 0, got.stderr[-3000:]
    bookmarks = json.loads(got.stdout)["singer_state"]["bookmarks"]
    assert bookmarks["past_meetings"]["replication_key_value"]
    assert bookmarks == stored["singer_state"]["bookmarks"]


def test_state_backend_uri_has_no_postgresql_scheme(run_meltano, pg_dsn):
    """Why the README keeps state in PostgreSQL through database_uri, not state_backend.uri."""
    env = {"MELTANO_STATE_BACKEND_URI": _url(pg_dsn, "postgresql")}

    proc = run_meltano("state", "list", env=env)

    assert proc.returncode != 0
    assert "No state backend found for scheme 'postgresql'" in proc.stdout + proc.stderr


def test_an_account_never_reads_the_parent_taps_credentials(run_meltano, settings_env):
    """tap-zoom's variables are set, tap-zoom--globex's are not: it gets no credentials."""
    env = settings_env("TAP_ZOOM", zoom_config(URL_ACME))

    proc = run_meltano(
        "--environment=dev", "config", "--unsafe", "print", "tap-zoom--globex", env=env
    )

    assert proc.returncode == 0, proc.stderr[-3000:]
    config = json.loads(proc.stdout)
    assert not {"account_id", "client_id", "client_secret"} & set(config)
    assert config["api_url"] == f"{URL_ACME}/v2", "other settings are inherited"


@pytest.fixture
def account_schemas(pg_dsn):
    """The accounts' own target schemas (their namespaces), dropped before and after."""
    names = ["tap_zoom__acme", "tap_zoom__globex"]

    def drop():
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            for name in names:
                conn.execute(
                    sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(name))
                )

    drop()
    yield names
    drop()


def test_two_accounts_load_their_own_data_into_their_own_schemas_with_their_own_state(
    run_meltano, settings_env, pg_dsn, account_schemas
):
    env = {
        **settings_env("TAP_ZOOM__ACME", zoom_config(URL_ACME)),
        **settings_env("TAP_ZOOM__GLOBEX", zoom_config(URL_GLOBEX)),
        # No schema override: the project's default, each account's namespace.
        "TARGET_POSTGRES_DEFAULT_TARGET_SCHEMA": None,
    }

    proc = run_meltano("run", "zoom-acme-to-postgres", "zoom-globex-to-postgres", env=env)

    assert proc.returncode == 0, proc.stderr[-3000:]
    acme, globex = account_schemas
    assert _expected(STANDIN) != _expected(OTHER)
    assert table_counts(pg_dsn, acme) == _expected(STANDIN)
    assert table_counts(pg_dsn, globex) == _expected(OTHER)

    listed = run_meltano("state", "list", "--pattern", "dev:tap-zoom--*", env=env)
    assert listed.returncode == 0, listed.stderr[-3000:]
    assert sorted(listed.stdout.split()) == [
        "dev:tap-zoom--acme-to-target-postgres",
        "dev:tap-zoom--globex-to-target-postgres",
    ]
    bookmarks = {}
    for account in ("acme", "globex"):
        got = run_meltano("state", "get", f"dev:tap-zoom--{account}-to-target-postgres", env=env)
        assert got.returncode == 0, got.stderr[-3000:]
        bookmarks[account] = json.loads(got.stdout)["singer_state"]["bookmarks"]
    assert bookmarks["acme"]["past_meetings"] != bookmarks["globex"]["past_meetings"]
