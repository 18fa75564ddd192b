"""Back up and restore the database named by DATABASE_URL AND the media files: `make backup` / `make restore`.

    python scripts/backup.py backup [FILE]    one archive (tar) holding `database.dump` (pg_dump -Fc) and
                                              `media/` (every file under MEDIA_ROOT); default
                                              backups/phoihop-YYYYmmdd-HHMMSS.tar
    python scripts/backup.py restore FILE     pg_restore --clean --if-exists into DATABASE_URL, then MEDIA_ROOT
                                              replaced by the archive's files; a bare .dump restores the database

DATABASE_URL (or DATABASE_URL_FILE, a file holding it) and MEDIA_ROOT are read like the settings read them. The
PostgreSQL client binaries (pg_dump, pg_restore) come from PATH, else from the newest /usr/lib/postgresql/*/bin.

Consistency: the database is dumped first (one snapshot), then the media files are archived. Files are written
once under fresh names and never changed in place, so every file a dumped row names is in the archive (a file
added after the dump is an unreferenced extra). The archive is written under a temporary name and renamed at
the end: an interrupted backup never looks complete. A restore puts the database back in one transaction, then
swaps the media directory's contents (staged beside them, then renamed in).

Reminders: restoring an older backup also restores the old reminder ledger and scan watermark, so the next scan
would record (and email) again the days handled after the backup. The restore therefore keeps the watermark the
database had before the restore (the latest completed scan day it knew) when that is later than the backup's;
when the previous database cannot be read (a restore onto an empty server), today counts as handled once the
day's scan time (REMINDER_SCAN_HOUR:MINUTE, TIME_ZONE) has passed, else yesterday.
"""

import datetime
import glob
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zoneinfo
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def database_url():
    path = os.environ.get("DATABASE_URL_FILE", "")
    url = Path(path).read_text(encoding="utf-8").strip() if path else os.environ.get("DATABASE_URL", "")
    if not url:
        raise SystemExit("DATABASE_URL (or DATABASE_URL_FILE) is not set: which database should be used?")
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        raise SystemExit(f"backup and restore need PostgreSQL; DATABASE_URL uses {parts.scheme!r}")
    # libpq understands postgresql:// URLs (django-environ also accepts postgres://, pgsql://, postgis://).
    return urlunsplit(("postgresql", *parts[1:]))


def client_bin(name):
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda path: int(Path(path).parts[-3].split(".")[0])
    )
    if not candidates:
        raise SystemExit(f"{name} not found: install the PostgreSQL client (apt-get install postgresql-client)")
    return candidates[-1]


def media_root():
    return Path(os.environ.get("MEDIA_ROOT") or ROOT / "var" / "media")


def _skip_partial(member):
    """Leave out half-written files (a render's .part, a backup's .partial) and the restore's staging areas."""
    name = Path(member.name).name
    if name.endswith((".part", ".partial")) or name.startswith((".restore-", ".replaced-")):
        return None
    return member


def backup(target=None):
    if target is None:
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = ROOT / "backups" / f"phoihop-{stamp}.tar"
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    media = media_root()
    with tempfile.TemporaryDirectory(prefix="phoihop-backup-", dir=target.parent) as work:
        dump = Path(work) / "database.dump"
        # The database first: every file its rows name already exists when the media are archived below.
        subprocess.run(  # noqa: S603 - fixed arguments
            [client_bin("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}",
             f"--dbname={database_url()}"],
            check=True,
        )  # fmt: skip
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname="database.dump")
            if media.is_dir():
                archive.add(media, arcname="media", filter=_skip_partial)
            else:
                _add_empty_dir(archive, "media")
    # Renamed at the end: an interrupted backup never looks like a backup.
    partial.replace(target)
    print(f"backup written to {target} ({target.stat().st_size} bytes; database and {media})")
    return target


def _add_empty_dir(archive, name):
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    info.mode = 0o755
    archive.addfile(info)


