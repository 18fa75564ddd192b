"""Faults with the real parts: Redis stopped under a working site, a Celery worker killed with SIGKILL mid-render.

The reminders' own fault tests (tests/coordination/test_reminders_worker.py) cover the e-mail side: a worker
killed while sending sends each digest once, and a broker on a closed port. Here a dedicated redis-server is
really stopped and started again while pages are used, and reports are the work in flight.
"""

import datetime
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest
from django.urls import reverse
from django.utils import timezone

from charters.reviews.models import ReportFile, ReportStatus
from charters.reviews.services import reports_requeue, review_update
from coordination import reminders
from coordination.models import ReminderLedger
from coordination.queueing import enqueue
from coordination.tasks import ping_db
from tests.coordination.test_reminders import TODAY, task
from tests.realparts import wait_until
from voters.models import Petition

pytestmark = [pytest.mark.worker, pytest.mark.postgres]

FAST_REDELIVERY = '{"visibility_timeout": 3, "unacked_restore_interval": 1, "unacked_restore_throttle": 1}'


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A private redis-server on a fixed port that the test stops and starts again."""

    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
        self.process = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        server = shutil.which("redis-server")
        if not server:
            pytest.skip("redis-server is not installed")
        self.process = subprocess.Popen(
            [server, "--save", "", "--appendonly", "no", "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        wait_until(self.ping, timeout=30, message="redis-server to answer")

    def ping(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def reset_broker_connections():
    from coordination.celery import app

    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def site_on(redis_url, settings):
    """This process (the web site) uses `redis_url` as broker and cache, like a deployment on that Redis."""
    from coordination.celery import app

    before = app.conf.broker_url
    settings.REDIS_URL = redis_url
    settings.CACHES = {
        "default": {
            "BACKEND": "coordination.cache.ResilientRedisCache",
            "LOCATION": redis_url,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    app.conf.broker_url = redis_url
    reset_broker_connections()
    try:
        yield
    finally:
        app.conf.broker_url = before
        reset_broker_connections()


def test_with_redis_stopped_pages_and_saves_work_and_the_work_catches_up(
    world, clerk, secretariat, ubnd_clerk, agencies, celery_worker, redis_server, client, settings
):
    celery_worker.restart(
        extra_env={"REDIS_URL": redis_server.url, "CELERY_BROKER_TRANSPORT_OPTIONS": FAST_REDELIVERY}, kill=True
    )
    today = timezone.localdate()  # the digest sweep looks at the real clock's days
    task(agencies, (today - TODAY).days + 1, title="Gửi báo cáo thẩm tra trước kỳ họp")
    settings.DASHBOARD_CACHE_SECONDS = 60  # the dashboard reads its figures from the cache (Redis) when set
    with site_on(redis_server.url, settings):
        redis_server.stop()

        client.force_login(clerk)
        for url in (reverse("home"), reverse("dashboard"), reverse("voters:list"), reverse("meetings:list")):
            assert client.get(url).status_code == 200, url
        form = client.get(reverse("voters:create")).context["form"]
        response = client.post(
            reverse("voters:create"),
            {
                "received_on": "2026-11-20",
                "source": "meeting",
                "content": "Cử tri phường Hải Châu đề nghị nạo vét kênh thoát nước trước mùa mưa",
                "field": "infrastructure",
                "kind": "petition",
                "idempotency_key": form.initial["idempotency_key"],
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Petition.objects.filter(content__startswith="Cử tri phường Hải Châu đề nghị nạo vét").count() == 1
        # The secretariat asks for the review's PDF: the request is saved, the page answers normally.
        client.force_login(secretariat)
        review_update(actor=secretariat, review=world.review, version=world.review.version, summary="Bản cuối")
        response = client.post(reverse("charters:review_report_request", args=[world.review.pk]))
        assert response.status_code == 302
        report = ReportFile.objects.filter(review=world.review).latest("pk")
        assert report.status == ReportStatus.QUEUED
        # The daily scan records the reminders; their e-mails cannot be queued yet, and trying does not
        # hold the scan (or a request) for seconds: a publish fails at once.
        started = time.monotonic()
        reminders.reminders_scan(today)
        assert time.monotonic() - started < 1.5
        started = time.monotonic()
        assert enqueue(ping_db, "x") is False
        assert time.monotonic() - started < 0.5
        assert ReminderLedger.objects.filter(recipient=ubnd_clerk, sent_at__isnull=True).exists()
        # The site still works: the load balancer's readiness check answers 200, background "degraded".
        health = client.get(reverse("healthz"))
        assert health.status_code == 200
        assert (health.json()["database"], health.json()["background"]) == ("ok", "degraded")
        assert client.get(reverse("healthz_live")).status_code == 200

        redis_server.start()  # Redis is back, on the same address; nobody resets this process's connections
        assert client.get(reverse("healthz")).json()["redis"] == "ok"
        # The sweeps (beat: digests every 5 minutes, renders every minute) catch up; driven here, no waiting.
        in_five_minutes = timezone.now() + datetime.timedelta(minutes=5)
        assert reminders.digests_requeue(now=in_five_minutes) >= 1
        assert reports_requeue(now=in_five_minutes) >= 1
        wait_until(
            lambda: ReportFile.objects.get(pk=report.pk).status == ReportStatus.READY,
            timeout=120,
            message=f"the report rendered after Redis came back; log:\n{celery_worker.log()}",
        )
        # Every row of that day's digests (the fixtures' handoff notifications are dated the real today, after
        # TODAY: they belong to a later digest).
        wait_until(
            lambda: not ReminderLedger.objects.filter(sent_at__isnull=True, day__lte=TODAY).exists(),
            timeout=60,
            message=f"the reminder digests sent after Redis came back; log:\n{celery_worker.log()}",
        )


def test_a_worker_killed_mid_render_leaves_each_report_rendered_once(world, secretariat, celery_worker, client):
    """No fast redelivery here (Redis would give the killed task back only after the 30-minute visibility
    timeout): the render's heartbeat stops with its worker, and the restarted worker's sweep takes it over."""
    from pathlib import Path

    fast_stale = {"REPORT_HEARTBEAT_SECONDS": "1", "REPORT_STALE_SECONDS": "4"}
    celery_worker.restart(extra_env=fast_stale, kill=True)
    media_root = Path(celery_worker.base_env["MEDIA_ROOT"])
    client.force_login(secretariat)
    requested = []
    for summary in ("Bản thứ hai", "Bản thứ ba", "Bản thứ tư"):
        world.review.refresh_from_db()
        review_update(actor=secretariat, review=world.review, version=world.review.version, summary=summary)
        client.post(reverse("charters:review_report_request", args=[world.review.pk]))
        requested.append(ReportFile.objects.filter(review=world.review).latest("pk").pk)

    rendering = wait_until(
        lambda: ReportFile.objects.filter(pk__in=requested, status=ReportStatus.RENDERING).first(),
        timeout=60,
        interval=0.02,
        message=f"a render to start; log:\n{celery_worker.log()}",
    )
    celery_worker.kill()
    assert ReportFile.objects.get(pk=rendering.pk).status == ReportStatus.RENDERING
    celery_worker.start(extra_env=fast_stale)
    restarted = time.monotonic()

    wait_until(
        lambda: ReportFile.objects.filter(pk__in=requested, status=ReportStatus.READY).count() == len(requested),
        timeout=60,
        message=f"every report rendered within a minute of the restart; log:\n{celery_worker.log()}",
    )
    assert time.monotonic() - restarted < 60
    reports = list(ReportFile.objects.filter(pk__in=requested))
    names = [report.file.name for report in reports]
    assert len(set(names)) == len(requested)
    for report in reports:
        files = list((media_root / report.file.name).parent.glob(f"{report.pk}-*.pdf"))
        assert len(files) == 1, files  # one file per report: no second render, no leftover
        assert files[0].read_bytes().startswith(b"%PDF")
    # The health check shows nothing waiting any more.
    assert client.get(reverse("healthz")).json()["oldest_queued_render_seconds"] is None
