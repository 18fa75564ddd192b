"""Fixtures for the real parts: the harness's Redis, a real Celery worker process, headless Chromium.

`make test` (scripts/run_tests.py) starts a throwaway PostgreSQL and Redis and exports DATABASE_URL and
REDIS_URL, so these fixtures always run there. A bare `pytest` without those skips them with the reason.

Celery worker
    `celery_worker` starts (once per session, or per pytest-xdist worker) `celery -A coordination worker
    -P solo` against the TEST database (`test_phoihop`, `test_phoihop_gw0`, ...) and the harness's Redis,
    with CELERY_TASK_ALWAYS_EAGER=0, and for the duration of the test switches the in-process Celery app to
    non-eager so `.delay()` really goes through Redis. The worker is reused from test to test: before each
    test its queue is purged and a `ping_db` round trip proves it takes new messages (else it is started
    again), and before every task it forgets the database ids it cached (tests/worker_hooks.py), since the
    test database is emptied between tests. A test that restarted it with `extra_env` leaves the next test
    a fresh worker with the normal environment. The worker is another process: it only sees COMMITTED
    rows, so this fixture pulls in `transactional_db` (do not combine it with `@pytest.mark.django_db`
    without `transaction=True`).
    There is no result backend: make the task leave an observable effect (a row, a cache key, an
    email) and poll for it with `wait_until(...)`. Fault tests: `celery_worker.kill()` is a kill -9
    (no warm shutdown, unacked messages stay in Redis), `celery_worker.restart(extra_env={...})` starts
    a new one, e.g. with EMAIL_HOST/EMAIL_PORT of an aiosmtpd server. Note that Redis redelivers a
    message left unacked by a killed worker only after the visibility timeout
    (2 × CELERY_TASK_TIME_LIMIT); pass a smaller CELERY_TASK_TIME_LIMIT (> 60) in extra_env for that.
    `celery_worker.log()` returns the worker's output for assertion messages.

Browser
    pytest-django's `live_server` fixture serves the site from a thread; drive it with the `page`
    fixture below (Playwright, Debian's /usr/bin/chromium, no downloaded browser). Playwright's sync
    API runs an event loop in the test thread, so `browser` sets DJANGO_ALLOW_ASYNC_UNSAFE=true to let
    the test keep using the ORM. Use `transactional_db` (live_server implies it) and mark the test
    `@pytest.mark.browser`. Example: `page.goto(live_server.url + "/accounts/login/")`.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
WORKER_ARGS = ["-A", "coordination", "worker", "-P", "solo", "-c", "1", "-l", "INFO"]
WORKER_ARGS += ["--without-heartbeat", "--without-gossip", "--without-mingle"]
# Test-only signal handlers loaded into the worker (see that module).
WORKER_ARGS += ["--include", "tests.worker_hooks"]
# How long a reused worker may take to answer the ping before a test; it is started again after that.
WORKER_PING_TIMEOUT = 20
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def xdist_worker_index():
    """0, 1, ... in pytest-xdist's workers gw0, gw1, ...; None in a run without xdist (or its controller)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else None


