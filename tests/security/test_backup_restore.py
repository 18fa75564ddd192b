"""`make backup` / `make restore` round-trip the demo data: every table has the same rows after a restore."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from tests.realparts import database_url

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = pytest.mark.postgres


def row_counts(url):
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        return {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}  # noqa: S608


def backup_script(command, url, *args):
    env = {name: value for name, value in os.environ.items() if not name.startswith("DATABASE_URL")}
    env["DATABASE_URL"] = url
    return subprocess.run(
        [sys.executable, "scripts/backup.py", command, *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, dropped afterwards."""
    settings_dict = dict(connection.settings_dict)
    name = f"restore_{uuid.uuid4().hex[:10]}"
    admin_url = database_url({**settings_dict, "NAME": "postgres"})
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url({**settings_dict, "NAME": name})
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_and_restore_round_trip_the_demo_data(transactional_db, fresh_database, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump/pg_restore need the PostgreSQL test database (make test)")
    call_command("seed_demo", verbosity=0)
    source_url = database_url(connection.settings_dict)
    before = row_counts(source_url)
    assert before["voters_petition"] > 0 and before["charters_charter"] > 0 and before["coordination_auditevent"] > 0

    dump = tmp_path / "phoihop.dump"
    result = backup_script("backup", source_url, dump)
    assert result.returncode == 0, result.stderr
    assert dump.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format
    result = backup_script("restore", fresh_database, dump)
    assert result.returncode == 0, result.stderr

    assert row_counts(fresh_database) == before
    # Restoring again over the restored data (--clean --if-exists) gives the same database, not doubled rows.
    result = backup_script("restore", fresh_database, dump)
    assert result.returncode == 0, result.stderr
    assert row_counts(fresh_database) == before


def test_restore_refuses_a_missing_file_and_a_non_postgresql_url(tmp_path):
    result = backup_script("restore", "postgres://postgres@127.0.0.1:1/none", tmp_path / "missing.dump")
    assert result.returncode != 0 and "no backup file" in result.stderr
    result = backup_script("backup", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode != 0 and "need PostgreSQL" in result.stderr
