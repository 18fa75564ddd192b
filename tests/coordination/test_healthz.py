"""/healthz (readiness) answers 200 while the database answers, also with Redis down ("background": "degraded"),
and 503 when the database does not; /healthz/live answers whenever the process does."""

import json
import socket
import subprocess
import sys

import pytest

from tests.coordination.test_settings import ROOT, django_free_env

pytestmark = pytest.mark.django_db


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.smoke
def test_healthz_ok_without_redis(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["redis"], body["background"]) == (
        "ok",
        "ok",
        "not configured",
        "in-process",
    )
    assert body["last_reminder_scan"] is None and body["oldest_queued_render_seconds"] is None
    assert "no-cache" in response["Cache-Control"]


def test_healthz_ok_with_real_redis(client, settings, redis_url):
    settings.REDIS_URL = redis_url

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["redis"] == "ok"


def test_healthz_200_degraded_when_redis_unreachable(client, settings):
    """A Redis outage must not take a working site out of the load balancer."""
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"

    for url in ("/healthz", "/healthz/ready"):
        response = client.get(url)

        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok"
        assert body["database"] == "ok"
        assert body["redis"].startswith("error")
        assert body["background"] == "degraded"


def test_healthz_background_follows_the_heartbeat(client, settings, redis_url):
    from django.core.cache import cache
    from django.utils import timezone

    from coordination.tasks import HEARTBEAT_CACHE_KEY, heartbeat

    settings.REDIS_URL = redis_url
    cache.delete(HEARTBEAT_CACHE_KEY)
    body = client.get("/healthz").json()
    assert (body["background"], body["heartbeat_age_seconds"]) == ("degraded", None)  # no beat/worker seen yet

    heartbeat()
    body = client.get("/healthz").json()
    assert body["background"] == "ok" and body["heartbeat_age_seconds"] <= 5

    cache.set(HEARTBEAT_CACHE_KEY, timezone.now().timestamp() - 3600)
    assert client.get("/healthz").json()["background"] == "degraded"


def test_liveness_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/live")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_healthz_503_when_database_down(tmp_path):
    # A site process whose database cannot be opened: a SQLite file in a directory that does not exist.
    env = {
        **django_free_env(),
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}",
    }
    script = (
        "import django, json; django.setup();"
        "from django.test import Client; r = Client().get('/healthz');"
        "print(r.status_code, json.dumps(r.json()))"
    )

    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503"
    assert json.loads(body)["database"] == "error: OperationalError"


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405