def _sql(sql, params=(), *, fetch=False):
    import psycopg

    with psycopg.connect(database_url(), autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchone() if fetch else None


def _watermark():
    """The latest reminder scan day the database knows, or None (no table yet, unreachable database)."""
    try:
        row = _sql("SELECT max(day) FROM coordination_reminderscan", fetch=True)
    except Exception:  # noqa: BLE001 - an empty or unreachable database has no watermark
        return None
    return row[0] if row else None


def _fallback_handled_through():
    timezone = zoneinfo.ZoneInfo(os.environ.get("TIME_ZONE") or "Asia/Ho_Chi_Minh")
    now = datetime.datetime.now(timezone)
    hour, minute = int(os.environ.get("REMINDER_SCAN_HOUR", 6)), int(os.environ.get("REMINDER_SCAN_MINUTE", 30))
    scan_time = datetime.time(hour, minute)
    return now.date() if now.time() >= scan_time else now.date() - datetime.timedelta(days=1)


def _keep_reminder_watermark(previous):
    """After a restore: the days the live database had already handled are not reminded again."""
    restored = _watermark()
    handled_through = previous if previous is not None else _fallback_handled_through()
    if restored is not None and restored >= handled_through:
        return restored
    _sql(
        "INSERT INTO coordination_reminderscan (day, completed_at, planned, source) VALUES (%s, now(), 0, 'restore') "
        "ON CONFLICT (day) DO NOTHING",
        [handled_through],
    )
    print(f"reminders up to {handled_through.isoformat()} count as handled (they were before this restore)")
    return handled_through


def _restore_database(dump):
    subprocess.run(  # noqa: S603 - fixed arguments
        [client_bin("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
         "--exit-on-error", f"--dbname={database_url()}", str(dump)],
        check=True,
    )  # fmt: skip


def _restore_media(archive, media):
    """Replace MEDIA_ROOT's contents by the archive's media/ (MEDIA_ROOT itself may be a mount point: its
    entries are swapped, not the directory)."""
    media.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d%H%M%S%f")
    staging = media / f".restore-{stamp}"
    replaced = media / f".replaced-{stamp}"
    staging.mkdir()
    try:
        members = [member for member in archive.getmembers() if member.name.startswith("media/")]
        for member in members:
            member.name = member.name[len("media/") :]
        archive.extractall(staging, members=members, filter="data")
        replaced.mkdir()
        for entry in list(media.iterdir()):
            if entry not in (staging, replaced):
                entry.rename(replaced / entry.name)
        for entry in list(staging.iterdir()):
            entry.rename(media / entry.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(replaced, ignore_errors=True)


def restore(source):
    source = Path(source)
    if not source.is_file():
        raise SystemExit(f"no backup file at {source}")
    previous = _watermark()
    with source.open("rb") as head:
        legacy = head.read(5) == b"PGDMP"
    if legacy:  # a database-only dump of an earlier version of this script
        _restore_database(source)
        _keep_reminder_watermark(previous)
        print(f"restored the database from {source} (no media files in a .dump)")
        return
    media = media_root()
    with tarfile.open(source, "r") as archive, tempfile.TemporaryDirectory(prefix="phoihop-restore-") as work:
        member = archive.getmember("database.dump")
        archive.extract(member, work, filter="data")
        _restore_database(Path(work) / "database.dump")
        _keep_reminder_watermark(previous)
        _restore_media(archive, media)
    print(f"restored {source}: the database and {media}")


def main(argv):
    if not argv or argv[0] not in ("backup", "restore") or (argv[0] == "restore" and len(argv) != 2):
        raise SystemExit(__doc__)
    try:
        if argv[0] == "backup":
            backup(argv[1] if len(argv) > 1 else None)
        else:
            restore(argv[1])
    except subprocess.CalledProcessError as error:
        raise SystemExit(f"{Path(error.cmd[0]).name} failed with exit status {error.returncode}") from None


if __name__ == "__main__":
    main(sys.argv[1:])
