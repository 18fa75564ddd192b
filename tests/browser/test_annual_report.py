"""Journey 5: the secretariat generates the annual review and its PDF, rendered by a real Celery worker."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from charters.models import Task
from charters.reviews.models import AnnualReview, ReportFile, ReportStatus
from tests.browser.conftest import look, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.postgres]


def test_the_secretariat_prints_the_annual_report_and_downloads_the_pdf(
    celery_worker, live_server, watch, year_data, secretariat
):
    page, base = watch.page, live_server.url
    charter = year_data
    sign_in(page, base, secretariat)

    # The secretariat's way to the charter, looking at each main page on the way.
    page.goto(base + reverse("charters:list"))
    look(page, "charter-list")
    with page.expect_navigation():
        page.click(f"a[href='{reverse('charters:detail', args=[charter.pk])}'] >> nth=0")
    look(page, "charter-detail")
    page.goto(base + reverse("charters:tasks"))
    look(page, "task-list")
    page.goto(base + reverse("charters:task", args=[Task.objects.filter(charter=charter).first().pk]))
    look(page, "task-detail")
    page.goto(base + reverse("meetings:list"))
    look(page, "meeting-list")
    page.goto(base + reverse("meetings:calendar"))
    look(page, "meeting-calendar")
    page.goto(base + reverse("charters:review_list"))
    look(page, "review-list")

    page.goto(base + reverse("charters:review_create", args=[charter.pk]))
    page.fill("input[name=year]", "2025")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    review = AnnualReview.objects.get(charter=charter, year=2025)
    assert page.url.endswith(reverse("charters:review_detail", args=[review.pk])), page.url
    received = review.stats["petitions"]["received"]
    assert received == 7, review.stats["petitions"]  # the 2025 petitions of year_data, nothing else
    look(page, "review-detail")

    with page.expect_navigation():
        page.click(f"form[action='{reverse('charters:review_report_request', args=[review.pk])}'] button[type=submit]")
    files = page.locator("#report-files")
    assert files.get_attribute("data-hx-trigger") == "every 2s", "a queued report polls for its state"
    assert files.locator(".badge.text-bg-info").count() == 1, files.inner_text()
    # htmx replaces the fragment every 2 s until the worker has rendered the file.
    link = page.locator("#report-files a[href$='.pdf']")
    link.wait_for(timeout=120_000)
    report = ReportFile.objects.get(review=review)
    assert report.status == ReportStatus.READY, f"{report.error}\n{celery_worker.log()}"
    assert page.locator("#report-files").get_attribute("data-hx-trigger") is None, "polling stops once ready"
    look(page, "review-report-ready")

    response = page.context.request.get(base + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.body())).pages)
    text = re.sub(r"\s+", " ", text)
    stats = review.stats["petitions"]
    assert "BÁO CÁO" in text
    assert f"tiếp nhận trong năm là {received}" in text, text[:3000]
    assert f"đã chuyển {stats['forwarded']} kiến nghị" in text, text[:3000]
    assert f"{stats['returned']} kiến nghị bị trả lại" in text, text[:3000]
    watch.check()