def redis_database_url(url, number):
    """`url` with its database number set to `number` (redis://host:port/0 -> redis://host:port/<number>)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{number}", parts.query, parts.fragment))


def isolate_xdist_worker():
    """Give this pytest-xdist worker its own Redis database and media directory (called by pytest_configure).

    The test database gets its `_gw<N>` suffix from pytest-django. Redis: worker gwN uses database N + 1 (the
    harness starts Redis with enough databases) for the cache, the Celery broker and its real Celery worker,
    so no worker's Celery worker ever takes another's task and no cache key leaks across. Media: gwN writes
    under MEDIA_ROOT/gwN, since the same primary keys (file names) exist in every worker's database.
    """
    index = xdist_worker_index()
    if index is None:
        return
    from django.conf import settings
    from django.test.utils import override_settings

    changes = {"MEDIA_ROOT": Path(settings.MEDIA_ROOT) / f"gw{index}"}
    url = os.environ.get("REDIS_URL", "")
    if url:
        url = redis_database_url(url, index + 1)
        os.environ["REDIS_URL"] = url  # for `redis_url` and the real Celery worker's environment
        changes.update(REDIS_URL=url, CELERY_BROKER_URL=url)
        if settings.REDIS_URL:
            caches = {alias: dict(config) for alias, config in settings.CACHES.items()}
            for config in caches.values():
                if str(config.get("LOCATION", "")).startswith("redis://"):
                    config["LOCATION"] = url
            changes["CACHES"] = caches
    # For the whole process; enable() also resets the cache connections and the file storages.
    override_settings(**changes).enable()
    if url:
        from coordination.celery import app

        app.conf.broker_url = url


# Set by scripts/run_tests.py: a database it migrated once (PostgreSQL: a database name; SQLite: a file), which
# each pytest process copies as its test database, and a file that says when the template is ready.
TEMPLATE_ENV = "TEST_DATABASE_TEMPLATE"
TEMPLATE_READY_ENV = "TEST_DATABASE_TEMPLATE_READY"
TEMPLATE_READY_TIMEOUT = 15 * 60


def _template_ready():
    """Wait for the harness to finish migrating the template (it does that while pytest starts); False if it
    failed."""
    marker = os.environ.get(TEMPLATE_READY_ENV, "")
    if not marker:
        return True
    deadline = time.monotonic() + TEMPLATE_READY_TIMEOUT
    while not Path(marker).exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return Path(marker).read_text().strip() == "ok"


def copy_test_database_from_template():
    """Create this process's test database (`test_phoihop`, `test_phoihop_gw0`, ...) as a copy of the harness's
    migrated template: a file copy instead of running every migration in every xdist worker. Returns False
    (pytest-django then creates and migrates the database as usual) when there is no template or it failed."""
    from django.db import connections

    template = os.environ.get(TEMPLATE_ENV, "")
    connection = connections["default"]
    if not template or not _template_ready():
        return False
    if connection.vendor == "postgresql":
        _copy_postgresql_database(connection, template)
        return True
    if connection.vendor == "sqlite" and Path(template).is_file():
        # A file next to the template instead of pytest-django's in-memory database.
        worker = os.environ.get("PYTEST_XDIST_WORKER") or "main"
        name = Path(template).with_name(f"test-{worker}.sqlite3")
        shutil.copyfile(template, name)
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(name)
        return True
    return False


def _copy_postgresql_database(connection, template):
    import psycopg
    from psycopg import sql

    name = connection.creation._get_test_db_name()
    maintenance = database_url({**connection.settings_dict, "NAME": "postgres"})
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        for attempt in range(50):
            try:
                admin.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
                )
                break
            except psycopg.errors.ObjectInUse:  # another worker is copying the template right now
                if attempt == 49:
                    raise
                time.sleep(0.2)


def wait_until(condition, timeout=30, interval=0.1, message="condition"):
    """Poll `condition()` until it returns a truthy value (returned), or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


# Runs `python -m celery ...` after asking Linux to SIGKILL it when its parent (pytest) dies, so a
# worker orphaned by a killed test run does not linger; PR_SET_PDEATHSIG = 1 survives the exec.
_CELERY_DYING_WITH_PARENT = (
    "import ctypes, os, signal, sys;"
    "ctypes.CDLL('libc.so.6', use_errno=True).prctl(1, signal.SIGKILL);"
    "os.execv(sys.executable, [sys.executable, '-m', 'celery', *sys.argv[1:]])"
)


