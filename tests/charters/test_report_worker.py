"""A real Celery worker renders a queued report from Redis, once, even when the job is delivered twice."""

from pathlib import Path

import pytest

from charters.reviews.models import ReportFile, ReportStatus
from charters.reviews.services import report_request
from charters.reviews.tasks import review_report_render
from tests.charters.review_fixtures import *  # noqa: F403
from tests.realparts import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.postgres]


def test_a_real_worker_renders_the_queued_report_once(celery_worker, review, secretariat):
    report = report_request(actor=secretariat, review=review)  # queued on commit
    review_report_render.delay(report.pk)  # the same job delivered a second time

    def finished():
        status = ReportFile.objects.values_list("status", flat=True).get(pk=report.pk)
        return status in (ReportStatus.READY, ReportStatus.FAILED)

    wait_until(finished, timeout=120, message=f"the worker to render; worker log:\n{celery_worker.log()}")
    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error
    # The worker is another process: its MEDIA_ROOT is the one it was started with.
    written = Path(celery_worker.base_env["MEDIA_ROOT"]) / report.file.name
    assert written.read_bytes().startswith(b"%PDF")
    wait_until(
        lambda: "'skipped'" in celery_worker.log(),
        timeout=60,
        message=f"the second delivery to be consumed; worker log:\n{celery_worker.log()}",
    )
    assert celery_worker.log().count("'ready'") == 1
