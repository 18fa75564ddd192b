"""Back up and restore the PostgreSQL database named by DATABASE_URL: `make backup` / `make restore`.

    python scripts/backup.py backup [FILE]    pg_dump -Fc (custom format, compressed) to FILE
                                              (default backups/phoihop-YYYYmmdd-HHMMSS.dump)
    python scripts/backup.py restore FILE     pg_restore --clean --if-exists into DATABASE_URL

DATABASE_URL (or DATABASE_URL_FILE, a file holding it) is read like the settings read it. The PostgreSQL client
binaries (pg_dump, pg_restore) come from PATH, else from the newest /usr/lib/postgresql/*/bin. Uploaded files
live in MEDIA_ROOT, outside the database: back that directory up with the dump (e.g. `tar czf media.tgz var/media`).
"""

import datetime
import glob
import os
import shutil
import subprocess
import sys
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


def backup(target=None):
    if target is None:
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = ROOT / "backups" / f"phoihop-{stamp}.dump"
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    # Written beside the target and renamed at the end: an interrupted dump never looks like a backup.
    subprocess.run(  # noqa: S603 - fixed arguments
        [client_bin("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}",
         f"--dbname={database_url()}"],
        check=True,
    )  # fmt: skip
    partial.replace(target)
    print(f"backup written to {target} ({target.stat().st_size} bytes)")
    return target


def restore(source):
    source = Path(source)
    if not source.is_file():
        raise SystemExit(f"no backup file at {source}")
    subprocess.run(  # noqa: S603 - fixed arguments
        [client_bin("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
         "--exit-on-error", f"--dbname={database_url()}", str(source)],
        check=True,
    )  # fmt: skip
    print(f"restored {source}")


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
