"""Uploaded files: stored under MEDIA_ROOT (outside the web root), refused by content and size, downloaded only
through permission-checked views as attachments with a safe name and no content sniffing."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from charters import services as charter_services
from meetings import services as meeting_services
from meetings.models import private_storage
from tests.security.conftest import PDF, pdf_upload
from voters import services as petition_services

# An ASCII name in quotes with nothing to escape, or an RFC 5987 percent-encoded UTF-8 name (Django's two forms).
SAFE_DISPOSITION = re.compile(
    r"""^attachment; (filename="[A-Za-z0-9._ ()-]+"|filename\*=utf-8''[A-Za-z0-9%._~!$&'()*+,;=:@-]+)$"""
)

DOWNLOADS = {
    "charter scan": lambda w: reverse("charters:scan", args=[w.charter.pk]),
    "task evidence": lambda w: reverse("charters:task_evidence", args=[w.task.pk]),
    "review report": lambda w: reverse("charters:review_report_download", args=[w.review.pk, w.report.pk]),
    "meeting minutes": lambda w: reverse("meetings:minutes_file", args=[w.session.pk]),
    "answer attachment": lambda w: reverse("voters:attachment", args=[w.attachment.pk]),
}


@pytest.mark.parametrize("kind", sorted(DOWNLOADS))
def test_downloads_are_attachments_with_a_safe_name_and_no_sniffing(kind, world, client, site_admin):
    client.force_login(site_admin)
    response = client.get(DOWNLOADS[kind](world))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert SAFE_DISPOSITION.match(disposition), disposition


def test_a_vietnamese_file_name_is_sent_encoded(world, clerk, client, agencies):
    meeting_services.meeting_record_minutes(
        actor=clerk, meeting=world.session, text="", file=pdf_upload("Biên bản kỳ họp thứ 12.pdf")
    )
    client.force_login(clerk)
    disposition = client.get(reverse("meetings:minutes_file", args=[world.session.pk]))["Content-Disposition"]

    assert disposition.startswith("attachment; ")
    assert "filename*=utf-8''Bi%C3%AAn" in disposition


def test_files_are_stored_under_media_root_which_is_neither_static_nor_served(world, client, site_admin):
    media = settings.MEDIA_ROOT
    stored = [
        world.charter.scan,
        world.task.evidence_file,
        world.report.file,
        type(world.session).objects.get(pk=world.session.pk).minutes_file,
        world.attachment.file,
    ]
    # The minutes' storage takes MEDIA_ROOT once, at start-up (tests move MEDIA_ROOT afterwards).
    roots = {str(media), str(private_storage.location)}
    for field in stored:
        assert any(field.path.startswith(root) for root in roots), field.path
    for root in roots:
        for static_dir in [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]:
            assert not root.startswith(str(static_dir)), root
    # No URL serves MEDIA_ROOT directly.
    client.force_login(site_admin)
    assert client.get(settings.MEDIA_URL + world.charter.scan.name).status_code == 404
    assert client.get("/static/../var/media/" + world.charter.scan.name).status_code == 404


HTML = b"<html><script>alert(document.cookie)</script></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00 this is a program"


def _charter_scan(world, clerk, upload):
    charter_services.charter_scan_attach(actor=clerk, charter=world.charter, upload=upload)


def _task_evidence(world, clerk, upload):
    charter_services.task_complete(
        actor=clerk, task=world.task, completed_on=datetime.date(2026, 11, 20), version=world.task.version,
        evidence_file=upload,
    )  # fmt: skip


def _minutes(world, clerk, upload):
    meeting_services.meeting_record_minutes(actor=clerk, meeting=world.session, text="", file=upload)


def _answer(world, clerk, upload):
    petition_services.petition_answer(
        actor=world.department_clerk, petition=world.forwarded, version=world.forwarded.version,
        text="Đã giải quyết", document_date=datetime.date(2026, 11, 20), outcome="resolved", attachments=[upload],
    )  # fmt: skip


UPLOADS = {"charter scan": _charter_scan, "task evidence": _task_evidence, "minutes": _minutes, "answer": _answer}


@pytest.mark.parametrize("kind", sorted(UPLOADS))
@pytest.mark.parametrize("content", [HTML, EXE, b""], ids=["html", "exe", "empty"])
def test_a_file_that_is_not_what_its_name_says_is_refused(kind, content, world, clerk):
    with pytest.raises(ValidationError):
        UPLOADS[kind](world, clerk, pdf_upload("hop-le.pdf", content))


@pytest.mark.parametrize("kind", sorted(UPLOADS))
def test_a_file_over_the_size_limit_is_refused(kind, world, clerk, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError):
        UPLOADS[kind](world, clerk, pdf_upload("lon.pdf", PDF + b" " * (1024 * 1024)))
