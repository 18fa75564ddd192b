"""The render task: claims the job once, writes the file atomically, records failures, keeps older files."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from charters.reviews.models import ReportFile, ReportStatus
from charters.reviews.pdf import RefusedURL, StaticOnlyURLFetcher, html_to_pdf, static_path_for
from charters.reviews.services import report_claim, report_render, report_request, report_request_sync, review_update
from charters.reviews.tasks import review_report_render
from tests.charters.review_fixtures import *  # noqa: F403


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/static/css/app.css",
        "https://example.com/static/fonts/LiberationSerif-Regular.ttf",
        "https://report.invalid/media/charters/reports/1.pdf",
        "https://report.invalid/static/../coordination/settings.py",
        "https://report.invalid/static/fonts/%2e%2e/%2e%2e/manage.py",
        "https://report.invalid/static/fonts/missing.ttf",
        "data:text/plain,hello",
    ],
)
def test_url_fetcher_refuses_anything_but_local_static_files(url):
    with pytest.raises(RefusedURL):
        static_path_for(url)
    with pytest.raises(RefusedURL):
        StaticOnlyURLFetcher().fetch(url)


@pytest.mark.smoke
def test_url_fetcher_serves_the_bundled_fonts():
    response = StaticOnlyURLFetcher().fetch("https://report.invalid/static/fonts/LiberationSerif-Regular.ttf")
    assert response.read(4) == b"\x00\x01\x00\x00"
    response.close()


def test_a_document_pointing_outside_renders_without_fetching_it():
    html = (
        '<html><body><img src="file:///etc/passwd"><link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
        "<p>Đà Nẵng</p></body></html>"
    )
    assert html_to_pdf(html).startswith(b"%PDF")


def test_request_queues_after_commit_and_the_task_renders(review, secretariat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = report_request(actor=secretariat, review=review, with_appendix=False)
    # The render is queued once, after the commit (beside it, the audit entry's renewal of the dashboard's figures).
    renders = [c for c in callbacks if getattr(c, "args", ())[:1] == ("charters.tasks.review_report_render",)]
    assert len(renders) == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED
    renders[0]()
    report.refresh_from_db()
    assert report.status == ReportStatus.READY
    assert report.pages >= 3
    assert Path(report.file.path).read_bytes().startswith(b"%PDF")


def test_a_job_delivered_twice_renders_once(review):
    report = report_request_sync(review=review)
    assert review_report_render(report.pk) == ReportStatus.READY
    report.refresh_from_db()
    first_name, finished = report.file.name, report.finished_at
    assert review_report_render(report.pk) == "skipped"
    report.refresh_from_db()
    assert (report.file.name, report.finished_at) == (first_name, finished)
    assert len(list(Path(report.file.path).parent.glob("*.pdf"))) == 1


def test_the_claim_is_a_conditional_update(review):
    report = report_request_sync(review=review)
    assert report_claim(report.pk, "task-1") is True
    assert report_claim(report.pk, "task-2") is False
    # A worker that died mid-render leaves the job claimable again once its heartbeat is stale.
    stale = timezone.now() - timezone.timedelta(seconds=settings.REPORT_STALE_SECONDS + 1)
    ReportFile.objects.filter(pk=report.pk).update(heartbeat_at=stale)
    assert report_claim(report.pk, "task-2") is True
    assert ReportFile.objects.get(pk=report.pk).claimed_by == "task-2"


def test_a_redelivered_task_takes_back_its_own_claim(review):
    """Celery redelivers a task whose worker died with the same task id: that is the same job, not a rival."""
    report = report_request_sync(review=review)
    assert report_claim(report.pk, "celery-task-id") is True
    # The heartbeat is fresh (the worker died a moment ago), so another task must keep off...
    assert report_claim(report.pk, "another-task") is False
    # ...but the redelivery of the same task takes its claim back and renders at once.
    assert review_report_render.apply(args=[report.pk], task_id="celery-task-id").get() == ReportStatus.READY
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.file.name


def test_a_render_that_lost_its_claim_keeps_no_file(review, monkeypatch):
    """A render that looked dead and was taken over must not overwrite the new owner's result."""
    from charters.reviews import services as review_services

    report = report_request_sync(review=review)
    real_report_pdf = review_services.report_pdf

    def slow_render(report_file):
        result = real_report_pdf(report_file)
        # Meanwhile the sweep judged this render dead and another task took the job.
        ReportFile.objects.filter(pk=report_file.pk).update(claimed_by="new-owner")
        return result

    monkeypatch.setattr(review_services, "report_pdf", slow_render)
    assert report_render(report_id=report.pk, claim_token="slow-task") is None
    report.refresh_from_db()
    assert report.status == ReportStatus.RENDERING and not report.file
    assert not list(Path(settings.MEDIA_ROOT).rglob(f"{report.pk}-*.pdf"))


def test_a_failed_render_records_the_error_and_leaves_no_partial_file(review, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the media directory should be")
    settings.MEDIA_ROOT = blocker
    report = report_request_sync(review=review)
    assert review_report_render(report.pk) == ReportStatus.FAILED
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "Error" in report.error
    assert not report.file
    assert report.finished_at is not None
    assert not list(tmp_path.rglob("*.part"))


def test_older_versions_stay_downloadable(review, secretariat):
    first = report_request_sync(review=review)
    review_report_render(first.pk)
    review.refresh_from_db()
    review_update(actor=secretariat, review=review, version=review.version, summary="Báo cáo đã sửa lần hai")
    second = report_request_sync(review=review)
    review_report_render(second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.source_version.number, second.source_version.number) == (1, 2)
    assert first.file.name != second.file.name
    assert Path(first.file.path).exists() and Path(second.file.path).exists()
    assert ReportFile.objects.filter(review=review, status=ReportStatus.READY).count() == 2
    assert not list(Path(first.file.path).parent.glob("*.part"))


def test_the_page_shows_how_long_a_render_has_been_running(review, secretariat, client):
    from django.urls import reverse

    report = report_request_sync(review=review)
    started = timezone.now() - timezone.timedelta(minutes=3, seconds=10)
    ReportFile.objects.filter(pk=report.pk).update(
        status=ReportStatus.RENDERING, started_at=started, heartbeat_at=timezone.now()
    )
    client.force_login(secretariat)

    html = client.get(reverse("charters:review_report_files", args=[review.pk])).content.decode()

    assert "Đang tạo, 3\xa0phút" in html
