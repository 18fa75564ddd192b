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


def test_a_render_abandoned_by_a_dead_worker_is_queued_again(world, secretariat):
    review_update(actor=secretariat, review=world.review, version=world.review.version, summary="Bản sửa")
    report = report_request(actor=secretariat, review=world.review)
    ReportFile.objects.filter(pk=report.pk).update(
        status=ReportStatus.RENDERING, started_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert reports_requeue() == 0  # may still be rendering
    ReportFile.objects.filter(pk=report.pk).update(started_at=timezone.now() - datetime.timedelta(hours=2))

    assert reports_requeue() == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.READY
