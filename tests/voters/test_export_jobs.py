"""Exports at any size: small ones in the request, larger ones as jobs (claimed once, taken over from a dead
worker, downloadable only by the requester), typed date cells in the workbook, hostile parameters."""

import datetime
import io
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook

from coordination.models import Notification
from voters import export_jobs
from voters.models import ExportJob, ExportStatus

from .factories import PetitionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def five(agencies, reference_data):
    return [
        PetitionFactory(originating_agency=agencies.hdnd, received_on=datetime.date(2026, 11, day), due_date=None)
        for day in range(1, 6)
    ]


def _sheet(data):
    return load_workbook(io.BytesIO(data)).worksheets[0]


def test_small_xlsx_export_is_inline_with_date_cells(five, clerk, login):
    response = login(clerk).get("/petitions/export.xlsx")
    assert response.status_code == 200
    sheet = _sheet(response.content)
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 5
    received = rows[0][1]
    assert received.is_date and received.number_format == "DD/MM/YYYY"
    assert received.value.date() == datetime.date(2026, 11, 5)  # newest first


def test_small_csv_export_is_streamed_with_text_dates(five, clerk, login):
    response = login(clerk).get("/petitions/export.csv")
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "05/11/2026" in text and "2026-11-05" not in text


@override_settings(EXPORT_INLINE_MAX_ROWS=3)
def test_large_export_becomes_a_job_shown_to_its_requester_only(five, clerk, mttq_clerk, login, client, media):
    signed_in = login(clerk)
    page = signed_in.get("/petitions/export.xlsx?field=infrastructure")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert not ExportJob.objects.exists()  # a GET writes nothing
    response = signed_in.post("/petitions/export.xlsx?field=infrastructure")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/petitions/exports/{job.pk}/"
    assert job.status == ExportStatus.QUEUED and job.total == 5
    assert job.params["query"] == {"field": ["infrastructure"]}
    # A second click on the same export while it waits: the same job.
    signed_in.post("/petitions/export.xlsx?field=infrastructure")
    assert ExportJob.objects.count() == 1

    status = signed_in.get(f"/petitions/exports/{job.pk}/status/")
    assert b'data-hx-trigger="every 2s"' in status.content
    job_page = signed_in.get(f"/petitions/exports/{job.pk}/")
    assert job_page.status_code == 200 and b"<progress" in job_page.content and b"<script" not in status.content

    assert export_jobs.export_run(job_id=job.pk, claim_token="first").status == ExportStatus.READY
    assert export_jobs.export_run(job_id=job.pk, claim_token="second") is None  # done exactly once
    job.refresh_from_db()
    assert job.row_count == 5 and job.progress == 5 and job.expires_at > timezone.now()
    status = signed_in.get(f"/petitions/exports/{job.pk}/status/")
    assert b"every 2s" not in status.content and b"/download/" in status.content

    download = signed_in.get(f"/petitions/exports/{job.pk}/download/")
    assert download.status_code == 200
    sheet = _sheet(b"".join(download.streaming_content))
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 5 and all(row[1].is_date for row in rows)
    notification = Notification.objects.get(recipient=clerk)
    assert notification.url == f"/petitions/exports/{job.pk}/" and notification.kind == "export_ready"

    client.logout()
    other = login(mttq_clerk)
    for suffix in ("", "status/", "download/"):
        assert other.get(f"/petitions/exports/{job.pk}/{suffix}").status_code == 404


@override_settings(EXPORT_INLINE_MAX_ROWS=3)
def test_the_job_applies_the_requesters_visibility_and_hides_personal_data(five, agencies, mttq_clerk, media):
    PetitionFactory(originating_agency=agencies.mttq, voter_name="Trần Thị Bình")
    job = export_jobs.export_request(actor=mttq_clerk, fmt="csv", params={})
    export_jobs.export_run(job_id=job.pk)
    job.refresh_from_db()
    text = Path(job.file.path).read_text(encoding="utf-8-sig")
    assert "Trần Thị Bình" in text  # its own petition
    assert "Nguyễn Văn An" not in text  # the others' voters stay hidden


def test_a_dead_workers_job_is_taken_over_and_the_dead_run_records_nothing(five, clerk, media, settings):
    job = export_jobs.export_request(actor=clerk, fmt="csv", params={})
    assert export_jobs.export_claim(job.pk, "dead-worker")
    assert not export_jobs.export_claim(job.pk, "someone-else")  # a live claim is not taken
    stale = timezone.now() - datetime.timedelta(seconds=settings.REPORT_STALE_SECONDS + 5)
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=stale)
    assert job.pk in set(ExportJob.objects.filter(export_jobs._abandoned()).values_list("pk", flat=True))
    assert export_jobs.export_run(job_id=job.pk, claim_token="rescuer").status == ExportStatus.READY
    # The dead run wakes up and tries to record its outcome: the claim is no longer its own.
    assert not export_jobs._finish(job, "dead-worker", status=ExportStatus.FAILED, error="late")
    job.refresh_from_db()
    assert job.status == ExportStatus.READY and job.claimed_by == "rescuer"
    assert Notification.objects.filter(recipient=clerk).count() == 1


def test_expired_files_are_deleted(five, clerk, media):
    job = export_jobs.export_request(actor=clerk, fmt="csv", params={})
    export_jobs.export_run(job_id=job.pk)
    job.refresh_from_db()
    path = Path(job.file.path)
    assert path.exists()
    assert export_jobs.exports_cleanup(now=timezone.now() + datetime.timedelta(days=30)) == 1
    job.refresh_from_db()
    assert job.status == ExportStatus.EXPIRED and not path.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/petitions/export.pdf",
        "/petitions/export.xlsx?received_from=31/02/2026&field=%00&sort=';drop table x",
        "/petitions/export.csv?page=-1&status=nope&unit=abc&agency=999999999999999999999",
        "/petitions/export.xlsx?" + "&".join(f"k{n}={'x' * 5000}" for n in range(60)),
    ],
)
@override_settings(EXPORT_INLINE_MAX_ROWS=3)
def test_hostile_export_parameters_never_fail(five, clerk, login, url, media):
    client = login(clerk)
    response = client.get(url)
    assert response.status_code in (200, 404)
    posted = client.post(url)
    assert posted.status_code in (302, 404)
    for job in ExportJob.objects.all():
        assert len(str(job.params)) < 100_000
        export_jobs.export_run(job_id=job.pk)
        job.refresh_from_db()
        assert job.status == ExportStatus.READY, job.error
