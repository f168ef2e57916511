"""End-to-end fixtures: the real meltano CLI, real targets from PyPI, a real PostgreSQL.

The stand-ins are served from this test process; meltano starts the taps as subprocesses that
reach them over loopback, exactly as they would reach the vendor APIs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
MELTANO = ROOT / ".venv" / "bin" / "meltano"


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.fspath).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def pg_dsn() -> str:
    """The PostgreSQL that scripts/test started (or the one TEST_PG_DSN names)."""
    dsn = os.environ.get("TEST_PG_DSN")
    if not dsn:
        pytest.fail(
            "TEST_PG_DSN is not set: run the tests with scripts/test (it starts PostgreSQL)"
        )
    with psycopg.connect(dsn) as conn:
        conn.execute("select 1")
    return dsn


@pytest.fixture(scope="session")
def meltano_home(tmp_path_factory) -> Path:
    """A system database of our own, so test runs never touch the user's state."""
    if not MELTANO.exists():
        pytest.fail("meltano is not installed: run scripts/setup")
    return tmp_path_factory.mktemp("meltano-system")


@pytest.fixture
def schema_name() -> str:
    """A fresh target schema for one test."""
    return f"e2e_{uuid.uuid4().hex[:10]}"


@pytest.fixture
def run_meltano(pg_dsn, meltano_home, schema_name):
    """Run the meltano CLI in the project root with target-postgres pointed at the test DB."""

    def run(*args: str, env: dict[str, str | None] | None = None, timeout: int = 600):
        """``env`` adds or overrides variables; a value of None removes one."""
        full_env = {
            **{k: v for k, v in os.environ.items() if not re.match(r"^(TAP|TARGET)_", k)},
            "MELTANO_DATABASE_URI": f"sqlite:///{meltano_home}/meltano.db",
            "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
            **target_postgres_env(pg_dsn, schema_name),
            **(env or {}),
        }
        return subprocess.run(
            [str(MELTANO), *args],
            cwd=ROOT,
            env={k: v for k, v in full_env.items() if v is not None},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run


def schema_tables(conn: psycopg.Connection, schema: str) -> list[str]:
    """The names of the tables in ``schema``."""
    return [
        row[0]
        for row in conn.execute(
            "select table_name from information_schema.tables where table_schema = %s",
            (schema,),
        )
    ]


def target_postgres_env(pg_dsn: str, schema: str) -> dict[str, str]:
    """The settings that point target-postgres at ``schema`` of the test database."""
    dsn = psycopg.conninfo.conninfo_to_dict(pg_dsn)
    return {
        "TARGET_POSTGRES_HOST": dsn.get("host", "127.0.0.1"),
        "TARGET_POSTGRES_PORT": str(dsn.get("port", 5432)),
        "TARGET_POSTGRES_USER": dsn.get("user", "postgres"),
        "TARGET_POSTGRES_PASSWORD": dsn.get("password", ""),
        "TARGET_POSTGRES_DATABASE": dsn.get("dbname", "warehouse"),
        "TARGET_POSTGRES_DEFAULT_TARGET_SCHEMA": schema,
    }


def table_counts(dsn: str, schema: str) -> dict[str, int]:
    """Row count of every table in ``schema``."""
    with psycopg.connect(dsn) as conn:
        tables = schema_tables(conn, schema)
        return {
            table: conn.execute(
                psycopg.sql.SQL("select count(*) from {}.{}").format(
                    psycopg.sql.Identifier(schema), psycopg.sql.Identifier(table)
                )
            ).fetchone()[0]
            for table in tables
        }


def tap_env(prefix: str, config: dict) -> dict[str, str]:
    """Meltano env vars (``TAP_X_SETTING``) for a tap config."""
    return {
        f"{prefix}_{key.upper()}": value if isinstance(value, str) else json.dumps(value)
        for key, value in config.items()
    }


@pytest.fixture
def settings_env():
    """Turns a tap config into the env vars meltano reads (``TAP_X_SETTING``)."""
    return tap_env


@pytest.fixture
def project_root() -> Path:
    """The repository root, which is the Meltano project."""
    return ROOT


@pytest.fixture
def pg_counts(pg_dsn, schema_name):
    """Row counts per table of this test's target schema."""
    return lambda: table_counts(pg_dsn, schema_name)
