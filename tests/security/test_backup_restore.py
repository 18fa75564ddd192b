"""`make backup` / `make restore` round-trip the demo data AND the media files: every table has the same rows and
MEDIA_ROOT the same files after a restore, also over a changed database and media directory; restoring an older
backup does not remind again the days that had been handled after it."""

import os
import subprocess
import sys
import tarfile
import uuid
from datetime import timedelta
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


def backup_script(command, url, *args, media=None):
    env = {name: value for name, value in os.environ.items() if not name.startswith(("DATABASE_URL", "MEDIA_ROOT"))}
    env["DATABASE_URL"] = url
    env["MEDIA_ROOT"] = str(media) if media else "/nonexistent-media-root"
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


def files_under(root):
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(Path(root).rglob("*")) if path.is_file()}


def users_checksum(url):
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(
            "SELECT md5(string_agg(u.id || ':' || u.first_name || ':' || u.email, ',' ORDER BY u.id)) "
            "FROM coordination_user u"
        ).fetchone()[0]


def test_backup_and_restore_round_trip_the_demo_data_and_the_media(transactional_db, fresh_database, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump/pg_restore need the PostgreSQL test database (make test)")
    call_command("seed_demo", verbosity=0)
    source_url = database_url(connection.settings_dict)
    before = row_counts(source_url)
    users_before = users_checksum(source_url)
    assert before["voters_petition"] > 0 and before["charters_charter"] > 0 and before["coordination_auditevent"] > 0
    media = tmp_path / "media"
    (media / "charters" / "reports" / "7").mkdir(parents=True)
    (media / "charters" / "reports" / "7" / "12-0a1b2c.pdf").write_bytes(b"%PDF-1.7 report " + bytes(range(256)))
    (media / "meetings" / "minutes").mkdir(parents=True)
    (media / "meetings" / "minutes" / "bien-ban-ky-hop.pdf").write_bytes(b"%PDF-1.7 minutes")
    (media / "voters").mkdir()
    (media / "voters" / "scan.png").write_bytes(b"\x89PNG scan")
    (media / "charters" / "reports" / "7" / ".render-x.part").write_bytes(b"half a render")
    expected_media = {name: data for name, data in files_under(media).items() if not name.endswith(".part")}

    archive = tmp_path / "phoihop.tar"
    result = backup_script("backup", source_url, archive, media=media)
    assert result.returncode == 0, result.stderr
    assert not archive.with_name("phoihop.tar.partial").exists()
    with tarfile.open(archive) as opened:
        names = opened.getnames()
        assert opened.extractfile("database.dump").read(5) == b"PGDMP"  # pg_dump's custom format
    assert "media/charters/reports/7/12-0a1b2c.pdf" in names and "media/voters/scan.png" in names
    assert not [name for name in names if name.endswith(".part")]

    # The restore target has another, changed media directory; the database is empty.
    target_media = tmp_path / "target-media"
    (target_media / "charters" / "reports" / "7").mkdir(parents=True)
    (target_media / "charters" / "reports" / "7" / "12-0a1b2c.pdf").write_bytes(b"overwritten later")
    (target_media / "added-after-the-backup.pdf").write_bytes(b"not in the backup")
    result = backup_script("restore", fresh_database, archive, media=target_media)
    assert result.returncode == 0, result.stderr

    def same_rows(url):
        after = row_counts(url)
        # The restore adds one row: the reminder watermark (see test_restoring_an_older_backup...).
        assert after.pop("coordination_reminderscan") == before["coordination_reminderscan"] + 1
        return after == {name: count for name, count in before.items() if name != "coordination_reminderscan"}

    assert same_rows(fresh_database)
    assert users_checksum(fresh_database) == users_before
    assert files_under(target_media) == expected_media

    # Change both after the restore, then restore again: rows and files come back as they were.
    with psycopg.connect(fresh_database, autocommit=True) as conn:
        conn.execute("UPDATE coordination_user SET first_name = 'Đã đổi sau sao lưu'")
    (target_media / "voters" / "scan.png").unlink()
    (target_media / "meetings" / "minutes" / "bien-ban-ky-hop.pdf").write_bytes(b"changed")
    (target_media / "new.pdf").write_bytes(b"new")
    result = backup_script("restore", fresh_database, archive, media=target_media)
    assert result.returncode == 0, result.stderr
    assert same_rows(fresh_database)
    assert users_checksum(fresh_database) == users_before
    assert files_under(target_media) == expected_media


def test_restoring_an_older_backup_does_not_remind_again(transactional_db, agencies, ubnd_clerk, tmp_path, settings):
    """Backup on D0; the scans of D0+1 and D0+2 email their reminders; then the D0 backup is restored. The
    next scan (D0+3) must not record and email D0+1's and D0+2's reminders again."""
    from django.core import mail

    from coordination import reminders
    from coordination.models import ReminderLedger, ReminderScan
    from tests.coordination.test_reminders import TODAY, task

    if connection.vendor != "postgresql":
        pytest.skip("pg_dump/pg_restore need the PostgreSQL test database (make test)")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    d0 = TODAY
    # Each is reminded on one of the days only ("due in 7 days"; 4-6 days ahead nothing is due).
    task(agencies, 7 + 1, title="Nhắc ngày D0+1")
    task(agencies, 7 + 2, title="Nhắc ngày D0+2")
    task(agencies, 7 + 3, title="Nhắc ngày D0+3")
    reminders.reminders_scan(d0)
    url = database_url(connection.settings_dict)
    archive = tmp_path / "older.tar"
    assert backup_script("backup", url, archive, media=tmp_path / "media").returncode == 0
    reminders.reminders_scan(d0 + timedelta(days=1))
    reminders.reminders_scan(d0 + timedelta(days=2))
    assert [message.body.count("Nhắc ngày") for message in mail.outbox] == [1, 1]

    connection.close()
    result = backup_script("restore", url, archive, media=tmp_path / "media")
    assert result.returncode == 0, result.stderr
    assert not ReminderLedger.objects.filter(day__gt=d0).exists()  # the older ledger is back
    assert ReminderScan.objects.get(day=d0 + timedelta(days=2)).source == "restore"

    reminders.reminders_scan(d0 + timedelta(days=3))

    assert list(ReminderLedger.objects.values_list("day", "kind")) == [(d0 + timedelta(days=3), "due_soon_7")]
    assert len(mail.outbox) == 3
    assert "Nhắc ngày D0+3" in mail.outbox[-1].body
    assert "Nhắc ngày D0+1" not in mail.outbox[-1].body and "Nhắc ngày D0+2" not in mail.outbox[-1].body


def test_restore_refuses_a_missing_file_and_a_non_postgresql_url(tmp_path):
    result = backup_script("restore", "postgres://postgres@127.0.0.1:1/none", tmp_path / "missing.dump")
    assert result.returncode != 0 and "no backup file" in result.stderr
    result = backup_script("backup", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode != 0 and "need PostgreSQL" in result.stderr