def database_url(settings_dict):
    """A postgres:// URL for the connection settings in use (the test database once it exists)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{quote(settings_dict['NAME'], safe='')}"


class CeleryWorker:
    """One real `celery worker` subprocess; start/stop/kill/restart it from tests."""

    READY_TIMEOUT = 60

    def __init__(self, env, logfile):
        self.base_env = env
        self.extra_env = {}
        self.logfile = Path(logfile)
        self.log_offset = 0  # where this test's part of the log starts (the process serves several tests)
        self.process = None

    def start(self, extra_env=None):
        self.extra_env = dict(extra_env or {})
        name = f"test-{uuid.uuid4().hex[:8]}@%h"
        self.logfile.write_bytes(b"")
        self.log_offset = 0
        log = open(self.logfile, "ab")  # noqa: SIM115 - handed to the child, closed below
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _CELERY_DYING_WITH_PARENT, *WORKER_ARGS, "-n", name],
                cwd=ROOT,
                env={**self.base_env, **self.extra_env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()
        deadline = time.monotonic() + self.READY_TIMEOUT
        while " ready." not in self.log():
            if self.process.poll() is not None:
                pytest.fail(f"Celery worker exited with {self.process.returncode}:\n{self.log()}")
            if time.monotonic() > deadline:
                self.kill()
                pytest.fail(f"Celery worker not ready after {self.READY_TIMEOUT}s:\n{self.log()}")
            time.sleep(0.1)
        return self

    def alive(self):
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def log(self):
        """The worker's output since this test began (since its start, or since `fresh_for_test` reused it)."""
        if not self.logfile.exists():
            return ""
        with open(self.logfile, "rb") as log:
            log.seek(self.log_offset)
            return log.read().decode("utf-8", errors="replace")

    def stop(self, timeout=20):
        """Warm shutdown (SIGTERM): the running task finishes, then the worker exits."""
        if not self.alive():
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self):
        """kill -9: the worker dies mid-task, as on a crash or an OOM kill."""
        if not self.alive():
            return
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def fresh_for_test(self):
        """Make this worker fit for the next test: the same process if it still has the normal environment
        and answers a ping through an emptied queue, else a newly started one."""
        if self.alive() and not self.extra_env and self._answers_ping():
            self.log_offset = self.logfile.stat().st_size  # `log()` shows this test's part only
            return self
        return self.restart(extra_env={}, kill=True)

    def _answers_ping(self):
        """Purge what earlier tests left queued, then wait for a `ping_db` round trip (the solo worker first
        finishes a task still running, so this also waits for that)."""
        from django.core.cache import cache

        from coordination.celery import app
        from coordination.tasks import PING_DB_CACHE_PREFIX, ping_db

        try:
            app.control.purge()
            token = uuid.uuid4().hex
            ping_db.apply_async(args=[token], retry=False)
        except Exception:  # noqa: BLE001 - a broker that does not answer: start afresh
            return False
        deadline = time.monotonic() + WORKER_PING_TIMEOUT
        while time.monotonic() < deadline:
            if cache.get(f"{PING_DB_CACHE_PREFIX}{token}") is not None:
                return True
            if not self.alive():
                return False
            time.sleep(0.05)
        return False

    def restart(self, extra_env=None, kill=False):
        """Stop (or with kill=True, kill -9) and start again; keeps the previous extra_env unless given."""
        env = self.extra_env if extra_env is None else extra_env
        if kill:
            self.kill()
        else:
            self.stop()
        return self.start(extra_env=env)


@pytest.fixture(scope="session")
def redis_url():
    """The throwaway Redis that scripts/run_tests.py started (REDIS_URL)."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("REDIS_URL is not set: run through `make test` (scripts/run_tests.py), which starts Redis")
    return url


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, redis_url, tmp_path_factory):
    """The session's worker process; use `celery_worker` in tests."""
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a real Celery worker needs the PostgreSQL test database (another process must share it)")
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="coordination.settings",
        DEBUG="1",
        SECURE_COOKIES="0",
        DATABASE_URL=database_url(connection.settings_dict),
        REDIS_URL=redis_url,
        CELERY_TASK_ALWAYS_EAGER="0",
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        PYTHONUNBUFFERED="1",
    )
    worker = CeleryWorker(env, tmp_path_factory.mktemp("celery") / "worker.log")
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def celery_worker(celery_worker_process, transactional_db):
    """A running real worker, with `.delay()` going through Redis for this test (see module docstring)."""
    from coordination.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        # Reused when it is healthy and has the normal environment; its queue is emptied first.
        yield celery_worker_process.fresh_for_test()
    finally:
        app.conf.task_always_eager = previous


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright, shared by the session."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) and page; laptop-sized viewport."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    try:
        yield context.new_page()
    finally:
        context.close()


