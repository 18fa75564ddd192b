"""What keeps a Redis outage from reaching users, without the real worker: the cache degrades to misses, and
report renders left waiting are queued again by the periodic job."""

import datetime
import socket

from django.utils import timezone

from charters.reviews.models import ReportFile, ReportStatus
from charters.reviews.services import report_request, reports_requeue, review_update
from coordination.cache import ResilientRedisCache


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_cache_answers_misses_while_redis_is_down():
    cache = ResilientRedisCache(
        f"redis://127.0.0.1:{closed_port()}/0", {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
    )

    assert cache.get("dashboard:figures", "computed") == "computed"
    cache.set("dashboard:figures", {"petitions": 3}, 60)
    assert cache.add("lock", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    cache.delete("dashboard:figures")


def test_renders_no_worker_took_are_queued_again(world, secretariat):
    review_update(actor=secretariat, review=world.review, version=world.review.version, summary="Bản sửa")
    waiting = report_request(actor=secretariat, review=world.review)  # never queued: on_commit does not run here
    assert reports_requeue() == 0  # just requested: a worker may still be on its way

    assert reports_requeue(now=timezone.now() + datetime.timedelta(minutes=5)) == 1

    waiting.refresh_from_db()
    assert waiting.status == ReportStatus.READY  # eager in tests: the queued task ran
    assert reports_requeue(now=timezone.now() + datetime.timedelta(minutes=5)) == 0


def test_a_render_abandoned_by_a_dead_worker_is_queued_again(world, secretariat, settings):
    review_update(actor=secretariat, review=world.review, version=world.review.version, summary="Bản sửa")
    report = report_request(actor=secretariat, review=world.review)
    # Rendering for an hour, but its heartbeat is fresh: a slow render, not a dead one.
    ReportFile.objects.filter(pk=report.pk).update(
        status=ReportStatus.RENDERING,
        claimed_by="live-task",
        started_at=timezone.now() - datetime.timedelta(hours=1),
        heartbeat_at=timezone.now(),
    )
    assert reports_requeue() == 0
    stale = timezone.now() - datetime.timedelta(seconds=settings.REPORT_STALE_SECONDS + 1)
    ReportFile.objects.filter(pk=report.pk).update(heartbeat_at=stale)

    assert reports_requeue() == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.READY


def test_asking_again_for_a_stuck_render_gives_a_fresh_attempt(
    world, secretariat, settings, django_capture_on_commit_callbacks
):
    review_update(actor=secretariat, review=world.review, version=world.review.version, summary="Bản sửa")
    files_before = ReportFile.objects.filter(review=world.review).count()
    report = report_request(actor=secretariat, review=world.review)  # its enqueue was lost (not run here)
    # Asked again at once: the same queued job, no second one queued (a worker may be on its way).
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert report_request(actor=secretariat, review=world.review) == report
    assert queued == []
    # Its worker died mid-render a while ago: asking again renders it now, not at the next sweep.
    stale = timezone.now() - datetime.timedelta(seconds=settings.REPORT_STALE_SECONDS + 1)
    ReportFile.objects.filter(pk=report.pk).update(
        status=ReportStatus.RENDERING, claimed_by="dead-task", started_at=stale, heartbeat_at=stale
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert report_request(actor=secretariat, review=world.review) == report
    report.refresh_from_db()
    assert report.status == ReportStatus.READY
    assert ReportFile.objects.filter(review=world.review).count() == files_before + 1


def test_healthz_reports_the_last_scan_and_the_oldest_waiting_render(client, world, secretariat):
    import datetime

    from django.utils import timezone

    from charters.reviews.models import ReportFile, ReportStatus
    from charters.reviews.services import report_request, review_update
    from coordination.models import ReminderScan

    ReminderScan.objects.create(
        day=datetime.date(2026, 11, 24), completed_at=timezone.now() - datetime.timedelta(hours=2)
    )
    review_update(actor=secretariat, review=world.review, version=world.review.version, summary="Bản chờ")
    report = report_request(actor=secretariat, review=world.review)  # queued (on_commit does not run here)
    ReportFile.objects.filter(pk=report.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=10))
    assert ReportFile.objects.get(pk=report.pk).status == ReportStatus.QUEUED

    body = client.get("/healthz").json()

    assert body["last_reminder_scan"]["day"] == "2026-11-24"
    assert 7190 <= body["last_reminder_scan"]["age_seconds"] <= 7300
    assert 590 <= body["oldest_queued_render_seconds"] <= 700
