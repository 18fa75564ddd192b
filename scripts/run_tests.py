"""Run the test suite against a throwaway PostgreSQL cluster and Redis server, then the smoke subset on SQLite.

Usage: `.venv/bin/python scripts/run_tests.py [extra pytest arguments]` (what `make test` runs).

The servers live in a fresh temporary directory on free loopback ports; nothing outside it is touched,
and both servers and the directory are removed on success, failure, Ctrl-C or SIGTERM.
Exit status: 0 only when every pytest run passed and ran at least one test (pytest's 5 = "no tests" fails).

In parallel: both runs use pytest-xdist with TEST_WORKERS processes (default 2, the machine's cores;
`TEST_WORKERS=0` runs in one process; an `-n`/`--numprocesses` or `-p no:xdist` among the arguments wins).
The PostgreSQL database is migrated once here, into a template that every pytest process copies as its own
test database (tests/realparts.py); each xdist worker also has its own Redis database and real Celery worker.
The template's migration and the SQLite check (migrate, seed_demo) run while the pytest processes start.
"""

# ruff: noqa: S603 - every command here is built from fixed arguments and paths we created.

import glob
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE_NAME = "phoihop"
# Migrated once; each pytest process copies it as its test database (TEST_DATABASE_TEMPLATE, tests/realparts.py).
TEMPLATE_DATABASE_NAME = "phoihop_template"
READY_TIMEOUT = 60
# xdist worker gwN uses Redis database N + 1 (tests/realparts.py), so the server needs more than the usual 16.
REDIS_DATABASES = 64
DEFAULT_TEST_WORKERS = 2
# `TEST_PG_STATEMENTS=1`: load pg_stat_statements into the throwaway cluster and log, before it stops, the
# statements that took the most server time (to find where the suite's PostgreSQL CPU goes).
STATEMENT_STATS = (
    ["-c shared_preload_libraries=pg_stat_statements", "-c pg_stat_statements.track=all"]
    if os.environ.get("TEST_PG_STATEMENTS")
    else []
)


class Interrupted(Exception):
    """Raised from the SIGTERM/SIGHUP handler so `finally` blocks run."""


