"""A real Celery worker writes a queued export from Redis, once, even when the job is delivered twice."""

from pathlib import Path

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from tests.realparts import wait_until
from voters.export_jobs import export_request
from voters.models import ExportJob, ExportStatus
from voters.tasks import export_job_run

from .factories import PetitionFactory

pytestmark = [pytest.mark.worker, pytest.mark.postgres]


@override_settings(EXPORT_INLINE_MAX_ROWS=2)
def test_a_real_worker_writes_the_queued_export_once(celery_worker, agencies, reference_data, clerk):
    for _ in range(4):
        PetitionFactory(originating_agency=agencies.hdnd)
    job = export_request(actor=clerk, fmt="xlsx", params={})  # queued on commit
    export_job_run.delay(job.pk)  # the same job delivered a second time

    def finished():
        status = ExportJob.objects.values_list("status", flat=True).get(pk=job.pk)
        return status in (ExportStatus.READY, ExportStatus.FAILED)

    wait_until(finished, timeout=120, message=f"the worker to export; worker log:\n{celery_worker.log()}")
    job.refresh_from_db()
    assert job.status == ExportStatus.READY, job.error
    written = Path(celery_worker.base_env["MEDIA_ROOT"]) / job.file.name
    sheet = load_workbook(written, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4 == job.row_count
    wait_until(
        lambda: "'skipped'" in celery_worker.log(),
        timeout=60,
        message=f"the second delivery to be consumed; worker log:\n{celery_worker.log()}",
    )
    assert celery_worker.log().count("'ready'") == 1
