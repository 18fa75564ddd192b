"""A PostgreSQL restart or failover costs no server error: gunicorn keeps its database connection between requests
(CONN_MAX_AGE), the server kills it (pg_terminate_backend, what a restart does to every connection), and the
next request still answers 200 because CONN_HEALTH_CHECKS tests a kept connection before reusing it.

The control run without the health checks shows the test can fail: the same request is a 500 there."""

import socket
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.test import Client

from tests.coordination.test_deployment import production_environment
from tests.realparts import database_url, wait_until

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = pytest.mark.postgres


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url, cookie):
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})  # noqa: S310 - our server
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def site_backends(admin_url, application_name):
    with psycopg.connect(admin_url, autocommit=True) as conn:
        return [
            pid
            for (pid,) in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [application_name]
            ).fetchall()
        ]


def terminate(admin_url, pids):
    with psycopg.connect(admin_url, autocommit=True) as conn:
        for pid in pids:
            conn.execute("SELECT pg_terminate_backend(%s)", [pid])


def served(tmp_path, *, health_checks, application_name):
    port = free_port()
    environment = production_environment(
        DEBUG="1",
        SECURE_COOKIES="0",
        SECURE_SSL_REDIRECT="0",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        DATABASE_URL=f"{database_url(connection.settings_dict)}?application_name={application_name}",
        CONN_MAX_AGE="600",
        CONN_HEALTH_CHECKS="1" if health_checks else "0",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "coordination.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--error-logfile", "-"],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            return get(f"{base}/healthz/live", "") == 200
        except OSError:
            return False

    wait_until(up, timeout=60, interval=0.3, message="gunicorn to answer")
    return server, base


@pytest.mark.parametrize("health_checks", [True, False], ids=["health-checks", "control-without"])
def test_a_killed_database_connection_between_requests_is_no_server_error(
    transactional_db, tmp_path, clerk, health_checks
):
    if connection.vendor != "postgresql":
        pytest.skip("needs the PostgreSQL test database")
    browser = Client()
    browser.force_login(clerk)  # a committed session the gunicorn process can read
    cookie = browser.cookies["sessionid"].value
    application_name = f"conn-test-{uuid.uuid4().hex[:8]}"
    admin_url = database_url({**connection.settings_dict, "NAME": "postgres"})
    server, base = served(tmp_path, health_checks=health_checks, application_name=application_name)
    try:
        assert get(f"{base}/", cookie) == 200  # signed in: the session and the user come from the database
        kept = wait_until(lambda: site_backends(admin_url, application_name), message="the site's connection")
        terminate(admin_url, kept)
        wait_until(lambda: not site_backends(admin_url, application_name), message="the connection to be gone")

        statuses = [get(f"{base}/", cookie) for _ in range(3)]
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)

    if health_checks:
        assert statuses == [200, 200, 200], output[-3000:]
    else:
        # Without the checks the first request after the restart fails on the dead connection.
        assert statuses[0] == 500, output[-3000:]
