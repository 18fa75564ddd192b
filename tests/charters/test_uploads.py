"""The signed scan: PDF by content, size-limited, stored privately and served only through a permission check."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from charters import services
from charters.models import Charter

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(content, name="quy-che.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.smoke
def test_a_pdf_is_stored_and_downloaded_with_a_safe_name(login, clerk, leader, draft_charter, settings):
    response = login(clerk).post(reverse("charters:scan_upload", args=[draft_charter.pk]), {"scan": upload(PDF)})
    assert response.status_code == 302
    charter = Charter.objects.get(pk=draft_charter.pk)
    assert charter.scan.name.startswith("charters/scans/")
    assert charter.scan.path.startswith(str(settings.MEDIA_ROOT))

    response = login(leader).get(reverse("charters:scan", args=[charter.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="quy-che-03-qcph-hdnd-ubnd-ubmttq.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(clerk, draft_charter):
    with pytest.raises(ValidationError, match="not a PDF"):
        services.charter_scan_attach(
            actor=clerk, charter=draft_charter, upload=upload(b"<html><script>alert(1)</script>", "scan.pdf")
        )
    assert not Charter.objects.get(pk=draft_charter.pk).scan


def test_an_oversized_file_is_refused(clerk, draft_charter, settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="too large"):
        services.charter_scan_attach(actor=clerk, charter=draft_charter, upload=upload(PDF + b"0" * 200))


def test_the_upload_view_reports_a_refused_file(login, clerk, draft_charter):
    response = login(clerk).post(
        reverse("charters:scan_upload", args=[draft_charter.pk]), {"scan": upload(b"GIF89a...", "a.pdf")}, follow=True
    )
    assert response.status_code == 200
    assert not Charter.objects.get(pk=draft_charter.pk).scan


def test_download_is_refused_outside_the_unit(login, clerk, outsider, draft_charter, client):
    services.charter_scan_attach(actor=clerk, charter=draft_charter, upload=upload(PDF))
    url = reverse("charters:scan", args=[draft_charter.pk])
    assert login(outsider).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_leaders_cannot_upload(login, leader, draft_charter):
    response = login(leader).post(reverse("charters:scan_upload", args=[draft_charter.pk]), {"scan": upload(PDF)})
    assert response.status_code == 403


def test_task_evidence_pdf_is_checked_and_served_to_the_unit(login, ubnd_clerk, outsider, agencies):
    from datetime import date

    from charters.models import Task

    task = services.task_create(
        actor=ubnd_clerk,
        unit=agencies.ubnd.unit,
        title="Báo cáo giải quyết kiến nghị cử tri",
        responsible_agency=agencies.ubnd,
        due_date=date(2026, 11, 30),
    )
    url = reverse("charters:task", args=[task.pk])
    client = login(ubnd_clerk)
    refused = client.post(
        url,
        {
            "action": "complete",
            "completed_on": "2026-11-20",
            "version": task.version,
            "evidence_file": upload(b"MZ\x90\x00 not a pdf", "bao-cao.pdf"),
        },
    )
    assert refused.status_code == 200
    assert Task.objects.get(pk=task.pk).status == "open"
    done = client.post(
        url,
        {"action": "complete", "completed_on": "2026-11-20", "version": task.version, "evidence_file": upload(PDF)},
    )
    assert done.status_code == 302
    task = Task.objects.get(pk=task.pk)
    assert task.evidence_file
    download = client.get(reverse("charters:task_evidence", args=[task.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert login(outsider).get(reverse("charters:task_evidence", args=[task.pk])).status_code == 404