# Kept by the fast flush below: the rows `migrate` creates (post_migrate) and no test changes.
FLUSH_KEEPS = ("auth_permission", "django_content_type")  # in the order their extra rows are deleted


def install_fast_flush():
    """After a transactional test (`transactional_db`, `live_server`, the real Celery worker) Django empties
    the database with `flush`: one TRUNCATE of every table, then the post_migrate signal, which creates every
    content type and permission again and grants the site's role every table anew. On PostgreSQL this
    replaces it (called by pytest_configure) with the same end state at a fraction of the cost: the rows of
    only the tables that hold any are deleted, and the content types and permissions of the migrated database
    are kept as they were (those a test added are deleted), so no post_migrate is needed (the grants are on
    the tables, which stay). Flushes Django must do itself (serialized rollback, available_apps,
    reset_sequences, another database) go the usual way."""
    from django.test import TransactionTestCase

    if getattr(TransactionTestCase, "_fast_flush_installed", False):
        return
    usual_setup = TransactionTestCase.__dict__["_fixture_setup"].__func__  # a classmethod
    usual_teardown = TransactionTestCase._fixture_teardown

    def fast(test):
        return (
            test.available_apps is None
            and not test.serialized_rollback
            and not test.reset_sequences
            and all(_flushes_fast(name) for name in test._databases_names(include_mirrors=False))
        )

    def _fixture_setup(cls):
        if fast(cls):
            for name in cls._databases_names(include_mirrors=False):
                _kept_rows_snapshot(name)
        return usual_setup(cls)

    def _fixture_teardown(self):
        if not fast(self):
            return usual_teardown(self)
        for name in self._databases_names(include_mirrors=False):
            _flush_fast(name)
        return None

    TransactionTestCase._fixture_setup = classmethod(_fixture_setup)
    TransactionTestCase._fixture_teardown = _fixture_teardown
    TransactionTestCase._fast_flush_installed = True


_flush_state = {}  # database alias -> {"tables": [...], "kept": {table: max id}}


def _flushes_fast(alias):
    from django.db import connections

    return connections[alias].vendor == "postgresql"


def _kept_rows_snapshot(alias):
    """The highest id of each kept table before the first transactional test (the migrated database's rows)."""
    from django.db import connections

    state = _flush_state.setdefault(alias, {})
    if "kept" in state:
        return
    connection = connections[alias]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        state["kept"] = {}
        for table in FLUSH_KEEPS:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {quote(table)}")  # noqa: S608
            state["kept"][table] = cursor.fetchone()[0]


def _flush_fast(alias):
    from django.db import connections, transaction

    connection = connections[alias]
    quote = connection.ops.quote_name
    state = _flush_state.setdefault(alias, {})
    if "tables" not in state:
        # What `flush` empties: the tables of the installed apps' managed models.
        state["tables"] = sorted(
            set(connection.introspection.django_table_names(only_existing=True, include_views=False)) - set(FLUSH_KEEPS)
        )
        with connection.cursor() as cursor:
            # Tables with a trigger of their own on DELETE (the append-only audit log): emptied by TRUNCATE.
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE NOT t.tgisinternal AND t.tgtype & 8 <> 0"
            )
            state["truncated"] = {row[0] for row in cursor.fetchall()}
    tables = state["tables"]
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})" for table in tables),  # noqa: S608
            tables,
        )
        holding = [row[0] for row in cursor.fetchall()]
        # DELETE, not TRUNCATE: the few rows a test leaves cost less to delete than new files for every table
        # (TRUNCATE must also take every table that refers to one it empties). Django's foreign keys are
        # checked at commit (DEFERRABLE INITIALLY DEFERRED), so the order does not matter.
        truncated = [table for table in holding if table in state["truncated"]]
        if truncated:
            cursor.execute(f"TRUNCATE {', '.join(quote(table) for table in truncated)}")
        for table in holding:
            if table not in state["truncated"]:
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
        for table, highest in state.get("kept", {}).items():
            cursor.execute(f"DELETE FROM {quote(table)} WHERE id > %s", [highest])  # noqa: S608