def log(message):
    print(f"[run_tests] {message}", flush=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin(name):
    """A PostgreSQL server binary: on PATH, else the newest Debian install under /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda path: int(Path(path).parts[-3].split(".")[0])
    )
    if not candidates:
        raise SystemExit(f"{name} not found: install PostgreSQL (apt-get install postgresql), or run `make test`.")
    return candidates[-1]


class Postgres:
    """A PostgreSQL cluster in `directory`, run as the `postgres` OS user when we are root."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.directory.mkdir()
        self.data = self.directory / "data"
        self.logfile = self.directory / "postgres.log"
        self.port = free_port()
        self.started = False
        self.as_user = []
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root; CI runs as root.
            shutil.chown(self.directory, user="postgres", group=None)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def run(self, *command, **kwargs):
        return subprocess.run([*self.as_user, *command], check=True, cwd=self.directory, **kwargs)

    def start(self):
        self.run(
            postgres_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
            "--encoding", "UTF8", "--locale", "C.UTF-8", "--no-sync",
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        options = " ".join(
            [
                "-c listen_addresses=127.0.0.1",
                f"-p {self.port}",
                f"-k {self.directory}",
                "-c max_connections=100",
                # A throwaway cluster: nothing is worth writing safely, and no background work is worth its CPU.
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c wal_level=minimal",
                "-c max_wal_senders=0",
                "-c checkpoint_timeout=1d",
                "-c max_wal_size=10GB",
                "-c autovacuum=off",
                "-c track_counts=off",
                "-c jit=off",
                "-c shared_buffers=256MB",
                *STATEMENT_STATS,
            ]
        )
        self.run(
            postgres_bin("pg_ctl"), "start", "-D", str(self.data), "-l", str(self.logfile),
            "-w", "-t", str(READY_TIMEOUT), "-o", options,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.started = True
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            ready = subprocess.run(
                [postgres_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"],
                stdout=subprocess.DEVNULL,
                check=False,
            )
            if ready.returncode == 0:
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"PostgreSQL did not become ready; see {self.logfile}")
            time.sleep(0.2)
        self.createdb(DATABASE_NAME)
        if STATEMENT_STATS:
            self.psql("CREATE EXTENSION pg_stat_statements")
        log(f"PostgreSQL ready on 127.0.0.1:{self.port} ({self.data})")

    def psql(self, statement, check=True):
        command = [postgres_bin("psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        command += ["-d", DATABASE_NAME, "-v", "ON_ERROR_STOP=1", "-q", "-c", statement]
        return subprocess.run([*self.as_user, *command], check=check, cwd=self.directory)

    def log_statement_stats(self):
        """The statements that took the most server time, over every database (TEST_PG_STATEMENTS=1)."""
        self.psql(
            "SELECT round(sum(total_exec_time)::numeric / 1000, 1) AS seconds, sum(calls) AS calls,"
            " left(regexp_replace(query, '\\s+', ' ', 'g'), 150) AS query"
            " FROM pg_stat_statements GROUP BY query ORDER BY 1 DESC LIMIT 40",
            check=False,
        )

    def createdb(self, name):
        self.run(postgres_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def database_url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    @property
    def url(self):
        return self.database_url(DATABASE_NAME)

    def cpu_seconds(self):
        """CPU time of the server and every backend that has ended (the postmaster's children), from /proc;
        None where that cannot be read."""
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, ValueError, IndexError):
            return None
        # utime, stime, cutime, cstime: fields 14-17 of proc(5), counted here from field 3 (the state).
        return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        if not self.started:
            return
        cpu = self.cpu_seconds()
        if cpu is not None:
            log(f"PostgreSQL server CPU: {cpu:.0f}s")
        if STATEMENT_STATS:
            self.log_statement_stats()
        # Immediate: the cluster is thrown away, nothing needs to be flushed.
        subprocess.run(
            [*self.as_user, postgres_bin("pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate", "-w"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        self.started = False


SITE_ROLE = "phoihop_site"


def create_site_role(postgres):
    """The role the site runs under in production (README, Deployment): no superuser, owns nothing. The
    suite itself runs as the cluster's superuser (it creates, migrates and flushes its databases), whose
    migrations grant this role (DATABASE_SITE_ROLE) what the site may do; tests/coordination/
    test_audit_roles.py acts as it. Roles are cluster-wide, so every test database grants the same one."""
    postgres.run(
        postgres_bin("psql"), "-h", "127.0.0.1", "-p", str(postgres.port), "-U", "postgres", "-d", DATABASE_NAME,
        "-v", "ON_ERROR_STOP=1", "-q",
        "-c", f"CREATE ROLE {SITE_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT",
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return SITE_ROLE


class Redis:
    """A private redis-server with no persistence."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.port = free_port()
        self.process = None

    def start(self):
        server = shutil.which("redis-server")
        if not server:
            raise SystemExit("redis-server not found: apt-get install redis-server, or run `make test`.")
        self.process = subprocess.Popen(
            [server, "--save", "", "--appendonly", "no", "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.directory), "--daemonize", "no", "--loglevel", "warning",
             "--databases", str(REDIS_DATABASES)],
            stdout=open(self.directory / "redis.log", "wb"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + READY_TIMEOUT
        while not self.ping():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"redis-server did not start; see {self.directory / 'redis.log'}")
            time.sleep(0.1)
        log(f"Redis ready on 127.0.0.1:{self.port}")

    def ping(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def cpu_seconds(usage):
    return usage.ru_utime + usage.ru_stime


def pytest_run(label, args, env):
    """Run pytest in a child process; 0 only if tests ran and all passed. Logs its wall time and the CPU time
    of pytest and every process it waited for (xdist workers, Celery workers, Chromium), which a busy machine
    disturbs far less than the wall time."""
    command = [sys.executable, "-m", "pytest", *args]
    log(f"{label}: {' '.join(command[1:])}")
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = code = os.waitstatus_to_exitcode(status)
    except KeyboardInterrupt:
        # Ctrl-C reached pytest too, through the terminal's process group: let it tear down first.
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        raise
    except BaseException:
        # SIGTERM/SIGHUP reached only us.
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        raise
    log(
        f"{label}: pytest exited {code} after {time.monotonic() - started:.0f}s "
        f"(CPU {cpu_seconds(usage):.0f}s: user {usage.ru_utime:.0f}s, system {usage.ru_stime:.0f}s; "
        f"load average {' '.join(f'{value:.1f}' for value in os.getloadavg())})"
    )
    if code == 5:
        log(f"{label}: pytest collected no tests; that counts as a failure")
    return code


class Background:
    """manage.py commands run one after the other in a thread while the tests go on; `wait()` returns the
    name of the step that failed (None if all passed); `stop()` ends the running one (Ctrl-C, SIGTERM)."""

    def __init__(self, label, steps, env, on_done=None):
        self.label = label
        self.steps = steps  # [(name, manage.py arguments or a callable)]
        self.env = env
        self.on_done = on_done
        self.failed = None
        self.process = None
        self.stopped = False
        self.cpu = 0.0
        self.thread = threading.Thread(target=self._run, name=label, daemon=True)
        self.thread.start()

    def _run(self):
        started = time.monotonic()
        for name, step in self.steps:
            if self.stopped:
                self.failed = name
                break
            if callable(step):
                try:
                    step()
                except OSError as exc:
                    log(f"{self.label}: {name} failed: {exc}")
                    self.failed = name
                    break
                continue
            self.process = subprocess.Popen([sys.executable, "manage.py", *step], cwd=ROOT, env=self.env)
            try:
                _pid, status, usage = os.wait4(self.process.pid, 0)
                self.process.returncode = os.waitstatus_to_exitcode(status)
                self.cpu += cpu_seconds(usage)
            except ChildProcessError:  # stop() reaped it (Ctrl-C, SIGTERM)
                self.process.wait()
            if self.process.returncode != 0:
                log(f"{self.label}: {name} failed with {self.process.returncode}")
                self.failed = name
                break
        else:
            log(f"{self.label}: done in {time.monotonic() - started:.0f}s (CPU {self.cpu:.0f}s)")
        if self.on_done:
            self.on_done(self.failed is None)

    def wait(self):
        self.thread.join()
        return self.failed

    def stop(self):
        self.stopped = True
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.thread.join(timeout=30)


def template_migration(postgres, env, workdir):
    """Create the template database and migrate it in the background (test settings, as pytest-django would
    migrate a test database). Returns the Background and the environment variables that make tests/conftest.py
    wait for it and copy it (or, if it failed, let pytest-django migrate as usual)."""
    postgres.createdb(TEMPLATE_DATABASE_NAME)
    ready = Path(workdir) / "template-ready"
    migrate_env = {
        **env,
        "DATABASE_URL": postgres.database_url(TEMPLATE_DATABASE_NAME),
        "DJANGO_SETTINGS_MODULE": "coordination.settings_test",
    }

    def mark(ok):
        ready.write_text("ok" if ok else "failed")

    migration = Background(
        "template database", [("migrate", ["migrate", "--run-syncdb", "--noinput", "-v", "0"])], migrate_env, mark
    )
    return migration, {"TEST_DATABASE_TEMPLATE": TEMPLATE_DATABASE_NAME, "TEST_DATABASE_TEMPLATE_READY": str(ready)}


def parallel_args(argv):
    """`-n <TEST_WORKERS> --dist loadgroup` unless the caller chose (`-n`, `--numprocesses`, `-p no:xdist`)."""

    def chooses(arg):
        return (
            arg in ("-n", "--numprocesses", "--dist")
            or arg.startswith(("--numprocesses=", "--dist="))
            or "no:xdist" in arg
            or (arg.startswith("-n") and (arg[2:].isdigit() or arg[2:] in ("auto", "logical")))
        )

    workers = int(os.environ.get("TEST_WORKERS") or DEFAULT_TEST_WORKERS)
    if workers < 1 or any(chooses(arg) for arg in argv):
        return []
    # loadgroup: tests marked @pytest.mark.xdist_group("name") run in one worker, the others wherever free.
    return ["-n", str(workers), "--dist", "loadgroup"]


def base_env(workdir):
    env = dict(os.environ)
    names = ("DATABASE_URL", "DATABASE_SITE_ROLE", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER", "DJANGO_SETTINGS_MODULE")
    for name in names:
        env.pop(name, None)
    env["PYTHONUNBUFFERED"] = "1"
    if env.pop("PYTHONDONTWRITEBYTECODE", None):
        # No bytecode in the source tree, as asked, but not every process of the run (xdist workers, Celery
        # workers, manage.py) compiling the project and pytest rewriting every test module again: they share
        # compiled files in the work directory, removed with it.
        env["PYTHONPYCACHEPREFIX"] = str(Path(workdir) / "pycache")
    return env


def main(argv):
    def on_signal(signum, frame):
        raise Interrupted(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    started = time.monotonic()
    failures = []
    workdir = tempfile.mkdtemp(prefix="phoihop-tests-")
    postgres = redis = None
    background = []
    try:
        if os.geteuid() == 0:
            # mkdtemp is 0700 and owned by root; the postgres user must reach its own directory inside.
            os.chmod(workdir, 0o755)  # noqa: S103
        postgres = Postgres(Path(workdir) / "pg")
        postgres.start()
        redis_dir = Path(workdir) / "redis"
        redis_dir.mkdir()
        redis = Redis(redis_dir)
        redis.start()

        env = base_env(workdir)
        env["DATABASE_URL"] = postgres.url
        env["REDIS_URL"] = redis.url
        env["DATABASE_SITE_ROLE"] = create_site_role(postgres)
        env["TEST_MEDIA_ROOT"] = str(Path(workdir) / "test-media")
        # While the pytest processes start, two things run beside them: the template database is migrated
        # (they wait for it, then copy it), and the SQLite check of `make run` (migrate, then seed_demo, a copy
        # of the migrated file taken in between serves as the smoke run's template).
        migration, template_env = template_migration(postgres, env, workdir)
        background.append(migration)
        env.update(template_env)

        # TEST_SQLITE=0 leaves out the SQLite check and smoke subset (to measure a subset of the suite alone).
        with_sqlite = os.environ.get("TEST_SQLITE", "1") != "0"
        if with_sqlite:
            # The embedded default of `make run`: a fresh SQLite file, no Redis, eager tasks.
            sqlite_env = base_env(workdir)
            sqlite_file = Path(workdir) / "smoke.sqlite3"
            sqlite_template = Path(workdir) / "smoke-template.sqlite3"
            sqlite_env["DATABASE_URL"] = f"sqlite:///{sqlite_file}"
            sqlite_env["DEBUG"] = "1"
            sqlite_env["TEST_MEDIA_ROOT"] = str(Path(workdir) / "test-media-sqlite")
            log("SQLite: migrate + seed_demo on a fresh file (what `make run` does), in the background")
            sqlite_check = Background(
                "SQLite migrate + seed_demo",
                [
                    ("migrate", ["migrate", "--noinput", "-v", "0"]),
                    ("copy", lambda: shutil.copyfile(sqlite_file, sqlite_template)),
                    ("seed_demo", ["seed_demo"]),
                ],
                sqlite_env,
            )
            background.append(sqlite_check)

        if pytest_run("full suite on PostgreSQL + Redis", [*parallel_args(argv), *argv], env) != 0:
            failures.append("full suite")
        migration.wait()

        if with_sqlite:
            failed = sqlite_check.wait()
            if failed:
                failures.append(f"SQLite {failed}")
            smoke_env = dict(sqlite_env)
            if failed != "migrate":
                smoke_env["TEST_DATABASE_TEMPLATE"] = str(sqlite_template)
            if pytest_run("smoke subset on SQLite", [*parallel_args([]), "-m", "smoke"], smoke_env) != 0:
                failures.append("smoke subset on SQLite")
    except (KeyboardInterrupt, Interrupted) as exc:
        log(f"interrupted ({exc.__class__.__name__} {exc}); cleaning up")
        failures.append("interrupted")
    finally:
        for task in background:
            task.stop()
        if redis is not None:
            redis.stop()
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        log(f"cleaned up {workdir}")
    elapsed = time.monotonic() - started
    children = cpu_seconds(resource.getrusage(resource.RUSAGE_CHILDREN))
    log(f"CPU time of every process the run waited for (not PostgreSQL's, above): {children:.0f}s")
    if failures:
        log(f"FAILED ({', '.join(failures)}) in {elapsed:.0f}s")
        return 1
    log(f"all passed in {elapsed:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
