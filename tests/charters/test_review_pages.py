"""The review pages: reachable from the main menu, the year's state of every charter, Word downloads, the
signed-copy approval and reopening through the browser forms, Vietnamese labels, duplicate charter numbers."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from charters.reviews.models import ReportFile, ReviewStatus
from charters.reviews.services import review_submit
from charters.reviews.tasks import review_report_render
from tests.charters import review_factories as rf
from tests.charters.review_fixtures import *  # noqa: F403


def test_the_main_menu_leads_to_the_reviews(client, secretariat):
    client.force_login(secretariat)
    page = client.get(reverse("home")).content.decode()
    assert reverse("charters:review_list") in page
    assert "Sơ kết, tổng kết" in page


def test_the_list_shows_each_charter_s_review_state_for_the_year(client, secretariat, review, agencies):
    other = rf.charter_in_force(agencies, kinds=("hdnd", "ubnd"))
    client.force_login(secretariat)
    page = client.get(reverse("charters:review_list"), {"year": 2025}).content.decode()
    assert review.charter.number in page and other.number in page
    assert "Chưa lập" in page  # the second charter has no 2025 review
    assert reverse("charters:review_create", args=[other.pk]) + "?year=2025" in page


def test_the_review_page_speaks_vietnamese(client, secretariat, review):
    client.force_login(secretariat)
    page = client.get(reverse("charters:review_detail", args=[review.pk])).content.decode()
    assert "Lĩnh vực" in page and ">Trường<" not in page
    response = client.post(
        reverse("charters:review_action", args=[review.pk, "submit"]), {"version": review.version}, follow=True
    )
    assert "Đã trình báo cáo để lãnh đạo các cơ quan duyệt." in response.content.decode()


def test_a_word_copy_downloads(client, secretariat, review, django_capture_on_commit_callbacks):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("charters:review_report_request", args=[review.pk]), {"format": "docx"})
    report = ReportFile.objects.get(review=review, format="docx")
    if report.status != "ready":
        review_report_render(report.pk)
        report.refresh_from_db()
    assert report.status == "ready", report.error
    response = client.get(reverse("charters:review_report_download_docx", args=[review.pk, report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert b"".join(response.streaming_content).startswith(b"PK")
    # The .pdf address of a Word file is not found.
    assert client.get(reverse("charters:review_report_download", args=[review.pk, report.pk])).status_code == 404


def test_the_secretariat_records_a_signed_copy_and_reopens(client, secretariat, review, agencies):
    from charters.reviews.services import review_approve
    from coordination.models import Role
    from tests.factories import member

    review = review_submit(actor=secretariat, review=review, version=review.version)
    for kind in ("hdnd", "ubnd"):
        agency = getattr(agencies, kind)
        review = review_approve(actor=member(agency, Role.LEADER, username=f"{kind}_l"), review=review, agency=agency)
    client.force_login(secretariat)
    url = reverse("charters:review_approval_record", args=[review.pk])
    client.post(url, {"agency": agencies.mttq.pk, "signed_copy": SimpleUploadedFile("x.pdf", b"GIF89a")})
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED  # not a PDF: refused
    client.post(
        url,
        {
            "agency": agencies.mttq.pk,
            "signed_copy": SimpleUploadedFile("x.pdf", b"%PDF-1.7\n"),
            "signed_on": "2026-02-03",
        },
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED
    response = client.post(
        reverse("charters:review_reopen", args=[review.pk]), {"version": review.version, "reason": "Sửa Bảng 2"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT
    assert review.versions.filter(data__status="approved").exists()


def test_a_charter_number_already_used_in_the_unit_is_warned(login, clerk, agencies, charter):
    from tests.charters.test_charter_forms import form_data

    response = login(clerk).post(reverse("charters:create"), form_data(agencies, number=charter.number), follow=True)
    assert "đã có Quy chế số" in response.content.decode().replace("&nbsp;", " ")
